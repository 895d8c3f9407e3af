"""Posts in time: dated attestations, changes of office, and the queries that read them.

The articles are written for these tests: a minister appointed in one dated
article, attested in a later one, removed in a third (where a successor is
appointed), and called 原 in a fourth.
"""

from __future__ import annotations

import json

import pytest
from test_cli import run_kg

from kg.facts import Relation
from kg.out.batch.build import run_build
from kg.rdf.query import QueryError, format_result, open_source, parse_bindings, run
from kg.rdf.store import load_any
from kg.rdf.tenures import changed_posts
from kg.rdf.vocab import SCHEMAS

QUERIES = SCHEMAS / "queries"
ARTICLES = [
    ("appointed", "2023-03-12", "全国人大常委会会议决定，任命周明远为外交部部长。"),
    ("attested", "2023-10-01", "外交部部长周明远在北京会见斐济总理兰布卡。"),
    ("removed", "2024-05-20", "全国人大常委会会议决定，免去周明远的外交部部长职务，任命陈立华为外交部部长。"),
    ("former", "2024-09-01", "原外交部部长周明远出席座谈会。外交部部长陈立华会见美国当选总统特朗普。"),
]


def write_articles(path, articles) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps({"id": article_id, "title": article_id, "date": day, "text": text},
                                    ensure_ascii=False) + "\n" for article_id, day, text in articles)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tenures")
    write_articles(folder / "news.jsonl", ARTICLES)
    run_build([str(folder / "news.jsonl")], folder / "out", progress=False)
    return folder / "out" / "graph.trig"


def rows(graph, query_file: str, **bound: str) -> list[dict[str, str]]:
    answer = run(open_source(str(graph)), (QUERIES / query_file).read_text(encoding="utf-8"),
                 bindings=parse_bindings([f"{k}={v}" for k, v in bound.items()]))
    document = json.loads(format_result(answer, "json"))  # SPARQL 1.1 Query Results JSON; unbound: ""
    return [{name: row.get(name, {}).get("value", "") for name in document["head"]["vars"]}
            for row in document["results"]["bindings"]]


def test_changes_of_office_are_read_from_the_text(extract_text):
    facts = extract_text("全国人大常委会会议决定，免去周明远的外交部部长职务，任命陈立华为外交部部长。"
                         "原国务院副总理刘建国出席。新西兰前总理希普利出席。美国当选总统特朗普出席。目前国务院副总理张卫东出席。")
    said = {(f.subject.label, f.relation, f.object.label) for f in facts.facts}
    assert ("周明远", Relation.LEFT, "外交部部长") in said
    assert ("周明远", Relation.HOLDS, "外交部部长") not in said  # an ended post is never held now
    assert {("陈立华", Relation.HOLDS, "外交部部长"), ("陈立华", Relation.TOOK_UP, "外交部部长")} <= said
    assert ("刘建国", Relation.FORMERLY, "国务院副总理") in said
    assert ("希普利", Relation.FORMERLY, "新西兰总理") in said  # the marker inside the chain; the post keeps its country
    assert ("特朗普", Relation.ELECT, "美国总统") in said
    assert ("张卫东", Relation.HOLDS, "国务院副总理") in said  # 目前 is no former marker


def test_a_person_removed_from_a_post_is_no_longer_its_holder(built):
    def holders(day: str) -> list[str]:
        return [row["holder"] for row in rows(built, "holders.rq", post="外交部部长", date=day)]

    assert holders("2023-01-01") == []  # before the appointment
    assert holders("2023-06-01") == ["周明远"]  # during
    assert holders("2024-06-01") == ["陈立华"]  # after the removal: the successor only
    assert holders("2026-01-01") == ["陈立华"]


def test_a_career_has_first_and_last_dates_and_its_end(built):
    (row,) = [r for r in rows(built, "career.rq", person="周明远") if r["post"] == "外交部部长"]
    assert (row["first"], row["last"], row["began"]) == ("2023-03-12", "2023-10-01", "2023-03-12")
    assert row["current"] == "false" and row["ended"] == "2024-05-20"
    assert row["evidence"]
    (successor,) = rows(built, "career.rq", person="陈立华")
    assert (successor["first"], successor["last"], successor["current"]) == ("2024-05-20", "2024-09-01", "true")


def test_an_elect_post_is_not_held(built):
    (row,) = rows(built, "career.rq", person="特朗普")
    assert row["post"] == "美国总统" and row["elect"] == "2024-09-01" and row["current"] == "false"
    assert row["first"] == ""


def test_a_timeline_lists_dated_events_with_cameo_codes(built):
    (row,) = rows(built, "timeline.rq", person="兰布卡")
    assert (row["date"], row["class"], row["cameo"]) == ("2023-10-01", "Meeting", "040")
    assert (row["met"], row["others"]) == ("周明远", "1")


def test_stats_name_the_post_that_changed_holder(built):
    (change,) = changed_posts(load_any(built))
    assert (change.post, change.before, change.ended, change.after, change.since) == (
        "外交部部长", "周明远", "2024-05-20", "陈立华", "2024-05-20")


