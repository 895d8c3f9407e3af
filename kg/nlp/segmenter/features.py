"""pkuseg's character features, looked up without building feature strings.

spacy-pkuseg spends about 85% of its segmentation time making features: for
each character it builds some 70 strings such as ``"ww.l.中国*人民"`` and
looks each up in a 2.6-million-entry dict. :class:`FeatureTemplates` holds
the same features split by template and keyed by their parts (a character,
a pair of characters, a word or a pair of words), so a lookup reuses strings
already made for the text and hashed once. :meth:`FeatureTemplates.features`
lists each character's indices in the order spacy-pkuseg does, and
:class:`kg.nlp.segmenter.fast.FastPkuseg` feeds them to spacy-pkuseg's own
Viterbi decoder: the words are the same (tests/nlp/test_tokenizer.py checks
this on news text) and the features come about 2.5 times as fast.

The templates (spacy-pkuseg 1.0's ``feature_extractor.pyx``, with its
default settings: words of 2 to 6 characters, digits and latin letters
normalized), for the character at ``i`` of the normalized text:

* ``c.``, ``c-1.``, ``c1.``, ``c-2.``, ``c2.``: the character at i, i-1, i+1, i-2, i+2;
* ``c-1c.``, ``cc1.``, ``c-2c-1.``: the pairs (i-1, i), (i, i+1), (i-2, i-1);
* ``w-1.``, ``w1.``: a dictionary word of length 6..2 ending or starting at i;
* ``ww.l.``, ``ww.r.``: a word ending just before i with one starting at i,
  and a word ending at i with one starting just after it.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise

from spacy_pkuseg.feature_extractor import FeatureExtractor

NO_WORD = "**noWord"  # pkuseg's filler where a slice is not a dictionary word
_CHAR_TEMPLATES = ("c.", "c-1.", "c1.", "c-2.", "c2.")
_PAIR_TEMPLATES = ("c-1c.", "cc1.", "c-2c-1.")
_WORD_TEMPLATES = ("w-1.", "w1.")
_WORD_PAIR_TEMPLATES = ("ww.l.", "ww.r.")
# spacy-pkuseg's own normalization tables: its renamed separators, and the characters read as a
# number or a letter. Taken from its extractor, so both always normalize alike.
_KEYWORDS = FeatureExtractor.keywords_translate_table
_CHAR_NAMES = {c: "**Num" for c in FeatureExtractor.num} | {c: "**Letter" for c in FeatureExtractor.letter}


class FeatureTemplates:
    """pkuseg's feature index split by template, for :class:`kg.nlp.segmenter.fast.FastPkuseg`."""

    def __init__(self, feature_to_idx: Mapping[str, int], unigram: set[str], word_min: int = 2,
                 word_max: int = 6, normalize: bool = True, word_features: bool = True):
        self.unigram = unigram
        self.lengths = tuple(range(word_max, word_min - 1, -1))  # pkuseg lists the longest first
        self.normalize = normalize
        self.word_features = word_features
        self.start = feature_to_idx["$$"]
        chars: dict[str, dict[str, int]] = {name: {} for name in _CHAR_TEMPLATES}
        pairs: dict[str, dict[str, dict[str, int]]] = {name: {} for name in _PAIR_TEMPLATES}
        words: dict[str, dict[str, int]] = {name: {} for name in _WORD_TEMPLATES}
        word_pairs: dict[str, dict[str, dict[str, int]]] = {name: {} for name in _WORD_PAIR_TEMPLATES}
        for feature, index in feature_to_idx.items():
            template, _, rest = feature.partition(".")
            template += "."
            if template == "ww.":
                template, rest = feature[:5], feature[5:]
                first, second = _split_word_pair(rest)
                word_pairs[template].setdefault(first, {})[second] = index
            elif template in pairs:
                first, _, second = rest.partition(".")
                pairs[template].setdefault(first, {})[second] = index
            elif template in chars:
                chars[template][rest] = index
            elif template in words:
                words[template][rest] = index
        self.c0, self.c_1, self.c1, self.c_2, self.c2 = (chars[name] for name in _CHAR_TEMPLATES)
        self.c_1c0, self.c0c1, self.c_2c_1 = (pairs[name] for name in _PAIR_TEMPLATES)
        for table in words.values():  # pkuseg never looks up a slice that is not a word
            table.pop(NO_WORD, None)
        self.w_1, self.w1 = (words[name] for name in _WORD_TEMPLATES)
        self.ww_l, self.ww_r = (word_pairs[name] for name in _WORD_PAIR_TEMPLATES)

    def nodes(self, text: str) -> list[str]:
        """The normalized characters pkuseg computes features on."""
        text = text.translate(_KEYWORDS)
        if not self.normalize:
            return list(text)
        names = _CHAR_NAMES
        return [names.get(c, c) for c in text]

    def features(self, text: str) -> list[list[int]]:
        """The feature indices of every character of ``text``, as pkuseg lists them.

        Each template is looked up along the whole text first (a list per
        template, ``None`` where the feature is unknown); then each
        character's list is put together in pkuseg's order.
        """
        nodes = self.nodes(text)
        n = len(nodes)
        if not n:
            return []
        pairs = list(pairwise(nodes))
        none1, none2 = [None], [None, None]
        columns = [
            list(map(self.c0.get, nodes)),
            none1 + list(map(self.c_1.get, nodes[:-1])),
            none1 + [self.c_1c0.get(a, _EMPTY).get(b) for a, b in pairs],
            list(map(self.c1.get, nodes[1:])) + none1,
            [self.c0c1.get(a, _EMPTY).get(b) for a, b in pairs] + none1,
            (none2 + list(map(self.c_2.get, nodes[:-2])))[:n],
            (none2 + [self.c_2c_1.get(a, _EMPTY).get(b) for a, b in pairs[:-1]])[:n],
            list(map(self.c2.get, nodes[2:])) + none2[:min(2, n)],
        ]
        columns.insert(0, [self.start] * n)
        if not self.word_features:
            return [[x for x in row if x is not None] for row in zip(*columns)]
        starts, ends = self._words(nodes)
        # words never meet NO_WORD: pkuseg looks a slice up only when it is a word
        columns += [list(map(self.w_1.get, column)) for column in zip(*ends[:n])]
        columns += [list(map(self.w1.get, column)) for column in zip(*starts[:n])]
        out = [[x for x in row if x is not None] for row in zip(*columns)]
        ww_l, ww_r = self.ww_l, self.ww_r
        # the word pairs, only where a word that has some pair ends before or at i
        paired = {i + 1 for column in zip(*ends) for i, word in enumerate(column) if word in ww_l}
        paired.update(i for column in zip(*ends[:n]) for i, word in enumerate(column) if word in ww_r)
        paired.discard(n)
        for i in sorted(paired):
            found = out[i]
            for word in ends[i - 1]:  # words ending just before i (ends[-1]: none, at i = 0)
                seconds = ww_l.get(word)
                if seconds is not None:
                    for second in starts[i]:
                        index = seconds.get(second)
                        if index is not None:
                            found.append(index)
            for word in ends[i]:
                seconds = ww_r.get(word)
                if seconds is not None:
                    for second in starts[i + 1]:
                        index = seconds.get(second)
                        if index is not None:
                            found.append(index)
        return out

    def _words(self, nodes: list[str]) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
        """The words starting at and ending at each position, longest first, as pkuseg's word features see them.

        ``starts[i]`` holds the slices of each length from ``i``, ``ends[i]``
        those up to ``i``; ``starts[n]`` and ``ends[-1]`` (the last entry)
        stand for positions off the text. A slice running off either end is
        ``""`` (pkuseg's unigram set holds ``""``); a slice that is not a
        dictionary word is ``NO_WORD``.
        """
        n = len(nodes)
        unigram = self.unigram
        edge = "" if "" in unigram else NO_WORD
        text = "".join(nodes)  # a node may be several characters (**Num): slice by node offsets
        offsets = [0]
        for node in nodes:
            offsets.append(offsets[-1] + len(node))
        by_start, by_end = [], []
        for size in self.lengths:
            words = [piece if (piece := text[offsets[i]:offsets[i + size]]) in unigram else NO_WORD
                     for i in range(n - size + 1)]
            by_start.append(words + [edge] * min(size - 1, n))
            by_end.append([edge] * min(size - 1, n) + words)
        starts = list(zip(*by_start))
        starts.append((edge,) * len(self.lengths))
        ends = list(zip(*by_end))
        ends.append((edge,) * len(self.lengths))
        return starts, ends


_EMPTY: dict[str, int] = {}


def _split_word_pair(rest: str) -> tuple[str, str]:
    """``"中国*人民"`` -> ``("中国", "人民")``; either side may be ``""`` or ``NO_WORD``."""
    if rest.startswith(NO_WORD + "*"):
        return NO_WORD, rest[len(NO_WORD) + 1:]
    first, _, second = rest.partition("*")
    return first, second
