"""Reading articles and loading them into a store.

Readers: text and HTML files, JSON Lines batches, RSS/Atom feeds (a file or a URL), and folders
of any of these, with clear errors on bad input. :func:`ingest` extracts articles in a process
pool and writes them through one writer, in input order, committing every few articles, so
that killing it loses no committed article and running it again completes the work.

Files must be UTF-8 (a BOM is fine). UTF-16 and Windows-1256 text is recognised and refused
with a message saying how to read it (``--encoding``); binary files, empty files and text with
no Arabic are refused too. Each refusal is a :class:`~hadath.errors.InputError` with a stable
code and exit code.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import re
import time
import zlib
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import (BadRecord, BinaryInput, EmptyInput, InputError, InputMissing, NoArabic, TooLarge,
                     WrongEncoding)
from .models import Article
from .records import FIELD_NAMES, FieldMap, JsonlStats, read_date
from .text import arabic_share

MIN_ARABIC_SHARE = 0.3
# The size limit of one article, in bytes: a text or HTML file, a JSON line, a feed entry or
# standard input over it is refused with a message (TooLarge, H027) and nothing else is read
# of it, so that memory and time stay bounded. News articles are far smaller (tens of KB).
MAX_ARTICLE_BYTES = 2_000_000
# A feed file holds many articles: it may be this many times larger.
MAX_FEED_ARTICLES = 32
# Bad lines of one input listed one by one (in the store's ingest_errors and the report);
# those beyond are counted and summarised in one more row.
MAX_LISTED = 100
# Problems an IngestReport keeps in memory (all are counted, and recorded in the store).
MAX_REPORT_PROBLEMS = 1000


def too_large(name: str, size: int, what: str = "the file") -> TooLarge:
    """The error of an input over :data:`MAX_ARTICLE_BYTES`."""
    return TooLarge(f"{name}: {_over_limit(size, what)}; split it into smaller files")


def _over_limit(size: int, what: str) -> str:
    return f"{what} is {size / 1e6:,.1f} MB, over the {MAX_ARTICLE_BYTES / 1e6:g} MB limit of one article"


@dataclass(frozen=True, slots=True)
class Document:
    """One article to extract: its text and what is known about it."""

    text: str
    doc_id: str | None = None
    date: dt.date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None


def describe(exc: BaseException) -> str:
    """An exception as one short line: its class and the first line of its message."""
    msg = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return f"{exc.__class__.__name__}: {msg}" if msg else exc.__class__.__name__


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """Bytes to text, refusing what is not UTF-8 text unless ``encoding`` says otherwise."""
    if not data.strip():
        raise EmptyInput(f"{name}: the file is empty")
    if encoding:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise WrongEncoding(f"{name}: cannot be read as {encoding} ({exc.__class__.__name__})") from None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or _utf16_like(data):
        raise WrongEncoding(f"{name}: this is UTF-16 text; convert it to UTF-8 "
                            "(iconv -f UTF-16 -t UTF-8) or pass --encoding utf-16")
    if b"\x00" in data[:4096] or _binary_like(data[:4096]):
        raise BinaryInput(f"{name}: this is a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first = exc
    raise WrongEncoding(f"{name}: {_not_utf8(data, first)}")


def _not_utf8(data: bytes, exc: UnicodeDecodeError) -> str:
    """Why bytes are not UTF-8, and what to do: where the first bad byte is, and whether the
    whole looks like Windows-1256 (only when it fits far better than UTF-8)."""
    line = data.count(b"\n", 0, exc.start) + 1
    column = len(data[data.rfind(b"\n", 0, exc.start) + 1:exc.start].decode("utf-8", "replace")) + 1
    where = f"line {line}, character {column}, byte {exc.start:,}"
    high = len(data) - len(data.translate(None, bytes(range(128))))  # bytes >= 0x80
    bad = data.decode("utf-8", "replace").count("\ufffd") - data.count("\ufffd".encode())
    if high and bad >= 0.3 * high:  # most non-ASCII bytes are not UTF-8: another encoding
        try:
            text = data.decode("cp1256")
        except UnicodeDecodeError:
            text = ""
        if text and arabic_share(text) >= MIN_ARABIC_SHARE:
            return ("this is Windows-1256 Arabic text, not UTF-8; convert it to UTF-8 "
                    "(iconv -f CP1256 -t UTF-8) or pass --encoding cp1256")
        return (f"this is not UTF-8 text (the first invalid byte at {where}); pass --encoding "
                "to read it")
    if exc.end >= len(data) and exc.reason == "unexpected end of data":
        return (f"the file ends in the middle of a character at {where}: it was cut short; "
                "the rest is UTF-8")
    return (f"not valid UTF-8: {_n(bad, 'invalid byte')}, the first (0x{data[exc.start]:02X}) at "
            f"{where}; the rest is UTF-8, so the file is damaged there: fix it, or drop the bad "
            "bytes with iconv -c -f UTF-8 -t UTF-8")


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _utf16_like(data: bytes) -> bool:
    sample = data[:2000]
    if len(sample) < 8:
        return False
    zeros_even = sample[0::2].count(0)
    zeros_odd = sample[1::2].count(0)
    half = len(sample) / 2
    if max(zeros_even, zeros_odd) > 0.3 * half and min(zeros_even, zeros_odd) < 0.05 * half:
        return True  # Latin text: every other byte is zero
    # Arabic text: no zero but for spaces; it reads as UTF-16 and is mostly Arabic letters
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = sample[:len(sample) // 2 * 2].decode(enc)
        except UnicodeDecodeError:
            continue
        if arabic_share(text) >= MIN_ARABIC_SHARE:
            return True
    return False


def _binary_like(sample: bytes) -> bool:
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return len(sample) > 0 and controls / len(sample) > 0.05


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` with what no store can hold (NUL, lone surrogates such as a JSON ``\\ud800``)
    replaced by U+FFFD, one character for one, so that every offset stays valid."""
    return _UNSTORABLE.sub("\ufffd", text) if _UNSTORABLE.search(text) else text


