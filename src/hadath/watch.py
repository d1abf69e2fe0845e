"""``hadath watch``: follow news feeds and sitemaps, and ingest each new article once.

A *source* is an RSS/Atom feed, a sitemap or news sitemap (a sitemap index is followed to its
newest sitemaps), named on the command line or in a file listing one per line. Each round:

1. fetches every source that is due (not backing off after failures), with a conditional
   request (the ETag and Last-Modified of its last answer, kept in the store);
2. records each entry not seen before as a *pending item* (in the same transaction as the new
   ETag, so that a 304 later never hides an item that was not yet ingested);
3. fetches the pending items' pages, finds their main text and date (trafilatura), and ingests
   them through :func:`hadath.ingest.ingest`, the path of ``hadath ingest`` (an article already
   stored, by text, adds nothing);
4. marks the items done. A page that could not be fetched stays pending and is tried again in
   later rounds (with a growing delay) up to :data:`MAX_ATTEMPTS` times.

Killed at any moment (even ``kill -9``), a watcher loses nothing and duplicates nothing: an
item is marked done only after its article is committed, a pending item whose URL is already
stored is marked done without fetching it again, and the store refuses a text it holds.

Politeness: one request at a time per host (work is grouped by host and each host has a
lock), a User-Agent naming hadath, robots.txt honoured (and its Crawl-delay), a timeout on
every request, a size limit on every answer, and failing sources backed off exponentially.

The state lives in three tables created beside the store's own (``watch_sources``,
``watch_items``, ``watch_http``), under the store's write lock, so that two watchers starting
at once take turns.
"""

from __future__ import annotations

import datetime as dt
import gzip
import re
import socket
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from sqlalchemy import (Column, Date, DateTime, Index, Integer, MetaData, String, Table, Text,
                        select, update)

from . import __version__
from .errors import HadathError, InputError, WatchError
from .ingest import Document, IngestReport, Item, Problem, describe, html_to_document, ingest

USER_AGENT = f"hadath/{__version__} (conflict news monitor; honours robots.txt)"
ROBOTS_AGENT = "hadath"
TIMEOUT = 20.0  # seconds, for each request as a whole
MAX_LISTING_BYTES = 32_000_000  # a feed or a sitemap
MAX_PAGE_BYTES = 8_000_000  # an article page
MAX_ATTEMPTS = 5  # fetches of one item before it is given up
MAX_ITEMS = 100  # items of one source fetched per round (newest first); the rest wait
MAX_CHILD_SITEMAPS = 5  # the newest sitemaps of a sitemap index followed each round
BACKOFF = 300.0  # seconds: a source that failed n times in a row waits BACKOFF * 2^(n-1)
BACKOFF_MAX = 6 * 3600.0
ITEM_RETRY = 120.0  # seconds: a page that failed n times waits ITEM_RETRY * 2^(n-1)
ROBOTS_TTL = 3600.0  # seconds a robots.txt is trusted

watch_meta = MetaData()

watch_sources = Table(
    "watch_sources", watch_meta,
    Column("url", Text, primary_key=True),
    Column("name", Text), Column("lang", String(16)),
    Column("kind", String(16)),  # feed, sitemap, sitemapindex (as last seen)
    Column("title", Text),  # the feed's own title
    Column("added_at", DateTime, nullable=False),
    Column("last_attempt", DateTime), Column("last_success", DateTime),
    Column("last_status", Text),  # "200", "304", "error"
    Column("last_error", Text),
    Column("failures", Integer, nullable=False, default=0),  # consecutive
    Column("errors", Integer, nullable=False, default=0),  # all time
    Column("rounds", Integer, nullable=False, default=0),
    Column("next_try", DateTime),
    Column("last_new", Integer, nullable=False, default=0),  # new items in its last round
)

watch_items = Table(
    "watch_items", watch_meta,
    Column("url", Text, primary_key=True),  # the article's link (or the entry's id)
    Column("source", Text, nullable=False),
    Column("title", Text), Column("published", Date),
    Column("content", Text),  # the entry's own text, used when the page has none
    Column("state", String(16), nullable=False),  # pending, done, skipped, failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_try", DateTime),
    Column("last_error", Text),
    Column("document_id", Integer),
    Column("first_seen", DateTime, nullable=False),
    Column("done_at", DateTime),
)
Index("watch_items_source_state", watch_items.c.source, watch_items.c.state)

