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

    The Doc is rebuilt once rather than split in place: spaCy's retokenizer moves the whole token array on
    every split, so a long article with thousands of cuts cost time growing with the square of its length
    (issue 16). The new Doc keeps the text, sentence starts, entities, span groups (as characters),
    ``user_data`` (extension values are keyed by characters) and per-token tags; a piece of a split token
    keeps its token's tag and vector row, and only the first piece can open a sentence. A caller uses the
    returned Doc (a pipeline component returns it); ``doc`` itself is returned when nothing needs a cut.
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
    return _rebuilt(doc, bounds, cuts)


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
