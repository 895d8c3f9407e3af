"""The parts of a news article that only language tells apart: dateline, headline, body.

:mod:`kg.io.articles` reads text and metadata; this module finds the
dateline (（新华社北京11月9日电 记者李忠发、许可）: agency, place, date,
reporters) and takes it out of the body, and splits off the headline: the
first line when a blank line follows it, or a headline glued to the lead
(no line break), split where the lead's subject (title chain + name before
the first date) begins.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from kg.io.articles import Article, ArticleError, Dateline, iter_articles, make_article
from kg.nlp.grammar import DELIMITERS, Grammar, chinese_number, find_dates
from kg.nlp.lexicon import Lexicon, load_lexicon

#: the longest line read as a headline; a longer first paragraph is the article's text
MAX_HEADLINE_CHARS = 80
SENTENCE_ENDS = set("。！？!?")

_NUM = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
DATELINE_RE = re.compile(
    r"[（(]?\s*(?P<agency>[\u4e00-\u9fff]{1,8}?(?:社|报|网|台|总台|日报|新闻))\s*"
    r"(?P<place>[\u4e00-\u9fff·]{1,10}?)\s*"
    rf"(?:(?P<year>\d{{4}})年)?(?P<month>{_NUM})月(?P<day>{_NUM})日\s*电\s*"
    r"(?:[（(]?\s*记者\s*(?P<reporters>[\u4e00-\u9fff·、，,和\s]{2,40}?)\s*[)）])?"
    r"(?:\s*[)）])?"
)
REPORTER_SPLIT = re.compile(r"[、，,\s]+|和")


def find_dateline(text: str, agencies: set[str] | None = None) -> Dateline | None:
    """The first dateline in ``text`` (at its start, its end or anywhere), or None.

    With ``agencies``, an agency in that set is preferred to a longer match
    (新华社 out of 美联社华盛顿…).
    """
    for match in DATELINE_RE.finditer(text):
        agency = match["agency"]
        place = match["place"] or None
        if agencies:
            for known in sorted(agencies, key=len, reverse=True):
                if (agency + (place or "")).startswith(known) and known != agency:
                    place = (agency + (place or ""))[len(known):] or None
                    agency = known
                    break
        reporters = [r for r in REPORTER_SPLIT.split(match["reporters"] or "") if len(r) >= 2]
        return Dateline(
            agency=agency,
            place=place,
            year=int(match["year"]) if match["year"] else None,
            month=chinese_number(match["month"]),
            day=chinese_number(match["day"]),
            reporters=reporters,
            start=match.start(),
            end=match.end(),
            text=match.group(0).strip("（）() "),
        )
    return None


BYLINE_NAMES = re.compile(r"[ \t\u3000]*[/／]?[ \t\u3000]*((?:[\u4e00-\u9fff](?: (?=[\u4e00-\u9fff](?:[）)\s、，,]|$)))?"
                          r"[\u4e00-\u9fff]{1,3}(?:[、，, \t\u3000]+|(?=[）)\n])|$))+)")
BYLINE_WINDOW = 200  # characters at the head and at the tail of an article where a byline stands


def find_bylines(text: str, lexicon: Lexicon) -> list[tuple[int, int, list[str]]]:
    """Bylines near the head or the tail: ``(start, end, reporters)``.

    记者 opens one when a bracket, a 讯/电 dateline, an agency or paper name, 全媒体 or 见习
    stands right before it (本报讯（记者 王五 赵六）, 新华社记者张三、李四); the names follow, each with
    a known surname; a photo credit (…摄) names no author. 通讯员 are not reporters.
    """
    found = []
    openers = lexicon.words("byline_opener")
    windows = {(0, min(len(text), BYLINE_WINDOW)), (max(0, len(text) - BYLINE_WINDOW), len(text))}
    for low, high in sorted(windows):
        pos = text.find("记者", low, high)
        while pos != -1:
            opened = pos == 0 or text[pos - 1] == "\n" or text.endswith(openers, 0, pos) or text[pos - 1] in " \u3000"
            match = BYLINE_NAMES.match(text, pos + 2) if opened else None
            if match:
                names = [n.replace(" ", "") for n in re.split(r"[、，,\t\u3000]+| (?![\u4e00-\u9fff](?:[）)\s、，,]|$))",
                                                              match.group(1)) if n.strip()]
                names = list(itertools.takewhile(
                    lambda n: 2 <= len(n) <= 4 and lexicon.starts_with(n, 0, lexicon.surnames) is not None, names))
                credit = text[match.end():match.end() + 2].lstrip().startswith("摄")
                if names and not credit:
                    found.append((pos, match.end(), names))
            pos = text.find("记者", pos + 2, high)
    return found


def split_headline(text: str, lexicon: Lexicon | None = None) -> tuple[str | None, str]:
    """(headline, body): first line before a blank line, or a headline glued to the lead."""
    lines = text.strip().splitlines()
    if len(lines) >= 3 and lines[0].strip() and not lines[1].strip() and looks_like_headline(lines[0]):
        return lines[0].strip(), "\n".join(lines[2:]).strip()
    lead_start = glued_lead_start(text, lexicon)
    if lead_start:
        return text[:lead_start].strip(), text[lead_start:].strip()
    return None, text.strip()


def looks_like_headline(line: str) -> bool:
    """A headline is short and is no run of sentences: at most :data:`MAX_HEADLINE_CHARS` characters, with
    no sentence end (。！？) before its last character. A first paragraph that is longer is body text."""
    line = line.strip()
    return len(line) <= MAX_HEADLINE_CHARS and not any(c in SENTENCE_ENDS for c in line[:-1])


def glued_lead_start(text: str, lexicon: Lexicon | None = None) -> int | None:
    """Where the lead begins when the headline runs into it with no break.

    The lead of a news report opens with its subject, a title chain and a
    name, then the day (国家主席习近平9日在…). If the first sentence has such
    a subject after other text, that text is the headline.
    """
    first_end = min((i for i in (text.find("。"), text.find("\n")) if i != -1), default=len(text))
    first = text[:first_end]
    dates = find_dates(first)
    if not dates:
        return None
    grammar = Grammar(lexicon or load_lexicon())
    for titled in grammar.titled_names(first):
        if titled.end == dates[0].start and titled.chain_start > 0:
            start = titled.chain_start
            if first[start - 1] in DELIMITERS:
                return None  # a sentence of its own, not a glued headline
            # A headline is a few words at least; the lead is most of the sentence.
            return start if start >= 6 else None
    return None


def shape_article(article: Article, lexicon: Lexicon | None = None) -> Article:
    """``article`` with its dateline parsed and taken out of the text, and its headline split off."""
    lexicon = lexicon or load_lexicon()
    raw = article.text
    dateline = find_dateline(raw, lexicon.agencies)
    if dateline is not None:
        raw = (raw[:dateline.start] + raw[dateline.end:]).strip()
    reporters = list(article.reporters)
    bylines = []
    for start, end, names in reversed(find_bylines(raw, lexicon)):
        reporters = [*names, *(r for r in reporters if r not in names)]
        bylines.insert(0, raw[start:end].strip())
        raw = raw[:start] + raw[end:]
    raw = raw.strip() if reporters != list(article.reporters) else raw
    headline, body = (article.title, raw.strip()) if article.title else split_headline(raw, lexicon)
    notes = list(article.notes)
    first = raw.strip().split("\n", 1)[0]
    if headline is None and not article.title and "\n\n" in raw.strip() and not looks_like_headline(first):
        notes.append(f"{article.path or article.id}: first paragraph ({len(first.strip())} characters) read as "
                     "text, not as a headline: too long or more than one sentence")
    if not body:
        raise ArticleError(f"{article.path or article.id}: no article text besides the headline")
    return replace(article, text=body, title=headline, dateline=dateline, digest="", reporters=reporters, notes=notes,
                   byline=" ".join(bylines) or article.byline,
                   source=article.source or (dateline.agency if dateline else None))


def read_articles(inputs: Iterable[str | Path], lexicon: Lexicon | None = None) -> Iterator[Article]:
    """Articles from files, folders, patterns and JSONL (:func:`kg.io.articles.iter_articles`), shaped."""
    lexicon = lexicon or load_lexicon()
    for article in iter_articles(inputs):
        yield shape_article(article, lexicon)


def news_article(raw: str, *, article_id: str, lexicon: Lexicon | None = None, **metadata) -> Article:
    """One article from a string: :func:`kg.io.articles.make_article`, then shaped."""
    return shape_article(make_article(raw, article_id=article_id, **metadata), lexicon)