watch_http = Table(
    "watch_http", watch_meta,
    Column("url", Text, primary_key=True),
    Column("etag", Text), Column("last_modified", Text),
    Column("fetched_at", DateTime),
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


# --- sources --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Source:
    """A feed or sitemap to watch, with the outlet that publishes it and its language."""

    url: str
    name: str | None = None
    lang: str | None = None


_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")


def parse_sources(args: Iterable[str]) -> list[Source]:
    """Sources from the command line: each a feed or sitemap URL, or a file listing them, one
    per line: ``URL [outlet name] [language]`` (tab- or space-separated; ``#`` comments)."""
    out: list[Source] = []
    for arg in args:
        if arg.startswith(("http://", "https://")):
            out.append(Source(arg))
            continue
        p = Path(arg)
        if not p.is_file():
            raise WatchError(f"{arg}: neither a feed URL (http:// or https://) nor a file listing sources")
        try:
            lines = p.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise WatchError(f"{arg}: cannot read the sources file ({describe(exc)})") from None
        for n, line in enumerate(lines, 1):
            line = line.split(" #")[0].strip() if not line.lstrip().startswith("#") else ""
            if not line:
                continue
            parts = [x.strip() for x in line.split("\t")] if "\t" in line else line.split()
            parts = [x for x in parts if x]
            url = parts[0]
            if not url.startswith(("http://", "https://")):
                raise WatchError(f"{arg}:{n}: {url!r} is not an http(s) URL")
            rest = parts[1:]
            lang = rest.pop() if rest and _LANG.match(rest[-1]) else None
            out.append(Source(url, " ".join(rest) or None, lang))
    seen: set[str] = set()
    return [s for s in out if not (s.url in seen or seen.add(s.url))]


def parse_duration(value: str) -> float:
    """"10m", "30s", "1h", "1d" or a number of seconds, as seconds."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d)?\s*", value or "")
    if not m:
        raise ValueError(f"{value!r} is not a duration (like 30s, 10m, 1h)")
    n = float(m[1])
    return n * {"ms": 0.001, None: 1, "s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}[m[2]]


# --- fetching -------------------------------------------------------------------------------

class FetchError(Exception):
    """A request that failed: ``transient`` (timeouts, 5xx, refused connections: worth trying
    again later) or not (404, robots.txt forbids, not a feed)."""

    def __init__(self, message: str, transient: bool = True, status: int | None = None) -> None:
        super().__init__(message)
        self.transient = transient
        self.status = status


@dataclass
class Response:
    status: int
    url: str
    headers: dict[str, str]
    body: bytes = b""


class Fetcher:
    """HTTP GET with timeouts, size limits, conditional requests, robots.txt, and one request
    at a time per host."""

    def __init__(self, timeout: float = TIMEOUT, user_agent: str = USER_AGENT,
                 robots: bool = True, max_bytes: int = MAX_PAGE_BYTES) -> None:
        self.timeout = timeout
        self.user_agent = user_agent
        self.robots = robots
        self.max_bytes = max_bytes
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._robots: dict[str, tuple[float, RobotFileParser | None]] = {}
        self._last: dict[str, float] = {}
        self._opener = urllib.request.build_opener(urllib.request.HTTPRedirectHandler())
        self.requests = 0

    def _lock(self, host: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(host, threading.Lock())

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None,
            max_bytes: int | None = None) -> Response:
        """GET ``url`` (a 304 is a Response with status 304); FetchError when it fails."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise FetchError(f"not an http(s) URL: {url}", transient=False)
        host = f"{parts.scheme}://{parts.netloc}"
        with self._lock(host):
            robots = self._robots_for(host) if self.robots else None
            if robots is not None and not robots.can_fetch(ROBOTS_AGENT, url):
                raise FetchError("robots.txt of the site does not allow hadath to fetch it",
                                 transient=False)
            delay = (robots.crawl_delay(ROBOTS_AGENT) if robots is not None else None) or 0
            wait = self._last.get(host, 0.0) + float(delay) - time.monotonic()
            if wait > 0:
                time.sleep(min(wait, 60.0))
            try:
                return self._fetch(url, etag, last_modified, max_bytes or self.max_bytes)
            finally:
                self._last[host] = time.monotonic()

    def _robots_for(self, host: str) -> RobotFileParser | None:
        """The site's robots.txt (None: everything allowed), fetched at most once an hour."""
        hit = self._robots.get(host)
        if hit is not None and time.monotonic() - hit[0] < ROBOTS_TTL:
            return hit[1]
        parser: RobotFileParser | None = RobotFileParser(host + "/robots.txt")
        try:
            res = self._fetch(host + "/robots.txt", None, None, 512_000)
            parser.parse(res.body.decode("utf-8", "replace").splitlines())
        except FetchError as exc:
            if exc.status in (401, 403):  # as urllib.robotparser: the site is closed
                parser.disallow_all = True
            else:  # none (404), or unreachable: the requests themselves will tell
                parser = None
        self._robots[host] = (time.monotonic(), parser)
        return parser

    def _fetch(self, url: str, etag: str | None, last_modified: str | None,
               max_bytes: int) -> Response:
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate",
                   "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
                             "text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        req = urllib.request.Request(url, headers=headers)
        self.requests += 1
        deadline = time.monotonic() + self.timeout
        try:
            with self._opener.open(req, timeout=self.timeout) as res:
                body = _read(res, max_bytes, deadline, self.timeout)
                hdrs = {k.lower(): v for k, v in res.headers.items()}
                status, final = res.status, res.url
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return Response(304, url, {k.lower(): v for k, v in exc.headers.items()})
            transient = exc.code >= 500 or exc.code in (408, 425, 429)
            raise FetchError(f"HTTP {exc.code} {exc.reason}", transient, exc.code) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (socket.timeout, TimeoutError)):
                raise FetchError(f"timed out after {self.timeout:g} s") from None
            raise FetchError(f"cannot connect ({reason})") from None
        except (socket.timeout, TimeoutError):
            raise FetchError(f"timed out after {self.timeout:g} s") from None
        except (OSError, ValueError) as exc:  # reset connections, bad status lines
            raise FetchError(f"failed ({describe(exc)})") from None
        encoding = hdrs.get("content-encoding", "").lower()
        try:
            if encoding == "gzip" or body[:2] == b"\x1f\x8b":
                body = _bounded_gunzip(body, max_bytes)
            elif encoding == "deflate":
                body = zlib.decompress(body)
        except (OSError, EOFError, zlib.error) as exc:
            raise FetchError(f"a damaged compressed answer ({describe(exc)})") from None
        return Response(status, final, hdrs, body)


