"""A build's outputs change together, one build per folder, no leftovers, one-line write errors (issue 16)."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from conftest import ROOT

from kg.out.batch.lock import FolderBusy, build_lock
from kg.out.batch.outputs import GENERATIONS, OUTPUTS, OutputError, publish


def _write_set(tag: str):
    def write(folder):
        for name in OUTPUTS:
            (folder / name).write_text(f"{tag} {name}", encoding="utf-8")
    return write


def _contents(out) -> set[str]:
    return {(out / name).read_text(encoding="utf-8").split()[0] for name in OUTPUTS}


def test_the_outputs_switch_as_one_set_and_a_failed_write_leaves_the_old_set(tmp_path):
    out = tmp_path / "out"
    publish(out, _write_set("old"))
    assert _contents(out) == {"old"}

    def half(folder):
        (folder / "graph.ttl").write_text("new graph.ttl", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match="No space left on device") as info:
        publish(out, half)
    assert "\n" not in str(info.value)
    assert _contents(out) == {"old"}  # never the new graph.ttl beside the old graph.trig
    publish(out, _write_set("new"))
    assert _contents(out) == {"new"}
    generations = [p for p in (out / GENERATIONS).iterdir() if p.is_dir() and not p.is_symlink()]
    assert len(generations) == 1  # the replaced one and the failed one are gone
    assert oct((out / "graph.ttl").resolve().stat().st_mode & 0o777) == "0o644"


def test_a_generation_a_killed_build_left_is_removed_by_the_next_build(tmp_path):
    out = tmp_path / "out"
    publish(out, _write_set("one"))
    left = out / GENERATIONS / "gen-killed"
    left.mkdir()
    (left / "graph.ttl").write_text("half", encoding="utf-8")
    publish(out, _write_set("two"))
    assert not left.exists() and _contents(out) == {"two"}


def test_files_of_an_older_kg_are_replaced_by_the_links(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name in OUTPUTS:
        (out / name).write_text("legacy", encoding="utf-8")
    publish(out, _write_set("linked"))
    assert _contents(out) == {"linked"} and all((out / name).is_symlink() for name in OUTPUTS)


def test_a_second_build_into_the_same_folder_fails_naming_the_holder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from kg.out.batch.lock import build_lock\n"
        f"with build_lock(Path({str(out)!r})):\n    print('held', flush=True); time.sleep(60)")],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(FolderBusy, match=f"process {holder.pid}") as info, build_lock(out):
            pass
        assert "\n" not in str(info.value)
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.1)
    with build_lock(out):  # the kernel released the killed holder's lock
        pass


def test_a_failed_build_into_a_new_folder_leaves_no_folder(tmp_path):
    out = tmp_path / "new"
    with pytest.raises(RuntimeError), build_lock(out):
        raise RuntimeError("the build failed before writing")
    assert not out.exists()


def test_two_kg_builds_at_once_into_one_folder_lose_nothing_silently(tmp_path):
    from conftest import ARTICLES
    from test_cli import KG

    runs = [subprocess.Popen([*KG, "build", str(ARTICLES), "-o", str(tmp_path / "o"), "-q"], cwd=ROOT,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    codes = [run.wait(timeout=600) for run in runs]
    errors = [run.stderr.read() for run in runs]
    assert sorted(codes) in ([0, 0], [0, 1])  # the second either waited its turn (it did not) or failed
    for code, err in zip(codes, errors):
        if code:
            assert "another kg build is writing here" in err and len(err.strip().splitlines()) == 1
    assert all((tmp_path / "o" / name).is_file() for name in OUTPUTS)


def test_an_output_folder_copied_with_its_links_followed_still_builds(tmp_path):
    import shutil

    out = tmp_path / "out"
    publish(out, _write_set("one"))
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)  # follows links: plain files and a plain "current" folder
    assert not (copy / "graph.ttl").is_symlink() and _contents(copy) == {"one"}
    publish(copy, _write_set("two"))
    assert _contents(copy) == {"two"} and _contents(out) == {"one"}
    assert len([p for p in (copy / GENERATIONS).iterdir() if p.is_dir() and not p.is_symlink()]) == 1
