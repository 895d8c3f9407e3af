"""``kg_char_ner``: the trained MSRA model as a component of the kg pipeline.

It sits in ``kg/nlp/config.cfg`` under the name ``ner``, after the
sentencizer and before the lexicon and person finder. It reads the pkuseg
words of the Doc, runs the character model (:mod:`kg.nlp.ner.chars`) and sets
``doc.ents`` (PER, LOC, ORG), splitting a token where an entity ends inside
it (:mod:`kg.nlp.token_spans`). Runs of persons glued together without
separators (名单) are split again into names (:mod:`kg.nlp.ner.name_lists`)
with the name counts saved beside the model (``name_parts.json``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import numpy
import spacy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

import kg.nlp.ner.ops  # noqa: F401  (registers the kg.openblas_ops.v1 callback the model's config names)
from kg import KgError
from kg.nlp.lexicon import Lexicon
from kg.nlp.lexicon_matcher import pipeline_lexicon
from kg.nlp.ner.chars import char_doc
from kg.nlp.ner.name_lists import split_name_lists
from kg.nlp.ner.name_parts import NamePool
from kg.nlp.records import doc_text, register_extensions
from kg.nlp.token_spans import token_spans

MODEL_DIR = Path(__file__).with_name("model")
NAME_PARTS = "name_parts.json"  # beside the model: what its training names are made of
CHUNK_CHARS = 2000  # characters the model reads at once, about one news article
#: the most characters the model tags in one batch (eight articles of 2,000 characters)
BATCH_CHARS = 16_000
#: ``all`` sentences, or only those with a relation ``cues`` word: the persons the model finds elsewhere
#: take part in no relation, and reading 5% of the text instead of all of it keeps builds fast
SCOPES = ("cues", "all")


class ModelMissingError(KgError, RuntimeError):
    """The trained NER model folder, or a file in it, is absent or unreadable; ``make train`` makes it."""


def load_ner_model(path: str | Path | None = None) -> Language:
    """The trained character-level pipeline (tok2vec + ner) at ``path``."""
    folder = Path(path) if path else MODEL_DIR
    if not (folder / "config.cfg").is_file():
        raise ModelMissingError(f"no NER model in {folder}: run `make train`")
    return spacy.load(folder)


def load_name_pool(path: str | Path | None = None) -> NamePool:
    """The name counts shipped with the model at ``path`` (see :mod:`kg.nlp.ner.name_parts`)."""
    file = (Path(path) if path else MODEL_DIR) / NAME_PARTS
    if not file.is_file():
        raise ModelMissingError(f"no {NAME_PARTS} beside the NER model in {file.parent}: run `make train`")
    try:
        return NamePool.from_json(file)
    except (ValueError, KeyError, TypeError, AttributeError) as error:  # bad JSON, UTF-8 or layout
        raise ModelMissingError(f"{file} is unreadable ({type(error).__name__}): run `make train`") from None


class CharNer:
    """Runs the character model over a word Doc and records its entities."""

    def __init__(self, model: Language, lexicon: Lexicon, batch_size: int = 8, scope: str = "all",
                 names: NamePool | None = None):
        """``names``: name counts to split glued runs of persons with; None leaves the model's spans."""
        register_extensions()
        self.model = model
        self.lexicon = lexicon
        self.nlp: Language | None = None  # set by the factory: the pipeline whose lexicon this one is
        self.lexicon_dir: str | None = None
        self.names = names
        self.batch_size = batch_size
        self.set_scope(scope)

    def set_scope(self, scope: str) -> None:
        """Read ``all`` sentences, or only those with a relation ``cues`` word."""
        if scope not in SCOPES:
            raise ValueError(f"ner scope {scope!r}: use one of {', '.join(SCOPES)}")
        self.scope = scope
        self._keep = cue_matcher(self.lexicon) if scope == "cues" else None

    def use_lexicon(self, lexicon: Lexicon) -> None:
        """Take the lexicon features and the relation cues from ``lexicon``."""
        self.lexicon = lexicon
        self.set_scope(self.scope)

    def from_disk(self, path, exclude=()) -> CharNer:
        """Take the pipeline's lexicon again after ``nlp.from_disk`` (the model is loaded by the factory)."""
        if self.nlp is not None:
            self.use_lexicon(pipeline_lexicon(self.nlp, self.lexicon_dir))
        return self

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        """Tag ``docs`` in batches of the component's own ``batch_size``.

        ``nlp.pipe`` passes its batch size (64 articles), but the CNN ran 1.5x
        faster on 8 articles at once than on 32, so the component keeps its own.
        """
        size = self.batch_size
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= size:
                yield from self._tag(batch)
                batch = []
        if batch:
            yield from self._tag(batch)

    def _tagged(self, pieces, chars) -> Iterator[Doc]:
        """The model's reading of each piece, in batches of at most :data:`BATCH_CHARS` characters: the
        model's arrays grow with the characters of a batch, and a long article's pieces all at once took
        1.8 GB for 100,000 characters."""
        sizes = [sum(map(len, words)) for _, _, words in pieces]
        for start, end in _batches(sizes, BATCH_CHARS):
            yield from self.model.pipe(chars[start:end], batch_size=end - start)

    def _tag(self, docs: list[Doc]) -> list[Doc]:
        pieces = [(doc, offset, words) for doc in docs for offset, words in _chunks(doc, self._keep)]
        chars = [char_doc(self.model.vocab, words, self.lexicon) for _, _, words in pieces]
        found: dict[int, list[tuple[int, int, str]]] = {id(doc): [] for doc in docs}
        for (doc, offset, _), tagged in zip(pieces, self._tagged(pieces, chars), strict=True):
            spans = [(e.start_char, e.end_char, e.label_) for e in tagged.ents]
            if self.names is not None:
                spans = split_name_lists(tagged.text, spans, self.names)
            found[id(doc)].extend((offset + start, offset + end, label) for start, end, label in spans)
        tagged = []
        for doc in docs:
            doc, ents = token_spans(doc, found[id(doc)])
            doc.ents = ents
            tagged.append(doc)
        return tagged