def require_arabic(text: str, name: str) -> str:
    """Refuse text that is blank or has (almost) no Arabic."""
    if not text.strip():
        raise EmptyInput(f"{name}: no text")
    if arabic_share(text) < MIN_ARABIC_SHARE:
        raise NoArabic(f"{name}: the text has no Arabic to read (hadath reads Arabic news)")
    return text


def html_to_document(html: str, name: str) -> Document:
    """Main text, title and date of an HTML page (trafilatura)."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False,
                               favor_precision=True) or ""
    meta = trafilatura.extract_metadata(html)
    date = parse_date(meta.date) if meta is not None and meta.date else None
    title = meta.title if meta is not None else None
    url = meta.url if meta is not None else None
    if not text.strip():
        raise EmptyInput(f"{name}: the page has no main text")
    return Document(require_arabic(text, name), date=date, title=title, url=url)


def read_document(path: str, encoding: str | None = None, stdin: io.BufferedReader | None = None
                  ) -> Document:
    """Read one article from a .txt or .html file, or from standard input when path is "-"."""
    if path == "-":
        data = (stdin.read(MAX_ARTICLE_BYTES + 1) if stdin is not None else b"")
        name = "<stdin>"
        if len(data) > MAX_ARTICLE_BYTES:
            rest = sum(len(chunk) for chunk in iter(lambda: stdin.read(1 << 20), b""))
            raise too_large(name, len(data) + rest, "standard input")
    else:
        p = Path(path)
        if p.is_dir():
            raise InputMissing(f"{path}: a folder; hadath extract reads one article (a file or -), "
                               "hadath ingest reads folders")
        if not p.is_file():
            raise InputMissing(f"{path}: no such file")
        try:
            if p.stat().st_size > MAX_ARTICLE_BYTES:
                raise too_large(path, p.stat().st_size)
            data = p.read_bytes()
        except OSError as exc:
            raise InputMissing(f"{path}: cannot read ({exc.strerror})") from None
        name = path
    text = clean_text(decode(data, name, encoding))
    if path.lower().endswith((".html", ".htm")) or _looks_like_html(text):
        return html_to_document(text, name)
    return Document(require_arabic(text, name), doc_id=None)


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)


def parse_date(value: object) -> dt.date | None:
    """A publication date in any format :func:`hadath.records.read_date` reads (ISO 8601,
    RFC 2822 "Sun, 01 Jul 2018 05:19:24 GMT", epoch seconds or ms, YYYY/MM/DD, DD/MM/YYYY)."""
    return read_date(value)[0]


def iter_jsonl(path: str, text_field: str | None = None, id_field: str | None = None,
               date_field: str | None = None, stats: JsonlStats | None = None,
               encoding: str | None = None, fields: dict[str, str | None] | None = None
               ) -> Iterator[Document | BadRecord]:
    """Articles of a JSON Lines file (plain or .gz); a bad line is yielded as a BadRecord.

    A field not named (None) is detected from common names (:data:`hadath.records.FIELD_NAMES`);
    ``fields`` names the fields for ``url``, ``title`` and ``source``. ``stats`` records the
    fields used, the date formats read and the values that could not be read.
    """
    p = Path(path)
    if path != "-" and not p.is_file():
        raise InputMissing(f"{path}: no such file")
    stats = stats if stats is not None else JsonlStats()
    gz = path.endswith((".gz", ".gzip"))
    if gz:
        with open(path, "rb") as fh:
            if fh.read(2) != b"\x1f\x8b":
                raise InputMissing(f"{path}: not gzip data, though the name ends in .gz "
                                   "(rename it, or compress it with gzip)")
    opener = gzip.open if gz else open
    fieldmap = FieldMap({"text": text_field, "date": date_field, "id": id_field,
                         **{k: v for k, v in (fields or {}).items() if k in ("url", "title", "source")}},
                        stats)
    lineno = 0
    try:
        with opener(path, "rb") as fh:  # type: ignore[operator]
            for lineno, raw in enumerate(_lines(fh, MAX_ARTICLE_BYTES), 1):
                stats.lines += 1
                if isinstance(raw, int):
                    stats.bad += 1
                    yield BadRecord(f"{path}:{lineno}: {_over_limit(raw, 'the line')}")
                    continue
                if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]  # a UTF-8 byte order mark
                if not raw.strip():
                    continue
                yield from _line_record(raw, lineno, path, fieldmap, encoding, stats)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputMissing(f"{path}: cannot read past line {lineno} ({describe(exc)})") from None


def _lines(fh, limit: int) -> Iterator[bytes | int]:
    """The lines of a binary file, each read with a size limit: a line over ``limit`` bytes is
    read through in pieces, never held whole, and given as its length instead."""
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            size = len(line)
            while True:
                piece = fh.readline(1 << 20)
                size += len(piece)
                if not piece or piece.endswith(b"\n"):
                    break
            yield size
            continue
        yield line


def _line_record(raw: bytes, lineno: int, path: str, fieldmap: FieldMap, encoding: str | None,
                 stats: JsonlStats) -> Iterator[Document | BadRecord]:
    """One line's article, or a BadRecord saying why it is not one (whatever went wrong)."""
    try:
        doc = _record(raw, lineno, path, fieldmap, encoding, stats)
    except InputError as exc:
        stats.bad += 1
        yield BadRecord(f"{path}:{lineno}: {exc.args[0]}")
        return
    except Exception as exc:  # noqa: BLE001 - one line must never stop a batch
        stats.bad += 1
        yield BadRecord(f"{path}:{lineno}: unreadable ({describe(exc)})")
        return
    yield doc


