"""Swap the person names of training sentences for names pkuseg has never seen.

Why: pkuseg's default model has learnt the MSRA training text. It segments
91.6% of the persons in ``train.bio`` as exactly one word, but only 69.5% of
those in ``test.bio``; on unseen names it cuts 刘仲藜 into 刘 / 仲藜 or joins
葛洪升 to the next name. A model trained on the memorized segmentation learns
"a person is one pkuseg word" and truncates unseen names at test time.

Replacing a share of the training names with new ones of the same length,
built from the corpus's own surnames and given-name characters, makes pkuseg
meet unseen names in training too. Offsets do not move (same length), so the
gold spans stay as they are. Dev and test sentences are never touched.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from kg.nlp.ner.name_parts import NamePool


def swap_names(text: str, entities: Sequence[tuple[int, int, str]], pool: NamePool,
               rng: random.Random, label: str = "PER") -> str:
    """``text`` with every ``label`` entity replaced by a made-up name of the same length.

    The same name is replaced the same way throughout the sentence, so a
    name said twice stays one person.
    """
    replacements: dict[str, str | None] = {}
    pieces: list[str] = []
    at = 0
    for start, end, kind in sorted(entities):
        if kind != label or start < at:
            continue
        name = text[start:end]
        if name not in replacements:
            replacements[name] = pool.new_name(name, rng)
        new = replacements[name]
        if new is None or len(new) != len(name):
            continue
        pieces.append(text[at:start])
        pieces.append(new)
        at = end
    pieces.append(text[at:])
    return "".join(pieces)
