"""Every article kept, and all or nothing: a build that fails or is killed at any step leaves the last good
outputs, store and manifest as they were, and the next build loses nothing (real processes, real kills)."""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import ARTICLES, ROOT, SAMPLES, SHARED
from test_cli import one_line_error, run_kg

STREAM = SHARED / "corpora" / "news-stream" / "xwlb-2022-2026.jsonl.gz"
ARTICLE_CLASS = "https://schema.org/NewsArticle"


def graph_articles(path) -> set[str]:
    """The ids of the articles a graph file holds."""
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    rows = store.query(f"SELECT ?a WHERE {{ ?a a <{ARTICLE_CLASS}> }}")
    return {row["a"].value.rsplit("/", 1)[-1] for row in rows}


def stream_slice_with_copies(count: int = 40) -> list[dict]:
    """The stream's first ``count`` items and the later ones whose text repeats one of them under another id."""
    items, texts = [], {}
    with gzip.open(STREAM, "rt", encoding="utf-8") as stream:
        for number, line in enumerate(itertools.islice(stream, 3000)):
            item = json.loads(line)
            digest = hashlib.sha256(item["text"].encode()).hexdigest()
            if number < count:
                items.append(item)
                texts[digest] = item["id"]
            elif digest in texts and texts[digest] != item["id"]:
                items.append(item)
    return items


def test_items_with_the_same_text_under_other_ids_are_all_articles(tmp_path):
    items = stream_slice_with_copies()
    assert len({hashlib.sha256(i["text"].encode()).hexdigest() for i in items}) < len(items)  # copies there
    feed = tmp_path / "slice.jsonl"
    feed.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    result = run_kg("build", str(feed), "-o", str(tmp_path / "out"), "-q")
    assert result.returncode == 0, result.stderr
    ids = {i["id"] for i in items}
    assert graph_articles(tmp_path / "out" / "graph.ttl") == ids
    assert f"kg: {len(ids)} article(s)" in result.stdout + result.stderr  # the summary counts what the graph holds


def _snapshot(out, store) -> dict[str, bytes]:
    """The bytes a reader sees: the outputs, the manifest and the store's quads."""
    seen = {name: (out / name).read_bytes() for name in ("graph.ttl", "graph.trig", "graph.html")}
    seen["manifest"] = (out / ".kg-state" / "manifest.json").read_bytes()
    result = run_kg("export", str(store), "--format", "nquads", "-o", str(out.parent / "store.nq"))
    assert result.returncode == 0, result.stderr
    seen["store"] = b"\n".join(sorted((out.parent / "store.nq").read_bytes().splitlines()))
    return seen


