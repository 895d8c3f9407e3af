"""The pipeline's tokenizer (kg's FastPkuseg) cuts exactly as spacy-pkuseg does, on news text and odd input."""

from __future__ import annotations

import itertools
from itertools import pairwise

import pytest
from conftest import ARTICLES, SHARED
from spacy.lang.zh import ChineseTokenizer, try_pkuseg_import

from kg.nlp.segmenter.fast import FastPkuseg
from kg.nlp.segmenter.model import FAST_FEATURES, require_model
from kg.nlp.tokenizer import FastPkusegTokenizer

MSRA_TRAIN = SHARED / "corpora" / "msra-ner" / "train.bio"
ODD_TEXTS = [
    "李斌、何维参加会见。马拉维总统穆塔里卡在廊坊考察。",
    "1998年，ABC公司-北京.中国* 李斌  与\u3000王毅\n会见：１２３％／ｘｙｚ",  # pkuseg's renamed and normalized characters
    "a", "中", "。", "  ", "中华人民共和国国务院总理李克强", "https://example.org/a_b|c",
    "國務院副總理汪洋會見美國總統特朗普",  # traditional characters
]


@pytest.fixture(scope="module")
def reference(nlp):
    """spaCy's own Chinese tokenizer with spacy-pkuseg's own segmenter, loaded the stock way."""
    tokenizer = ChineseTokenizer(nlp.vocab, segmenter="pkuseg")
    tokenizer.pkuseg_seg = try_pkuseg_import(str(require_model()), "default")
    return tokenizer


def msra_paragraphs(count: int, size: int = 1500) -> list[str]:
    """``count`` stretches of about ``size`` characters of MSRA news sentences."""
    out, current = [], []
    with open(MSRA_TRAIN, encoding="utf-8") as handle:
        for line in itertools.islice(handle, 400_000):
            if line.strip():
                current.append(line.split("\t", 1)[0])
            elif len(current) >= size:
                out.append("".join(current))
                current = []
                if len(out) == count:
                    break
    return out


def test_pipeline_uses_kg_segmenter(nlp):
    assert isinstance(nlp.tokenizer, FastPkusegTokenizer)
    assert isinstance(nlp.tokenizer.pkuseg_seg, FastPkuseg)
    assert (require_model() / FAST_FEATURES).is_file()


def test_fast_segmenter_cuts_like_spacy_pkuseg(nlp, reference):
    texts = [path.read_text(encoding="utf-8") for path in sorted(ARTICLES.glob("*.txt"))]
    texts += ODD_TEXTS + msra_paragraphs(60)
    assert sum(map(len, texts)) > 80_000
    for text in texts:
        assert [t.text_with_ws for t in nlp.tokenizer(text)] == [t.text_with_ws for t in reference(text)], text[:40]


def test_dictionary_merge_matches_spacy_pkuseg(nlp, reference):
    """The boundary merge against spacy-pkuseg's Postprocesser, from cuts that leave it much to do."""
    segmenter = nlp.tokenizer.pkuseg_seg
    merged = 0
    for text in ODD_TEXTS + msra_paragraphs(5, size=300):
        for step in (1, 2, 3):  # every character a word, then pairs, then triples
            bounds = [*range(0, len(text), step), len(text)]
            words = [text[a:b] for a, b in pairwise(bounds)]
            expected = reference.pkuseg_seg.postprocesser(list(words))
            segmenter._merge_words(text, bounds)
            assert [text[a:b] for a, b in pairwise(bounds)] == expected
            merged += len(words) - len(expected)
    assert merged > 100


def test_feature_indices_match_spacy_pkuseg(nlp, reference):
    """Each character's feature indices, in order, against spacy-pkuseg's extractor (before any decoding)."""
    templates = nlp.tokenizer.pkuseg_seg.templates
    extractor = reference.pkuseg_seg.feature_extractor
    for text in ODD_TEXTS + msra_paragraphs(3, size=500):
        nodes = list(extractor.normalize_text(text))
        expected = [extractor.get_node_features_idx(i, nodes) for i in range(len(nodes))]
        assert templates.features(text) == expected, text[:40]
