"""The shipped NER model: it loads, names its data, and finds untitled persons.

The sentences here were written for these tests; they are in neither MSRA
file.
"""

from __future__ import annotations

import json

import pytest
from conftest import relation_pairs
from thinc.api import NumpyOps

from kg.nlp.lexicon import load_lexicon
from kg.nlp.ner.component import MODEL_DIR, CharNer, load_ner_model


@pytest.fixture(scope="module")
def ner():
    return CharNer(load_ner_model(), load_lexicon())


def test_model_is_shipped_with_its_source_named():
    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    assert "MSRA" in meta["sources"][0]["name"]
    assert meta["pipeline"] == ["tok2vec", "ner"]
    assert set(meta["labels"]["ner"]) == {"PER", "LOC", "ORG"}
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    assert size < 40 * 1024 * 1024


def test_model_multiplies_matrices_with_numpy_not_blis():
    """The config's before_creation callback (kg/nlp/ner/ops.py) builds the layers on numpy's BLAS.

    spaCy builds the parser's small output layer on the default CPU ops itself,
    so only the encoder and the parser's input layer are checked.
    """
    model = load_ner_model()
    assert "kg.openblas_ops.v1" in model.config.to_str()
    layers = list(model.get_pipe("tok2vec").model.walk())
    layers += [layer for layer in model.get_pipe("ner").model.walk() if layer.name == "precomputable_affine"]
    assert len(layers) > 20
    for layer in layers:
        assert isinstance(layer.ops, NumpyOps) and layer.ops.use_blis is False, layer.name


@pytest.mark.parametrize(("text", "person"), [
    ("昨天下午，陈晓东在杭州主持召开了一场关于乡村振兴的座谈会。", "陈晓东"),
    ("据介绍，这座桥由工程师刘建华带领团队设计完成。", "刘建华"),
    ("孙丽萍表示，学校将继续加大对贫困学生的资助力度。", "孙丽萍"),
])
def test_finds_a_person_with_no_title(nlp, ner, text, person):
    doc = ner(nlp.make_doc(text))
    persons = [e.text for e in doc.ents if e.label_ == "PER"]
    assert persons == [person]


def test_finds_places_and_bodies(nlp, ner):
    text = "上海市卫生局和复旦大学附属中山医院联合发布了报告，新华社记者从国家统计局了解到这一消息。"
    doc = ner(nlp.make_doc(text))
    found = {(e.text, e.label_) for e in doc.ents}
    assert ("国家统计局", "ORG") in found
    assert any(label == "ORG" and "复旦大学" in surface for surface, label in found)
    assert any(label in ("ORG", "LOC") and surface.startswith("上海") for surface, label in found)


def test_untitled_guest_becomes_a_graph_person_who_met_the_host(extract_text):
    """Through the whole pipeline: the model's person takes part in the meeting."""
    facts = extract_text("新华社北京3月5日电 国家主席习近平5日在人民大会堂会见了来华访问的吴德明。")
    mentioned = {f.object.label for f in facts.facts if f.relation == "mentions"}
    assert "吴德明" in mentioned
    assert relation_pairs(facts, "met") == {("习近平", "吴德明")}


def test_long_text_is_read_in_sentence_pieces_with_offsets_kept(nlp, ner):
    from kg.nlp.ner.component import CHUNK_CHARS, _chunks

    sentence = "孙丽萍表示，学校将继续加大对贫困学生的资助力度。"
    text = sentence * (3 * CHUNK_CHARS // len(sentence) + 1)
    doc = nlp.get_pipe("sentencizer")(nlp.make_doc(text))
    pieces = _chunks(doc)
    assert len(pieces) == 3 and "".join("".join(words) for _, words in pieces) == text
    doc = ner(doc)
    persons = [e for e in doc.ents if e.label_ == "PER"]
    assert len(persons) == text.count("孙丽萍")
    assert all(text[e.start_char:e.end_char] == "孙丽萍" for e in persons)


def test_build_without_the_model_is_a_one_line_error(tmp_path, monkeypatch, capsys):
    from kg.nlp.ner import component
    from kg.nlp.pipeline import shared_pipeline
    from kg.out.cli import main

    article = tmp_path / "a.txt"
    article.write_text("国家主席习近平会见了吴德明。", encoding="utf-8")
    monkeypatch.setattr(component, "MODEL_DIR", tmp_path / "no-model")
    shared_pipeline.cache_clear()
    try:
        assert main(["build", str(article), "-o", str(tmp_path / "out")]) == 1
    finally:
        shared_pipeline.cache_clear()
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "make train" in err
    assert not (tmp_path / "out").exists()


def test_cue_scope_reads_only_sentences_with_a_relation_cue(nlp):
    from kg.nlp.ner.component import _chunks, cue_matcher

    text = "孙丽萍表示，学校将继续加大资助力度。国家主席习近平会见了来华访问的吴德明。天气很好。刘建华夫人陈静陪同。"
    doc = nlp.get_pipe("sentencizer")(nlp.make_doc(text))
    pieces = _chunks(doc, cue_matcher(load_lexicon()))
    read = ["".join(words) for _, words in pieces]
    assert read == ["国家主席习近平会见了来华访问的吴德明。", "刘建华夫人陈静陪同。"]
    assert all(text[offset:offset + len(part)] == part for (offset, _), part in zip(pieces, read))
    assert nlp.get_pipe("ner").scope == "cues", "the pipeline reads cue sentences by default"
    with nlp.select_pipes(enable=["sentencizer", "kg_lexicon", "ner"]):
        found = [e for e in nlp(text).ents if e.label_ == "PER"]  # the NER's own entities
    assert "孙丽萍" not in {e.text for e in found} and "吴德明" in {e.text for e in found}


def test_a_list_of_names_without_separators_becomes_one_person_each(nlp):
    """The pipeline's component splits a glued 名单 into names (kg.nlp.ner.name_lists).

    The model alone reads 马志远林 as one person and misses 高明 and 宋涛.
    """
    text = "名单如下：马志远林小燕（女）胡建军郑华高明罗长生梁玉兰（女）宋涛谢国庆韩冰等同志。"
    ner = nlp.get_pipe("ner")
    scope = ner.scope
    ner.set_scope("all")
    try:
        doc = ner(nlp.make_doc(text))
    finally:
        ner.set_scope(scope)
    persons = [e.text for e in doc.ents if e.label_ == "PER"]
    assert persons == ["马志远", "林小燕", "胡建军", "郑华", "高明", "罗长生", "梁玉兰", "宋涛", "谢国庆", "韩冰"]