def _read(res, max_bytes: int, deadline: float, timeout: float) -> bytes:
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError(f"timed out after {timeout:g} s (the answer came too slowly)")
        chunk = res.read(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"the answer is over {max_bytes / 1e6:g} MB", transient=False)
        chunks.append(chunk)


def _bounded_gunzip(data: bytes, max_bytes: int) -> bytes:
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = d.decompress(data, max_bytes + 1)
    if len(out) > max_bytes:
        raise FetchError(f"the answer unpacks to over {max_bytes / 1e6:g} MB", transient=False)
    return out if out or not data else gzip.decompress(data)


# --- feeds and sitemaps ----------------------------------------------------------------------

@dataclass
class Entry:
    """One item of a feed or sitemap."""

    url: str
    title: str | None = None
    published: dt.date | None = None
    content: str | None = None  # the entry's own text (summary or content), if any


@dataclass
class Listing:
    kind: str  # feed, sitemap, sitemapindex
    entries: list[Entry] = field(default_factory=list)
    children: list[tuple[str, str | None]] = field(default_factory=list)  # (sitemap URL, lastmod)
    title: str | None = None
    note: str | None = None  # a feed read despite errors


def parse_listing(body: bytes, url: str, content_type: str | None = None) -> Listing:
    """A feed or a sitemap's entries; FetchError (not transient) when it is neither, or when
    it is so malformed that no entry with a link or id can be read from it."""
    head = body[:2048].lstrip().lower()
    if b"<urlset" in head or b"<sitemapindex" in head or (
            b"sitemaps.org" in head and b"<rss" not in head and b"<feed" not in head):
        return _sitemap(body, url)
    return _feed(body, url, content_type)


def _feed(body: bytes, url: str, content_type: str | None = None) -> Listing:
    import feedparser

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(body, response_headers=headers)
    if not parsed.entries and not parsed.bozo and not parsed.get("version"):
        raise FetchError("not a feed or sitemap (no RSS, Atom or sitemap found)", transient=False)
    out = Listing("feed", title=(parsed.feed.get("title") or None) if parsed.get("feed") else None)
    for e in parsed.entries:
        link = e.get("link") or ""
        key = urljoin(url, link) if link else (e.get("id") or "")
        if not key:
            continue
        content = ""
        if e.get("content"):
            content = " ".join(c.get("value", "") for c in e["content"])
        content = content or e.get("summary", "") or ""
        stamp = e.get("published_parsed") or e.get("updated_parsed")
        day = None
        if stamp:
            try:
                day = dt.date(*stamp[:3])
            except ValueError:
                day = None
        out.entries.append(Entry(key, e.get("title") or None, day, content or None))
    if parsed.bozo:
        reason = getattr(parsed, "bozo_exception", None)
        why = describe(reason) if reason else "unreadable"
        if not out.entries:
            raise FetchError(f"a malformed feed ({why})", transient=False)
        out.note = f"a malformed feed ({why}): {len(out.entries)} entries read anyway"
    return out


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _sitemap(body: bytes, url: str) -> Listing:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise FetchError(f"a malformed sitemap ({exc})", transient=False) from None
    from .ingest import parse_date

    if _local(root.tag) == "sitemapindex":
        out = Listing("sitemapindex")
        for sm in root:
            if _local(sm.tag) != "sitemap":
                continue
            fields = {_local(c.tag): (c.text or "").strip() for c in sm}
            if fields.get("loc"):
                out.children.append((urljoin(url, fields["loc"]), fields.get("lastmod") or None))
        return out
    if _local(root.tag) != "urlset":
        raise FetchError(f"not a sitemap (its root is <{_local(root.tag)}>)", transient=False)
    out = Listing("sitemap")
    for u in root:
        if _local(u.tag) != "url":
            continue
        loc, lastmod, title, published = None, None, None, None
        for c in u.iter():
            name = _local(c.tag)
            text = (c.text or "").strip()
            if name == "loc" and loc is None:
                loc = text
            elif name == "lastmod":
                lastmod = text
            elif name == "publication_date":
                published = text
            elif name == "title" and title is None:
                title = text or None
        if loc:
            day = parse_date(published or lastmod) if (published or lastmod) else None
            out.entries.append(Entry(urljoin(url, loc), title, day))
    return out


