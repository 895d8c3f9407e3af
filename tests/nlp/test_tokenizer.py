"""The pipeline's tokenizer loads pkuseg through kg's fast loader and cuts exactly as spacy-pkuseg does."""

from __future__ import annotations

from conftest import ARTICLES
from spacy.lang.zh import ChineseTokenizer, try_pkuseg_import

from kg.nlp.tokenizer import FastPkusegTokenizer
from kg.segmenter_model import FAST_FEATURES, require_model


def test_fast_loader_cuts_like_spacy_pkuseg(nlp):
    assert isinstance(nlp.tokenizer, FastPkusegTokenizer)
    folder = require_model()
    assert (folder / FAST_FEATURES).is_file()
    reference = ChineseTokenizer(nlp.vocab, segmenter="pkuseg")  # spaCy's own, with spacy-pkuseg's loader
    reference.pkuseg_seg = try_pkuseg_import(str(folder), "default")
    texts = [path.read_text(encoding="utf-8") for path in sorted(ARTICLES.glob("*.txt"))]
    texts.append("李斌、何维参加会见。马拉维总统穆塔里卡在廊坊考察。")
    for text in texts:
        assert [t.text_with_ws for t in nlp.tokenizer(text)] == [t.text_with_ws for t in reference(text)]