def _record(raw: bytes, lineno: int, path: str, fieldmap: FieldMap, encoding: str | None,
            stats: JsonlStats) -> Document:
    try:
        line = raw.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        column = len(raw[:exc.start].decode("utf-8", "replace")) + 1
        raise WrongEncoding(f"the line is not UTF-8 (an invalid byte, 0x{raw[exc.start]:02X}, at "
                            f"character {column})") from None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}" if exc.lineno > 1 else f"column {exc.colno}"
        raise BadRecord(f"not JSON ({exc.msg.removesuffix(' at')} at {where})") from None
    except RecursionError:
        raise BadRecord("not JSON that can be read (nested too deep)") from None
    except ValueError as exc:  # an integer of more digits than Python converts
        raise BadRecord(f"not JSON that can be read ({exc})") from None
    if not isinstance(obj, dict):
        raise BadRecord("not a JSON object")
    text = fieldmap.get(obj, "text")
    if not isinstance(text, str) or not text.strip():
        name = stats.used.get("text")
        raise BadRecord(f"no text in field {name!r}" if name else
                        "no text field (tried " + ", ".join(FIELD_NAMES["text"][:5]) + "...; "
                        "name it with --text-field)")
    text = clean_text(text)
    try:
        require_arabic(text, "")
    except InputError as exc:
        raise exc.__class__(exc.args[0].removeprefix(": ")) from None
    date = None
    value = fieldmap.get(obj, "date")
    if value not in (None, ""):
        date, fmt = read_date(value)
        if date is None:
            stats.unreadable_value("date", value)
        else:
            stats.date_formats[fmt] += 1

    def field(role: str) -> str | None:
        value = fieldmap.get(obj, role)
        if isinstance(value, dict):  # {"source": {"name": ...}}
            value = value.get("name") or value.get("title")
        if value in (None, "") or isinstance(value, (list, dict)):
            if value not in (None, ""):
                stats.unreadable_value(role, value)
            return None
        return clean_text(str(value))[:2000]

    doc_id = field("id") or f"{Path(path).name}:{lineno}"
    return Document(text, doc_id=doc_id, date=date, title=field("title"), url=field("url"),
                    source=field("source"))


# --- inputs --------------------------------------------------------------------------------------

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".jsonl.gzip")
FEED_SUFFIXES = (".rss", ".atom", ".xml")


