"""A local web site for the watch, alert and benchmark tests: a threading HTTP server on
127.0.0.1 whose routes the test sets (feeds, sitemaps, article pages, robots.txt), with ETags,
Last-Modified, delays (timeouts) and errors; and articles written for these tests (never
copied from any outlet)."""

from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import http.server
import json
import threading
import time
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

# Places the built-in gazetteer knows, far enough apart that their events never merge.
PLACES = ["سراقب", "معرة النعمان", "سلمية", "جسر الشغور", "كفرنبل", "خان شيخون", "تل رفعت",
          "منبج", "الباب", "الميادين", "البوكمال", "تدمر", "درعا", "حمص", "اللاذقية", "طرطوس",
          "الرقة", "القامشلي", "الحسكة", "دير الزور"]

# Sentences written for these tests: {place} {n} {actor} are filled in.
LEADS = [
    "قصفت قوات النظام السوري مدينة {place} بالمدفعية الثقيلة صباح اليوم، ما أدى إلى مقتل {n} "
    "مدنيين وإصابة آخرين، بحسب ما أفاد به الدفاع المدني.",
    "شنت طائرات حربية روسية غارات جوية على أطراف مدينة {place} فجر اليوم، وقتل {n} أشخاص "
    "بينهم أطفال، وفق المرصد السوري لحقوق الإنسان.",
    "انفجرت سيارة مفخخة في سوق مدينة {place} ظهر اليوم، ما أسفر عن مقتل {n} مدنيين، بحسب "
    "مصادر طبية محلية.",
    "اندلعت اشتباكات عنيفة بين فصائل المعارضة وقوات النظام في محيط مدينة {place} مساء اليوم، "
    "وقتل {n} مقاتلين من الطرفين، وفق المرصد السوري لحقوق الإنسان.",
]
TAILS = [
    "وقال شهود عيان إن فرق الإسعاف عملت لساعات على نقل المصابين إلى المستشفيات القريبة.",
    "وأضافت المصادر أن المحال التجارية أغلقت أبوابها في المدينة بقية النهار.",
    "ولم تعلق الجهات الرسمية على الحادثة حتى ساعة إعداد هذا الخبر.",
]


def article(i: int, place: str | None = None, n: int | None = None) -> tuple[str, str]:
    """The title and text of test article ``i`` (distinct for each i)."""
    place = place or PLACES[i % len(PLACES)]
    n = n if n is not None else 3 + i % 17
    lead = LEADS[i % len(LEADS)].format(place=place, n=n)
    tail = TAILS[i % len(TAILS)]
    title = f"{place}: مقتل {n} في هجوم جديد (تقرير رقم {i})"
    # the report number keeps every text distinct even where lead and place repeat
    text = f"{lead}\n{tail}\nوهذا التقرير رقم {i} من سلسلة تقارير المراسلين الميدانيين."
    return title, text


def page(title: str, text: str, day: dt.date) -> bytes:
    """An article page with the furniture a news site has around its text."""
    paras = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n"))
    return (f'<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title>"
            f'<meta property="article:published_time" content="{day.isoformat()}T08:00:00Z">'
            f"</head><body><nav><a href='/'>الرئيسية</a> | <a href='/s'>سياسة</a></nav>"
            f"<article><h1>{escape(title)}</h1>{paras}</article>"
            f"<footer>جميع الحقوق محفوظة لموقع الاختبار</footer></body></html>").encode("utf-8")


def rss(title: str, items: list[dict]) -> bytes:
    """An RSS 2.0 feed: items are {"title", "link", "date", "summary"?}."""
    body = "".join(
        f"<item><title>{escape(it['title'])}</title><link>{escape(it['link'])}</link>"
        f"<guid>{escape(it['link'])}</guid>"
        f"<pubDate>{email.utils.format_datetime(dt.datetime.combine(it['date'], dt.time(8), dt.timezone.utc))}</pubDate>"
        f"<description>{escape(it.get('summary', ''))}</description></item>" for it in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{escape(title)}</title><link>http://127.0.0.1/</link>"
            f"<description>اختبار</description>{body}</channel></rss>").encode("utf-8")


def atom(title: str, items: list[dict]) -> bytes:
    body = "".join(
        f"<entry><title>{escape(it['title'])}</title><link href=\"{escape(it['link'])}\"/>"
        f"<id>{escape(it['link'])}</id><updated>{it['date'].isoformat()}T08:00:00Z</updated>"
        f"</entry>" for it in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{escape(title)}</title><id>urn:test</id><updated>2024-12-03T00:00:00Z</updated>"
            f"{body}</feed>").encode("utf-8")


