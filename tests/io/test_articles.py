"""Reading articles: formats, metadata, bad input (datelines and headlines: tests/nlp/test_article_parts.py)."""

from __future__ import annotations

import json

import pytest

from kg.io.articles import ArticleError, iter_articles

LEAD = "国务院总理李强28日在人民大会堂会见新加坡总理黄循财。李强表示，中方愿同新方深化合作。"


def test_jsonl_fields(tmp_path):
    path = tmp_path / "a.jsonl"
    rows = [{"id": "n1", "title": "标题", "date": "2024-03-28", "source": "新华社", "text": LEAD}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    (article,) = iter_articles([path])
    assert (article.id, article.title, article.year, article.source) == ("n1", "标题", 2024, "新华社")


def test_gbk_file_is_read_with_a_note(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(LEAD.encode("gbk"))
    (article,) = iter_articles([path])
    assert article.text == LEAD and "GB18030" in article.notes[0]


def test_html_is_reduced_to_text(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(f"<html><body><p>{LEAD}</p><script>alert(1)</script></body></html>", encoding="utf-8")
    (article,) = iter_articles([path])
    assert article.text.strip() == LEAD and "<" not in article.text


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    (b"\xff\xfe\xfa\xfb" * 10, "neither UTF-8"),
])
def test_bad_files_give_one_line_errors(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleError) as info:
        list(iter_articles([path]))
    message = str(info.value)
    assert reason in message and str(path) in message and "\n" not in message


def test_huge_article_is_refused(tmp_path, monkeypatch):
    from kg.io import articles

    monkeypatch.setattr(articles, "MAX_CHARS", 100)
    path = tmp_path / "big.txt"
    path.write_text(LEAD * 10, encoding="utf-8")
    with pytest.raises(ArticleError, match="over the limit"):
        list(iter_articles([path]))


def test_bad_jsonl_line_names_the_line(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "1", "text": "文本。"}\n{not json}\n', encoding="utf-8")
    with pytest.raises(ArticleError, match=r"a\.jsonl:2: not JSON"):
        list(iter_articles([path]))


def test_missing_input_is_an_error(tmp_path):
    with pytest.raises(ArticleError, match="no such file"):
        list(iter_articles([tmp_path / "nope.txt"]))