@dataclass(frozen=True)
class InputOptions:
    """How to read inputs: JSONL field names (None: detected from common names), a default
    outlet, an encoding."""

    text_field: str | None = None
    date_field: str | None = None
    id_field: str | None = None
    url_field: str | None = None
    title_field: str | None = None
    source_field: str | None = None
    source: str | None = None
    encoding: str | None = None
    date: dt.date | None = None  # the publication date of inputs that give none


@dataclass(frozen=True)
class Note:
    """Something to tell about an input that is not a problem: the JSON fields it was read by."""

    origin: str
    text: str


@dataclass(frozen=True)
class Item:
    """An article to ingest and where it came from."""

    doc: Document
    origin: str


@dataclass(frozen=True)
class Problem:
    """An input that could not be read, and why.

    ``input`` is the file a JSON line belongs to; ``counted`` marks a summary of problems
    already counted (beyond :data:`MAX_LISTED` of one input); ``unread`` marks a file that is
    not of a kind hadath reads (a PDF, an image): listed, but not a bad input.
    """

    origin: str
    reason: str
    input: str | None = None
    counted: bool = False
    unread: bool = False


def iter_inputs(paths: Iterable[str], opts: InputOptions = InputOptions(),
                skip: frozenset[Path] = frozenset()) -> Iterator[Item | Problem | Note]:
    """Articles of every path: folders (walked in name order), files by kind, feed URLs.
    ``skip``: files a folder walk passes over in silence (the store being written)."""
    for path in paths:
        if path.startswith(("http://", "https://")):
            yield from _guarded(path, read_feed(path, opts))
            continue
        p = Path(path)
        if p.is_dir():
            yield from _read_folder(p, opts, skip)
            continue
        if not p.exists():
            yield Problem(path, "no such file or folder")
            continue
        yield from _guarded(path, _read_file(p, opts))


def _read_folder(folder: Path, opts: InputOptions, skip: frozenset[Path] = frozenset()
                 ) -> Iterator[Item | Problem]:
    """The articles of a folder's files, in name order; a file that is not of a kind hadath
    reads (a PDF, an image) is listed as not read, a dangling link as a problem."""
    try:
        entries = sorted(folder.rglob("*"))
    except OSError as exc:
        yield Problem(str(folder), f"cannot be read ({describe(exc)})")
        return
    for f in entries:
        if f.is_symlink() and not f.exists():
            yield Problem(str(f), f"a dangling symbolic link (to {os.readlink(f)}, which does not exist)")
        elif not f.is_file() or any(part.startswith(".") for part in f.relative_to(folder).parts) \
                or (skip and f.resolve() in skip):
            continue  # folders are walked; hidden files (.DS_Store, .git) are not articles
        elif _kind_of(f) is not None:
            yield from _guarded(str(f), _read_file(f, opts))
        else:
            yield Problem(str(f), f"not read: {_unread_kind(f)} (hadath reads .txt, .html, "
                                  ".jsonl, .jsonl.gz and RSS/Atom feeds)", unread=True)


_UNREAD_KINDS = {".pdf": "a PDF document", ".docx": "a Word document", ".doc": "a Word document",
                 ".odt": "an OpenDocument text", ".rtf": "an RTF document",
                 ".xlsx": "a spreadsheet", ".xls": "a spreadsheet", ".csv": "a CSV table",
                 ".png": "an image", ".jpg": "an image", ".jpeg": "an image", ".gif": "an image",
                 ".webp": "an image", ".tif": "an image", ".tiff": "an image", ".zip": "an archive",
                 ".gz": "a gzip file not named .jsonl.gz", ".md": "a Markdown file"}


def _unread_kind(f: Path) -> str:
    return _UNREAD_KINDS.get(f.suffix.lower(), f"a {f.suffix.lower() or 'suffix-less'} file")


def _guarded(origin: str, items: Iterator[Item | Problem]) -> Iterator[Item | Problem]:
    """The items of one input; whatever goes wrong reading it ends that input as a Problem,
    never the ingest."""
    try:
        yield from items
    except Exception as exc:  # noqa: BLE001 - one input must never stop an ingest
        yield Problem(origin, f"cannot be read ({describe(exc)})")


def _kind_of(p: Path) -> str | None:
    name = p.name.lower()
    for kind, suffixes in (("jsonl", JSONL_SUFFIXES), ("html", HTML_SUFFIXES),
                           ("text", TEXT_SUFFIXES), ("feed", FEED_SUFFIXES)):
        if name.endswith(suffixes):
            return kind
    return None


