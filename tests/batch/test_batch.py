"""Batch builds: streamed inputs, progress, incremental rebuilds, near-duplicates, worker processes."""

from __future__ import annotations

import gzip
import io
import json
import multiprocessing
import os
import shutil

import pytest
from conftest import ARTICLES, ROOT, SAMPLES
from rdflib import Graph
from rdflib.compare import isomorphic
from test_cli import one_line_error, run_kg

from kg.facts.stories import StoryIndex, same_story_pairs, signature
from kg.out.batch.build import run_build
from kg.out.batch.progress import Progress
from kg.out.batch.runners import BLAS_THREADS, blas_threads_for
from kg.rdf.vocab import KG

OTHER = "新华社北京3月5日电 国务院总理李强5日在人民大会堂会见来华访问的新西兰总理希普金斯。外交部长王毅参加会见。"


def sample_texts() -> dict[str, str]:
    return {name: (ARTICLES / f"{name}.txt").read_text(encoding="utf-8") for name in SAMPLES}


def write_jsonl_gz(path, records) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def trig(out) -> bytes:
    return (out / "graph.trig").read_bytes()


def test_jsonl_gz_and_globs_are_read(tmp_path):
    records = [{"id": name, "text": text} for name, text in sample_texts().items()]
    write_jsonl_gz(tmp_path / "part-1.jsonl.gz", records[:1])
    write_jsonl_gz(tmp_path / "part-2.jsonl.gz", records[1:])
    from_gz = run_build([str(tmp_path / "part-*.jsonl.gz")], tmp_path / "gz", progress=False)
    folder = run_build([str(ARTICLES)], tmp_path / "txt", progress=False)
    assert from_gz.articles == folder.articles == 2 and from_gz.facts == folder.facts > 50
    without_urls = [[line for line in (tmp_path / name / "graph.ttl").read_text(encoding="utf-8").splitlines()
                     if "schema:url" not in line] for name in ("gz", "txt")]
    assert without_urls[0] == without_urls[1]


def test_bad_streams_are_one_line_errors(tmp_path):
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(gzip.compress(b'{"id": "a", "text": "x"}\n' * 50)[:12])  # not one whole line
    assert "broken.jsonl.gz" in one_line_error(run_kg("build", str(broken), "-o", str(tmp_path / "out")))
    assert "no file matches" in one_line_error(run_kg("build", str(tmp_path / "nothing-*.jsonl"), "-o",
                                                      str(tmp_path / "out")))
    assert not (tmp_path / "out").exists()


def test_progress_is_one_line_on_a_terminal_and_plain_lines_elsewhere():
    tty, plain = io.StringIO(), io.StringIO()
    for stream, interactive in ((tty, True), (plain, False)):
        meter = Progress(total_bytes=1000, stream=stream, interactive=interactive, every_s=0)
        for _ in range(3):
            meter.advance(articles=1, chars=2000, input_bytes=250)
        meter.close()
    redraws = tty.getvalue().split("\r")[1:]  # tqdm redraws the one line in place
    assert len(redraws) >= 4 and tty.getvalue().endswith("\n") and tty.getvalue().count("\n") == 1
    assert "3 articles" in redraws[-1] and "75%" in redraws[-1]
    lines = plain.getvalue().splitlines()
    assert len(lines) == 4 and "\r" not in plain.getvalue()
    assert "3 articles" in lines[-1] and "75%" in lines[-1] and "left" in lines[-1]


