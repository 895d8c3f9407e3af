"""Read articles: UTF-8 text files, folders of them, and JSONL.

Handling of awkward input (documented in the README):

* UTF-8 with or without BOM is read as is; UTF-16 with a BOM is read as
  UTF-16; other text is read as GB18030 (GBK, GB2312) or Big5, whichever
  reads as the more common characters, with a note naming the encoding.
* Binary files (NUL bytes, control characters or undecodable), empty files,
  files over ``MAX_CHARS`` characters (read no further than that) and what
  is not a regular file (a FIFO, a device) are refused with
  :class:`ArticleError`. JSONL lines are read no longer than
  ``MAX_LINE_BYTES``.
* A folder is read without the outputs of a kg build kept in it (graph.html
  beside a ``.kg-state`` state, also when ``-o`` is the input folder) and
  without hidden folders.
* HTML is reduced to its text (tags dropped, entities unescaped).

The dateline and a headline written into the text are found by the language
layer (:mod:`kg.nlp.article_parts`); this module reads text and metadata only.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from kg import KgError

MAX_CHARS = 1_000_000
#: the most bytes an article of MAX_CHARS characters takes (four per character at most): reading stops after
MAX_BYTES = 4 * MAX_CHARS + 4
#: the longest JSONL line read: an article at its limit plus its metadata, escaped (\uXXXX is six bytes)
MAX_LINE_BYTES = 6 * MAX_CHARS + 65_536
#: the folder a kg build keeps its state in: its parent is an output folder, not input
KG_OUTPUT_MARKER = ".kg-state"
#: what a kg build writes beside that state: never read back as articles
KG_OUTPUT_FILES = frozenset({"graph.html", "graph.ttl", "graph.trig"})
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
COMMON_SHARE_SAMPLE = 20_000  # characters looked at to tell GB18030 from Big5
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
TEXT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"}
GLOB_CHARS = set("*?[")


def shown(path: object) -> str:
    """A file name fit for a one-line message: bytes that are not UTF-8 and line breaks escaped."""
    text = str(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text.replace("\n", "\\n").replace("\r", "\\r")


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
    """Bytes to text: UTF-8, UTF-16 with a BOM, else GB18030 or Big5; binary is refused."""
    notes: list[str] = []
    utf16 = _utf16_text(data) if data.startswith(UTF16_BOMS) else None
    if utf16 is not None:
        text = utf16
        notes.append(f"{name}: UTF-16, read as such")
    elif b"\x00" in data:
        raise ArticleError(f"{name}: binary file (NUL bytes), not a text article")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text, encoding = _decode_chinese(data, name)
            notes.append(f"{name}: not UTF-8, read as {encoding}")
    if CONTROL_CHARS.search(text):
        raise ArticleError(f"{name}: binary content (control characters), not a text article")
    return text, notes


def _utf16_text(data: bytes) -> str | None:
    """UTF-16 text after its byte-order mark, or None when the bytes do not read as text there (most
    characters ASCII, CJK or their punctuation)."""
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError:
        return None
    plain = sum(1 for c in text if c.isascii() or "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef")
    return text if text and plain >= 0.9 * len(text) else None


def _decode_chinese(data: bytes, name: str) -> tuple[str, str]:
    """Text in a legacy Chinese encoding: GB18030 (GBK, GB2312) or Big5. Big5 bytes often decode as
    GB18030 too, into rare characters; the reading with more of each encoding's common characters wins."""
    readings = []
    for encoding in ("gb18030", "big5"):
        try:
            readings.append((_common_share(data.decode(encoding), encoding), encoding))
        except UnicodeDecodeError:
            continue
    if not readings:
        raise ArticleError(f"{name}: neither UTF-8, GB18030 nor Big5 text")
    _, encoding = max(readings, key=lambda r: (r[0], r[1] == "gb18030"))
    return data.decode(encoding), {"gb18030": "GB18030", "big5": "Big5"}[encoding]


def _common_share(text: str, encoding: str) -> float:
    """The share of Han characters among the encoding's frequent ones: GB2312 level 1 (lead bytes
    0xB0-0xD7) for GB18030, Big5's frequent block (lead bytes 0xA4-0xC6) for Big5."""
    han = [c for c in text[:COMMON_SHARE_SAMPLE] if "\u4e00" <= c <= "\u9fff"]  # a sample decides
    if not han:
        return 0.0
    codec, low, high = ("gb2312", 0xB0, 0xD7) if encoding == "gb18030" else ("big5", 0xA4, 0xC6)
    common = 0
    for char in han:
        try:
            lead = char.encode(codec)[0]
        except UnicodeEncodeError:
            continue
        common += low <= lead <= high
    return common / len(han)


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

