"""Split runs of person names written without separators (名单).

Lists of officials are often printed as names one after another, with
spaces that are lost on the way to plain text: 李鹏乔石李瑞环彭真朱镕基…
The character model reads such a run as a few long persons or cuts it in the
wrong places, because the words around each name are more names.

Where the model's persons come glued together (a run of at least
``MIN_NAMES`` persons, at least half of them touching or parted only by a
note such as （女）), the whole run, notes aside, is split again into the
most likely sequence of names under :class:`~kg.nlp.ner.name_parts.NamePool`
(dynamic programming over every cut). Persons parted by 、 or ， never form
a run, so ordinary text is left as the model tagged it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from kg.nlp.ner.name_parts import MAX_NAME, NamePool

MIN_NAMES = 4
# A note after a name in a list: （女）, （满族）.
_NOTE = re.compile(r"（[^（）]{1,6}）")
# What else may sit between two persons of a run: a name the model missed, perhaps with its note.
_MISSED = re.compile(r"(?:（[^（）]{1,6}）)?([\u4e00-\u9fff·]{1,4})(?:（[^（）]{1,6}）)?")

Span = tuple[int, int, str]


def best_names(text: str, pool: NamePool) -> list[tuple[int, int]] | None:
    """The most likely split of ``text`` into names, as offsets; None if it has none."""
    best = [0.0] + [-math.inf] * len(text)
    back = [0] * (len(text) + 1)
    for end in range(2, len(text) + 1):
        for start in range(max(0, end - MAX_NAME), end - 1):
            if best[start] == -math.inf:
                continue
            score = best[start] + pool.log_prob(text[start:end])
            if score > best[end]:
                best[end], back[end] = score, start
    if best[-1] == -math.inf:
        return None
    names, end = [], len(text)
    while end:
        names.append((back[end], end))
        end = back[end]
    return names[::-1]


def split_name_lists(text: str, entities: Sequence[Span], pool: NamePool) -> list[Span]:
    """``entities`` with every glued run of persons in ``text`` split again into names."""
    result = list(entities)
    for start, end in _glued_runs(text, sorted((s, e) for s, e, label in entities if label == "PER"), pool):
        names: list[Span] = []
        for piece_start, piece_end in _pieces(text, start, end):
            if piece_end - piece_start < 2:  # a lone character between notes is no name
                continue
            split = best_names(text[piece_start:piece_end], pool)
            if split is None:
                break
            names.extend((piece_start + s, piece_start + e, "PER") for s, e in split)
        else:
            result = [span for span in result if span[1] <= start or span[0] >= end] + names
    return sorted(result)


def _glued_runs(text: str, persons: list[tuple[int, int]], pool: NamePool) -> list[tuple[int, int]]:
    """Character ranges of the runs of persons that read as a list without separators.

    Two persons of a run touch, or are parted by a note, or by what may be a
    name the model missed (characters all seen in names): 等 ends a run.
    """
    runs: list[tuple[int, int]] = []
    first = 0
    glued = 0
    for i in range(1, len(persons) + 1):
        if i < len(persons):
            gap = text[persons[i - 1][1]:persons[i][0]]
            touching = gap == "" or _NOTE.fullmatch(gap) is not None
            missed = _MISSED.fullmatch(gap)
            if touching or (missed and pool.all_in_names(missed.group(1))):
                glued += touching
                continue
        count = i - first
        if count >= MIN_NAMES and glued >= (count - 1) / 2:
            runs.append((persons[first][0], persons[i - 1][1]))
        first, glued = i, 0
    return runs


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``start``..``end`` cut at the notes, the notes left out."""
    pieces, at = [], start
    for note in _NOTE.finditer(text, start, end):
        if note.start() > at:
            pieces.append((at, note.start()))
        at = note.end()
    if end > at:
        pieces.append((at, end))
    return pieces
