"""Name counts (kg.nlp.ner.name_parts) and the splitting of glued name lists (kg.nlp.ner.name_lists)."""

from __future__ import annotations

import math

import pytest

from kg.nlp.ner.component import ModelMissingError, load_name_pool
from kg.nlp.ner.name_lists import best_names, split_name_lists
from kg.nlp.ner.name_parts import NamePool


@pytest.fixture(scope="module")
def pool() -> NamePool:
    """The counts shipped beside the model (MSRA training persons)."""
    return load_name_pool()


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe\x00", b"[]", b'{"surnames": []}',
                                     (b'{"surnames": [], "family": {}, "given": {}, "given_lengths": {"x": 1},'
                                     b' "foreign": {}, "foreign_lengths": {}}')])
def test_unreadable_counts_are_a_one_line_error(tmp_path, content):
    (tmp_path / "name_parts.json").write_bytes(content)
    with pytest.raises(ModelMissingError, match="name_parts.json is unreadable .*make train"):
        load_name_pool(tmp_path)


def _names(text: str, spans) -> list[str]:
    return [text[s:e] for s, e, label in spans if label == "PER"]


def test_counts_survive_a_round_trip(tmp_path):
    pool = NamePool.from_names(["王小明", "欧阳春", "李华", "克林顿", "帕巴拉·格列朗"], ["王", "李", "欧阳"])
    assert pool.family == {"王": 1, "欧阳": 1, "李": 1}
    assert pool.given_lengths == {2: 1, 1: 2}
    pool.to_json(tmp_path / "parts.json")
    again = NamePool.from_json(tmp_path / "parts.json")
    assert (again.family, again.given, again.foreign, again.foreign_lengths, again.surnames) == \
        (pool.family, pool.given, pool.foreign, pool.foreign_lengths, pool.surnames)


def test_a_name_scores_above_a_name_cut_wrong(pool):
    assert pool.log_prob("李瑞环") > pool.log_prob("李瑞环彭")
    assert pool.log_prob("·格列") == -math.inf, "a dot never ends or starts a name"


def test_glued_names_split_at_the_right_places(pool):
    text = "王光英程思远卢嘉锡吴阶平宋健"
    assert [text[s:e] for s, e in best_names(text, pool)] == ["王光英", "程思远", "卢嘉锡", "吴阶平", "宋健"]


def test_a_glued_run_found_by_the_model_is_split_again(pool):
    """The model's wrong cuts in a list without separators are replaced; notes part names."""
    text = "委员：张光明刘志华（女）陈国强王建军李秀英赵德明等。"
    model = [(3, 7, "PER"), (7, 9, "PER"), (12, 17, "PER"), (17, 24, "PER")]
    assert _names(text, split_name_lists(text, model, pool)) == \
        ["张光明", "刘志华", "陈国强", "王建军", "李秀英", "赵德明"]


def test_persons_parted_by_commas_are_left_as_the_model_found_them(pool):
    text = "张光明、刘志华、陈国强、王建军、李秀英参加会见。"
    model = [(0, 3, "PER"), (4, 7, "PER"), (8, 11, "PER"), (12, 15, "PER"), (16, 19, "PER")]
    assert split_name_lists(text, model, pool) == model


def test_a_short_run_and_other_labels_are_left_alone(pool):
    text = "李鹏乔石在北京会见了来访的客人。"
    model = [(0, 4, "PER"), (5, 7, "LOC")]
    assert split_name_lists(text, model, pool) == model, "fewer than four persons is no list"