def _open_regular(path: Path):
    """``path`` opened for reading, when it is a regular file (not a FIFO, a device or a folder)."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - the caller closes it
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            handle.close()
            raise ArticleError(f"{shown(path)}: not a regular file (a FIFO, a device or a socket), not read")
    except OSError as exc:
        raise ArticleError(f"{shown(path)}: cannot read ({exc.strerror})") from None
    return handle


def read_text_file(path: Path) -> Article:
    """One text (or HTML) file as an article; its id is the file name without suffix."""
    if not stat.S_ISREG(_stat_mode(path)):  # a FIFO would block in open(): refuse it before
        raise ArticleError(f"{shown(path)}: not a regular file (a FIFO, a device or a socket), not read")
    with _open_regular(path) as handle:
        try:
            data = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            raise ArticleError(f"{shown(path)}: cannot read ({exc.strerror})") from None
    if len(data) > MAX_BYTES:
        raise ArticleError(f"{shown(path)}: over {MAX_BYTES:,} bytes, over the limit of {MAX_CHARS:,} "
                           "characters for one article")
    text, notes = decode(data, shown(path))
    # a name whose bytes are not UTF-8 gives an id with those bytes escaped (a\xff), distinct and writable
    article = make_article(text, article_id=shown(path.stem), path=shown(path), notes=notes)
    article.input_bytes = len(data)
    return article


def _parse_date(value: object, where: str, notes: list[str]) -> date | None:
    """The item's date; a malformed one leaves the article undated, with a note saying so (its facts are
    then undated and tenures do not count it), rather than losing the article."""
    if value in (None, ""):
        return None
    match = re.match(r"(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})", str(value))
    if match is None:
        notes.append(f"{where}: date {str(value)[:40]!r} is not YYYY-MM-DD; the article is read undated")
        return None
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        notes.append(f"{where}: date {str(value)[:40]!r} does not exist; the article is read undated")
        return None


def _jsonl_lines(path: Path) -> Iterator[tuple[bytes, int]]:
    """(line, input bytes it took) of a JSONL file, gunzipped on the fly for ``.gz``: never all in memory."""
    if not stat.S_ISREG(_stat_mode(path)):
        raise ArticleError(f"{shown(path)}: not a regular file (a FIFO, a device or a socket), not read")
    raw = _open_regular(path)
    with raw:
        handle = gzip.GzipFile(fileobj=raw, mode="rb") if path.suffix.lower() == ".gz" else raw
        position, number = 0, 0
        try:
            while line := handle.readline(MAX_LINE_BYTES + 1):
                number += 1
                if len(line) > MAX_LINE_BYTES:
                    raise ArticleError(f"{shown(path)}:{number}: line over {MAX_LINE_BYTES:,} bytes, "
                                       "longer than any article kg reads")
                # For .gz, the compressed offset: it moves in read-ahead steps, which is fine for progress.
                now = raw.tell() if handle is not raw else position + len(line)
                yield line, now - position
                position = now
        except (OSError, EOFError, zlib.error) as exc:  # a damaged or truncated gzip stream
            if handle is raw:
                raise ArticleError(f"{shown(path)}:{number + 1}: cannot read ({exc})") from None
            reason = "it ends early: truncated" if isinstance(exc, EOFError) else str(exc) or type(exc).__name__
            raise DamagedGzip(reason, number + 1) from None


class DamagedGzip(ArticleError):
    """A ``.gz`` stream that cannot be read past line ``line`` (truncated, or its bytes damaged)."""

    def __init__(self, reason: str, line: int) -> None:
        super().__init__(reason)
        self.line = line


def _damage_in(lines: Iterator[tuple[bytes, int]]) -> DamagedGzip | None:
    """Read the rest of a gzip stream: its damage, if it has any."""
    try:
        for _ in lines:
            pass
    except DamagedGzip as damage:
        return damage
    return None


def warn(message: str) -> None:
    """A warning on stderr: the input was read, but not all of it could be."""
    print(f"kg: warning: {message}", file=sys.stderr)


def read_jsonl(path: Path) -> Iterator[Article]:
    """Articles from a JSONL file (or ``.jsonl.gz``), one object a line with ``id, title, date, source, text``.

    A ``.gz`` file whose stream is truncated or damaged keeps the lines read before the damage: a warning
    names the file and the first line lost; a file with no line before the damage is an error. A line that
    decompressed to garbage is put down to the damage when the stream fails its check, not reported as a
    bad line."""
    lines = _jsonl_lines(path)
    try:
        for number, (line, size) in enumerate(lines, 1):
            try:
                article = _article_from_line(line, size, f"{shown(path)}:{number}")
            except ArticleError:
                damage = _damage_in(lines) if path.suffix.lower() == ".gz" else None
                if damage is None:
                    raise
                raise DamagedGzip(str(damage), number) from None
            if article is not None:
                yield article
    except DamagedGzip as damage:
        if damage.line == 1:  # nothing to keep: the file cannot be read at all
            raise ArticleError(f"{shown(path)}: cannot read (damaged gzip data: {damage})") from None
        warn(f"{shown(path)}: damaged gzip data ({damage}) from line {damage.line}: lines 1-{damage.line - 1} "
             "were read, the rest is lost")


def _article_from_line(line: bytes, size: int, where: str) -> Article | None:
    """One JSONL line as an article (None for a blank line); a bad line raises :class:`ArticleError`."""
    if not line.strip():
        return None
    text, notes = decode(line, where)
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArticleError(f"{where}: not JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise ArticleError(f"{where}: JSON nested too deep to be an article") from None
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise ArticleError(f"{where}: expected an object with a string field 'text'")
    fields = {key: _scalar_field(record, key, where) for key in ("id", "title", "source")}
    _check_unicode(record["text"], where, "text")
    article_id = fields["id"] or hashlib.sha256(record["text"].encode()).hexdigest()[:16]
    article = make_article(record["text"], article_id=article_id, title=fields["title"],
                           when=_parse_date(record.get("date"), where, notes), source=fields["source"],
                           path=where, notes=notes)
    article.input_bytes = size
    return article


def _stat_mode(path: Path) -> int:
    try:
        return path.stat().st_mode
    except OSError as exc:
        raise ArticleError(f"{shown(path)}: cannot read ({exc.strerror})") from None


def _check_unicode(value: str, where: str, key: str) -> None:
    """A JSON string with a lone surrogate (\\ud800) is no text: refuse it here, not when it is written."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ArticleError(f"{where}: field '{key}' holds invalid Unicode (a lone surrogate)") from None


