"""Reading articles: formats, metadata, bad input (datelines and headlines: tests/nlp/test_article_parts.py)."""

from __future__ import annotations

import json
from pathlib import Path

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


# --- hostile and careless input (issue 16) ------------------------------------------------------------


def _one_line_error(inputs) -> str:
    with pytest.raises(ArticleError) as info:
        list(iter_articles(inputs))
    message = str(info.value)
    assert "\n" not in message
    return message


def test_what_is_not_a_regular_file_is_refused_without_reading_it(tmp_path):
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # open() on it would block for ever
    assert "not a regular file" in _one_line_error([fifo])
    assert "not a regular file" in _one_line_error([Path("/dev/zero")])


def test_a_file_is_read_no_further_than_the_limit(tmp_path, monkeypatch):
    from kg.io import articles

    monkeypatch.setattr(articles, "MAX_BYTES", 64)
    path = tmp_path / "long.txt"
    path.write_text(LEAD * 100, encoding="utf-8")
    assert "over the limit" in _one_line_error([path])


def test_a_jsonl_line_is_read_no_longer_than_the_limit(tmp_path, monkeypatch):
    from kg.io import articles

    monkeypatch.setattr(articles, "MAX_LINE_BYTES", 100)
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": LEAD * 10}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert "a.jsonl:1: line over 100 bytes" in _one_line_error([path])


def test_utf16_with_a_mark_and_big5_are_read_with_a_note(tmp_path):
    utf16 = tmp_path / "u16.txt"
    utf16.write_bytes(LEAD.encode("utf-16"))
    (article,) = iter_articles([utf16])
    assert article.text == LEAD and "UTF-16" in article.notes[0]
    traditional = "國務院總理李強在人民大會堂會見新加坡總理黃循財。雙方表示願意深化合作，推動兩國關係發展。"
    big5 = tmp_path / "big5.txt"
    big5.write_bytes(traditional.encode("big5"))
    (article,) = iter_articles([big5])
    assert article.text == traditional and "Big5" in article.notes[0]
    gbk = tmp_path / "gbk.txt"  # simplified text in GBK still reads as GB18030
    gbk.write_bytes((LEAD * 3).encode("gbk"))
    (article,) = iter_articles([gbk])
    assert article.text == LEAD * 3 and "GB18030" in article.notes[0]


@pytest.mark.parametrize("line, reason", [
    ('{"text": "\\ud800文本。"}', "invalid Unicode"),
    ("[" * 200_000 + "]" * 200_000, "nested too deep"),
    ('{"text": "文本。", "title": ["a"]}', "field 'title' must be a string"),
])
def test_jsonl_lines_that_are_no_article_give_one_line_errors(tmp_path, line, reason):
    path = tmp_path / "a.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    assert reason in _one_line_error([path])


def test_a_number_as_title_or_id_is_read_as_text(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": 17, "title": 2024, "text": LEAD}) + "\n", encoding="utf-8")
    (article,) = iter_articles([path])
    assert (article.id, article.title) == ("17", "2024")


def test_a_file_name_with_a_newline_or_bytes_that_are_not_utf8_stays_one_line(tmp_path):
    import os

    odd = tmp_path / "bad\nname.txt"
    odd.write_bytes(b"")
    assert "bad\\nname.txt" in _one_line_error([odd])
    raw = os.fsencode(str(tmp_path)) + b"/\xff\xfe.txt"
    with open(raw, "wb"):
        pass
    message = _one_line_error([Path(os.fsdecode(raw))])
    assert "\\xff\\xfe.txt" in message
    message.encode("utf-8")  # printable as it is


def test_a_build_output_folder_inside_the_input_is_not_read_back(tmp_path):
    (tmp_path / "a.txt").write_text(LEAD, encoding="utf-8")
    out = tmp_path / "out"
    (out / ".kg-state").mkdir(parents=True)
    (out / "graph.html").write_text("<html><body><p>李强会见黄循财。</p></body></html>", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "b.txt").write_text(LEAD, encoding="utf-8")
    assert [a.id for a in iter_articles([tmp_path])] == ["a"]
    (tmp_path / ".kg-state").mkdir()  # -o is the input folder itself: its articles are read, its page is not
    (tmp_path / "graph.html").write_text("<html><body><p>李强。</p></body></html>", encoding="utf-8")
    assert [a.id for a in iter_articles([tmp_path])] == ["a"]
    (tmp_path / "a.txt").unlink()
    assert "kg's own outputs" in _one_line_error([tmp_path])