# --- the watcher ------------------------------------------------------------------------------

@dataclass
class SourceResult:
    source: Source
    status: str = "error"  # "200", "304", "error"
    listing: Listing | None = None
    error: str | None = None
    cache: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # url, etag, lm
    notes: list[str] = field(default_factory=list)


@dataclass
class SourceLine:
    """What one round did with one source."""

    url: str
    name: str | None
    status: str  # fetched, not modified, failed, backing off
    new: int = 0
    error: str | None = None
    retry_at: dt.datetime | None = None


@dataclass
class RoundReport:
    """What one round did."""

    sources: list[SourceLine] = field(default_factory=list)
    new_items: int = 0  # entries seen for the first time
    fetched: int = 0  # article pages fetched
    fetch_failed: int = 0  # pages that could not be fetched (tried again later)
    given_up: int = 0  # pages given up after MAX_ATTEMPTS
    skipped: int = 0  # pages without an article (no text, no Arabic, forbidden)
    already: int = 0  # pending items found stored already (after an interruption)
    ingest: IngestReport = field(default_factory=IngestReport)
    requests: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (item URL, reason)

    def count(self, status: str) -> int:
        return sum(1 for s in self.sources if s.status == status)

    @property
    def all_failed(self) -> bool:
        tried = [s for s in self.sources if s.status != "backing off"]
        return bool(tried) and all(s.status == "failed" for s in tried)

    def summary(self) -> str:
        r = self.ingest
        return (f"{len(self.sources)} sources ({self.count('fetched')} fetched, "
                f"{self.count('not modified')} not modified, {self.count('failed')} failed, "
                f"{self.count('backing off')} backing off): {self.new_items} new items; "
                f"{self.fetched} pages fetched, {self.fetch_failed} to retry, {self.skipped} "
                f"without an article; {r.new} articles stored, {r.duplicates} already stored; "
                f"{r.events_new} new events, {r.events_merged} reports merged "
                f"({self.seconds:.1f} s, {self.requests} requests)")


@dataclass
class _Pending:
    url: str
    source: str
    title: str | None
    published: dt.date | None
    content: str | None
    attempts: int


