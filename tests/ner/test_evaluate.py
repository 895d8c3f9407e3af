"""The scorer behind ``make bench-ner``: exact spans, per label and overall."""

from __future__ import annotations

import pytest

from kg.nlp.ner.train.evaluate import main, prf, score


def test_exact_span_scores_per_label_and_overall():
    gold = [{(0, 3, "PER"), (4, 6, "LOC")}, {(0, 2, "ORG")}]
    predicted = [{(0, 3, "PER"), (4, 7, "LOC")}, {(0, 2, "ORG"), (3, 5, "PER")}]
    table = score(gold, predicted)
    assert table["PER"][:3] == pytest.approx((0.5, 1.0, 2 / 3))
    assert table["LOC"][:3] == (0.0, 0.0, 0.0)
    assert table["ORG"] == (1.0, 1.0, 1.0, 1)
    assert table["ALL"][:3] == pytest.approx((0.5, 2 / 3, 4 / 7))
    assert table["ALL"][3] == 3


def test_prf_is_zero_where_undefined():
    assert prf(0, 0, 0) == (0.0, 0.0, 0.0)


def test_missing_test_file_is_one_line_error(tmp_path, capsys):
    assert main([str(tmp_path / "none.bio")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and len(err.strip().splitlines()) == 1
