"""Character documents: the input the NER model reads.

Each character becomes one token. Four features tell the model about its
surroundings, the pkuseg segmentation the rest of the pipeline uses, and what
kg's lexicons know:

* ``NORM``: the character and the one after it (a bigram);
* ``LEMMA``: the whole pkuseg word the character belongs to;
* ``TAG``: the character's place in that word (B, M, E, or S for a
  single-character word) with the word's length, capped at 4;
* ``MORPH``: ``Lex=<kind><B|I>`` inside a lexicon match (a country, body,
  title, place, agency), else ``Lex=Gaz<B|I>`` inside a name of
  ``gazetteer_places.txt`` (countries, China's divisions), else
  ``Lex=Surname`` where a surname from ``surnames.txt`` starts, else
  ``Lex=O``. Gazetteer features: the model learns how far to trust them.

Training data and live text go through the same function, so the model
always sees the features it was trained on.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy
from spacy.attrs import LEMMA, MORPH, NORM, TAG
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.nlp.lexicon import Lexicon

FEATURE_ATTRS = [NORM, LEMMA, TAG, MORPH]
# Long runs of spaces or newlines carry no more information than one.
_SPACE_WORD = " "


def position_tag(index: int, length: int) -> str:
    """The tag of the ``index``-th character in a word of ``length`` characters."""
    if length == 1:
        return "S"
    size = str(min(length, 4))
    if index == 0:
        return "B" + size
    if index == length - 1:
        return "E" + size
    return "M" + size


def lexicon_features(text: str, lexicon: Lexicon) -> list[str]:
    """The ``Lex=`` morph value of every character of ``text``."""
    surnames = set(lexicon.surnames)  # one or two characters each
    values = ["Lex=Surname" if text[i] in surnames or text[i : i + 2] in surnames else "Lex=O"
              for i in range(len(text))]
    for start, end in lexicon.gazetteer_matches(text):
        values[start] = "Lex=GazB"
        for i in range(start + 1, end):
            values[i] = "Lex=GazI"
    for unit in lexicon.scan(text):
        kind = unit.kind.title().replace("_", "")
        values[unit.start] = f"Lex={kind}B"
        for i in range(unit.start + 1, unit.end):
            values[i] = f"Lex={kind}I"
    return values


def char_doc(vocab: Vocab, words: Sequence[str], lexicon: Lexicon, store_strings: bool = False) -> Doc:
    """A Doc with one token per character of ``words``, features set.

    ``"".join(words)`` is the Doc's text, character for character, so offsets
    carry over unchanged between the word Doc and the character Doc.
    Features are string hashes; the strings themselves are only stored in
    ``vocab`` when ``store_strings`` is set (for training files), so that a
    long build does not grow the vocabulary with every bigram it meets.
    """
    chars: list[str] = []
    tags: list[str] = []
    lemmas: list[str] = []
    for word in words:
        lemma = word if word.strip() else _SPACE_WORD
        for index, char in enumerate(word):
            chars.append(char)
            tags.append(position_tag(index, len(word)))
            lemmas.append(lemma)
    doc = Doc(vocab, words=chars, spaces=[False] * len(chars))
    if not chars:
        return doc
    text = "".join(chars)
    key = vocab.strings.add if store_strings else get_string_id
    morphs = [vocab.morphology.add(value) for value in lexicon_features(text, lexicon)]
    features = numpy.empty((len(chars), 4), dtype="uint64")
    for i in range(len(chars)):
        features[i, 0] = key(text[i : i + 2])
        features[i, 1] = key(lemmas[i])
        features[i, 2] = key(tags[i])
        features[i, 3] = morphs[i]
    doc.from_array(FEATURE_ATTRS, features)
    return doc


def copy_features(vocab: Vocab, reference: Doc) -> Doc:
    """A fresh Doc with ``reference``'s characters and features but no entities."""
    # One token per character (char_doc), so the text lists the tokens; this is
    # much quicker than iterating the Doc, over the whole corpus at each load.
    doc = Doc(vocab, words=list(reference.text), spaces=[False] * len(reference))
    if len(reference):
        doc.from_array(FEATURE_ATTRS, reference.to_array(FEATURE_ATTRS))
    return doc