class Watcher:
    """Watches sources for one store. ``now`` is the clock (for tests)."""

    def __init__(self, store, fetcher: Fetcher | None = None, *, max_items: int = MAX_ITEMS,
                 backoff: float = BACKOFF, backoff_max: float = BACKOFF_MAX,
                 item_retry: float = ITEM_RETRY, workers: int = 8, jobs: int = 1,
                 batch: int = 10, now: Callable[[], dt.datetime] = _now) -> None:
        self.store = store
        self.fetcher = fetcher or Fetcher()
        self.max_items = max_items
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.item_retry = item_retry
        self.workers = workers
        self.jobs = jobs
        self.batch = batch  # articles per commit: a round killed midway keeps what it stored
        self.now = now
        if not store.read_only:
            self.ensure_tables()

    def ensure_tables(self) -> None:
        """Create the watch tables if missing (under the store's write lock: two watchers
        starting at once take turns)."""
        with self.store.transaction() as conn:
            watch_meta.create_all(conn, checkfirst=True)

    def has_tables(self) -> bool:
        from sqlalchemy import inspect

        with self.store.engine.connect() as conn:
            return inspect(conn).has_table("watch_sources")

    # --- sources ---------------------------------------------------------------------------

    def add(self, sources: Iterable[Source]) -> None:
        """Register sources (a known one keeps its state; a name or language given updates it)."""
        now = self.now()
        with self.store.transaction() as conn:
            for s in sources:
                row = conn.execute(select(watch_sources.c.url).where(watch_sources.c.url == s.url)).first()
                if row is None:
                    conn.execute(watch_sources.insert().values(
                        url=s.url, name=s.name, lang=s.lang, added_at=now, failures=0, errors=0,
                        rounds=0, last_new=0))
                elif s.name or s.lang:
                    values = {k: v for k, v in (("name", s.name), ("lang", s.lang)) if v}
                    conn.execute(update(watch_sources).where(watch_sources.c.url == s.url).values(**values))

    def sources(self) -> list[Source]:
        with self.store.engine.connect() as conn:
            return [Source(r.url, r.name, r.lang) for r in conn.execute(
                select(watch_sources).order_by(watch_sources.c.added_at, watch_sources.c.url))]

    # --- a round ---------------------------------------------------------------------------

    def round(self, only: Iterable[Source] | None = None) -> RoundReport:
        """One round over the sources (``only`` these, else every registered source)."""
        started = time.perf_counter()
        requests0 = self.fetcher.requests
        report = RoundReport()
        wanted = list(only) if only is not None else self.sources()
        if only is not None:
            self.add(wanted)
        now = self.now()
        state = self._source_rows([s.url for s in wanted])
        due, waiting = [], []
        for s in wanted:
            row = state.get(s.url)
            if row is not None and row["next_try"] is not None and row["next_try"] > now:
                waiting.append(s)
                report.sources.append(SourceLine(s.url, s.name, "backing off",
                                                 error=row["last_error"], retry_at=row["next_try"]))
            else:
                due.append(s)
        with ThreadPoolExecutor(max_workers=max(1, self.workers), thread_name_prefix="hadath-watch") as pool:
            results = self._listings(pool, due)
            lines = self._record_listings(results, report)
            report.sources[:0] = lines
            pending = self._pending([s.url for s in wanted])
            ready = self._already_stored(pending, report)
            outcomes: dict[str, tuple[str, str | None]] = {}
            titles = {r.source.url: r.listing.title for r in results if r.listing is not None}
            outlets = {s.url: s.name or titles.get(s.url) or (state.get(s.url) or {}).get("title")
                       or urlsplit(s.url).netloc for s in wanted}
            futures = self._fetch_pages(pool, ready)
            report.ingest = ingest([], self.store, jobs=self.jobs, batch=self.batch,
                                   items=self._items(ready, futures, outlets, outcomes, report))
        self._record_items(outcomes, report)
        report.requests = self.fetcher.requests - requests0
        report.seconds = time.perf_counter() - started
        return report

    def _source_rows(self, urls: list[str]) -> dict[str, dict]:
        with self.store.engine.connect() as conn:
            return {r.url: dict(r._mapping) for r in conn.execute(
                select(watch_sources).where(watch_sources.c.url.in_(urls)))}

    def _http_cache(self) -> dict[str, tuple[str | None, str | None]]:
        with self.store.engine.connect() as conn:
            return {r.url: (r.etag, r.last_modified) for r in conn.execute(select(watch_http))}

    def _listings(self, pool: ThreadPoolExecutor, due: list[Source]) -> list[SourceResult]:
        cache = self._http_cache()
        by_host: dict[str, list[Source]] = {}
        for s in due:
            by_host.setdefault(urlsplit(s.url).netloc, []).append(s)

        def run(group: list[Source]) -> list[SourceResult]:
            return [self._listing(s, cache) for s in group]

        futures = [pool.submit(run, g) for g in by_host.values()]
        done = {r.source.url: r for f in futures for r in f.result()}
        return [done[s.url] for s in due]

    def _listing(self, source: Source, cache: dict) -> SourceResult:
        result = SourceResult(source)
        try:
            res = self._get_listing(source.url, cache, result)
            if res is None:
                result.status = "304"
                return result
            listing = parse_listing(res.body, res.url, res.headers.get("content-type"))
            result.status = "200"
            if listing.kind == "sitemapindex":
                listing = self._children(listing, cache, result)
            result.listing = listing
            if listing.note:
                result.notes.append(listing.note)
        except FetchError as exc:
            result.status, result.error = "error", str(exc)
            result.cache.clear()  # a failed source keeps its old validators
        except Exception as exc:  # noqa: BLE001 - one source never stops a round
            result.status, result.error = "error", f"cannot be read ({describe(exc)})"
            result.cache.clear()
        return result

    def _get_listing(self, url: str, cache: dict, result: SourceResult) -> Response | None:
        etag, lm = cache.get(url, (None, None))
        res = self.fetcher.get(url, etag, lm, max_bytes=MAX_LISTING_BYTES)
        if res.status == 304:
            return None
        result.cache.append((url, res.headers.get("etag"), res.headers.get("last-modified")))
        return res

    def _children(self, index: Listing, cache: dict, result: SourceResult) -> Listing:
        """The entries of a sitemap index's newest sitemaps (those unchanged answer 304)."""
        out = Listing("sitemapindex")
        children = sorted(index.children, key=lambda c: c[1] or "", reverse=True)[:MAX_CHILD_SITEMAPS]
        failed = 0
        for url, _lastmod in children:
            try:
                res = self._get_listing(url, cache, result)
                if res is None:
                    continue
                child = parse_listing(res.body, res.url, res.headers.get("content-type"))
                out.entries += child.entries
            except FetchError as exc:
                failed += 1
                result.notes.append(f"sitemap {url}: {exc}")
        if children and failed == len(children):
            raise FetchError(f"none of its {len(children)} newest sitemaps could be read "
                             f"({result.notes[-1]})")
        return out

    def _record_listings(self, results: list[SourceResult], report: RoundReport) -> list[SourceLine]:
        """One transaction: new entries become pending items, the validators are kept, each
        source's success or failure (and its next try) is recorded."""
        now = self.now()
        lines = []
        with self.store.transaction() as conn:
            known = set()
            urls = [e.url for r in results if r.listing for e in r.listing.entries]
            for chunk in _chunks(urls, 500):
                known |= {row[0] for row in conn.execute(
                    select(watch_items.c.url).where(watch_items.c.url.in_(chunk)))}
            for r in results:
                src = watch_sources.c.url == r.source.url
                if r.status == "error":
                    row = conn.execute(select(watch_sources.c.failures).where(src)).first()
                    failures = (row[0] if row else 0) + 1
                    wait = min(self.backoff * 2 ** (failures - 1), self.backoff_max)
                    retry = now + dt.timedelta(seconds=wait)
                    conn.execute(update(watch_sources).where(src).values(
                        last_attempt=now, last_status="error", last_error=r.error,
                        failures=failures, errors=watch_sources.c.errors + 1,
                        rounds=watch_sources.c.rounds + 1, next_try=retry, last_new=0))
                    lines.append(SourceLine(r.source.url, r.source.name, "failed", error=r.error,
                                            retry_at=retry))
                    continue
                new = 0
                if r.listing is not None:
                    for e in r.listing.entries:
                        if e.url in known:
                            continue
                        known.add(e.url)
                        new += 1
                        conn.execute(watch_items.insert().values(
                            url=e.url, source=r.source.url, title=_short(e.title, 1000),
                            published=e.published, content=_short(e.content, 1_000_000),
                            state="pending", attempts=0, first_seen=now))
                for url, etag, lm in r.cache:
                    values = dict(etag=etag, last_modified=lm, fetched_at=now)
                    if conn.execute(update(watch_http).where(watch_http.c.url == url)
                                    .values(**values)).rowcount == 0:
                        conn.execute(watch_http.insert().values(url=url, **values))
                values = dict(last_attempt=now, last_success=now, last_status=r.status,
                              last_error=None, failures=0, next_try=None,
                              rounds=watch_sources.c.rounds + 1)
                if r.listing is not None:
                    values["kind"] = r.listing.kind
                    if r.listing.title:
                        values["title"] = _short(r.listing.title, 300)
                conn.execute(update(watch_sources).where(src).values(**values))
                report.new_items += new
                conn.execute(update(watch_sources).where(src).values(last_new=new))
                line = SourceLine(r.source.url, r.source.name,
                                  "not modified" if r.status == "304" else "fetched", new=new,
                                  error="; ".join(r.notes) or None)
                lines.append(line)
        return lines

    def _pending(self, sources: list[str]) -> list[_Pending]:
        """Pending items of these sources that are due, up to max_items a source, newest
        first chosen, oldest first returned (so that reports merge in the order told)."""
        now = self.now()
        out: list[_Pending] = []
        with self.store.engine.connect() as conn:
            for src in sources:
                rows = conn.execute(
                    select(watch_items).where(watch_items.c.source == src,
                                              watch_items.c.state == "pending")
                    .order_by(watch_items.c.published.desc().nulls_last(), watch_items.c.first_seen.desc(),
                              watch_items.c.url)).all()
                rows = [r for r in rows if r.next_try is None or r.next_try <= now][:self.max_items]
                rows.reverse()
                out += [_Pending(r.url, r.source, r.title, r.published, r.content, r.attempts)
                        for r in rows]
        return out

    def _already_stored(self, pending: list[_Pending], report: RoundReport) -> list[_Pending]:
        """Pending items whose article the store holds already (a round interrupted between
        storing and marking) are marked done without being fetched again."""
        from .store import documents

        if not pending:
            return pending
        stored: dict[str, int] = {}
        with self.store.engine.connect() as conn:
            for chunk in _chunks([p.url for p in pending], 500):
                for row in conn.execute(select(documents.c.url, documents.c.id)
                                        .where(documents.c.url.in_(chunk))):
                    stored.setdefault(row.url, row.id)
        if stored:
            now = self.now()
            with self.store.transaction() as conn:
                for url, doc in stored.items():
                    conn.execute(update(watch_items).where(watch_items.c.url == url).values(
                        state="done", document_id=doc, done_at=now, last_error=None, content=None))
            report.already += len(stored)
        return [p for p in pending if p.url not in stored]

    def _fetch_pages(self, pool: ThreadPoolExecutor, pending: list[_Pending]) -> dict[str, Future]:
        """Fetch the pages, one host at a time each, in parallel across hosts."""
        futures: dict[str, Future] = {p.url: Future() for p in pending}
        by_host: dict[str, list[_Pending]] = {}
        for p in pending:
            by_host.setdefault(urlsplit(p.url).netloc, []).append(p)

        def run(group: list[_Pending]) -> None:
            for p in group:
                fut = futures[p.url]
                try:
                    fut.set_result(self._page(p))
                except BaseException as exc:  # noqa: BLE001 - handed to the consumer
                    fut.set_exception(exc)

        for group in by_host.values():
            pool.submit(run, group)
        return futures

    def _page(self, p: _Pending) -> Document | FetchError | InputError:
        """The article of one item: its page's main text (or, failing that, the entry's own
        text), with its title and date."""
        if not p.url.startswith(("http://", "https://")):
            return self._from_entry(p, FetchError("the entry has no link", transient=False))
        try:
            res = self.fetcher.get(p.url)
        except FetchError as exc:
            return self._from_entry(p, exc) if not exc.transient else exc
        html = _decode_page(res.body, res.headers.get("content-type", ""))
        try:
            doc = html_to_document(html, p.url) if _is_html(html, res.headers) else _text_doc(html, p.url)
        except InputError as exc:
            return self._from_entry(p, exc)
        except Exception as exc:  # noqa: BLE001 - a page trafilatura cannot read
            return self._from_entry(p, InputError(f"{p.url}: cannot be read ({describe(exc)})"))
        return Document(doc.text, doc_id=p.url, date=p.published or doc.date,
                        title=p.title or doc.title, url=p.url)

    def _from_entry(self, p: _Pending, why: Exception) -> Document | Exception:
        """The entry's own text when its page gave none (a feed with full content)."""
        if p.content:
            from .ingest import _html_text, require_arabic

            text = _html_text(p.content)
            if p.title and p.title not in text:
                text = f"{p.title}\n{text}"
            try:
                return Document(require_arabic(text, p.url), doc_id=p.url, date=p.published,
                                title=p.title, url=p.url)
            except InputError:
                pass
        return why

    def _items(self, pending: list[_Pending], futures: dict[str, Future], outlets: dict[str, str],
               outcomes: dict[str, tuple[str, str | None]], report: RoundReport
               ) -> Iterator[Item | Problem]:
        """The fetched articles as ingest items, in a stable order; what failed is noted in
        ``outcomes`` (transient failures are not ingest problems: they are tried again)."""
        for p in pending:
            try:
                got = futures[p.url].result()
            except Exception as exc:  # noqa: BLE001
                got = FetchError(f"failed ({describe(exc)})")
            if isinstance(got, Document):
                report.fetched += 1
                outcomes[p.url] = ("done", None)
                doc = Document(got.text, doc_id=got.doc_id, date=got.date, title=got.title,
                               url=got.url, source=outlets.get(p.source))
                yield Item(doc, p.url)
            elif isinstance(got, FetchError) and got.transient:
                report.fetch_failed += 1
                given_up = p.attempts + 1 >= MAX_ATTEMPTS
                report.given_up += given_up
                outcomes[p.url] = ("failed" if given_up else "retry", str(got))
                report.failures.append((p.url, str(got)))
                if given_up:
                    yield Problem(p.url, f"given up after {MAX_ATTEMPTS} attempts: {got}")
            else:
                report.skipped += 1
                reason = str(got.args[0] if got.args else got).split(": ", 1)[-1] \
                    if isinstance(got, InputError) else str(got)
                outcomes[p.url] = ("skipped", reason)
                report.failures.append((p.url, reason))
                yield Problem(p.url, reason)

    def _record_items(self, outcomes: dict[str, tuple[str, str | None]], report: RoundReport) -> None:
        """After the ingest committed: items done (with their document), skipped, given up,
        or to be tried again later."""
        from .store import documents

        if not outcomes:
            return
        now = self.now()
        stored_problem = {p.origin: p.reason for p in report.ingest.problems}
        with self.store.transaction() as conn:
            docs: dict[str, int] = {}
            done = [u for u, (s, _) in outcomes.items() if s == "done"]
            for chunk in _chunks(done, 500):
                for row in conn.execute(select(documents.c.url, documents.c.id)
                                        .where(documents.c.url.in_(chunk))):
                    docs.setdefault(row.url, row.id)
            for url, (st, why) in outcomes.items():
                item = watch_items.c.url == url
                if st == "done" and url in stored_problem:  # read, but not stored
                    values = dict(state="skipped", done_at=now, last_error=stored_problem[url],
                                  content=None)
                elif st == "done":  # the entry's own text is no longer needed
                    values = dict(state="done", done_at=now, document_id=docs.get(url),
                                  last_error=None, content=None)
                elif st == "retry":
                    attempts = conn.execute(select(watch_items.c.attempts).where(item)).scalar() or 0
                    wait = min(self.item_retry * 2 ** attempts, self.backoff_max)
                    values = dict(attempts=attempts + 1, last_error=why,
                                  next_try=now + dt.timedelta(seconds=wait))
                else:  # skipped or failed for good
                    values = dict(state=st, done_at=now, last_error=why, content=None,
                                  attempts=watch_items.c.attempts + 1)
                conn.execute(update(watch_items).where(item).values(**values))

    # --- status ----------------------------------------------------------------------------

    def status(self) -> list[dict]:
        """Each source: last success, items stored, pending, errors, next try."""
        from sqlalchemy import func

        with self.store.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(
                select(watch_sources).order_by(watch_sources.c.added_at, watch_sources.c.url))]
            counts: dict[tuple[str, str], int] = {}
            for r in conn.execute(select(watch_items.c.source, watch_items.c.state, func.count())
                                  .group_by(watch_items.c.source, watch_items.c.state)):
                counts[(r[0], r[1])] = r[2]
            stored = dict(conn.execute(select(watch_items.c.source, func.count())
                                       .where(watch_items.c.document_id.is_not(None))
                                       .group_by(watch_items.c.source)).all())
        for r in rows:
            r["stored"] = stored.get(r["url"], 0)
            for st in ("pending", "done", "skipped", "failed"):
                r[st] = counts.get((r["url"], st), 0)
        return rows