def news_sitemap(items: list[dict]) -> bytes:
    body = "".join(
        f"<url><loc>{escape(it['link'])}</loc><news:news><news:publication>"
        f"<news:name>موقع الاختبار</news:name><news:language>ar</news:language></news:publication>"
        f"<news:publication_date>{it['date'].isoformat()}</news:publication_date>"
        f"<news:title>{escape(it['title'])}</news:title></news:news></url>" for it in items)
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"{body}</urlset>").encode("utf-8")


def sitemap_index(children: list[tuple[str, str]]) -> bytes:
    body = "".join(f"<sitemap><loc>{escape(u)}</loc><lastmod>{m}</lastmod></sitemap>" for u, m in children)
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>'
            ).encode("utf-8")


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0  # seconds before answering (a slow server)
    gzip: bool = False


@dataclass
class Site:
    """A local web site: ``site.url(path)``, ``site.routes[path] = Route(...)``; every request
    is logged as (path, headers) in ``site.log``; ``site.active`` counts requests in flight
    (and ``site.most_active`` the most at once)."""

    routes: dict[str, Route] = field(default_factory=dict)
    log: list[tuple[str, dict]] = field(default_factory=list)
    posts: list[tuple[str, dict, bytes]] = field(default_factory=list)
    post_status: list[int] = field(default_factory=list)  # answers to the next POSTs (then 200)
    active: int = 0
    most_active: int = 0
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.log if p == path)


def serve(site: Site):
    """Start the site's server (a context manager would do; tests call .shutdown())."""
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet
            pass

        def _enter(self) -> None:
            with lock:
                site.active += 1
                site.most_active = max(site.most_active, site.active)
            self.in_flight = True

        def _leave(self) -> None:
            # (called before the last bytes go out: a client that waits for a whole answer
            # may start its next request as soon as it has them, before this thread returns)
            if getattr(self, "in_flight", False):
                self.in_flight = False
                with lock:
                    site.active -= 1

        def do_GET(self) -> None:  # noqa: N802
            self._enter()
            try:
                path = self.path
                site.log.append((path, dict(self.headers.items())))
                route = site.routes.get(path)
                if route is None:
                    self._send(404, b"not found", "text/plain")
                    return
                if route.delay:
                    time.sleep(route.delay)
                if route.etag and self.headers.get("If-None-Match") == route.etag or (
                        route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified):
                    self._send(304, b"", None, route)
                    return
                body = route.body
                extra = {}
                if route.gzip:
                    body = gzip.compress(body)
                    extra["Content-Encoding"] = "gzip"
                self._send(route.status, body, route.content_type, route, extra)
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                self._leave()

        def do_POST(self) -> None:  # noqa: N802
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n)
            status = site.post_status.pop(0) if site.post_status else 200
            site.posts.append((self.path, dict(self.headers.items()), body))
            self._send(status, json.dumps({"ok": status < 400}).encode(), "application/json")

        def _send(self, status: int, body: bytes, ctype: str | None, route: Route | None = None,
                  extra: dict | None = None) -> None:
            self.send_response(status)
            if ctype:
                self.send_header("Content-Type", ctype)
            if route is not None and route.etag:
                self.send_header("ETag", route.etag)
            if route is not None and route.last_modified:
                self.send_header("Last-Modified", route.last_modified)
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self._leave()
            self.end_headers()
            if body and status != 304:
                self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return server


def publish(site: Site, feed_path: str, first: int, count: int, day: dt.date,
            kind: str = "rss", etag: bool = True, prefix: str = "/a") -> list[str]:
    """Serve articles first..first+count-1 and a feed (or sitemap) listing them; returns the
    article URLs. The feed's ETag changes with its content."""
    items = []
    for i in range(first, first + count):
        title, text = article(i)
        path = f"{prefix}/{i}.html"
        site.routes[path] = Route(page(title, text, day))
        items.append({"title": title, "link": site.url(path), "date": day})
    body = {"rss": lambda: rss("وكالة الاختبار", items), "atom": lambda: atom("موقع الاختبار", items),
            "sitemap": lambda: news_sitemap(items)}[kind]()
    ctype = "application/xml" if kind == "sitemap" else (
        "application/atom+xml" if kind == "atom" else "application/rss+xml")
    site.routes[feed_path] = Route(body, content_type=ctype,
                                   etag=f'"{feed_path}-{first}-{count}"' if etag else None)
    return [it["link"] for it in items]
