"""Facts built by hand: the records, their JSON form, and story merging, with no spaCy and no RDF."""

from __future__ import annotations

from datetime import date

from kg.facts import (
    ArticleFacts,
    DateValue,
    EventKey,
    Node,
    NodeKind,
    Relation,
    article_node,
    person_key,
    person_node,
)
from kg.facts.json_form import from_json, to_json
from kg.facts.stories import merge_story_events, story_clusters
from kg.io.articles import Article, Dateline

POST = Node(NodeKind.POST, "国务院总理", "国务院总理")


def article(article_id: str, text: str = "文本。", **fields) -> Article:
    return Article(id=article_id, text=text, **fields)


def talks(date_iso: str = "") -> Node:
    key = EventKey("Talks", ("李强", "黄循财"), date_iso)
    return Node(NodeKind.EVENT, key, "会谈", "Talks")


def facts_of(article_id: str, event: Node) -> ArticleFacts:
    result = ArticleFacts(article(article_id), article_node(article(article_id)))
    result.add(person_node("李强"), Relation.HOLDS, POST, "国务院总理李强……")
    result.add(event, Relation.ATTENDEE, person_node("李强"), "李强同黄循财举行会谈。")
    return result


def test_a_fact_is_added_once_and_nodes_include_the_article():
    result = facts_of("a", talks())
    result.add(person_node("李强"), Relation.HOLDS, POST, "国务院总理李强……")
    assert len(result.facts) == 2
    assert result.nodes() == {result.node, person_node("李强"), POST, talks()}


def test_a_foreign_full_name_keys_on_its_last_part():
    assert person_key("唐纳德·特朗普") == "特朗普"
    assert person_node("唐纳德·特朗普") == Node(NodeKind.PERSON, "特朗普", "特朗普")


def test_the_event_key_is_structured_and_reads_as_before():
    key = EventKey("Talks", ("李强", "黄循财"), "2024-03-28")
    assert str(key) == "Talks|李强|黄循财|2024-03-28"
    assert key.undated() == EventKey("Talks", ("李强", "黄循财"))
    assert str(key.undated()).endswith("|")


def test_kinds_and_relations_are_enums_that_read_as_their_names():
    assert NodeKind.PERSON == "Person" and Relation.START_DATE == "startDate"
    assert DateValue(None, 11, 9).iso() == "--11-09" and DateValue(2017, 11, 9).iso() == "2017-11-09"


def test_json_round_trip_keeps_every_record_in_order():
    result = facts_of("a", talks("2024-03-28"))
    result.article = article("a", title="标题", date=date(2024, 3, 28), path="in/a.txt", source="新华社",
                             dateline=Dateline("新华社", "北京", None, 3, 28, ["王明"], 0, 10, "新华社北京3月28日电"))
    result.add(talks("2024-03-28"), Relation.START_DATE, DateValue(2024, 3, 28), None)
    result.alias(person_node("李强"), "国务院总理李强")
    result.minhash = [1, 2, 3]
    back = from_json(to_json(result))
    assert back.facts == result.facts and back.aliases == result.aliases and back.node == result.node
    assert back.article == result.article and back.minhash == [1, 2, 3]
    assert isinstance(back.facts[0].relation, Relation) and isinstance(back.node.kind, NodeKind)


def test_stories_are_connected_components_named_by_their_smallest_id():
    clusters = story_clusters(["a", "b", "c", "d"], [("b", "c", 0.9), ("a", "c", 0.7)])
    assert clusters == {"a": "a", "b": "a", "c": "a", "d": "d"}


def test_an_undated_event_takes_the_node_of_the_dated_one_in_its_story():
    dated, undated, elsewhere = facts_of("a", talks("2024-03-28")), facts_of("b", talks()), facts_of("c", talks())
    merged = merge_story_events([dated, undated, elsewhere], [("a", "b", 0.97)])
    assert merged[0] is dated and merged[2] is elsewhere  # unchanged results are the same objects
    assert {f.subject for f in merged[1].facts if f.relation == Relation.ATTENDEE} == {talks("2024-03-28")}
    assert {f.subject for f in merged[2].facts if f.relation == Relation.ATTENDEE} == {talks()}