def _batches(sizes: list[int], budget: int) -> Iterator[tuple[int, int]]:
    """``(start, end)`` index ranges of consecutive pieces whose characters add up to ``budget`` at most (a
    piece over it alone)."""
    start = total = 0
    for i, size in enumerate(sizes):
        if i > start and total + size > budget:
            yield start, i
            start, total = i, 0
        total += size
    if start < len(sizes):
        yield start, len(sizes)


def _chunks(doc: Doc, keep: Callable[[str], list[int]] | None = None) -> list[tuple[int, list[str]]]:
    """``(offset, words)`` pieces of about ``CHUNK_CHARS``, cut where a sentence starts.

    Bounds the model's memory on a long article (its arrays grow with the
    characters of one Doc) without cutting an entity in two. A sentence
    longer than four times the size is cut at a word edge. With ``keep``
    (the start and end offsets of its matches in the whole text), only the
    sentences holding a match are read. Sentences and words come from the
    Doc's arrays, not its Token objects: most of the text is skipped.
    """
    text = doc_text(doc)
    if not len(doc):
        return []
    offsets = doc.to_array(IDX).tolist() + [len(text)]
    # 1 where a sentence starts, 0 when no sentencizer ran (Doc.has_annotation walks every Token)
    starts = numpy.flatnonzero(doc.to_array(SENT_START) == 1).tolist()
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    sentences = list(zip(starts, starts[1:] + [len(doc)]))
    if keep is not None:
        sentences = _sentences_with(sentences, offsets, keep(text))
    pieces: list[tuple[int, list[str]]] = []
    words: list[str] = []
    offset = size = 0
    last_end = -1
    for first, end in sentences:
        if words and first != last_end:  # a skipped sentence between: the piece ends here
            pieces.append((offset, words))
            words, size = [], 0
        for i in range(first, end):
            if words and (size >= CHUNK_CHARS and i == first or size >= 4 * CHUNK_CHARS):
                pieces.append((offset, words))
                words, size = [], 0
            if not words:
                offset = offsets[i]
            words.append(text[offsets[i]:offsets[i + 1]])
            size += offsets[i + 1] - offsets[i]
        last_end = end
    if words:
        pieces.append((offset, words))
    return pieces


def _sentences_with(sentences: list[tuple[int, int]], offsets: list[int],
                    matches: list[int]) -> list[tuple[int, int]]:
    """The sentences (token ranges) that hold a whole match; ``matches`` is start, end, start, end..."""
    kept: list[tuple[int, int]] = []
    starts = [offsets[first] for first, _ in sentences]
    for k in range(0, len(matches), 2):
        index = bisect_right(starts, matches[k]) - 1
        end = sentences[index][1]
        if matches[k + 1] <= offsets[end] and (not kept or kept[-1] != sentences[index]):
            kept.append(sentences[index])
    return kept


def cue_matcher(lexicon: Lexicon) -> Callable[[str], list[int]]:
    """Where a text holds relation cues (event nouns, attendance words, ``ner_cues`` words) or a title, where a
    person the model finds can take part in a relation or hold a post: start, end, start, end..."""
    words = sorted(set(lexicon.events) | set(lexicon.attendance) | set(lexicon.ner_cues) | set(lexicon.titles),
                   key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, words))) if words else re.compile(r"(?!)")
    return lambda text: [offset for match in pattern.finditer(text) for offset in match.span()]


@Language.factory("kg_char_ner",
                  default_config={"model": None, "lexicon_dir": None, "batch_size": 8, "scope": "cues"})
def make_char_ner(nlp: Language, name: str, model: str | None, lexicon_dir: str | None, batch_size: int,
                  scope: str) -> CharNer:
    """Create the component; ``model`` defaults to the shipped ``kg/nlp/ner/model``,
    the lexicon (its features and cues) is the pipeline's (``lexicon_dir`` only without a ``kg_lexicon``);
    ``scope`` is ``cues`` (only sentences with a relation cue) or ``all``."""
    ner = CharNer(load_ner_model(model), pipeline_lexicon(nlp, lexicon_dir), batch_size, scope, load_name_pool(model))
    ner.nlp, ner.lexicon_dir = nlp, lexicon_dir
    return ner
