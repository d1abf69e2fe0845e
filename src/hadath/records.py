"""The fields of one JSON Lines article: which field holds the text, the date, the id, the URL,
the title and the outlet (detected from common names unless given), and dates in the formats
news data uses (ISO 8601, RFC 2822, epoch seconds or milliseconds, YYYY/MM/DD, DD/MM/YYYY).

What was used, and every value that could not be read, is counted in :class:`JsonlStats`, so
that ``hadath ingest`` and ``hadath extract --jsonl`` can say it on stderr: a date field of
another name never again leaves every event undated without a word.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import math
import re
from collections import Counter
from dataclasses import dataclass, field

ROLES = ("text", "date", "id", "url", "title", "source")

# Names tried, in order, for each role when none is given (compared without case).
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "full_text", "fulltext", "article_text",
             "story", "maintext"),
    "date": ("date", "time", "published", "pubDate", "pub_date", "published_at",
             "publish_date", "publication_date", "date_published", "datetime", "created_at",
             "timestamp", "created", "date_publish", "updated"),
    "id": ("id", "docno", "doc_id", "docid", "_id", "guid", "uuid", "article_id", "uid"),
    "url": ("url", "link", "href", "uri", "source_url", "canonical_url", "permalink"),
    "title": ("title", "headline", "heading"),
    "source": ("source", "src", "outlet", "publisher", "source_name", "site_name", "site",
               "media", "newspaper", "feed"),
}

# Publication dates outside these years are not dates of news (a 0001-01-01 placeholder).
YEARS = (1900, 2100)


@dataclass
class JsonlStats:
    """What a JSON Lines file held: lines, bad lines, the field used for each role (and whether
    it was detected), the date formats read, and the values that could not be read."""

    lines: int = 0
    bad: int = 0
    used: dict[str, str] = field(default_factory=dict)
    detected: set[str] = field(default_factory=set)
    date_formats: Counter = field(default_factory=Counter)
    unreadable: Counter = field(default_factory=Counter)  # role -> values not read
    examples: dict[str, list[str]] = field(default_factory=dict)

    def unreadable_value(self, role: str, value: object) -> None:
        self.unreadable[role] += 1
        shown = self.examples.setdefault(role, [])
        if len(shown) < 3:
            shown.append(repr(value)[:40])

    def describe(self) -> str:
        """One line: the fields used (detected or given), date formats, unreadable values."""
        parts = []
        for role in ROLES:
            name = self.used.get(role)
            if name is None:
                if role in ("text", "date"):
                    parts.append(f"no {role} field found" + (
                        " (tried " + ", ".join(FIELD_NAMES[role][:6]) + "...)" if role == "date" else ""))
                continue
            how = "" if role in self.detected else " (as given)"
            if role == "date" and self.date_formats:
                how += " (" + ", ".join(f"{f}" for f, _ in self.date_formats.most_common()) + ")"
            parts.append(f"{role} from {name!r}{how}")
        line = "; ".join(parts)
        for role, n in self.unreadable.items():
            line += (f"; {n:,} {role} value{'s' if n > 1 else ''} could not be read "
                     f"(e.g. {', '.join(self.examples.get(role, []))})")
        return line


class FieldMap:
    """The field of each role in one file's records: as given, else the first common name a
    record has (fixed for the rest of the file once found)."""

    def __init__(self, given: dict[str, str | None], stats: JsonlStats) -> None:
        self.stats = stats
        for role, name in given.items():
            if name is not None:
                stats.used[role] = name

    def get(self, obj: dict, role: str) -> object:
        name = self.stats.used.get(role)
        if name is None:
            name = self._detect(obj, role)
            if name is None:
                return None
        return obj.get(name)

    def _detect(self, obj: dict, role: str) -> str | None:
        keys = {k.lower(): k for k in obj if isinstance(k, str)}
        for candidate in FIELD_NAMES[role]:
            key = keys.get(candidate.lower())
            if key is not None and obj[key] not in (None, ""):
                self.stats.used[role] = key
                self.stats.detected.add(role)
                return key
        return None


def read_date(value: object) -> tuple[dt.date | None, str]:
    """A publication date and the name of its format; ``(None, "")`` when it cannot be read
    (or falls outside :data:`YEARS`)."""
    day, fmt = _read_date(value)
    return (day, fmt) if day is not None else (None, "")


def _read_date(value: object) -> tuple[dt.date | None, str]:
    if value is None or isinstance(value, bool):
        return None, ""
    if isinstance(value, (int, float)):
        return _epoch(value)
    if not isinstance(value, str):
        return None, ""
    s = value.strip()
    if not s or len(s) > 100:
        return None, ""
    if re.fullmatch(r"\d{8}", s):
        return _sane(_ymd(s[:4], s[4:6], s[6:])), "YYYYMMDD"
    if re.fullmatch(r"\d{9,14}(\.\d+)?", s):
        return _epoch(float(s))
    try:
        return _sane(dt.datetime.fromisoformat(s.replace("Z", "+00:00")).date()), "ISO 8601"
    except ValueError:
        pass
    m = re.match(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b", s)
    if m:
        return _sane(_ymd(*m.groups())), "YYYY/MM/DD"
    m = re.match(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b", s)
    if m:
        return _sane(_ymd(m[3], m[2], m[1])), "DD/MM/YYYY"
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", s)
    if m:
        return _sane(_ymd(*m.groups())), "ISO 8601"
    try:
        parsed = email.utils.parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError, OverflowError):
        parsed = None
    if parsed is not None:
        return _sane(parsed.date()), "RFC 2822"
    return None, ""


def _epoch(v: float) -> tuple[dt.date | None, str]:
    if not (0 < v < 1e14) or not math.isfinite(v):  # compared before any float conversion
        return None, ""
    if 1e8 <= v < 1e11:
        unit, seconds = "epoch seconds", v
    elif 1e11 <= v < 1e14:
        unit, seconds = "epoch milliseconds", v / 1000
    else:
        return None, ""
    try:
        day = dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date()
    except (OverflowError, OSError, ValueError):
        return None, ""
    return _sane(day), unit


def _ymd(y: str, m: str, d: str) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def _sane(day: dt.date | None) -> dt.date | None:
    return day if day is not None and YEARS[0] <= day.year <= YEARS[1] else None