def _chunks(values: list, n: int) -> Iterator[list]:
    for i in range(0, len(values), n):
        yield values[i:i + n]


def _short(value: str | None, n: int) -> str | None:
    return value[:n] if isinstance(value, str) else value


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def _decode_page(body: bytes, content_type: str) -> str:
    """A page's bytes as text: the charset of the Content-Type, else of a <meta>, else UTF-8
    (else Windows-1256, common on Arabic sites)."""
    from .ingest import clean_text

    m = re.search(r"charset=([\w\-]+)", content_type or "", re.I)
    names = [m[1]] if m else []
    meta = _CHARSET.search(body[:4096])
    if meta:
        names.append(meta[1].decode("ascii", "replace"))
    names += ["utf-8", "cp1256"]
    for name in names:
        try:
            return clean_text(body.decode(name))
        except (LookupError, UnicodeDecodeError):
            continue
    return clean_text(body.decode("utf-8", "replace"))


def _is_html(text: str, headers: dict[str, str]) -> bool:
    ctype = headers.get("content-type", "").lower()
    head = text.lstrip()[:500].lower()
    return "html" in ctype or head.startswith(("<!doctype", "<html")) or "<body" in text[:5000].lower()


def _text_doc(text: str, name: str) -> Document:
    from .ingest import require_arabic

    return Document(require_arabic(text.strip(), name))


def _fmt_time(value: dt.datetime | None) -> str:
    return "-" if value is None else value.strftime("%Y-%m-%d %H:%M")


def describe_status(rows: list[dict]) -> list[list[str]]:
    """``hadath watch --status`` rows: source, kind, last success, items, errors, next try."""
    out = []
    for r in rows:
        name = r["name"] or r["title"] or ""
        errors = "-" if not r["errors"] else (
            f"{r['errors']} ({r['failures']} in a row)" + (f": {r['last_error']}" if r["last_error"] else ""))
        out.append([f"{name}\n{r['url']}".strip(), r["kind"] or "-", _fmt_time(r["last_success"]),
                    f"{r['stored']} stored, {r['pending']} pending"
                    + (f", {r['skipped'] + r['failed']} skipped" if r["skipped"] + r["failed"] else ""),
                    errors, _fmt_time(r["next_try"]) if r["next_try"] else "next round"])
    return out


__all__ = ["BACKOFF", "Entry", "FetchError", "Fetcher", "HadathError", "Listing", "MAX_ATTEMPTS",
           "RoundReport", "Source", "USER_AGENT", "Watcher", "parse_duration", "parse_listing",
           "parse_sources", "watch_http", "watch_items", "watch_sources"]
