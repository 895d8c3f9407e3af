"""MSRA conversion: BIO reading, character Docs, and the pkuseg alignment report."""

from __future__ import annotations

import pytest
from spacy.vocab import Vocab

from kg.lexicon import load_lexicon
from kg.ner.chars import char_doc, copy_features, position_tag
from kg.ner.corpus import AlignmentReport, CorpusError, bio_spans, convert, main, read_bio


def test_bio_spans_close_on_o_b_and_label_change():
    tags = ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC", "I-ORG", "O", "I-PER"]
    assert bio_spans(tags) == [(0, 2, "PER"), (3, 4, "LOC"), (4, 6, "LOC"), (6, 7, "ORG"), (8, 9, "PER")]


def test_read_bio_names_the_bad_line(tmp_path):
    path = tmp_path / "bad.bio"
    path.write_text("中\tB-LOC\n国\tI-LOC\n\n好 O\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad.bio:4"):
        list(read_bio(path))


def test_position_tags_carry_place_and_length():
    assert [position_tag(i, 3) for i in range(3)] == ["B3", "M3", "E3"]
    assert position_tag(0, 1) == "S"
    assert position_tag(5, 9) == "M4"


def test_char_doc_keeps_text_and_word_features():
    doc = char_doc(Vocab(), ["中美", "两国", " ", "元首"], load_lexicon(), store_strings=True)
    assert doc.text == "中美两国 元首"
    assert len(doc) == len(doc.text)
    assert [t.lemma_ for t in doc[:2]] == ["中美", "中美"]
    assert [t.tag_ for t in doc[:2]] == ["B2", "E2"]
    assert doc[0].norm_ == "中美" and doc[-1].norm_ == "首"
    copy = copy_features(doc.vocab, doc)
    assert [t.lemma_ for t in copy] == [t.lemma_ for t in doc] and not copy.ents


def test_live_char_docs_do_not_grow_the_vocabulary():
    vocab = Vocab()
    stored = char_doc(Vocab(), ["国务院", "副总理"], load_lexicon(), store_strings=True)
    live = char_doc(vocab, ["国务院", "副总理"], load_lexicon())
    assert "国务" not in vocab.strings and "国务院" not in vocab.strings and "B3" not in vocab.strings
    assert (live.to_array(["NORM", "LEMMA", "TAG"]) == stored.to_array(["NORM", "LEMMA", "TAG"])).all()


def test_entities_inside_pkuseg_words_are_counted_and_kept(tmp_path):
    """港澳 is one pkuseg word; its two LOCs survive at character level."""
    from kg.nlp.pipeline import load_segmenter

    lines = [f"{c}\t{t}" for c, t in zip("港澳同胞欢聚一堂", ["B-LOC", "B-LOC"] + ["O"] * 6, strict=True)]
    path = tmp_path / "tiny.bio"
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    report = AlignmentReport()
    docs = list(convert(path, load_segmenter(), load_lexicon(), report))
    assert [(e.text, e.label_) for e in docs[0].ents] == [("港", "LOC"), ("澳", "LOC")]
    assert report.entities["LOC"] == 2
    assert report.inside_word["LOC"] == 2
    assert "2 (100.0%)" in report.lines("tiny")[-1]


def test_convert_command_fails_cleanly_without_corpus(tmp_path, capsys):
    assert main([str(tmp_path / "missing"), str(tmp_path / "out")]) == 2
    assert "not found" in capsys.readouterr().err


def test_lexicon_features_mark_units_and_surnames():
    from kg.ner.chars import lexicon_features

    values = lexicon_features("美国总统王明说", load_lexicon())
    assert values[0] == "Lex=CountryB" and values[1] == "Lex=CountryI"
    assert values[2] == "Lex=TitleB" and values[3] == "Lex=TitleI"
    assert values[4] == "Lex=Surname"
    assert values[6] == "Lex=O"


def test_gazetteer_marks_places_the_hand_lexicons_lack():
    from kg.ner.chars import lexicon_features

    text = "马拉维总统在廊坊会见美国客人，廊"
    values = lexicon_features(text, load_lexicon())
    assert values[:3] == ["Lex=GazB", "Lex=GazI", "Lex=GazI"]  # 马拉维 (ISO 3166 in Chinese)
    assert values[6:8] == ["Lex=GazB", "Lex=GazI"]  # 廊坊 (廊坊市 without its ending)
    assert values[10] == "Lex=CountryB", "the hand-kept country lexicon wins over the gazetteer"
    assert values[-1] != "Lex=GazI", "a name cut off at the end of the text is not matched"


def test_dev_set_is_the_tail_of_train(tmp_path):
    """Adjacent sentences share names, so dev is a block, not every Nth sentence."""
    source = tmp_path / "msra"
    source.mkdir()
    sentence = "\n".join(f"{c}\tO" for c in "今天天气很好") + "\n\n"
    (source / "train.bio").write_text(sentence * 40, encoding="utf-8")
    (source / "test.bio").write_text(sentence * 3, encoding="utf-8")
    assert main([str(source), str(tmp_path / "out"), "--dev-share", "0.1"]) == 0
    from spacy.tokens import DocBin

    sizes = {n: len(DocBin().from_disk(tmp_path / "out" / f"{n}.spacy")) for n in ("train", "dev", "test")}
    assert sizes == {"train": 36, "dev": 4, "test": 3}
