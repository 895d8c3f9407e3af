"""Read articles: UTF-8 text files, folders of them, and JSONL.

Handling of awkward input (documented in the README):

* UTF-8 with or without BOM is read as is; text that is not UTF-8 but
  decodes as GB18030 (GBK, GB2312) is read as GB18030, with a note.
* Binary files (NUL bytes or undecodable), empty files and files over
  ``MAX_CHARS`` characters are refused with :class:`ArticleError`.
* HTML is reduced to its text (tags dropped, entities unescaped).

The dateline and a headline written into the text are found by the language
layer (:mod:`kg.nlp.article_parts`); this module reads text and metadata only.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from kg import KgError

MAX_CHARS = 1_000_000
TEXT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"}
GLOB_CHARS = set("*?[")


def _suffix(path: Path) -> str:
    """The suffix kg reads a file by: ``.jsonl.gz`` counts as one."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if len(suffixes) == 2 and suffixes[1] == ".gz":
        return "".join(suffixes)
    return path.suffix.lower()


class ArticleError(KgError, ValueError):
    """An input that cannot be read as an article; the message names file and reason."""


@dataclass
class Dateline:
    """What a dateline says (（新华社北京11月9日电 记者李忠发、许可）), and where it stood in the text."""

    agency: str
    place: str | None
    year: int | None
    month: int
    day: int
    reporters: list[str] = field(default_factory=list)
    start: int = 0
    end: int = 0
    text: str = ""


@dataclass
class Article:
    """One news article, ready for extraction."""

    id: str
    text: str
    title: str | None = None
    date: date | None = None
    source: str | None = None
    path: str | None = None
    dateline: Dateline | None = None
    notes: list[str] = field(default_factory=list)
    #: reporters a byline names apart from the dateline (本报讯（记者 王五）, 新华社记者张三、李四)
    reporters: list[str] = field(default_factory=list)
    #: the byline that names them, as written (the evidence of their authorship)
    byline: str | None = None
    #: sha256 of ``text``, kept when a finished article drops its text to save memory
    digest: str = field(default="", repr=False)
    #: bytes of input this article took (compressed bytes for .gz), for progress and time-left estimates
    input_bytes: int = field(default=0, repr=False)

    def __post_init__(self) -> None:
        if not self.digest:
            self.digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def year(self) -> int | None:
        if self.date:
            return self.date.year
        return self.dateline.year if self.dateline else None

    @property
    def month(self) -> int | None:
        if self.date:
            return self.date.month
        return self.dateline.month if self.dateline else None

    @property
    def content_hash(self) -> str:
        """sha256 of the article text: what incremental builds compare."""
        return self.digest


# --- decoding ---------------------------------------------------------------------

def decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """Bytes to text: UTF-8, else GB18030; binary is refused."""
    notes: list[str] = []
    if b"\x00" in data:
        raise ArticleError(f"{name}: binary file (NUL bytes), not a text article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise ArticleError(f"{name}: neither UTF-8 nor GB18030 text") from None
        notes.append(f"{name}: not UTF-8, read as GB18030")
    if any(ord(c) < 32 and c not in "\t\r\n\f" for c in text[:4096]):
        raise ArticleError(f"{name}: binary content (control characters), not a text article")
    return text, notes


class _TextOfHtml(HTMLParser):
    """Collects the text of an HTML page: block elements start a new line, scripts and styles say nothing."""

    BLOCKS = frozenset({"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "title"})
    SILENT = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.silent = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.SILENT:
            self.silent += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SILENT:
            self.silent = max(self.silent - 1, 0)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.silent:
            self.parts.append(data)


def strip_html(text: str) -> str:
    """Text of an HTML page (the standard library's parser): block tags become line breaks, other tags go."""
    parser = _TextOfHtml()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<body" in head or "<p>" in head or "<!doctype html" in head


# --- building ---------------------------------------------------------------------

def make_article(raw: str, *, article_id: str, title: str | None = None, when: date | None = None,
                 source: str | None = None, path: str | None = None, notes: list[str] | None = None,
                 ) -> Article:
    """Clean ``raw`` text and build an :class:`Article`; its dateline and headline are still in the text
    unless ``title`` is given (:func:`kg.nlp.article_parts.shape_article` takes them out)."""
    name = path or article_id
    if looks_like_html(raw):
        raw = strip_html(raw)
        notes = (notes or []) + [f"{name}: HTML reduced to text"]
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if not raw.strip():
        raise ArticleError(f"{name}: empty article")
    if len(raw) > MAX_CHARS:
        raise ArticleError(f"{name}: {len(raw)} characters, over the limit of {MAX_CHARS} for one article")
    return Article(id=article_id, text=raw, title=title, date=when, source=source, path=path, notes=notes or [])


# --- readers ---------------------------------------------------------------------

def read_text_file(path: Path) -> Article:
    """One text (or HTML) file as an article; its id is the file name without suffix."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read ({exc.strerror})") from None
    text, notes = decode(data, str(path))
    article = make_article(text, article_id=path.stem, path=str(path), notes=notes)
    article.input_bytes = len(data)
    return article


def _parse_date(value: object, where: str) -> date | None:
    if value in (None, ""):
        return None
    match = re.match(r"(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})", str(value))
    if not match:
        raise ArticleError(f"{where}: date {value!r} is not YYYY-MM-DD")
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        raise ArticleError(f"{where}: date {value!r} does not exist") from None


def _jsonl_lines(path: Path) -> Iterator[tuple[bytes, int]]:
    """(line, input bytes it took) of a JSONL file, gunzipped on the fly for ``.gz``: never all in memory."""
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed below; opened apart so only open() errors are caught
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read ({exc.strerror})") from None
    with raw:
        handle = gzip.GzipFile(fileobj=raw, mode="rb") if path.suffix.lower() == ".gz" else raw
        position = 0
        try:
            for line in handle:
                # For .gz, the compressed offset: it moves in read-ahead steps, which is fine for progress.
                now = raw.tell() if handle is not raw else position + len(line)
                yield line, now - position
                position = now
        except (OSError, EOFError) as exc:  # a damaged or truncated gzip stream
            raise ArticleError(f"{path}: cannot read ({exc})") from None


def read_jsonl(path: Path) -> Iterator[Article]:
    """Articles from a JSONL file (or ``.jsonl.gz``), one object a line with ``id, title, date, source, text``."""
    for number, (line, size) in enumerate(_jsonl_lines(path), 1):
        where = f"{path}:{number}"
        if not line.strip():
            continue
        text, notes = decode(line, where)
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ArticleError(f"{where}: not JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise ArticleError(f"{where}: expected an object with a string field 'text'")
        article_id = str(record.get("id") or hashlib.sha256(record["text"].encode()).hexdigest()[:16])
        article = make_article(record["text"], article_id=article_id, title=record.get("title") or None,
                               when=_parse_date(record.get("date"), where), source=record.get("source"),
                               path=where, notes=notes)
        article.input_bytes = size
        yield article


def input_files(inputs: Iterable[str | Path]) -> list[Path]:
    """The files ``inputs`` name: files, folders (their text and JSONL files, sorted) and glob patterns."""
    files: list[Path] = []
    for item in inputs:
        path = Path(item)
        if GLOB_CHARS & set(str(item)) and not path.exists():
            matches = sorted(Path(m) for m in glob.glob(str(item), recursive=True))
            if not matches:
                raise ArticleError(f"{item}: no file matches this pattern")
            files += input_files(matches)
        elif path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and
                           _suffix(p) in TEXT_SUFFIXES | JSONL_SUFFIXES)
            if not found:
                raise ArticleError(f"{path}: folder holds no .txt, .html, .jsonl or .jsonl.gz files")
            files += found
        elif not path.exists():
            raise ArticleError(f"{path}: no such file or folder")
        else:
            files.append(path)
    return files


def iter_articles(inputs: Iterable[str | Path]) -> Iterator[Article]:
    """Articles from files, folders, glob patterns and JSONL files, read one at a time."""
    for path in input_files(inputs):
        if _suffix(path) in JSONL_SUFFIXES:
            yield from read_jsonl(path)
        else:
            yield read_text_file(path)


__all__ = ["Article", "ArticleError", "Dateline", "input_files", "iter_articles", "make_article"]