def _read_file(p: Path, opts: InputOptions) -> Iterator[Item | Problem]:
    kind = _kind_of(p) or _sniff(p)
    origin = str(p)
    if kind == "jsonl":
        fields = {"url": opts.url_field, "title": opts.title_field, "source": opts.source_field}
        stats = JsonlStats()
        try:
            for rec in iter_jsonl(origin, opts.text_field, opts.id_field, opts.date_field,
                                  stats, encoding=opts.encoding, fields=fields):
                if isinstance(rec, BadRecord):
                    where, _, reason = rec.args[0].partition(": ")
                    yield Problem(where, reason, input=origin)
                else:
                    doc = _with(rec, source=rec.source or opts.source, date=rec.date or opts.date)
                    yield Item(doc, f"{origin}:{rec.doc_id}")
        except InputError as exc:
            yield Problem(origin, exc.args[0].split(": ", 1)[-1])
        except (OSError, EOFError) as exc:
            yield Problem(origin, f"cannot read ({describe(exc)})")
        if stats.lines:
            yield Note(origin, stats.describe())
        return
    if kind == "feed":
        yield from read_feed(origin, opts)
        return
    try:
        doc = read_document(origin, opts.encoding)
    except InputError as exc:
        yield Problem(origin, exc.args[0].split(": ", 1)[-1])
        return
    date = doc.date or _date_in_name(p.name) or opts.date
    yield Item(_with(doc, doc_id=origin, source=opts.source, date=date), origin)


_NAME_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def _date_in_name(name: str) -> dt.date | None:
    """A publication date written in a file name ("aleppo_2024-12-01.ar.txt")."""
    m = _NAME_DATE.search(name)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _sniff(p: Path) -> str:
    try:
        head = p.open("rb").read(512).lstrip().lower()
    except OSError:
        return "text"
    if head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head:
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if head.startswith(b"{"):
        return "jsonl"
    return "text"


def _with(doc: Document, **changes) -> Document:
    values = {k: getattr(doc, k) for k in ("text", "doc_id", "date", "title", "url", "source")}
    values.update({k: v for k, v in changes.items() if v is not None or k not in values})
    return Document(**values)


def read_feed(source: str, opts: InputOptions = InputOptions()) -> Iterator[Item | Problem]:
    """Entries of an RSS or Atom feed (a file or a URL); a malformed feed is a Problem."""
    import feedparser

    if not source.startswith(("http://", "https://")):
        size = Path(source).stat().st_size
        if size > MAX_ARTICLE_BYTES * MAX_FEED_ARTICLES:
            yield Problem(source, f"the feed is {size / 1e6:,.1f} MB, over the "
                                  f"{MAX_ARTICLE_BYTES * MAX_FEED_ARTICLES / 1e6:g} MB limit of a feed")
            return
    parsed = feedparser.parse(source)
    if parsed.bozo:
        reason = getattr(parsed, "bozo_exception", None)
        yield Problem(source, f"malformed feed ({reason.__class__.__name__ if reason else 'unreadable'})"
                              + (f"; {len(parsed.entries)} entries read anyway" if parsed.entries else ""))
        if not parsed.entries:
            return
    if not parsed.entries:
        yield Problem(source, "a feed with no entries")
        return
    outlet = opts.source or (parsed.feed.get("title") if parsed.get("feed") else None)
    for k, entry in enumerate(parsed.entries, 1):
        origin = f"{source}#{entry.get('id') or entry.get('link') or k}"
        html = ""
        if entry.get("content"):
            html = " ".join(c.get("value", "") for c in entry["content"])
        html = html or entry.get("summary", "") or entry.get("description", "")
        text = _html_text(html)
        title = entry.get("title")
        if title and title not in text:
            text = f"{title}\n{text}" if text else title
        try:
            if len(text) > MAX_ARTICLE_BYTES // 2 and len(text.encode("utf-8", "replace")) > MAX_ARTICLE_BYTES:
                raise too_large(origin, len(text.encode("utf-8", "replace")), "the entry")
            require_arabic(text, origin)
        except InputError as exc:
            yield Problem(origin, exc.args[0].split(": ", 1)[-1])
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        date = dt.date(*stamp[:3]) if stamp else opts.date
        yield Item(Document(text, doc_id=entry.get("id") or entry.get("link"), date=date,
                            title=title, url=entry.get("link"), source=outlet), origin)


def _html_text(html: str) -> str:
    """Text of an HTML fragment (a feed entry's content), paragraphs kept apart."""
    if "<" not in html:
        return html.strip()
    import lxml.html

    try:
        root = lxml.html.fromstring(f"<div>{html}</div>")
    except (ValueError, lxml.etree.ParserError):
        return ""
    for br in root.iter("br", "p", "div", "li"):
        br.tail = ("\n" + br.tail) if br.tail else "\n"
    return "\n".join(line.strip() for line in root.text_content().splitlines() if line.strip())


