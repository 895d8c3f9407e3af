"""Shared fixtures: the pipeline (loaded once), sample articles, built sample graphs."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ARTICLES = ROOT / "data" / "articles"
SAMPLES = sorted(p.stem for p in ARTICLES.glob("*.txt"))


@pytest.fixture(scope="session")
def nlp():
    from kg.nlp.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def lexicon():
    from kg.nlp.lexicon import load_lexicon

    return load_lexicon()


@pytest.fixture(scope="session")
def extract_text(nlp):
    """text -> ArticleFacts, through the real pipeline."""
    from kg.nlp.article_parts import news_article
    from kg.nlp.doc_facts import facts_from_doc

    def run(text: str, article_id: str = "t"):
        article = news_article(text, article_id=article_id)
        return facts_from_doc(article, nlp(article.text))

    return run


@pytest.fixture(scope="session")
def built(tmp_path_factory, nlp):
    """Each sample built alone, and both together (also into an Oxigraph store): name -> output folder."""
    from kg.out.cli import main

    out = {}
    base = tmp_path_factory.mktemp("built")
    for name in SAMPLES:
        assert main(["build", str(ARTICLES / f"{name}.txt"), "-o", str(base / name)]) == 0
        out[name] = base / name
    assert main(["build", str(ARTICLES), "-o", str(base / "all"), "--store", str(base / "store")]) == 0
    out["all"] = base / "all"
    out["store"] = base / "store"
    return out


def relation_pairs(facts, relation: str) -> set[tuple[str, str]]:
    """(subject label, object label) of the facts of one relation."""
    return {(f.subject.label, getattr(f.object, "label", str(f.object))) for f in facts.facts
            if f.relation == relation}


def read_with_rdflib(path):
    """A graph file as rdflib reads it (a second parser, independent of kg's): a Dataset whose default is the union."""
    from rdflib import Dataset
    from rdflib.util import guess_format

    return Dataset(default_union=True).parse(str(path), format=guess_format(str(path)))
