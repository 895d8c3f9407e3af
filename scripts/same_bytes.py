"""Same input, same bytes: digests of kg's outputs for fixed inputs, recorded and checked.

Builds the two samples and the 98 items of ``../shared/corpora/news-dev``,
all together and each alone, in one process (the models load once), and
takes the sha256 of ``graph.ttl``, ``graph.trig`` and the page's data (the
JSON block of ``graph.html``; the page's scripts and styles may change).

    python scripts/same_bytes.py record   # after a deliberate change of output
    python scripts/same_bytes.py check    # a refactor: every digest must stay

The digests live in ``tests/data/output_digests.json``; ``tests/test_same_bytes.py``
runs the check in ``make test``.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = ROOT / "data" / "articles"
NEWS_DEV = SHARED / "corpora" / "news-dev" / "articles.jsonl"
DIGESTS = ROOT / "tests" / "data" / "output_digests.json"
PAGE_DATA = re.compile(r'<script type="application/json" id="kg-data">(.*?)</script>', re.DOTALL)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def output_digests(folder: Path) -> dict[str, str]:
    """sha256 of graph.ttl, graph.trig and the page's data in one output folder."""
    page = (folder / "graph.html").read_text(encoding="utf-8")
    match = PAGE_DATA.search(page)
    return {
        "graph.ttl": _sha((folder / "graph.ttl").read_bytes()),
        "graph.trig": _sha((folder / "graph.trig").read_bytes()),
        "page-data": _sha(match.group(1).encode("utf-8")) if match else "no data block",
    }


def build_inputs(work: Path) -> dict[str, list[Path]]:
    """Name -> the inputs of one build: the samples and news-dev, together and one by one.

    The inputs are copied under ``work`` and named relative to it: a graph
    records each article's path (``schema:url``), which must not depend on
    where the clone or the temporary folder is.
    """
    (work / "samples").mkdir()
    (work / "items").mkdir()
    inputs: dict[str, list[Path]] = {"samples": [Path("samples")]}
    for path in sorted(SAMPLES.glob("*.txt")):
        shutil.copy(path, work / "samples" / path.name)
        inputs[f"sample/{path.stem}"] = [Path("samples") / path.name]
    shutil.copy(NEWS_DEV, work / "news-dev.jsonl")
    inputs["news-dev"] = [Path("news-dev.jsonl")]
    for line in NEWS_DEV.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)["id"]
            (work / "items" / f"{item}.jsonl").write_text(line + "\n", encoding="utf-8")
            inputs[f"news-dev/{item}"] = [Path("items") / f"{item}.jsonl"]
    return inputs


def compute() -> dict[str, dict[str, str]]:
    """Build every input set into a fresh folder and digest its outputs."""
    from kg.out.cli import main

    digests = {}
    here = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="kg-same-bytes-") as tmp:
        work = Path(tmp)
        try:
            os.chdir(work)
            for name, paths in build_inputs(work).items():
                out = work / "out" / name.replace("/", "_")
                with contextlib.redirect_stdout(io.StringIO()):  # the build summaries
                    code = main(["build", *map(str, paths), "-o", str(out), "-q"])
                if code != 0:
                    raise SystemExit(f"kg build of {name} failed with status {code}")
                digests[name] = output_digests(out)
        finally:
            os.chdir(here)
    return digests


def differences(recorded: dict, now: dict) -> list[str]:
    """One line per build whose outputs differ from the recorded ones."""
    lines = []
    for name in sorted(set(recorded) | set(now)):
        if name not in now or name not in recorded:
            lines.append(f"{name}: {'not built' if name not in now else 'not recorded'}")
        elif recorded[name] != now[name]:
            changed = sorted(k for k in set(recorded[name]) | set(now[name]) if recorded[name].get(k) != now[name].get(k))
            lines.append(f"{name}: {', '.join(changed)}")
    return lines


def main(argv: list[str]) -> int:
    if argv not in (["record"], ["check"]):
        print("usage: same_bytes.py record|check", file=sys.stderr)
        return 2
    now = compute()
    if argv == ["record"]:
        DIGESTS.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"recorded {len(now)} builds in {DIGESTS.relative_to(ROOT)}")
        return 0
    diff = differences(json.loads(DIGESTS.read_text(encoding="utf-8")), now)
    for line in diff:
        print(f"differs: {line}")
    print(f"{len(now) - len(diff)} of {len(now)} builds give the recorded bytes")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