@pytest.fixture
def first_sample(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in SAMPLES[:1]:
        (folder / f"{name}.txt").write_text((ARTICLES / f"{name}.txt").read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def test_a_failed_store_step_leaves_the_last_good_state_and_the_next_build_loses_nothing(tmp_path, first_sample):
    out, store = tmp_path / "out", tmp_path / "store"
    assert run_kg("build", str(first_sample), "-o", str(out), "--store", str(store), "-q").returncode == 0
    before = _snapshot(out, store)
    more = tmp_path / "more"
    more.mkdir()
    (more / f"{SAMPLES[1]}.txt").write_text((ARTICLES / f"{SAMPLES[1]}.txt").read_text(encoding="utf-8"),
                                            encoding="utf-8")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the store's folder would be")
    for bad_store in (blocked / "store", tmp_path):  # cannot be made; exists and is no kg store
        failed = run_kg("build", str(first_sample), str(more), "-o", str(out), "--store", str(bad_store), "-q")
        assert "store" in one_line_error(failed)
        assert _snapshot(out, store) == before  # outputs, manifest, store: exactly as they were
    again = run_kg("build", str(first_sample), str(more), "-o", str(out), "--store", str(store), "-q")
    assert again.returncode == 0, again.stderr
    assert len(graph_articles(out / "graph.ttl")) == 2
    answer = run_kg("query", str(store), "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a schema:NewsArticle }",
                    "--format", "csv")
    assert answer.stdout.split() == ["n", "2"]


def _kill_when(process: subprocess.Popen, ready, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, "the build ended before the moment to kill it"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _build_process(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kg.out.cli", "build", *args, "-q"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def test_a_store_killed_in_its_first_load_is_taken_over_by_the_next_build(tmp_path, first_sample):
    out, store = tmp_path / "out", tmp_path / "store"
    process = _build_process(str(first_sample), "-o", str(out), "--store", str(store))
    _kill_when(process, lambda: any((store / ".generations").glob("gen-*/data")))
    again = run_kg("build", str(first_sample), "-o", str(out), "--store", str(store), "-q")
    assert again.returncode == 0, again.stderr
    answer = run_kg("query", str(store), "ASK { ?a a schema:NewsArticle }", "--format", "csv")
    assert answer.returncode == 0 and "true" in answer.stdout
    assert len(list((store / ".generations").iterdir())) == 1  # the killed load's generation is gone


def _commit_then_die(staged) -> None:
    """In a forked child: commit, dying (as kill -9 would) right after the store is switched."""
    from kg.out.batch import commit as commit_module

    commit_module.switch_outputs = lambda *args: os._exit(9)
    commit_module.commit(staged)


def test_a_commit_killed_between_its_switches_is_finished_by_the_next_build(tmp_path, first_sample):
    from kg.out.batch.commit import Staged, recover
    from kg.out.batch.outputs import stage_outputs
    from kg.rdf.files import load_dataset
    from kg.rdf.store import stage_store

    out, store = tmp_path / "out", tmp_path / "store"
    assert run_kg("build", str(first_sample), "-o", str(out), "--store", str(store), "-q").returncode == 0
    dataset = load_dataset(out / "graph.trig")
    dataset.add(ox.Quad(ox.NamedNode("https://kg.example/x"), ox.NamedNode("https://kg.example/p"),
                        ox.Literal("committed"), ox.NamedNode("https://kg.example/x")))
    staged = Staged(out, store=store)

    def write(folder):
        for name in ("graph.ttl", "graph.trig", "graph.html"):
            (folder / name).write_text("committed", encoding="utf-8")

    staged.outputs = stage_outputs(out, write)
    staged.store_generation, _ = stage_store(dataset, store)
    next_manifest = out / ".kg-state" / "manifest.next.json"
    next_manifest.write_text((out / ".kg-state" / "manifest.json").read_text().replace("{", "{ ", 1))
    staged.manifest = True
    child = multiprocessing.get_context("fork").Process(target=_commit_then_die, args=(staged,))
    child.start()
    child.join()
    assert child.exitcode == 9
    assert (out / "graph.ttl").read_text() != "committed"  # killed between the store and the outputs
    recover(out)
    assert (out / "graph.ttl").read_text() == "committed" and not next_manifest.exists()
    answer = run_kg("query", str(store), 'ASK { ?s ?p "committed" }', "--format", "csv")
    assert "true" in answer.stdout


def _group(pgid: int) -> list[int]:
    """The live processes of process group ``pgid`` (zombies aside)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


@pytest.mark.parametrize("moment", ["extracting", "writing the page"])
def test_kill_9_of_a_build_leaves_no_process_and_a_rebuild_runs_at_once(tmp_path, moment):
    items = stream_slice_with_copies(120)
    feed = tmp_path / "slice.jsonl"
    feed.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    out = tmp_path / "out"
    process = _build_process(str(feed), "-o", str(out), "--workers", "2")
    if moment == "extracting":
        ready = lambda: len(_group(process.pid)) >= 3  # the build and its two workers
    else:
        ready = lambda: any((out / ".kg-outputs").glob("gen-*")) and len(_group(process.pid)) >= 2
    deadline = time.monotonic() + 180
    while not ready():
        assert process.poll() is None and time.monotonic() < deadline, "the build ended before the kill"
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)  # the build alone: its children must follow by themselves
    process.wait()
    deadline = time.monotonic() + 10
    while _group(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _group(process.pid) == []
    again = run_kg("build", str(feed), "-o", str(out), "-q")
    assert again.returncode == 0, again.stderr  # not refused by a lock an orphan holds
    assert graph_articles(out / "graph.ttl") == {i["id"] for i in items}


def _small_files() -> None:
    """In the child: files over 300 KB cannot be written (EFBIG), as on a disk that fills up."""
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))


def test_a_page_that_cannot_be_written_is_one_line_and_the_last_good_state_stays(tmp_path, first_sample):
    out = tmp_path / "out"
    assert run_kg("build", str(first_sample), "-o", str(out), "-q").returncode == 0
    before = {name: (out / name).read_bytes() for name in ("graph.ttl", "graph.html")}
    (first_sample / "more.txt").write_text((ARTICLES / f"{SAMPLES[1]}.txt").read_text(encoding="utf-8"))
    failed = subprocess.run([sys.executable, "-m", "kg.out.cli", "build", str(first_sample), "-o", str(out), "-q"],
                            cwd=ROOT, capture_output=True, text=True, preexec_fn=_small_files, check=False)
    assert "graph.html" in one_line_error(failed) and "()" not in failed.stderr
    assert {name: (out / name).read_bytes() for name in ("graph.ttl", "graph.html")} == before


def test_a_file_name_that_is_not_utf8_is_read(tmp_path, first_sample):
    folder = tmp_path / "names"
    folder.mkdir()
    odd = os.fsdecode(b"a\xff.txt")
    (folder / odd).write_text((ARTICLES / f"{SAMPLES[0]}.txt").read_text(encoding="utf-8"), encoding="utf-8")
    result = run_kg("build", str(folder), "-o", str(tmp_path / "out"), "-q")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert graph_articles(tmp_path / "out" / "graph.ttl") == {"a%5Cxff"}  # the byte escaped, the article kept


def _gz_of_lines(count: int) -> bytes:
    items = stream_slice_with_copies(count)[:count]
    return gzip.compress("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items).encode("utf-8")), items


@pytest.mark.parametrize("damage", ["truncated", "flipped"])
def test_a_damaged_gzip_keeps_its_good_lines_and_names_the_first_lost(tmp_path, damage):
    data, items = _gz_of_lines(30)
    if damage == "truncated":
        data = data[: len(data) * 2 // 3]
    else:
        middle = len(data) * 2 // 3
        data = data[:middle] + bytes(b ^ 0xFF for b in data[middle:middle + 8]) + data[middle + 8:]
    feed = tmp_path / "feed.jsonl.gz"
    feed.write_bytes(data)
    result = run_kg("build", str(feed), "-o", str(tmp_path / "out"), "-q")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    warning = [line for line in result.stderr.splitlines() if line.startswith("kg: warning:")]
    assert len(warning) == 1 and "feed.jsonl.gz" in warning[0] and "damaged gzip data" in warning[0]
    assert "UTF-8" not in warning[0] and "not JSON" not in warning[0]  # the damage, not an encoding problem
    first_lost = int(warning[0].split("from line ")[1].split(":")[0])
    kept = graph_articles(tmp_path / "out" / "graph.ttl")
    assert 1 < first_lost <= 30 and kept == {i["id"] for i in items[: first_lost - 1]}


def test_a_construct_answer_streams_past_the_sorted_size(tmp_path, monkeypatch, first_sample):
    import io as std_io

    from kg.rdf import query as query_module

    out = tmp_path / "out"
    assert run_kg("build", str(first_sample), "-o", str(out), "-q").returncode == 0
    source = query_module.open_source(str(out / "graph.ttl"))
    everything = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    whole = std_io.BytesIO()
    query_module.write_answer(whole, source, everything, "table", None)
    monkeypatch.setattr(query_module, "SORTED_TRIPLES_MAX", 50)
    monkeypatch.setattr(query_module, "TRIPLES_BLOCK", 40)
    for fmt, rdf_format in (("table", ox.RdfFormat.TURTLE), ("json", ox.RdfFormat.JSON_LD)):
        streamed = std_io.BytesIO()
        query_module.write_answer(streamed, source, everything, fmt, 30)
        assert streamed.getvalue().count(b"@prefix kg:") <= 1  # the prefixes once, at the top
        parsed = set(ox.parse(streamed.getvalue(), format=rdf_format))
        assert parsed == set(ox.parse(whole.getvalue(), format=ox.RdfFormat.TURTLE))


def test_view_writes_through_a_symbolic_link(tmp_path, first_sample):
    out = tmp_path / "out"
    assert run_kg("build", str(first_sample), "-o", str(out), "-q").returncode == 0
    target, link = tmp_path / "page.html", tmp_path / "link.html"
    target.write_text("old")
    link.symlink_to(target)
    assert run_kg("view", str(out / "graph.ttl"), "-o", str(link)).returncode == 0
    assert link.is_symlink() and "kg-data" in target.read_text(encoding="utf-8")


def test_a_malformed_date_leaves_the_article_undated_with_a_note(tmp_path):
    items = stream_slice_with_copies(6)[:6]
    items[1]["date"], items[2]["date"] = "yesterday", "2023-02-30"
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    result = run_kg("build", str(feed), "-o", str(tmp_path / "out"), "-q")
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if "read undated" in line]
    assert len(notes) == 2 and "feed.jsonl:2" in notes[0] and "feed.jsonl:3" in notes[1]
    assert graph_articles(tmp_path / "out" / "graph.ttl") == {i["id"] for i in items}
    dated = run_kg("query", str(tmp_path / "out" / "graph.ttl"),
                   "SELECT ?a WHERE { ?a a schema:NewsArticle ; schema:datePublished ?d }", "--format", "csv")
    assert items[1]["id"] not in dated.stdout and items[0]["id"] in dated.stdout


def test_articles_out_of_date_order_give_the_same_graph(tmp_path):
    items = stream_slice_with_copies(12)[:12]
    for name, order in (("sorted", items), ("shuffled", items[::-1][3:] + items[::-1][:3])):
        feed = tmp_path / f"{name}.jsonl"
        feed.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in order), encoding="utf-8")
        assert run_kg("build", str(feed), "-o", str(tmp_path / name), "-q").returncode == 0
    def without_places(name: str) -> list[bytes]:  # schema:url names the file and line an article came from
        text = (tmp_path / name / "graph.ttl").read_bytes()
        return [line for line in text.splitlines() if b".jsonl:" not in line]

    assert without_places("sorted") == without_places("shuffled")