# --- loading into a store --------------------------------------------------------------------------

@dataclass
class IngestReport:
    """What an ingest did."""

    read: int = 0
    new: int = 0
    duplicates: int = 0
    bad: int = 0
    events_new: int = 0
    events_merged: int = 0
    tolls: int = 0
    seconds: float = 0.0
    unread: int = 0  # files of a kind hadath does not read (listed among the problems)
    notes: list[Note] = field(default_factory=list)  # the JSON fields each file was read by
    problems: list[Problem] = field(default_factory=list)  # the first MAX_REPORT_PROBLEMS

    @property
    def rate(self) -> float:
        return self.read / self.seconds if self.seconds else 0.0

    def _counts(self) -> tuple:
        return (self.read, self.new, self.duplicates, self.bad, self.events_new,
                self.events_merged, self.tolls, self.unread, len(self.problems))

    def _restore(self, counts: tuple) -> None:
        (self.read, self.new, self.duplicates, self.bad, self.events_new, self.events_merged,
         self.tolls, self.unread, n) = counts
        del self.problems[n:]


@dataclass(frozen=True, slots=True)
class Failed:
    """An article whose extraction raised: it is stored as a bad input, the ingest goes on."""

    reason: str


def _extract_doc(payload: tuple) -> Article | Failed:
    """Worker: extract one article (top level, so that a process pool can run it). Whatever
    goes wrong is returned as :class:`Failed`: one article never stops an ingest."""
    from .extract import extract

    text, date, doc_id, source = payload
    try:
        return extract(text, date=date, doc_id=doc_id, source=source)
    except Exception as exc:  # noqa: BLE001 - recorded as a bad input by the writer
        return Failed(f"extraction failed ({describe(exc)})")


def ingest(paths: Iterable[str], store, opts: InputOptions = InputOptions(), jobs: int = 1,
           batch: int = 50, progress: Callable[[IngestReport], None] | None = None,
           cluster=None, extracted: Callable[[int], None] | None = None,
           items: Iterable[Item | Problem] | None = None) -> IngestReport:
    """Read, extract and store articles; skip those already stored (by text).

    Extraction runs in ``jobs`` processes (or on a Dask ``cluster``: see :mod:`hadath.cluster`);
    this process is the only writer, in input order, committing every ``batch`` articles.
    ``progress(report)`` is called after each commit, ``extracted(n)`` as each chunk of n
    articles comes back from the workers. ``items`` (articles already read, as by
    :mod:`hadath.watch`) are ingested instead of reading ``paths``.
    """
    from .store import content_hash

    report = IngestReport()
    started = time.perf_counter()
    seen: set[str] = set()
    # problems of the input being read: the first MAX_LISTED are kept, the others summarised
    state = {"input": None, "listed": 0}
    beyond: Counter[str] = Counter()

    def summary() -> Iterator[Problem]:
        if beyond:
            kinds = "; ".join(f"{n:,} {reason}" for reason, n in beyond.most_common(3))
            yield Problem(clean_text(state["input"]), f"{sum(beyond.values()):,} more bad lines "
                          f"not listed one by one ({kinds})", counted=True)
            beyond.clear()

    def fresh(items: Iterable[Item | Problem | Note]) -> Iterator[Item | Problem]:
        for item in items:
            if isinstance(item, Note):
                report.notes.append(item)
                continue
            report.read += 1
            if isinstance(item, Problem):
                where = item.input or item.origin
                if where != state["input"]:
                    yield from summary()
                    state.update(input=where, listed=0)
                state["listed"] += 1
                if state["listed"] > MAX_LISTED:
                    report.bad += 1
                    beyond[item.reason.split(" (")[0][:80]] += 1
                    continue
                yield Problem(clean_text(item.origin), clean_text(item.reason), item.input,
                              unread=item.unread)
                continue
            item = _clean_item(item)
            h = content_hash(item.doc.text)
            if h in seen or store.known(reader, h, item.doc.url):
                report.duplicates += 1
                continue
            seen.add(h)
            yield item
        yield from summary()

    # one read connection for the "already stored?" checks, holding no transaction open (an
    # open read would keep SQLite from checkpointing its WAL for the whole ingest)
    reader = store.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    try:
        buffer: list[tuple] = []
        inputs = iter_inputs(paths, opts, _store_files(store)) if items is None else items
        for pair in _run(fresh(inputs), jobs, cluster, on_done=extracted):
            buffer.append(pair)
            if len(buffer) >= batch:
                _commit(store, buffer, report)
                buffer.clear()
                if progress is not None:
                    report.seconds = time.perf_counter() - started
                    progress(report)
        _commit(store, buffer, report)
    finally:
        reader.close()
    report.seconds = time.perf_counter() - started
    if progress is not None:
        progress(report)
    return report