def test_adding_articles_extracts_only_the_new_ones_and_equals_a_full_build(tmp_path):
    first, second = sorted(ARTICLES.glob("*.txt"))
    (tmp_path / "in").mkdir()
    shutil.copy(first, tmp_path / "in")
    assert run_build([str(tmp_path / "in")], tmp_path / "out", progress=False).extracted == 1
    shutil.copy(second, tmp_path / "in")
    again = run_build([str(tmp_path / "in")], tmp_path / "out", progress=False)
    assert (again.extracted, again.unchanged, again.articles) == (1, 1, 2)
    scratch = run_build([str(tmp_path / "in")], tmp_path / "scratch", progress=False)
    assert trig(tmp_path / "out") == trig(tmp_path / "scratch") and scratch.articles == 2
    # Building only the new input into the folder adds to what it holds.
    added = run_build([str(tmp_path / "in" / first.name)], tmp_path / "out", progress=False)
    assert (added.extracted, added.unchanged, added.articles) == (0, 1, 2)


def test_a_changed_article_replaces_its_facts(tmp_path):
    source = tmp_path / "story.txt"
    text = sample_texts()[SAMPLES[0]]
    source.write_text(text, encoding="utf-8")
    run_build([str(source)], tmp_path / "out", progress=False)
    source.write_text(text.replace("汪洋", "胡春华"), encoding="utf-8")
    changed = run_build([str(source)], tmp_path / "out", progress=False)
    assert changed.extracted == 1 and changed.articles == 1
    run_build([str(source)], tmp_path / "scratch", progress=False)
    assert trig(tmp_path / "out") == trig(tmp_path / "scratch")
    graph = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert "胡春华" in graph and "汪洋" not in graph
    state = list((tmp_path / "out" / ".kg-state" / "facts").glob("*.json"))
    assert len(state) == 1, "the old text's cached facts are dropped"


def test_the_two_editions_are_one_story(tmp_path):
    texts = sample_texts()
    signatures = [(name, signature(text)) for name, text in texts.items()] + [("other", signature(OTHER))]
    pairs = same_story_pairs(signatures)
    assert [(a, b) for a, b, _ in pairs] == [tuple(sorted(texts))]
    run_build([str(ARTICLES)], tmp_path / "out", progress=False)
    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    links = set(graph.subject_objects(KG.sameStoryAs))
    assert len(links) == 2 and {(b, a) for a, b in links} == links


def test_story_index_updates_match_a_fresh_index():
    texts = sample_texts()
    first, second = (signature(texts[name]) for name in SAMPLES)
    other = signature(OTHER)
    index = StoryIndex()
    assert index.update([("a", first), ("x", other)]) == []
    pairs = index.update([("a", first), ("x", other), ("b", second)])  # a new edition arrives
    assert pairs == same_story_pairs([("a", first), ("x", other), ("b", second)]) and len(pairs) == 1
    assert index.update([("a", first), ("x", other), ("b", other)]) == same_story_pairs(
        [("a", first), ("x", other), ("b", other)])  # b's text changed into x's
    assert index.update([("a", first)]) == []  # articles that leave take their pairs with them


def test_facts_two_editions_state_count_once(tmp_path):
    both = run_build([str(ARTICLES)], tmp_path / "both", progress=False)
    singles = [run_build([str(ARTICLES / f"{n}.txt")], tmp_path / n, progress=False).facts for n in SAMPLES]
    assert max(singles) <= both.facts < sum(singles)


@pytest.mark.parametrize("workers", [2])
def test_worker_processes_write_the_same_graph(tmp_path, workers):
    local = run_build([str(ARTICLES)], tmp_path / "local", progress=False)
    parallel = run_build([str(ARTICLES)], tmp_path / "parallel", workers=workers, batch_size=1, progress=False)
    assert parallel.extracted == local.extracted == 2
    assert trig(tmp_path / "parallel") == trig(tmp_path / "local")
    assert isomorphic(Graph().parse(tmp_path / "parallel" / "graph.ttl"), Graph().parse(tmp_path / "local" / "graph.ttl"))


