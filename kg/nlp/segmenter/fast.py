"""spacy-pkuseg's segmenter with its two slow Python steps done faster.

:class:`FastPkuseg` is ``spacy_pkuseg.pkuseg`` with ``_cut`` replaced; the
words it returns are the same. ``_cut`` is where spacy-pkuseg makes each
character's features, decodes the tags and merges dictionary words:

* the features come from :class:`kg.nlp.segmenter.features.FeatureTemplates`;
* the tags from spacy-pkuseg's own Viterbi decoder, unchanged;
* the dictionary merge (spacy-pkuseg's ``Postprocesser``) runs on word
  boundaries over the piece's text: a window of words is a slice, not a
  join of a list slice, and merging words deletes boundaries.

The merge happens inside ``_cut``, so the instance's own ``postprocesser``
is switched off. Memory: about 850 bytes per character of a piece with no
whitespace while it is cut (spacy-pkuseg's own: about 360), so the longest
article kg accepts (1,000,000 characters) briefly needs about 850 MB.
"""

from __future__ import annotations

from itertools import pairwise

from spacy_pkuseg import pkuseg
from spacy_pkuseg.inference import decodeViterbi_fast

from kg.nlp.segmenter.features import FeatureTemplates

#: spacy-pkuseg merges runs of 7 down to 2 words that together form a dictionary word
MERGE_SIZES = range(7, 1, -1)


class _NoPostprocess:
    """Stands in for spacy-pkuseg's ``Postprocesser`` once ``_cut`` has merged."""

    def __call__(self, words: list[str]) -> list[str]:
        return words


class FastPkuseg(pkuseg):
    """``spacy_pkuseg.pkuseg`` whose ``_cut`` uses :class:`FeatureTemplates` and a boundary merge."""

    templates: FeatureTemplates

    def use_templates(self, templates: FeatureTemplates) -> None:
        """Segment with ``templates`` from now on (set once, after ``pkuseg.__init__``)."""
        self.templates = templates
        self.begins = frozenset(index for tag, index in self.feature_extractor.tag_to_idx.items() if "B" in tag)
        merger = self.postprocesser
        self.merge = merger.do_process
        self.common_words: set[str] = merger.common_words if self.merge else set()
        self.other_words: set[str] = merger.other_words if self.merge else set()
        self.dictionary_words = self.common_words | self.other_words
        self.postprocesser = _NoPostprocess()

    def _cut(self, text: str) -> list[str]:
        if not text:
            return []
        _, tags = decodeViterbi_fast(self.templates.features(text), self.model)
        begins = self.begins
        bounds = [0, *(i for i, tag in enumerate(tags) if i and tag in begins), len(text)]
        if self.merge:
            self._merge_words(text, bounds)
        return [text[start:end] for start, end in pairwise(bounds)]

    def _merge_words(self, text: str, bounds: list[int]) -> None:
        """spacy-pkuseg's dictionary merge, on the word boundaries ``bounds`` (changed in place).

        For each window size, left to right, a window whose text is a common
        word is merged; one that is another dictionary word is merged unless
        each of its words is itself in a dictionary. Windows that are no
        dictionary word at all (nearly all) are skipped in one generator
        pass; the rules apply from the first one that is.
        """
        common, words = self.common_words, self.dictionary_words
        for size in MERGE_SIZES:
            i = 0
            while True:
                i = next((k for k in range(i, len(bounds) - size) if text[bounds[k]:bounds[k + size]] in words), -1)
                if i < 0:
                    break
                if text[bounds[i]:bounds[i + size]] in common or not all(
                        text[bounds[k]:bounds[k + 1]] in words for k in range(i, i + size)):
                    del bounds[i + 1:i + size]
                i += 1
