"""notebooks/tour.ipynb runs from top to bottom in a real Jupyter kernel."""

from __future__ import annotations

import tempfile
from pathlib import Path

import nbformat
from conftest import ROOT
from nbclient import NotebookClient

NOTEBOOK = ROOT / "notebooks" / "tour.ipynb"


def test_tour_notebook_executes_without_errors():
    before = set(Path(tempfile.gettempdir()).glob("kg-tour-*"))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # nbclient raises CellExecutionError on the first failing cell.
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "汪洋" in text and "国务院副总理" in text, "the offices table"
    assert "特朗普" in text and "人民大会堂" in text, "the meetings table"
    assert any("image/png" in o.get("data", {}) for o in outputs), "the meetings network is drawn"
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 2, "the timeline is drawn"
    assert "美国总统" in text, "the career table"
    assert any("srcdoc" in o.get("data", {}).get("text/html", "") for o in outputs), "the page is shown inline"
    assert "Glyph" not in text, "the drawing found a CJK font"
    assert set(Path(tempfile.gettempdir()).glob("kg-tour-*")) <= before, "the tour removes its folder"


def test_nbconvert_is_installed_to_run_the_notebook():
    import shutil
    import subprocess
    import sys

    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent))
    assert jupyter, "jupyter (nbconvert's command) is in the .venv"
    version = subprocess.run([jupyter, "nbconvert", "--version"], capture_output=True, text=True, check=False)
    assert version.returncode == 0 and version.stdout.strip(), version.stderr


def test_notebook_is_committed_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
