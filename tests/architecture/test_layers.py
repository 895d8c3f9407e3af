"""The layers import one way: io → nlp → facts → rdf → out, read from the source's import statements.

The facts records are the seam: the language side makes them (so ``kg.nlp``
may import ``kg.facts``) and the RDF side reads them, and neither side knows
the other: ``kg.rdf`` never imports ``kg.nlp``, so building RDF loads no spaCy.
"""

from __future__ import annotations

import ast
import subprocess
import sys

from conftest import ROOT

#: layer -> the layers its modules may import (besides their own and the package root ``kg``)
ALLOWED = {
    "io": set(),
    "facts": {"io"},
    "nlp": {"io", "facts"},
    "rdf": {"io", "facts"},
    "out": {"io", "nlp", "facts", "rdf"},
}


def _module_name(path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "kg" else None


def _imports(path, module: str) -> set[str]:
    """Every kg module ``path`` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = module.split(".")[: len(module.split(".")) - node.level + (path.name == "__init__.py")]
                found.add(".".join([*base, node.module] if node.module else base))
            elif node.module:
                found.add(node.module)
                found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name == "kg" or name.startswith("kg.")}


def layer_violations() -> list[str]:
    """``module -> imported`` for every import that runs against the layers."""
    bad = []
    for path in sorted((ROOT / "kg").rglob("*.py")):
        module = _module_name(path)
        layer = _layer(module)
        if layer is None:
            continue
        assert layer in ALLOWED, f"{module}: kg/{layer} is not one of the layers {sorted(ALLOWED)}"
        for imported in sorted(_imports(path, module)):
            other = _layer(imported)
            if other is not None and other != layer and other in ALLOWED and other not in ALLOWED[layer]:
                bad.append(f"{module} -> {imported}")
    return bad


def test_every_module_belongs_to_a_layer():
    tops = {p.name for p in (ROOT / "kg").iterdir() if not p.name.startswith(("_", "."))}
    assert tops == set(ALLOWED), "kg/ holds only the layers (and __init__.py)"


def test_no_module_imports_against_the_layers():
    assert layer_violations() == []


def test_the_check_sees_a_violation(tmp_path, monkeypatch):
    """The reader itself: a function-level import of kg.nlp inside kg.rdf is caught."""
    fake = tmp_path / "kg" / "rdf"
    fake.mkdir(parents=True)
    for layer in ALLOWED:
        (tmp_path / "kg" / layer).mkdir(exist_ok=True)
    (fake / "bad.py").write_text("def f():\n    from kg.nlp.pipeline import shared_pipeline\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert layer_violations() == ["kg.rdf.bad -> kg.nlp.pipeline", "kg.rdf.bad -> kg.nlp.pipeline.shared_pipeline"]


def test_building_rdf_loads_no_spacy():
    code = ("import sys, kg.rdf.build, kg.rdf.files, kg.facts.stories, kg.facts.json_form; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc', 'spacy_pkuseg')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_pyproject_lists_every_package_and_maps_the_data():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    code = {_module_name(p.parent) for p in (ROOT / "kg").rglob("__init__.py")}
    mapped = set(config["package-dir"])
    assert set(config["packages"]) == code | mapped
    for package, folder in config["package-dir"].items():
        assert (ROOT / folder / "__init__.py").is_file(), f"{package}: {folder} is not importable"
