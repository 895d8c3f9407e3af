"""Datelines and headlines: the parts of an article the language layer finds."""

from __future__ import annotations

from kg.io.articles import make_article
from kg.nlp.article_parts import find_dateline, news_article, shape_article, split_headline

LEAD = "国务院总理李强28日在人民大会堂会见新加坡总理黄循财。李强表示，中方愿同新方深化合作。"


def test_dateline_at_end_gives_agency_place_date_reporters():
    line = find_dateline("……等参加。（新华社北京11月9日电记者李忠发、许可）", {"新华社"})
    assert (line.agency, line.place, line.month, line.day) == ("新华社", "北京", 11, 9)
    assert line.reporters == ["李忠发", "许可"]


def test_dateline_at_start_with_reporters_in_brackets():
    line = find_dateline("新华社华盛顿3月5日电（记者张三 李四）美国总统……", {"新华社"})
    assert (line.place, line.month, line.day, line.reporters) == ("华盛顿", 3, 5, ["张三", "李四"])


def test_dateline_is_removed_from_body_and_gives_month():
    article = news_article(LEAD + "（新华社北京3月28日电记者王明）", article_id="x")
    assert "新华社" not in article.text and article.month == 3 and article.dateline.reporters == ["王明"]


def test_headline_before_blank_line():
    headline, body = split_headline("李强会见黄循财\n\n" + LEAD)
    assert headline == "李强会见黄循财" and body == LEAD


def test_headline_glued_to_lead_is_split_at_the_subject():
    headline, body = split_headline("李强会见新加坡总理黄循财强调深化合作" + LEAD)
    assert headline == "李强会见新加坡总理黄循财强调深化合作"
    assert body.startswith("国务院总理李强28日")


def test_no_headline_when_text_starts_with_lead():
    assert split_headline(LEAD)[0] is None


def test_shaping_an_html_article_gives_the_bare_lead():
    raw = make_article(f"<html><body><p>{LEAD}</p></body></html>", article_id="h")
    assert raw.text != LEAD and shape_article(raw).text == LEAD


def test_shaping_changes_the_digest_with_the_text():
    raw = make_article("李强会见黄循财\n\n" + LEAD, article_id="d")
    shaped = shape_article(raw)
    assert shaped.title == "李强会见黄循财" and shaped.content_hash != raw.content_hash
    assert shaped.content_hash == make_article(LEAD, article_id="d").content_hash


def test_bylines_name_the_reporters_and_leave_the_body():
    article = news_article("本报讯（记者 孙明远 见习记者 赵雪）3月2日，市政府召开会议。", article_id="b")
    assert article.reporters == ["孙明远", "赵雪"] and "记者" not in article.text
    line = news_article("新华社杭州5月4日电\n新华社记者周立、吴桐\n钱塘江畔，游人如织。", article_id="c")
    assert line.reporters == ["周立", "吴桐"] or line.dateline.reporters + line.reporters == ["周立", "吴桐"]


def test_a_correspondent_a_photo_credit_and_a_reporter_in_the_story_are_not_bylines():
    from kg.nlp.article_parts import find_bylines
    from kg.nlp.lexicon import load_lexicon

    lexicon = load_lexicon()
    assert find_bylines("（记者 孙明远 通讯员 何平）", lexicon)[0][2] == ["孙明远"]
    assert find_bylines("他接受记者采访时说，记者王明看到了。", lexicon) == []
    assert find_bylines("会场一角。 新华社记者 周立 摄", lexicon) == []


def test_a_long_first_paragraph_before_a_footer_is_text_not_a_headline():
    from kg.io.articles import make_article
    from kg.nlp.article_parts import shape_article

    lead = "国务院总理李强28日在人民大会堂会见新加坡总理黄循财。李强表示，中方愿同新方深化合作。" * 3
    article = shape_article(make_article(lead + "\n\n责任编辑：张三", article_id="a"))
    assert article.title is None and article.text.startswith(lead)
    assert any("not as a headline" in note for note in article.notes)
    short = shape_article(make_article("李强会见黄循财\n\n" + lead, article_id="b"))
    assert short.title == "李强会见黄循财" and short.text == lead
