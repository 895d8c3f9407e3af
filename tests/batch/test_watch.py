"""kg build --watch: a real watching process rebuilds on new, changed and bad inputs, and stops on SIGTERM."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ARTICLES, ROOT, SAMPLES

from kg.out.batch.build import run_build

TIMEOUT = 240  # the first round loads the models


def wait_for(condition, what: str, process: subprocess.Popen, timeout: float = TIMEOUT):
    """Poll ``condition`` until it is truthy; fail with the watcher's output if it never is."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if process.poll() is not None:
            break
        time.sleep(0.2)
    process.kill()
    out, err = process.communicate()
    pytest.fail(f"watch: {what} did not happen\nstdout: {out}\nstderr: {err}")


def report_with(path: Path, **expected):
    """The --report JSON once it holds the ``expected`` values, else None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if all(data.get(k) == v for k, v in expected.items()) else None


def test_watch_rebuilds_on_new_changed_and_bad_inputs_then_stops(tmp_path):
    inbox, out, report = tmp_path / "inbox", tmp_path / "out", tmp_path / "report.json"
    inbox.mkdir()
    first, second = (ARTICLES / f"{name}.txt" for name in SAMPLES)
    shutil.copy(first, inbox)
    watcher = subprocess.Popen(
        [sys.executable, "-m", "kg.out.cli", "build", str(inbox), "-o", str(out), "--watch", "--interval", "0.2",
         "-q", "--report", str(report)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: report_with(report, articles=1, extracted=1), "the first build", watcher)

        # A new article: only it is extracted, and the graph equals a build from scratch.
        shutil.copy(second, inbox)
        wait_for(lambda: report_with(report, articles=2, extracted=1, unchanged=1), "the rebuild", watcher)
        run_build([str(inbox)], tmp_path / "scratch", progress=False)
        assert (out / "graph.trig").read_bytes() == (tmp_path / "scratch" / "graph.trig").read_bytes()
        assert report_with(report, same_story_pairs=1)

        # An edited article replaces its facts.
        edited = inbox / first.name
        edited.write_text(first.read_text(encoding="utf-8").replace("汪洋", "胡春华"), encoding="utf-8")
        # The round is over when every output has it (they are swapped in one after another).
        wait_for(lambda: all("胡春华" in (out / name).read_text(encoding="utf-8")
                             for name in ("graph.ttl", "graph.trig", "graph.html")), "the edit", watcher)

        # A bad file is a one-line error; the outputs of the last good round stay.
        before = (out / "graph.trig").read_bytes()
        (inbox / "broken.txt").write_bytes(b"\xff\xfe\x00binary")
        time.sleep(3)
        assert watcher.poll() is None, "the watch goes on after a bad input"
        assert (out / "graph.trig").read_bytes() == before
    finally:
        watcher.send_signal(signal.SIGTERM)
        try:
            stdout, stderr = watcher.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            watcher.kill()
            raise
    assert watcher.returncode == 0, stderr
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("kg: error:")]
    assert len(errors) == 1 and "broken.txt" in errors[0], stderr
    assert stderr.rstrip().endswith("kg: watch stopped")
    assert stdout.count("article(s)") == 3, stdout  # three good rounds, each summarised in one line


def test_an_input_gone_between_two_looks_is_no_snapshot(tmp_path):
    from kg.out.batch.watch import input_snapshot

    assert input_snapshot([str(tmp_path / "gone")]) is None
