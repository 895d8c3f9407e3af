"""The vocabulary comes from the ontology, and every one-line error is a KgError."""

from __future__ import annotations

import ast
import importlib

import pytest
from conftest import ROOT
from rdflib.namespace import RDFS

from kg import KgError
from kg.rdf.vocab import KG, SDO, VocabularyError, display_name, kg_term, named, ontology


def test_an_undeclared_kg_term_is_an_error_not_a_new_iri():
    assert kg_term("Talks") == KG.Talks
    with pytest.raises(VocabularyError, match="kg:Parade is not declared in kg.ttl"):
        kg_term("Parade")
    with pytest.raises(KeyError):
        KG["Parade"]


def test_every_event_class_of_the_lexicon_is_declared():
    from kg.nlp.lexicon import load_lexicon

    for klass in set(load_lexicon().events.values()):
        assert (kg_term(klass), RDFS.subClassOf, SDO.Event) in ontology()


def test_page_names_come_from_the_ontology_labels():
    from kg.out.network import EDGE_TYPES, NODE_TYPES

    assert NODE_TYPES[named(SDO.Person)] == ("人物 Person", "#e4572e")
    assert list(EDGE_TYPES.values())[:2] == ["担任 holds", "会见 met"]
    assert display_name(KG.met) == "会见 met"


def _error_classes():
    for path in sorted((ROOT / "kg").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and node.name.endswith("Error"):
                yield module, node.name


def test_every_error_type_is_a_kg_error():
    found = list(_error_classes())
    assert len(found) >= 10
    for module, name in found:
        klass = getattr(importlib.import_module(module), name)
        assert issubclass(klass, KgError), f"{module}.{name} does not derive from kg.KgError"
