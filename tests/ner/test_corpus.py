"""MSRA conversion: BIO reading, character Docs, and the pkuseg alignment report."""

from __future__ import annotations

import pytest
from spacy.vocab import Vocab

from kg.nlp.lexicon import load_lexicon
from kg.nlp.ner.chars import char_doc, copy_features, position_tag
from kg.nlp.ner.train.corpus import AlignmentReport, CorpusError, bio_spans, convert, main, read_bio


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
    docs = list(convert(read_bio(path), load_segmenter(), load_lexicon(), report))
    assert [(e.text, e.label_) for e in docs[0].ents] == [("港", "LOC"), ("澳", "LOC")]
    assert report.entities["LOC"] == 2
    assert report.inside_word["LOC"] == 2
    assert "2 (100.0%)" in report.lines("tiny")[-1]


def test_convert_command_fails_cleanly_without_corpus(tmp_path, capsys):
    assert main([str(tmp_path / "missing"), str(tmp_path / "out")]) == 2
    assert "not found" in capsys.readouterr().err


def test_lexicon_features_mark_units_and_surnames():
    from kg.nlp.ner.chars import lexicon_features

    values = lexicon_features("美国总统王明说", load_lexicon())
    assert values[0] == "Lex=CountryB" and values[1] == "Lex=CountryI"
    assert values[2] == "Lex=TitleB" and values[3] == "Lex=TitleI"
    assert values[4] == "Lex=Surname"
    assert values[6] == "Lex=O"


def test_gazetteer_marks_places_the_hand_lexicons_lack():
    from kg.nlp.ner.chars import lexicon_features

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


def _bio(sentences: list[tuple[str, list[tuple[int, int, str]]]]) -> str:
    """``.bio`` text for (text, entities) pairs."""
    out = []
    for text, entities in sentences:
        tags = ["O"] * len(text)
        for start, end, label in entities:
            tags[start] = f"B-{label}"
            for i in range(start + 1, end):
                tags[i] = f"I-{label}"
        out.append("\n".join(f"{c}\t{t}" for c, t in zip(text, tags, strict=True)) + "\n\n")
    return "".join(out)


def test_swapped_names_go_to_train_only_and_keep_their_spans(tmp_path):
    """Made-up names replace persons in training sentences; dev and test stay as written."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    source = tmp_path / "msra"
    source.mkdir()
    meeting = ("王小明会见了李华，王小明说", [(0, 3, "PER"), (6, 8, "PER"), (9, 12, "PER")])
    train = [meeting] * 18 + [("张大山在北京", [(0, 3, "PER"), (4, 6, "LOC")])] * 2
    (source / "train.bio").write_text(_bio(train), encoding="utf-8")
    (source / "test.bio").write_text(_bio([meeting]), encoding="utf-8")
    assert main([str(source), str(tmp_path / "out"), "--dev-share", "0.1", "--swap-share", "1"]) == 0
    docs = {n: list(DocBin().from_disk(tmp_path / "out" / f"{n}.spacy").get_docs(Vocab()))
            for n in ("train", "dev", "test")}
    assert [d.text for d in docs["dev"]] == ["张大山在北京"] * 2
    assert docs["test"][0].text == meeting[0]
    for doc in docs["train"]:
        names = [e.text for e in doc.ents if e.label_ == "PER"]
        assert doc.text != meeting[0] and len(doc.text) == len(meeting[0])
        assert [(e.start_char, e.end_char) for e in doc.ents] == [(a, b) for a, b, _ in meeting[1]]
        assert names[0] == names[2], "a name said twice is replaced the same way"
        assert doc.text[3:6] == "会见了" and doc.text[8] == "，"


def test_made_up_names_come_from_the_corpus_own_parts():
    import random

    from kg.nlp.ner.train.name_swap import NamePool

    pool = NamePool.from_names(["王小明", "李华", "欧阳春", "克林顿", "帕巴拉·格列朗"], ["王", "李", "欧阳"])
    rng = random.Random(3)
    unknown = pool.new_name("张大山", rng)
    assert set(unknown) <= set("克林顿帕巴拉格列朗"), "without a known surname, a name is read as foreign"
    made = pool.new_name("李大山", rng)
    assert made[0] in "王李" and set(made[1:]) <= set("小明华"), made
    assert len(pool.new_name("欧阳春", rng)) == 3
    foreign = pool.new_name("布鲁赫·特", rng)
    assert foreign[3] == "·" and set(foreign.replace("·", "")) <= set("克林顿帕巴拉格列朗")
    assert pool.new_name("A", rng) is None
