"""The NER gazetteer: person, place and organization names from jieba's dictionary (data/ner/gazetteer.tsv).

The model sees a match as a feature (kg/ner/chars.py), so a noisy list costs
little: training teaches it how far each kind of match is to be trusted.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GAZETTEER = Path(__file__).resolve().parents[2] / "data" / "ner" / "gazetteer.tsv"


@dataclass(frozen=True)
class Gazetteer:
    """Names by surface form, with what it takes to scan text fast."""

    names: dict[str, str]
    starts: frozenset[str]  # the first two characters of every name
    longest: int

    def matches(self, text: str) -> list[tuple[int, int, str]]:
        """Longest matches from left to right: (start, end, label), none overlapping."""
        found, i, n = [], 0, len(text)
        while i < n - 1:
            if text[i : i + 2] in self.starts:
                for end in range(min(n, i + self.longest), i + 1, -1):
                    label = self.names.get(text[i:end])
                    if label:
                        found.append((i, end, label))
                        i = end
                        break
                else:
                    i += 1
            else:
                i += 1
        return found


@lru_cache(maxsize=2)
def load_gazetteer(path: Path = GAZETTEER) -> Gazetteer:
    """Read the gazetteer once per process."""
    names: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, label = line.split("\t")
            names[word] = label
    return Gazetteer(names, frozenset(w[:2] for w in names), max(map(len, names), default=2))
