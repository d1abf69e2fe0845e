"""Reading articles: text and HTML files, JSON Lines batches, with clear errors on bad input.

Files must be UTF-8 (a BOM is fine). UTF-16 and Windows-1256 text is recognised and refused
with a message saying how to read it (``--encoding``); binary files, empty files and text with
no Arabic are refused too. Each refusal is a :class:`~hadath.errors.InputError` with a stable
code and exit code.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import BadRecord, BinaryInput, EmptyInput, InputError, InputMissing, NoArabic, WrongEncoding
from .text import arabic_share

MIN_ARABIC_SHARE = 0.3


@dataclass(frozen=True, slots=True)
class Document:
    """One article to extract: its text and what is known about it."""

    text: str
    doc_id: str | None = None
    date: dt.date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None


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
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        text = ""
    if text and arabic_share(text) >= MIN_ARABIC_SHARE:
        raise WrongEncoding(f"{name}: this looks like Windows-1256 Arabic text; convert it to "
                            "UTF-8 (iconv -f CP1256 -t UTF-8) or pass --encoding cp1256")
    raise WrongEncoding(f"{name}: this is not UTF-8 text; pass --encoding to read it")


def _utf16_like(data: bytes) -> bool:
    sample = data[:2000]
    if len(sample) < 8:
        return False
    zeros_even = sample[0::2].count(0)
    zeros_odd = sample[1::2].count(0)
    half = len(sample) / 2
    return max(zeros_even, zeros_odd) > 0.3 * half and min(zeros_even, zeros_odd) < 0.05 * half


def _binary_like(sample: bytes) -> bool:
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return len(sample) > 0 and controls / len(sample) > 0.05


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
        data = (stdin.read() if stdin is not None else b"")
        name = "<stdin>"
    else:
        p = Path(path)
        if not p.is_file():
            raise InputMissing(f"{path}: no such file")
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise InputMissing(f"{path}: cannot read ({exc.strerror})") from None
        name = path
    text = decode(data, name, encoding)
    if path.lower().endswith((".html", ".htm")) or _looks_like_html(text):
        return html_to_document(text, name)
    return Document(require_arabic(text, name), doc_id=None)


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)


_DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S")


def parse_date(value: str | None) -> dt.date | None:
    """ISO dates and datetimes, YYYYMMDD, d/m/Y and RFC 2822 ("Sun, 01 Jul 2018 05:19:24 GMT")."""
    if not value:
        return None
    value = str(value).strip()
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        for candidate in (value, value[:10], value[:8]):
            try:
                return dt.datetime.strptime(candidate, fmt).date()
            except ValueError:
                continue
    try:
        parsed = email.utils.parsedate_to_datetime(value)
        return parsed.date() if parsed else None
    except (TypeError, ValueError, IndexError):
        return None


@dataclass
class JsonlStats:
    lines: int = 0
    bad: int = 0


def iter_jsonl(path: str, text_field: str = "text", id_field: str = "id", date_field: str = "date",
               stats: JsonlStats | None = None, encoding: str | None = None
               ) -> Iterator[Document | BadRecord]:
    """Articles of a JSON Lines file (plain or .gz); a bad line is yielded as a BadRecord."""
    p = Path(path)
    if path != "-" and not p.is_file():
        raise InputMissing(f"{path}: no such file")
    stats = stats if stats is not None else JsonlStats()
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as fh:  # type: ignore[operator]
        for lineno, raw in enumerate(fh, 1):
            stats.lines += 1
            if not raw.strip():
                continue
            try:
                yield _record(raw, lineno, path, text_field, id_field, date_field, encoding)
            except InputError as exc:
                stats.bad += 1
                yield BadRecord(f"{path}:{lineno}: {exc.args[0]}")


def _record(raw: bytes, lineno: int, path: str, text_field: str, id_field: str, date_field: str,
            encoding: str | None) -> Document:
    try:
        line = raw.decode(encoding or "utf-8")
    except UnicodeDecodeError:
        raise WrongEncoding("the line is not UTF-8") from None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadRecord(f"not JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise BadRecord("not a JSON object")
    text = obj.get(text_field)
    if not isinstance(text, str) or not text.strip():
        raise BadRecord(f"no text in field {text_field!r}")
    require_arabic(text, f"line {lineno}")
    doc_id = obj.get(id_field)
    date = parse_date(obj.get(date_field)) if date_field in obj else None
    return Document(text, doc_id=str(doc_id) if doc_id is not None else f"{Path(path).name}:{lineno}",
                    date=date, title=obj.get("title"), url=obj.get("url"), source=obj.get("source"))
