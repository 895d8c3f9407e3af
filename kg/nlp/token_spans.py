"""Character offsets to token Spans: how the kg components hand their findings on.

pkuseg often splits names (刘|鹤, 李|忠发) and sometimes glues words across
an entity's edge (做|大中|美), while the kg rules work on characters. A
component that finds persons, posts or events has the tokens its findings'
edges fall inside split (:func:`token_spans`, which hands back the Doc with
its tokens split, to be returned by the component) and publishes them as
Spans, so the next component, or another spaCy user's, reads ``doc.ents``
and ``doc.spans[...]`` as usual.

The rules that read word boundaries as evidence (a body's name ends at a
word edge) read the words as the segmenter made them (:func:`segmenter_words`),
so a split made for a Span never changes what they find.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable
from itertools import pairwise

import numpy
from spacy.attrs import IDX, LENGTH, MORPH, POS, SENT_START, SPACY, TAG
from spacy.tokens import Doc, Span, SpanGroup

_WORDS_KEY = ("kg", "segmenter_words")
_TAGS = [("TAG", TAG), ("POS", POS), ("MORPH", MORPH)]  # per-token annotations a split piece keeps
#: up to this many tokens to cut, spaCy's retokenizer cuts them in place; more, and the Doc is rebuilt once
#: (each in-place split moves the whole Doc: thousands of cuts in a long text cost its length squared)
MAX_CUTS_IN_PLACE = 64


def remember_words(doc: Doc) -> None:
    """Keep the word edges of ``doc`` as they are now (before any component splits a token)."""
    if _WORDS_KEY not in doc.user_data:
        bounds = doc.to_array([IDX, LENGTH]).tolist()  # arrays: far cheaper than a Token object per word
        doc.user_data[_WORDS_KEY] = [(start, start + length) for start, length in bounds]


def segmenter_words(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of the words as the segmenter made them."""
    remember_words(doc)
    return doc.user_data[_WORDS_KEY]


def split_tokens_at(doc: Doc, offsets: Iterable[int]) -> Doc:
    """``doc`` with every token that a character offset in ``offsets`` falls strictly inside split there.

    Up to :data:`MAX_CUTS_IN_PLACE` tokens are split in place and ``doc`` comes back; more, and a new Doc
    is built once: spaCy's retokenizer moves the whole token array on every split, so a long article with
    thousands of cuts cost time growing with the square of its length (issue 16). A rebuilt Doc keeps the
    text, sentence starts, entities, span groups (as characters), ``user_data`` (extension values are keyed
    by characters) and per-token tags; a piece of a split token keeps its token's tag and vector row, and
    only the first piece can open a sentence. A caller goes on with the returned Doc (a pipeline component
    returns it).
    """
    if not len(doc):
        return doc
    remember_words(doc)
    bounds = doc.to_array([IDX, LENGTH]).tolist()  # arrays: far cheaper than a Token object per word
    starts = [start for start, _ in bounds]
    cuts: dict[int, list[int]] = {}
    for offset in sorted(set(offsets)):
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and starts[i] < offset < starts[i] + bounds[i][1]:
            cuts.setdefault(i, []).append(offset)
    if not cuts:
        return doc
    if doc.has_annotation("DEP"):
        raise ValueError("kg cannot split the tokens of a parsed Doc (its heads would point nowhere)")
    if len(cuts) <= MAX_CUTS_IN_PLACE:
        _split_in_place(doc, cuts)
        return doc
    return _rebuilt(doc, bounds, cuts)


def _split_in_place(doc: Doc, cuts: dict[int, list[int]]) -> None:
    """Cut ``doc``'s tokens with spaCy's retokenizer: for a few cuts far cheaper than a rebuild (a news
    article's 20 cuts took 15% of extraction rebuilt, 4% in place)."""
    groups = {key: [(s.start_char, s.end_char, s.label, s.kb_id, s.id) for s in group]
              for key, group in doc.spans.items()}  # the retokenizer keeps doc.ents, not span groups
    tagged = [name for name, _ in _TAGS if doc.has_annotation(name)]
    with doc.retokenize() as retokenizer:
        for i, offsets in cuts.items():
            token = doc[i]
            edges = [0, *(offset - token.idx for offset in offsets), len(token.text)]
            pieces = [token.text[a:b] for a, b in pairwise(edges)]
            # each piece keeps its token's tags, as in a rebuilt Doc
            values = {"TAG": token.tag_, "POS": token.pos_, "MORPH": str(token.morph)}
            attrs = {name: [values[name]] * len(pieces) for name in tagged}
            retokenizer.split(token, pieces, heads=[(token, 0)] * len(pieces), attrs=attrs)
    # A piece after a cut opens no sentence; set through the array (Token.is_sent_start walks the Doc).
    new_starts = doc.to_array([IDX]).tolist()
    flags = doc.to_array([SENT_START])
    not_start = flags.dtype.type(-1 % (1 << 64))  # -1 (no sentence start) as the unsigned array holds it
    for offset in sorted(offset for offsets in cuts.values() for offset in offsets):
        flags[bisect.bisect_left(new_starts, offset)] = not_start
    doc.from_array([SENT_START], flags)
    for key, items in groups.items():
        doc.spans[key] = [doc.char_span(s, e, label=label, kb_id=kb, span_id=sid, alignment_mode="expand")
                          for s, e, label, kb, sid in items]


