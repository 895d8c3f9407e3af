"""Datelines: （新华社北京11月9日电 记者李忠发、许可） -> agency, place, date, reporters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.grammar import chinese_number

_NUM = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
DATELINE_RE = re.compile(
    r"[（(]?\s*(?P<agency>[\u4e00-\u9fff]{1,8}?(?:社|报|网|台|总台|日报|新闻))\s*"
    r"(?P<place>[\u4e00-\u9fff·]{1,10}?)\s*"
    rf"(?:(?P<year>\d{{4}})年)?(?P<month>{_NUM})月(?P<day>{_NUM})日\s*电\s*"
    r"(?:[（(]?\s*记者\s*(?P<reporters>[\u4e00-\u9fff·、，,和\s]{2,40}?)\s*[)）])?"
    r"(?:\s*[)）])?"
)
REPORTER_SPLIT = re.compile(r"[、，,\s]+|和")


@dataclass
class Dateline:
    """What a dateline says, and where it stands in the text."""

    agency: str
    place: str | None
    year: int | None
    month: int
    day: int
    reporters: list[str] = field(default_factory=list)
    start: int = 0
    end: int = 0
    text: str = ""


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