def _scalar_field(record: dict, key: str, where: str) -> str | None:
    """A metadata field as text: a string, or a number written as one (an id 17, a title 2024); no
    field is None; a list or an object is refused."""
    value = record.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ArticleError(f"{where}: field '{key}' must be a string, not {type(value).__name__}")
    text = str(value)
    _check_unicode(text, where, key)
    return text


def _is_input(path: Path, root: Path) -> bool:
    """Whether a file found in the folder ``root`` is input: a text or JSONL file outside hidden folders,
    and not one of kg's own outputs (graph.html beside a ``.kg-state``, also when ``-o`` is the input folder)."""
    if not path.is_file() or _suffix(path) not in TEXT_SUFFIXES | JSONL_SUFFIXES:
        return False
    parts = path.relative_to(root).parts
    if any(part.startswith(".") for part in parts[:-1]):
        return False
    return not (path.name in KG_OUTPUT_FILES and (path.parent / KG_OUTPUT_MARKER).is_dir())


def input_files(inputs: Iterable[str | Path]) -> list[Path]:
    """The files ``inputs`` name: files, folders (their text and JSONL files, sorted) and glob patterns."""
    files: list[Path] = []
    for item in inputs:
        path = Path(item)
        if GLOB_CHARS & set(str(item)) and not path.exists():
            matches = sorted(Path(m) for m in glob.glob(str(item), recursive=True))
            if not matches:
                raise ArticleError(f"{shown(item)}: no file matches this pattern")
            files += input_files(matches)
        elif path.is_dir():
            found = sorted(p for p in path.rglob("*") if _is_input(p, path))
            if not found:
                raise ArticleError(f"{shown(path)}: folder holds no .txt, .html, .jsonl or .jsonl.gz files "
                                   "(kg's own outputs and hidden folders are not read)")
            files += found
        elif not path.exists():
            raise ArticleError(f"{shown(path)}: no such file or folder")
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
