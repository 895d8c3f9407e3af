"""The title/name grammar, on sentences written for the tests (not the samples)."""

from __future__ import annotations

import pytest

from kg.nlp.grammar import Grammar, find_dates


@pytest.fixture(scope="module")
def grammar(lexicon):
    return Grammar(lexicon)


def chains(grammar, text):
    return [(t.name, [o.text for o in t.offices if o.is_post]) for t in grammar.titled_names(text)]


def test_three_posts_in_one_chain(grammar):
    text = "中共中央政治局委员、中央书记处书记、中央组织部部长陈希出席。"
    assert chains(grammar, text) == [("陈希", ["中共中央政治局委员", "中央书记处书记", "中央组织部部长"])]


def test_foreign_title_reads_a_transliterated_name(grammar):
    assert chains(grammar, "俄罗斯总统普京今天在克里姆林宫会见客人。") == [("普京", ["俄罗斯总统"])]


def test_name_stops_before_a_verb(grammar):
    assert chains(grammar, "国务院副总理何立峰出席。")[0][0] == "何立峰"
    assert chains(grammar, "外交部部长王毅在北京会见客人。")[0][0] == "王毅"


def test_jian_joins_offices(grammar):
    assert chains(grammar, "国务委员兼国防部部长董军参加。") == [("董军", ["国务委员", "国防部部长"])]


def test_bare_title_is_a_post_as_written_but_unqualified(grammar):
    found = grammar.titled_names("他说，总统李明将访问。")
    offices = [o for t in found for o in t.offices]
    assert [(o.text, o.is_post, o.qualified) for o in offices] == [("总统", True, False)]


def test_word_after_title_is_not_a_name(grammar):
    assert chains(grammar, "国家主席保持密切沟通。") == []
    assert chains(grammar, "是我同总统海湖庄园会晤时作出的决定。") == []


def test_honorific_after_a_known_name(grammar):
    text = "我同马克龙总统会晤。"
    (found,) = grammar.honorific_names(text, {"马克龙"})
    assert text[found[0]:found[1]] == "马克龙"


@pytest.mark.parametrize("text, expected", [
    ("2024年3月28日", (2024, 3, 28)), ("11月9日", (None, 11, 9)), ("9日", (None, None, 9)),
    ("十一月九日", (None, 11, 9)),
])
def test_dates(text, expected):
    (date,) = find_dates(text)
    assert (date.year, date.month, date.day) == expected
