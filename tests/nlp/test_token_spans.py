"""Splitting tokens for spans rebuilds the Doc once and keeps what components put on it."""

from __future__ import annotations

import pytest
from spacy.lang.zh import Chinese
from spacy.tokens import Doc, Span

from kg.nlp import token_spans as token_spans_module
from kg.nlp.token_spans import segmenter_words, split_tokens_at, token_spans

WORDS = ["外交部长王毅", "昨天", "抵达", "。", "他", "会见", "了", "刘鹤", "。"]


@pytest.fixture(params=["in place", "rebuilt"])
def doc(request, monkeypatch) -> Doc:
    """The same Doc, cut by spaCy's retokenizer (a few cuts) or rebuilt (many): both keep the same things."""
    if request.param == "rebuilt":
        monkeypatch.setattr(token_spans_module, "MAX_CUTS_IN_PLACE", 0)
    nlp = Chinese()
    doc = Doc(nlp.vocab, words=WORDS, spaces=[False] * len(WORDS),
              sent_starts=[True, False, False, False, True, False, False, False, False])
    return doc


def test_nothing_to_cut_gives_the_same_doc(doc):
    assert split_tokens_at(doc, [0, 6, 8]) is doc


def test_a_cut_keeps_text_sentences_and_word_memory(doc):
    split = split_tokens_at(doc, [4, 16])  # inside 外交部长王毅 and inside 刘鹤
    assert split.text == doc.text
    assert [t.text for t in split][:3] == ["外交部长", "王毅", "昨天"]
    assert [t.text for t in split][-3:] == ["刘", "鹤", "。"]
    assert [s.text for s in split.sents] == ["外交部长王毅昨天抵达。", "他会见了刘鹤。"]
    # The segmenter's words are remembered as they were before any cut.
    assert segmenter_words(split)[0] == (0, 6)


def test_a_cut_keeps_entities_span_groups_and_extension_values(doc):
    if not Span.has_extension("test_note"):
        Span.set_extension("test_note", default=None)
    if not Doc.has_extension("test_tag"):
        Doc.set_extension("test_tag", default=None)
    doc.ents = [doc.char_span(6, 8, label="DATE")]
    group = doc.char_span(0, 6, label="POST")
    doc.spans["posts"] = [group]
    group._.test_note = "kept"
    doc._.test_tag = "doc value"
    split, spans = token_spans(doc, [(4, 6, "PERSON")])
    assert [(s.text, s.label_) for s in spans] == [("王毅", "PERSON")]
    assert [(e.text, e.label_) for e in split.ents] == [("昨天", "DATE")]
    assert [(s.text, s.label_, s._.test_note) for s in split.spans["posts"]] == [("外交部长王毅", "POST", "kept")]
    assert split._.test_tag == "doc value"


def test_a_piece_keeps_its_tokens_tag(doc):
    for token in doc:
        token.tag_ = "NR" if token.text == "刘鹤" else "X"
    split = split_tokens_at(doc, [16])
    assert [(t.text, t.tag_) for t in split][-3:] == [("刘", "NR"), ("鹤", "NR"), ("。", "X")]


def test_many_cuts_in_a_long_doc_land_where_asked():
    """Thousands of cuts made in one rebuild (the in-place retokenizer was quadratic on long texts)."""
    nlp = Chinese()
    words = ["王毅会见刘鹤"] * 5000
    doc = Doc(nlp.vocab, words=words, spaces=[False] * len(words))
    split = split_tokens_at(doc, [i * 6 + cut for i in range(5000) for cut in (2, 4)])
    assert len(split) == 15000 and split.text == doc.text
    assert {t.text for t in split} == {"王毅", "会见", "刘鹤"}
