"""What the person names of a corpus are made of, counted once and used twice.

``NamePool`` counts, over the PER names of MSRA's training sentences, the
surnames, the given-name characters and their lengths, and the characters of
names without a known surname (transliterated and minority names). It

* makes up new names shaped like real ones, for training (:mod:`kg.nlp.ner.train.name_swap`);
* scores how name-like a string is, to split runs of names written without
  separators (:mod:`kg.nlp.ner.name_lists`).

The counts are saved as ``name_parts.json`` beside the trained model.
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from kg.nlp.grammar import is_han

# A name's separator in transliterated and minority names (帕巴拉·格列朗).
NAME_DOT = "·"
# Longest name the scorer considers, in characters (阿沛·阿旺晋美 has 7).
MAX_NAME = 10
# Add-k smoothing of character counts, and the number of characters it spreads over.
_SMOOTHING = 0.1
_ALPHABET = 8000


def _is_name_text(name: str) -> bool:
    return all(is_han(c) or c == NAME_DOT for c in name)


@dataclass
class _Weighted:
    """Items drawn in proportion to how often they were seen."""

    counts: Counter
    _items: list[str] = field(default_factory=list)
    _weights: list[int] = field(default_factory=list)

    def draw(self, rng: random.Random) -> str:
        if len(self._items) != len(self.counts):
            self._items = list(self.counts)
            self._weights = [self.counts[item] for item in self._items]
        return rng.choices(self._items, self._weights)[0]


@dataclass
class NamePool:
    """Counts of name parts: surnames, given-name characters and lengths, other names' characters."""

    surnames: frozenset[str]
    family: Counter = field(default_factory=Counter)
    given: Counter = field(default_factory=Counter)
    given_lengths: Counter = field(default_factory=Counter)
    foreign: Counter = field(default_factory=Counter)
    foreign_lengths: Counter = field(default_factory=Counter)
    _drawers: dict[str, _Weighted] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_names(cls, names: Iterable[str], surnames: Iterable[str]) -> NamePool:
        """Count the parts of person names (strings) of a training corpus."""
        pool = cls(frozenset(surnames))
        for name in names:
            split = pool.split_chinese(name)
            if split:
                family, given = split
                pool.family[family] += 1
                pool.given.update(given)
                pool.given_lengths[len(given)] += 1
            elif _is_name_text(name):
                pool.foreign.update(name)
                pool.foreign_lengths[len(name)] += 1
        return pool

    # --- reading and writing -------------------------------------------------------

    def to_json(self, path: Path) -> None:
        """Save the counts (the surname list is kg's lexicon, saved with them)."""
        data = {"surnames": sorted(self.surnames), "family": self.family, "given": self.given,
                "given_lengths": {str(k): v for k, v in self.given_lengths.items()},
                "foreign": self.foreign,
                "foreign_lengths": {str(k): v for k, v in self.foreign_lengths.items()}}
        path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")

    @classmethod
    def from_json(cls, path: Path) -> NamePool:
        """Counts saved by :meth:`to_json`."""
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(frozenset(data["surnames"]), Counter(data["family"]), Counter(data["given"]),
                   Counter({int(k): v for k, v in data["given_lengths"].items()}), Counter(data["foreign"]),
                   Counter({int(k): v for k, v in data["foreign_lengths"].items()}))

    # --- Chinese names ------------------------------------------------------------

    def split_chinese(self, name: str) -> tuple[str, str] | None:
        """``(surname, given name)`` for a Chinese name of two to four characters, else None."""
        if not 2 <= len(name) <= 4 or not all(is_han(c) for c in name):
            return None
        for size in (2, 1):  # compound surnames (欧阳) first
            given = name[size:]
            if name[:size] in self.surnames and 1 <= len(given) <= 2:
                return name[:size], given
        return None

    @cached_property
    def _name_chars(self) -> frozenset[str]:
        return frozenset(self.given) | frozenset(self.foreign) | {c for family in self.family for c in family}

    def looks_foreign(self, name: str, min_count: int = 2) -> bool:
        """Whether every character of ``name`` is one transliterated names use (seen ``min_count`` times or
        more in the counted foreign names): 普京, 泽连斯基 are; 重要, 省委, 发展了 are not."""
        return all(self.foreign.get(c, 0) >= min_count or c == NAME_DOT for c in name)

    def all_seen_in_names(self, name: str) -> bool:
        """Whether every character of ``name`` occurs in some counted name (surname, given or foreign)."""
        return all(self.family.get(c) or self.given.get(c) or self.foreign.get(c) or c == NAME_DOT for c in name)

    def all_in_names(self, text: str) -> bool:
        """Whether every character of ``text`` is seen in some counted name."""
        return all(c in self._name_chars for c in text)

    # --- making up names ----------------------------------------------------------

    def new_name(self, name: str, rng: random.Random) -> str | None:
        """A made-up name shaped like ``name`` (same length), or None to keep it."""
        split = self.split_chinese(name)
        if split and self.family and self.given:
            family, given = split
            for _ in range(10):  # a surname of the same length keeps the total
                drawn = self._draw("family", rng)
                if len(drawn) == len(family):
                    return drawn + "".join(self._draw("given", rng) for _ in given)
            return None
        if len(name) >= 2 and self.foreign and _is_name_text(name):
            return "".join(c if c == NAME_DOT else self._draw("foreign", rng) for c in name)
        return None

    def _draw(self, part: str, rng: random.Random) -> str:
        """One surname (``family``), given-name or ``foreign`` character, as often as counted."""
        if part not in self._drawers:
            counts = Counter(getattr(self, part))
            counts.pop(NAME_DOT, None)
            self._drawers[part] = _Weighted(counts)
        return self._drawers[part].draw(rng)

    # --- scoring ------------------------------------------------------------------

    def log_prob(self, name: str) -> float:
        """How likely ``name`` is as one person's name (log, comparable across lengths).

        A name is Chinese (a counted surname, then one or two given-name
        characters) or other (two to ``MAX_NAME`` characters, at most one
        ``·`` and not at an end), each in proportion to how often the corpus
        has it; characters are scored one by one. ``-inf`` for neither.
        """
        chinese_total, other_total, family_total, given_total, foreign_total = self._totals
        names = chinese_total + other_total
        best = -math.inf
        if not names:
            return best
        if chinese_total and NAME_DOT not in name:
            for size in (1, 2):
                family, given = name[:size], name[size:]
                if self.family[family] and self.given_lengths[len(given)]:
                    score = (math.log(chinese_total / names) + math.log(self.family[family] / family_total)
                             + math.log(self.given_lengths[len(given)] / chinese_total)
                             + sum(_char_log_prob(c, self.given, given_total) for c in given))
                    best = max(best, score)
        if (other_total and 2 <= len(name) <= MAX_NAME and name.count(NAME_DOT) <= 1
                and name[0] != NAME_DOT and name[-1] != NAME_DOT):
            length_share = (self.foreign_lengths[len(name)] + 0.5) / other_total
            score = (math.log(other_total / names) + math.log(length_share)
                     + sum(_char_log_prob(c, self.foreign, foreign_total) for c in name))
            best = max(best, score)
        return best

    @cached_property
    def _totals(self) -> tuple[int, int, int, int, int]:
        """Chinese names, other names, surnames, given-name and other-name characters counted
        (the counts are complete before the first score)."""
        return (sum(self.given_lengths.values()), sum(self.foreign_lengths.values()), sum(self.family.values()),
                sum(self.given.values()), sum(self.foreign.values()))


def _char_log_prob(char: str, counts: Counter, total: int) -> float:
    return math.log((counts[char] + _SMOOTHING) / (total + _SMOOTHING * _ALPHABET))
