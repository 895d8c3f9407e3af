"""Character offsets to token Spans: how the kg components hand their findings on.

pkuseg often splits names (刘|鹤, 李|忠发) and sometimes glues words across
an entity's edge (做|大中|美), while the kg rules work on characters. A
component that finds persons, posts or events splits the tokens its
findings' edges fall inside (:func:`split_tokens_at`) and publishes them as
Spans (:func:`set_spans`), so the next component, or another spaCy user's,
reads ``doc.ents`` and ``doc.spans[...]`` as usual.

The rules that read word boundaries as evidence (a body's name ends at a
word edge) read the words as the segmenter made them (:func:`segmenter_words`),
so a split made for a Span never changes what they find.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable
from itertools import pairwise

from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.tokens import Doc, Span

_WORDS_KEY = ("kg", "segmenter_words")


def remember_words(doc: Doc) -> None:
    """Keep the word edges of ``doc`` as they are now (before any component splits a token)."""
    if _WORDS_KEY not in doc.user_data:
        bounds = doc.to_array([IDX, LENGTH]).tolist()  # arrays: far cheaper than a Token object per word
        doc.user_data[_WORDS_KEY] = [(start, start + length) for start, length in bounds]


def segmenter_words(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of the words as the segmenter made them."""
    remember_words(doc)
    return doc.user_data[_WORDS_KEY]


def split_tokens_at(doc: Doc, offsets: Iterable[int]) -> None:
    """Split every token that a character offset in ``offsets`` falls strictly inside."""
    offsets = set(offsets)
    if not offsets or not len(doc):
        return
    remember_words(doc)
    starts = doc.to_array([IDX]).tolist()
    inside: dict[int, list[int]] = {}
    for offset in sorted(offsets):
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and starts[i] < offset < starts[i] + len(doc[i].text):
            inside.setdefault(i, []).append(offset - starts[i])
    if not inside:
        return
    # The retokenizer keeps doc.ents right but not the span groups' token indices: keep their characters.
    groups = {key: [(span.start_char, span.end_char, span.label_) for span in group] for key, group in doc.spans.items()}
    with doc.retokenize() as retokenizer:
        for i, cuts in inside.items():
            token = doc[i]
            bounds = [0, *cuts, len(token.text)]
            pieces = [token.text[a:b] for a, b in pairwise(bounds)]
            retokenizer.split(token, pieces, heads=[(token, 0)] * len(pieces))
    # A sentence still starts where it started: a piece after a cut opens none. Set through the array in
    # one pass (Token.is_sent_start walks the whole Doc on each assignment: quadratic on a long text).
    new_starts = doc.to_array([IDX]).tolist()
    flags = doc.to_array([SENT_START])
    not_start = flags.dtype.type(-1 % (1 << 64))  # -1 (no sentence start) as the unsigned array holds it
    for offset in sorted(starts[i] + cut for i, cuts in inside.items() for cut in cuts):
        flags[bisect.bisect_left(new_starts, offset)] = not_start
    doc.from_array([SENT_START], flags)
    for key, items in groups.items():
        doc.spans[key] = [doc.char_span(start, end, label=label, alignment_mode="expand") for start, end, label in items]


def token_spans(doc: Doc, items: list[tuple[int, int, str]]) -> list[Span]:
    """Spans for ``(start_char, end_char, label)`` items, splitting tokens so each edge is a token edge."""
    split_tokens_at(doc, (offset for start, end, _ in items for offset in (start, end)))
    # After the split every edge is a token edge; "expand" only matters for an edge in dropped whitespace.
    return [doc.char_span(start, end, label=label, alignment_mode="expand") for start, end, label in items]


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