def _rebuilt(doc: Doc, bounds: list[list[int]], cuts: dict[int, list[int]]) -> Doc:
    """A new Doc of ``doc``'s text whose token ``i`` is cut at the character offsets ``cuts[i]``."""
    text = doc.text
    trailing_space = doc.to_array([SPACY]).tolist()
    words: list[str] = []
    spaces: list[bool] = []
    source: list[int] = []  # the old token each new token comes from
    first_piece: list[bool] = []
    for i, (start, length) in enumerate(bounds):
        edges = [start, *cuts.get(i, ()), start + length]
        last = len(edges) - 2
        for k, (a, b) in enumerate(pairwise(edges)):
            words.append(text[a:b])
            spaces.append(bool(trailing_space[i]) and k == last)
            source.append(i)
            first_piece.append(k == 0)
    new = Doc(doc.vocab, words=words, spaces=spaces)
    index = numpy.asarray(source)
    copied = [SENT_START] + [attr for name, attr in _TAGS if doc.has_annotation(name)]
    values = doc.to_array(copied).reshape(len(doc), len(copied))[index]
    # A piece after a cut opens no sentence (-1, as the unsigned array holds it).
    values[~numpy.asarray(first_piece), 0] = values.dtype.type(-1 % (1 << 64))
    new.from_array(copied, values)
    if doc.tensor is not None and getattr(doc.tensor, "size", 0):
        new.tensor = doc.tensor[index]
    new.user_data.update(doc.user_data)
    new.user_hooks.update(doc.user_hooks)
    new.user_token_hooks.update(doc.user_token_hooks)
    new.user_span_hooks.update(doc.user_span_hooks)
    new.cats = dict(doc.cats)
    if doc.has_annotation("ENT_IOB"):
        new.ents = [_same_span(new, ent) for ent in doc.ents]
    for key, group in doc.spans.items():
        new.spans[key] = SpanGroup(new, name=group.name, attrs=dict(group.attrs),
                                   spans=[_same_span(new, span) for span in group])
    return new


def _same_span(doc: Doc, span: Span) -> Span:
    """``span`` (from another Doc of the same text) on ``doc``, by its characters."""
    return doc.char_span(span.start_char, span.end_char, label=span.label, kb_id=span.kb_id, span_id=span.id,
                         alignment_mode="expand")


def token_spans(doc: Doc, items: list[tuple[int, int, str]]) -> tuple[Doc, list[Span]]:
    """Spans for ``(start_char, end_char, label)`` items, on ``doc`` with its tokens split (see
    :func:`split_tokens_at`) so each edge is a token edge: the Doc to go on with, and the spans."""
    doc = split_tokens_at(doc, (offset for start, end, _ in items for offset in (start, end)))
    # After the split every edge is a token edge; "expand" only matters for an edge in dropped whitespace.
    return doc, [doc.char_span(start, end, label=label, alignment_mode="expand") for start, end, label in items]


class Overlaps:
    """Whether a character span overlaps any of a fixed set of spans, in O(log n) per question (a long
    text holds thousands of them, and asking each against all was quadratic)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted((s, e) for s, e, *_ in spans)
        self._starts = [s for s, _ in ordered]
        self._reach = list(itertools.accumulate((e for _, e in ordered), max))  # the furthest end so far

    def any(self, start: int, end: int) -> bool:
        """Whether some span ``(s, e)`` has ``s < end`` and ``start < e``."""
        count = bisect.bisect_left(self._starts, end)
        return count > 0 and self._reach[count - 1] > start