def test_adding_newer_articles_extends_the_intervals_as_a_scratch_build(tmp_path):
    write_articles(tmp_path / "a.jsonl", ARTICLES[:2])
    run_build([str(tmp_path)], tmp_path / "out", progress=False)
    write_articles(tmp_path / "b.jsonl", ARTICLES[2:])
    added = run_build([str(tmp_path)], tmp_path / "out", progress=False)
    assert added.extracted == 2  # the older articles are not extracted again
    run_build([str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")], tmp_path / "scratch", progress=False)
    assert (tmp_path / "out" / "graph.trig").read_bytes() == (tmp_path / "scratch" / "graph.trig").read_bytes()
    (row,) = [r for r in rows(tmp_path / "out" / "graph.trig", "career.rq", person="周明远")
              if r["post"] == "外交部部长"]
    assert row["ended"] == "2024-05-20"


def test_bind_values_are_typed_and_malformed_ones_refused():
    bound = {variable.value: term for variable, term in parse_bindings(
        ["person=王毅", "date=2024-01-31", "post=<https://kg.example/id/post/x>"]).items()}
    assert bound["person"].value == "王毅" and bound["date"].datatype.value.endswith("#date")
    assert bound["post"].value == "https://kg.example/id/post/x"
    assert bound["person"].language == "zh", "a name is looked up as kg writes labels"
    plain = next(iter(parse_bindings(['text="王毅"']).values()))
    assert plain.value == "王毅" and plain.language is None
    for bad in ("person", "=x", "two words=x"):
        with pytest.raises(QueryError):
            parse_bindings([bad])


def test_kg_query_binds_from_the_command_line(built):
    answer = run_kg("query", str(built), "-f", str(QUERIES / "holders.rq"), "--bind", "post=外交部部长",
                    "--bind", "date=2023-06-01", "--format", "csv")
    assert answer.returncode == 0, answer.stderr
    assert "周明远" in answer.stdout and "陈立华" not in answer.stdout
    stats = run_kg("stats", str(built))
    assert "posts that changed holder: 1" in stats.stdout, stats.stderr
    bad = run_kg("query", str(built), "-f", str(QUERIES / "holders.rq"), "--bind", "post")
    assert bad.returncode != 0 and "NAME=VALUE" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_memberships_conform_to_the_shapes_and_a_broken_one_does_not(built):
    import pyoxigraph as ox

    from kg.rdf.tenures import DERIVED
    from kg.rdf.validate import validate

    dataset = load_any(built)
    assert validate(dataset) == []
    member = next(q.subject for q in dataset.quads_for_graph_name(DERIVED)
                  if q.predicate.value.endswith("#current"))
    dataset.add(ox.Quad(member, ox.NamedNode("https://kg.example/ontology#current"),
                        ox.Literal("maybe"), DERIVED))
    assert validate(dataset)


def test_a_post_left_behind_by_a_later_one_is_no_longer_current(tmp_path):
    write_articles(tmp_path / "news.jsonl", [
        ("old", "2020-12-05", "上海市委书记林海峰会见客人。"),
        ("new", "2025-03-05", "国务院副总理林海峰出席会议。"),
    ])
    run_build([str(tmp_path / "news.jsonl")], tmp_path / "out", progress=False)
    career = {row["post"]: row["current"] for row in rows(tmp_path / "out" / "graph.trig", "career.rq",
                                                           person="林海峰")}
    assert career == {"上海市委书记": "false", "国务院副总理": "true"}


def test_a_lateral_query_is_checked_by_oxigraph_and_its_service_still_refused():
    from kg.rdf.query import check, services_in

    lateral = "SELECT * WHERE { ?a ?b ?c LATERAL { ?c ?d ?e } }"
    check(lateral)  # rdflib cannot parse LATERAL; Oxigraph can
    with pytest.raises(QueryError):
        check("SELECT * WHERE { ?a ?b LATERAL")
    hidden = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?a ?b ?c } LATERAL { ?c ?d ?e } }"
    assert services_in(hidden) == ["http://127.0.0.1:9/sparql"]
    with pytest.raises(QueryError, match="SERVICE"):
        check(hidden)
    assert services_in('SELECT * WHERE { ?a ?b "SERVICE <x>" LATERAL { ?b ?c ?d } } # SERVICE') == []


SUCCESSION = [  # no removal reported: the later premier's first mention ends the earlier tenure
    ("s1", "2023-01-10", "新西兰总理贺文山在惠灵顿会见中国驻新西兰大使。"),
    ("s2", "2023-03-05", "新西兰总理贺文山出席论坛。新西兰副总理林可、李安出席。"),
    ("s3", "2023-06-20", "新西兰总理戴安娜在惠灵顿会见中国外长。新西兰副总理林可出席。"),
    ("s4", "2023-09-01", "新西兰总理戴安娜出席论坛。新西兰副总理李安出席。"),
]


def test_a_later_holder_ends_a_single_holder_tenure_and_a_shared_post_keeps_its_holders(tmp_path):
    write_articles(tmp_path / "news.jsonl", SUCCESSION)
    run_build([str(tmp_path / "news.jsonl")], tmp_path / "out", progress=False)
    graph = tmp_path / "out" / "graph.trig"

    def holders(post: str, day: str) -> dict[str, tuple[str, str]]:
        return {r["holder"]: (r["end"], r["successor"]) for r in rows(graph, "holders.rq", post=post, date=day)}

    assert holders("新西兰总理", "2023-04-01") == {"贺文山": ("inferred", "戴安娜")}  # still his, ended later
    assert holders("新西兰总理", "2023-08-01") == {"戴安娜": ("open", "")}  # the successor alone
    deputies = holders("新西兰副总理", "2023-10-01")
    assert set(deputies) == {"林可", "李安"} and {end for end, _ in deputies.values()} == {"open"}
    ended = rows(graph, "career.rq", person="贺文山")
    assert ended and all(r.get("current", "false") in ("false", "") for r in ended)


def test_which_posts_one_person_holds_at_a_time_is_read_from_word_classes():
    from kg.rdf.tenures import single_holder

    assert all(single_holder(t) for t in ("新西兰总理", "天津市委书记", "最高人民法院院长", "美国国务卿",
                                         "全国人大常委会委员长"))
    assert not any(single_holder(t) for t in ("总理", "国务院副总理", "中央政治局委员", "外交部发言人",
                                              "中央军委副主席", "总统"))
