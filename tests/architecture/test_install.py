"""An installed kg runs: the wheel carries the lexicons, the schemas, the page assets and the NER model."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig

from conftest import ARTICLES, ROOT, SAMPLES


def test_a_wheel_installed_elsewhere_builds_a_sample(tmp_path):
    dist, target, work = tmp_path / "dist", tmp_path / "target", tmp_path / "work"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(dist), str(ROOT)], check=True, capture_output=True)
    (wheel,) = dist.glob("kg-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    work.mkdir()
    shutil.copy(ARTICLES / f"{SAMPLES[0]}.txt", work / "a.txt")
    # -S: no site hooks, so the editable install of this checkout cannot answer for `kg`;
    # the dependencies come from this venv's site-packages, kg from the installed wheel only.
    code = (f"import sys; sys.path[:0] = [{str(target)!r}, {sysconfig.get_paths()['purelib']!r}]\n"
            "import kg; assert kg.__file__.startswith(sys.path[0]), kg.__file__\n"
            "from kg.out.cli import main\n"
            "sys.exit(main(['build', 'a.txt', '-o', 'out']))\n")
    run = subprocess.run([sys.executable, "-S", "-c", code], check=False, cwd=work, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert re.search(r"\b[1-9]\d* facts", run.stdout), run.stdout
    assert all((work / "out" / name).stat().st_size > 0 for name in ("graph.ttl", "graph.trig", "graph.html"))