def _clean_item(item: Item) -> Item:
    """The item with text fields no store can hold made storable (see :func:`clean_text`)."""
    d = item.doc
    fields = {k: getattr(d, k) for k in ("text", "doc_id", "title", "url", "source")}
    cleaned = {k: clean_text(v) for k, v in fields.items() if isinstance(v, str)}
    if all(cleaned[k] is fields[k] for k in cleaned):
        return item
    return Item(_with(d, **cleaned), clean_text(item.origin))


def _store_files(store) -> frozenset[Path]:
    """The files of a SQLite store (the database and its journals): not inputs, even in the
    folder being ingested (``hadath ingest .`` beside hadath.db)."""
    from .store import _sqlite_file

    path = _sqlite_file(getattr(store, "url", ""))
    if path is None:
        return frozenset()
    path = path.resolve()
    return frozenset({path} | {path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal")})


def _commit(store, pairs: list[tuple], report: IngestReport) -> None:
    """Write a batch of extracted articles in one transaction (under the store's write lock,
    taken only once the batch is ready, so extraction never holds it).

    If the batch fails, its articles are written again one transaction each, and an article
    that cannot be stored alone is recorded as a bad input with the reason: one article never
    stops an ingest. A store that cannot be written at all (unreachable, locked, full) is a
    :class:`~hadath.errors.StoreError`.
    """
    if not pairs:
        return
    counts = report._counts()
    try:
        with store.transaction() as conn:
            _write_all(store, conn, pairs, report)
        return
    except Exception as exc:  # noqa: BLE001 - retried one article at a time below
        _unless_store_down(store, exc)
        report._restore(counts)
        store.forget()
    for item, article in pairs:
        counts = report._counts()
        try:
            with store.transaction() as conn:
                _write_all(store, conn, [(item, article)], report)
            continue
        except Exception as exc:  # noqa: BLE001 - this article alone fails: a bad input
            _unless_store_down(store, exc)
            report._restore(counts)
            store.forget()
            if isinstance(item, Problem):
                raise
            problem = Problem(item.origin, f"cannot be stored ({describe(exc)})")
        with store.transaction() as conn:
            _write_one(store, conn, problem, None, report)


def _unless_store_down(store, exc: Exception) -> None:
    """Raise a StoreError when ``exc`` says the store cannot be written at all (rather than
    that one article cannot be stored)."""
    from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError

    from .errors import StoreError

    if isinstance(exc, (OperationalError, InterfaceError, DisconnectionError)):
        raise StoreError(f"cannot write to the store ({describe(exc.orig or exc)}); "
                         "the committed articles are kept: run the same command again") from None


def _write_all(store, conn, pairs: list[tuple], report: IngestReport) -> None:
    """Write extracted articles in one transaction: their documents in one statement (those
    whose text is stored already are duplicates), then each article's events."""
    from .store import content_hash

    docs = {k: item for k, (item, article) in enumerate(pairs)
            if isinstance(item, Item) and not isinstance(article, Failed)}
    hashes = {k: content_hash(item.doc.text) for k, item in docs.items()}
    ids = dict(zip(docs, store.add_documents(conn, [dict(
        content_hash=hashes[k], url=item.doc.url, doc_key=item.doc.doc_id,
        source=item.doc.source, title=item.doc.title, published=item.doc.date,
        text=item.doc.text, origin=item.origin) for k, item in docs.items()])))
    for k, (item, article) in enumerate(pairs):
        _write_one(store, conn, item, article, report, ids.get(k), hashes.get(k, ""))


def _write_one(store, conn, item: Item | Problem, article: Article | Failed | None,
               report: IngestReport, doc_id: int | None = None, doc_hash: str = "") -> None:
    if isinstance(article, Failed):
        item = Problem(item.origin, article.reason)
    if isinstance(item, Problem):
        if item.unread:
            report.unread += 1
        elif not item.counted:
            report.bad += 1
        if len(report.problems) < MAX_REPORT_PROBLEMS:
            report.problems.append(item)
        store.record_error_in(conn, item.origin, item.reason)
    else:
        _write(store, conn, item, article, report, doc_id, doc_hash)


def _write(store, conn, item: Item, article: Article, report: IngestReport, doc_id: int | None,
           h: str) -> None:
    """One article's events and tolls, its document stored as ``doc_id`` (None: its text was
    stored already, by an earlier batch or another ingest)."""
    from .resolve import attach

    doc = item.doc
    if doc_id is None:
        report.duplicates += 1
        return
    report.new += 1
    seen: dict[str, int] = {}
    for ev in article.events:
        # two events of one article may share an extraction id: the n-th gets its own key
        n = seen[ev.id] = seen.get(ev.id, -1) + 1
        _, new = attach(store, conn, ev, doc_id, h, doc.date, doc.source,
                        key=ev.id if n == 0 else f"{ev.id}#{n}")
        report.events_new += new
        report.events_merged += not new
    store.add_tolls(conn, doc_id, article.tolls)
    report.tolls += len(article.tolls)


def _payload(item: Item) -> tuple:
    d = item.doc
    return (d.text, d.date, d.doc_id, d.source)


def _extract_chunk(payloads: list[tuple], watch: int | None = None) -> list[Article | Failed]:
    """Worker: extract a chunk of articles (fewer round trips than one task per article).
    ``watch``: the pid of the ingest on this machine; the worker ends if it ends."""
    if watch is not None:
        watch_parent(watch)
    return [_extract_doc(p) for p in payloads]


_WATCHING: set[int] = set()


def watch_parent(pid: int, every: float = 0.5) -> None:
    """End this (worker) process as soon as process ``pid`` (the ingest that started it) is
    gone, whatever the worker is doing: a ``kill -9`` of ``hadath ingest`` leaves no extraction
    running as an orphan. Idempotent."""
    import os
    import threading

    if pid in _WATCHING:
        return
    _WATCHING.add(pid)

    def gone() -> bool:
        if pid == _PARENT[0]:  # a pool worker: re-parented once its parent died
            return os.getppid() != pid
        try:  # a worker of a local cluster (its parent is a nanny): is the ingest still there?
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except OSError:
            return False
        return False

    def watch() -> None:
        import time as _time

        while not gone():
            _time.sleep(every)
        os._exit(0)

    threading.Thread(target=watch, name="hadath-watch-parent", daemon=True).start()


_PARENT: list[int | None] = [None]


def _worker_init(parent: int) -> None:
    """Process-pool initializer: watch the ingest that started this worker."""
    _PARENT[0] = parent
    watch_parent(parent)


def _run(items: Iterable[Item | Problem], jobs: int, cluster, chunk: int = 24,
         on_done: Callable[[int], None] | None = None) -> Iterator[tuple]:
    """(item, article) in input order; problems pass through with no article."""
    if cluster is not None:
        from .cluster import submitter

        with submitter(cluster, on_done) as (submit, workers):
            yield from pipeline(items, submit, window=2 * workers, chunk=chunk)
        return
    if jobs <= 1:
        for item in items:
            if isinstance(item, Problem):
                yield item, None
                continue
            article = _extract_doc(_payload(item))
            if on_done is not None:
                on_done(1)
            yield item, article
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    from concurrent.futures.process import BrokenProcessPool

    import os

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("spawn"),
                                   initializer=_worker_init, initargs=(os.getpid(),))

    pools = [new_pool()]

    def submit(work: list):
        try:
            fut = pools[-1].submit(_extract_chunk, work)
        except BrokenProcessPool:  # a worker died (its chunk is reported failed): start anew
            pools[-1].shutdown(wait=False, cancel_futures=True)
            pools.append(new_pool())
            fut = pools[-1].submit(_extract_chunk, work)
        if on_done is not None:
            n = len(work)
            fut.add_done_callback(lambda f: f.exception() is None and on_done(n))
        return fut

    try:
        yield from pipeline(items, submit, window=2 * jobs, chunk=chunk)
    finally:
        for pool in pools:
            pool.shutdown(wait=True, cancel_futures=True)


def pipeline(items: Iterable[Item | Problem], submit: Callable, window: int,
             chunk: int = 24) -> Iterator[tuple]:
    """Extract chunks of articles through ``submit`` (a process pool's or a Dask client's: it
    returns a future with ``.result()``), keeping up to ``window`` chunks in flight, and yield
    (item, article) in input order."""
    pending: deque = deque()  # (items of a chunk, future of their articles)

    def drain(until: int) -> Iterator[tuple]:
        while len(pending) > until:
            group, fut = pending.popleft()
            try:
                articles = iter(fut.result()) if fut is not None else iter(())
            except Exception as exc:  # noqa: BLE001 - a lost chunk: its articles are bad inputs
                failed = Failed(f"extraction failed ({describe(exc)})")
                articles = iter([failed] * len(group))
            for it in group:
                yield (it, None) if isinstance(it, Problem) else (it, next(articles))

    def send(group: list) -> None:
        work = [_payload(it) for it in group if isinstance(it, Item)]
        pending.append((group, submit(work) if work else None))

    group: list[Item | Problem] = []
    for item in items:
        group.append(item)
        if len(group) >= chunk:
            send(group)
            group = []
            yield from drain(window)
    if group:
        send(group)
    yield from drain(0)
