"""Where the NER model and the lexicons disagree, the lexicons win."""

from __future__ import annotations

from kg.nlp.records import get_events
from kg.nlp.token_spans import token_spans


def run_with_entities(nlp, text: str, entities: list[tuple[str, str]]):
    """The pipeline with the NER step replaced by the given (surface, label) entities in ``doc.ents``."""
    doc = nlp.make_doc(text)
    for name, component in nlp.pipeline:
        if name == "ner":
            doc, doc.ents = token_spans(doc, [(text.index(s), text.index(s) + len(s), label) for s, label in entities])
        else:
            doc = component(doc)
    return doc


def person_names(doc) -> list[str]:
    return [span._.kg_name for span in doc.spans["kg_persons"]]


def test_a_title_inside_a_person_span_is_cut_off(nlp):
    doc = run_with_entities(nlp, "外交部长王毅昨天抵达。", [("外交部长王毅", "PER")])
    assert person_names(doc) == ["王毅"]
    assert [e.text for e in doc.ents if e.label_ == "PERSON"] == ["王毅"]


def test_a_bare_title_is_never_a_person(nlp):
    doc = run_with_entities(nlp, "总理昨天抵达，部长随行。", [("总理", "PER"), ("部长", "PER")])
    assert person_names(doc) == []
    assert not [e for e in doc.ents if e.label_ == "PERSON"]


def test_a_model_person_feeds_the_relations(nlp):
    """An untitled guest the lexicon cannot read still meets the host."""
    text = "国家主席习近平同周文涛举行会谈。"
    doc = run_with_entities(nlp, text, [("周文涛", "PER")])
    assert set(person_names(doc)) == {"习近平", "周文涛"}
    assert [sorted(e.principals) for e in get_events(doc)] == [sorted(["习近平", "周文涛"])]


def test_model_places_do_not_override_lexicon_units(nlp):
    doc = run_with_entities(nlp, "中国代表团抵达瓦尔登湖。", [("中国代表团", "ORG"), ("瓦尔登湖", "LOC")])
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels.get("瓦尔登湖") == "LOC"
    assert "中国代表团" not in labels


def test_a_name_before_a_place_ending_is_part_of_the_place(nlp):
    doc = run_with_entities(nlp, "双方在格林伍德庄园举行会谈。", [("格林伍德", "PER")])
    assert person_names(doc) == []


def test_a_place_ending_is_never_a_person(nlp):
    """庄 is a surname, but 庄园 the model may tag as a name ends in a place ending."""
    text = "他同马克龙总统在凡尔赛庄园会晤后表示，双方将加强合作。"
    doc = run_with_entities(nlp, text, [("马克龙", "PER"), ("凡尔赛", "LOC"), ("庄园", "PER")])
    assert person_names(doc) == ["马克龙"]