def test_cli_reports_progress_and_writes_a_json_report(tmp_path):
    report = tmp_path / "report.json"
    result = run_kg("build", str(ARTICLES), "-o", str(tmp_path / "out"), "--report", str(report))
    assert result.returncode == 0, result.stderr
    progress = [line for line in result.stderr.splitlines() if line.startswith("kg: ") and "articles" in line]
    assert progress and "\r" not in result.stderr and "100%" in progress[-1], "plain progress lines off a terminal"
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["extracted"] == 2 and data["same_story_pairs"] == 1 and data["facts"] > 50
    assert data["worker_peak_mb"] and all(v > 100 for v in data["worker_peak_mb"].values())
    assert {"assemble graph", "write ttl, trig, html"} <= set(data["phase_seconds"])
    quiet = run_kg("build", str(ARTICLES), "-o", str(tmp_path / "out"), "-q")
    assert quiet.returncode == 0 and "articles ·" not in quiet.stderr and "2 unchanged" in quiet.stdout


def test_one_story_told_twice_has_one_event_per_meeting(tmp_path):
    from kg.rdf.query import open_source, run

    run_build([str(ARTICLES)], tmp_path / "out", progress=False)
    rows = list(run(open_source(str(tmp_path / "out" / "graph.ttl")),
                    (ROOT / "schemas" / "queries" / "meetings.rq").read_text(encoding="utf-8")))
    talks = [row for row in rows if row[2] is not None and "人民大会堂" in row[2].value]
    assert len(talks) == 1 and talks[0][3].value == "--11-09", "the undated edition's talks join the dated ones"


def test_page_written_beside_the_serializations_equals_one_written_in_process(tmp_path, monkeypatch):
    """The page comes from a forked process; a thread in this one makes the build write it itself."""
    import threading

    from kg.out.batch import build

    run_build([str(ARTICLES)], tmp_path / "forked")
    assert threading.active_count() == 1, "the build above would not have forked"
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        run_build([str(ARTICLES)], tmp_path / "inline")
    finally:
        stop.set()
        other.join()
    for name in ("graph.html", "graph.ttl", "graph.trig"):
        assert (tmp_path / "forked" / name).read_bytes() == (tmp_path / "inline" / name).read_bytes()

    def broken(dataset, path):
        raise OSError("disk full")

    monkeypatch.setattr(build, "_write_page", broken)
    with pytest.raises(build.BuildError, match=r"graph.html failed \(OSError: disk full\)"):
        run_build([str(ARTICLES)], tmp_path / "forked", fresh=True)
    assert (tmp_path / "forked" / "graph.trig").read_bytes() == (tmp_path / "inline" / "graph.trig").read_bytes()


def test_workers_share_the_cores_among_their_blas_threads(monkeypatch):
    monkeypatch.delenv(BLAS_THREADS, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    with blas_threads_for(2):
        assert os.environ[BLAS_THREADS] == "2"
        with multiprocessing.get_context("spawn").Pool(1) as pool:  # a worker sees it as it starts
            assert pool.apply(os.getenv, (BLAS_THREADS,)) == "2"
    assert BLAS_THREADS not in os.environ
    with blas_threads_for(8):
        assert os.environ[BLAS_THREADS] == "1"
    monkeypatch.setenv(BLAS_THREADS, "3")  # the user's choice stays
    with blas_threads_for(2):
        assert os.environ[BLAS_THREADS] == "3"
    assert os.environ[BLAS_THREADS] == "3"


def test_cached_facts_are_reused_only_by_the_same_extractor(tmp_path):
    """Another pipeline config (or lexicon, model, code) re-extracts every article instead of mixing facts."""
    from kg.nlp.pipeline import read_config

    out = tmp_path / "out"
    assert run_build([str(ARTICLES)], out, progress=False).extracted == 2
    assert run_build([str(ARTICLES)], out, progress=False).extracted == 0
    other = read_config() + "\n# the same pipeline, said differently\n"
    assert run_build([str(ARTICLES)], out, progress=False, config=other).extracted == 2
    assert run_build([str(ARTICLES)], out, progress=False, config=other).extracted == 0
    assert run_build([str(ARTICLES)], out, progress=False).extracted == 2
