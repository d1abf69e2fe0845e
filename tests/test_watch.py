"""`hadath watch` against a local web site (127.0.0.1 only): feeds, sitemaps and article pages
written for these tests; new items between rounds, a broken feed, a timeout, 304s, a malformed
feed, robots.txt, backoff, and a watcher killed with SIGKILL."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from hadath.cli import app
from hadath.store import Store, documents
from hadath.watch import (Fetcher, Source, Watcher, parse_duration, parse_listing, parse_sources,
                          watch_items)

from .conftest import ROOT
from .feeds import Route, Site, article, news_sitemap, page, publish, rss, serve, sitemap_index

DAY = dt.date(2024, 12, 3)


@pytest.fixture
def site():
    s = Site()
    server = serve(s)
    yield s
    server.shutdown()
    server.server_close()


class Clock:
    def __init__(self) -> None:
        self.t = dt.datetime(2024, 12, 3, 8, 0)

    def __call__(self) -> dt.datetime:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += dt.timedelta(seconds=seconds)


def _docs(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return [r[0] for r in conn.execute(select(documents.c.url).order_by(documents.c.id))]


def _article_hits(site: Site) -> dict[str, int]:
    out: dict[str, int] = {}
    for path, _ in site.log:
        if path.endswith(".html"):
            out[path] = out.get(path, 0) + 1
    return out


def test_watch_rounds_ingest_exactly_the_new_articles(site, new_db):
    rss_urls = publish(site, "/rss.xml", 0, 5, DAY)
    atom_urls = publish(site, "/atom.xml", 100, 3, DAY, kind="atom", prefix="/b")
    news_urls = publish(site, "/news.xml", 200, 3, DAY, kind="sitemap", prefix="/c")
    site.routes["/malformed.xml"] = Route(b'<?xml version="1.0"?><rss><channel><item><title>x</ti',
                                          content_type="application/rss+xml")
    site.routes["/broken.xml"] = Route(b"oops", status=500, content_type="text/plain")
    site.routes["/slow.xml"] = Route(rss("بطيء", []), delay=2.0, content_type="application/rss+xml")
    store = Store(new_db("watch"))
    clock = Clock()
    watcher = Watcher(store, Fetcher(timeout=0.5), now=clock)
    sources = [Source(site.url(p)) for p in ("/rss.xml", "/atom.xml", "/news.xml", "/malformed.xml",
                                             "/broken.xml", "/slow.xml")]

    rep = watcher.round(sources)
    status = {line.url.rsplit("/", 1)[1]: line for line in rep.sources}
    assert [status[n].status for n in ("rss.xml", "atom.xml", "news.xml")] == ["fetched"] * 3
    assert status["malformed.xml"].status == "failed" and "malformed feed" in status["malformed.xml"].error
    assert status["broken.xml"].status == "failed" and "HTTP 500" in status["broken.xml"].error
    assert status["slow.xml"].status == "failed" and "timed out" in status["slow.xml"].error
    assert sorted(_docs(store)) == sorted(rss_urls + atom_urls + news_urls)
    assert rep.ingest.new == 11 and not rep.all_failed

    # new items arrive on one feed; the others answer 304 to the conditional request
    rss_urls = publish(site, "/rss.xml", 0, 7, DAY)
    clock.advance(60)
    rep = watcher.round(sources)
    status = {line.url.rsplit("/", 1)[1]: line for line in rep.sources}
    assert status["rss.xml"].status == "fetched" and status["rss.xml"].new == 2
    assert status["atom.xml"].status == status["news.xml"].status == "not modified"
    assert [status[n].status for n in ("malformed.xml", "broken.xml", "slow.xml")] == ["backing off"] * 3
    assert rep.ingest.new == 2 and len(_docs(store)) == 13
    conditional = [h for p, h in site.log if p == "/atom.xml"]
    assert conditional[-1].get("If-None-Match") == '"/atom.xml-100-3"'
    assert all(n == 1 for n in _article_hits(site).values())  # each page fetched once
    assert len(_article_hits(site)) == 13

    # a round with nothing new adds nothing
    clock.advance(60)
    rep = watcher.round(sources)
    assert rep.ingest.read == 0 and len(_docs(store)) == 13


def test_watch_backs_off_a_failing_source_exponentially_and_recovers(site, tmp_path):
    site.routes["/feed.xml"] = Route(b"down", status=503, content_type="text/plain")
    store = Store(tmp_path / "w.db")
    clock = Clock()
    watcher = Watcher(store, Fetcher(timeout=2), backoff=60, now=clock)
    src = [Source(site.url("/feed.xml"), "وكالة الاختبار", "ar")]
    waits = []
    for _ in range(3):
        rep = watcher.round(src)
        line = rep.sources[0]
        assert line.status == "failed"
        waits.append((line.retry_at - clock.t).total_seconds())
        clock.advance(1)
        assert watcher.round(src).sources[0].status == "backing off"  # not asked meanwhile
        clock.t = line.retry_at
    assert waits == [60, 120, 240]
    assert site.hits("/feed.xml") == 3
    publish(site, "/feed.xml", 0, 2, DAY)
    rep = watcher.round(src)
    assert rep.sources[0].status == "fetched" and rep.ingest.new == 2
    row = watcher.status()[0]
    assert row["failures"] == 0 and row["errors"] == 3 and row["stored"] == 2
    assert row["name"] == "وكالة الاختبار" and row["lang"] == "ar"
    with store.engine.connect() as conn:  # the outlet is the source's name
        assert {r[0] for r in conn.execute(select(documents.c.source))} == {"وكالة الاختبار"}


def test_watch_retries_a_page_that_timed_out_and_skips_one_without_an_article(site, new_db):
    urls = publish(site, "/feed.xml", 0, 3, DAY)
    site.routes["/a/1.html"].delay = 2.0  # the page times out
    site.routes["/a/2.html"] = Route("<html><body><p>Hello, no Arabic here at all.</p></body></html>".encode())
    store = Store(new_db("watch"))
    clock = Clock()
    watcher = Watcher(store, Fetcher(timeout=0.5), item_retry=30, now=clock)
    rep = watcher.round([Source(site.url("/feed.xml"))])
    assert _docs(store) == [urls[0]]
    assert rep.fetch_failed == 1 and rep.skipped == 1
    site.routes["/a/1.html"].delay = 0
    clock.advance(10)
    watcher.round([Source(site.url("/feed.xml"))])  # the feed answers 304; the page waits
    assert _docs(store) == [urls[0]]
    clock.advance(60)
    rep = watcher.round([Source(site.url("/feed.xml"))])
    assert rep.sources[0].status == "not modified"
    assert _docs(store) == [urls[0], urls[1]]  # the pending item was not lost behind the 304
    assert site.hits("/a/2.html") == 1  # a page without an article is not asked again
    with store.engine.connect() as conn:
        states = dict(conn.execute(select(watch_items.c.url, watch_items.c.state)).all())
    assert states == {urls[0]: "done", urls[1]: "done", urls[2]: "skipped"}
    assert any("no Arabic" in e["reason"] for e in store.errors())


def test_watch_is_polite_robots_user_agent_one_request_per_host(site, tmp_path):
    urls = publish(site, "/feed.xml", 0, 12, DAY)
    for path in list(site.routes):
        if path.endswith(".html"):
            site.routes[path].delay = 0.02
    site.routes["/private/x.html"] = Route(page(*article(50), DAY))
    site.routes["/feed2.xml"] = Route(rss("خاص", [{"title": "x", "link": site.url("/private/x.html"),
                                                    "date": DAY}]), content_type="application/rss+xml")
    site.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    store = Store(tmp_path / "w.db")
    watcher = Watcher(store, Fetcher(timeout=5), workers=8)
    rep = watcher.round([Source(site.url("/feed.xml")), Source(site.url("/feed2.xml"))])
    assert sorted(_docs(store)) == sorted(urls)
    assert site.hits("/private/x.html") == 0 and rep.skipped == 1
    assert any("robots.txt" in why for _, why in rep.failures)
    assert site.most_active == 1  # one request at a time on this host
    agents = {h.get("User-Agent") for _, h in site.log}
    assert len(agents) == 1 and agents.pop().startswith("hadath/")
    assert site.hits("/robots.txt") == 1


def test_watch_reads_sitemap_indexes_and_gzip(site, tmp_path):
    items = []
    for i in range(3):
        title, text = article(300 + i)
        site.routes[f"/n/{i}.html"] = Route(page(title, text, DAY))
        items.append({"title": title, "link": site.url(f"/n/{i}.html"), "date": DAY})
    site.routes["/sm-new.xml"] = Route(news_sitemap(items[1:]), content_type="application/xml", gzip=True)
    site.routes["/sm-old.xml"] = Route(news_sitemap(items[:1]), content_type="application/xml")
    site.routes["/index.xml"] = Route(sitemap_index([(site.url("/sm-old.xml"), "2024-12-01"),
                                                     (site.url("/sm-new.xml"), "2024-12-03")]),
                                      content_type="application/xml")
    store = Store(tmp_path / "w.db")
    rep = Watcher(store, Fetcher(timeout=5)).round([Source(site.url("/index.xml"))])
    assert rep.sources[0].status == "fetched" and rep.ingest.new == 3
    listing = parse_listing(news_sitemap(items), "http://127.0.0.1/")
    assert listing.kind == "sitemap" and listing.entries[0].published == DAY
    assert listing.entries[0].title == items[0]["title"]


def test_watch_sources_file_and_durations(tmp_path):
    f = tmp_path / "sources.txt"
    f.write_text("# feeds\nhttps://a.example/rss.xml\tوكالة أ\tar\n"
                 "https://b.example/sitemap.xml  Outlet B  en\n"
                 "https://c.example/feed\n\nhttps://a.example/rss.xml\n", encoding="utf-8")
    got = parse_sources([str(f), "https://d.example/atom"])
    assert got == [Source("https://a.example/rss.xml", "وكالة أ", "ar"),
                   Source("https://b.example/sitemap.xml", "Outlet B", "en"),
                   Source("https://c.example/feed"), Source("https://d.example/atom")]
    assert parse_duration("10m") == 600 and parse_duration("90") == 90 and parse_duration("1h") == 3600
    with pytest.raises(ValueError):
        parse_duration("soon")
    res = CliRunner().invoke(app, ["watch", str(tmp_path / "nope.txt"), "--once", "--db", str(tmp_path / "x.db")])
    assert res.exit_code == 17 and "[H070]" in res.output


def test_watch_cli_once_and_status(site, tmp_path):
    urls = publish(site, "/feed.xml", 0, 4, DAY)
    site.routes["/down.xml"] = Route(b"", status=502)
    listing = tmp_path / "sources.txt"
    listing.write_text(f"{site.url('/feed.xml')}\tوكالة الاختبار\tar\n{site.url('/down.xml')}\n",
                       encoding="utf-8")
    db = str(tmp_path / "w.db")
    runner = CliRunner()
    res = runner.invoke(app, ["watch", str(listing), "--once", "--db", db, "--timeout", "5s"])
    assert res.exit_code == 0, res.output
    assert "4 articles stored" in res.output and "HTTP 502" in res.output
    res = runner.invoke(app, ["watch", "--status", "--db", db])
    assert res.exit_code == 0, res.output
    assert "وكالة الاختبار" in res.output and "4 stored, 0 pending" in res.output
    assert "HTTP 502" in res.output
    # with no SOURCES, the store's sources are watched again; every one failing is an error
    site.routes["/feed.xml"] = Route(b"", status=502)
    res = runner.invoke(app, ["watch", "--once", "--db", db, "--backoff", "0s"])
    assert res.exit_code == 17 and "every source failed" in res.output
    assert len(Store(db, read_only=True).counts()) and len(_docs(Store(db, read_only=True))) == len(urls)


def test_watch_killed_with_sigkill_loses_and_duplicates_nothing(site, tmp_path):
    """A looping watcher is killed (SIGKILL) at several moments, mid-round included, while new
    items keep arriving; a last --once round then leaves every article stored exactly once."""
    db = str(tmp_path / "w.db")
    published: list[str] = []
    feeds = [f"/f{k}.xml" for k in range(3)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "hadath.cli", "watch", *[site.url(f) for f in feeds],
           "--every", "1s", "--db", db, "--timeout", "5s", "--backoff", "0s"]
    for step in range(3):
        for k, f in enumerate(feeds):  # 4 more items on each feed at each step
            published = [u for u in published if f"/p{k}/" not in u] + publish(
                site, f, 1000 * k, 4 * (step + 1), DAY, prefix=f"/p{k}")
        for path in site.routes:
            if path.endswith(".html"):
                site.routes[path].delay = 0.1  # a round takes a while: kills land mid-round
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0 + 0.6 * step)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    for route in site.routes.values():
        route.delay = 0
    res = subprocess.run([*cmd[:-6], "--once", "--db", db, "--timeout", "5s"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    store = Store(db)
    urls = _docs(store)
    assert len(urls) == len(set(urls))  # nothing twice
    assert sorted(urls) == sorted(published)  # nothing lost
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(watch_items)
                            .where(watch_items.c.state != "done")).scalar_one() == 0


def test_watch_falls_back_to_the_entrys_own_text_when_the_page_has_none(site, tmp_path):
    title, text = article(77)
    site.routes["/full.xml"] = Route(rss("وكالة", [{"title": title, "link": site.url("/gone.html"),
                                                    "date": DAY, "summary": text}]),
                                     content_type="application/rss+xml")
    store = Store(tmp_path / "w.db")
    rep = Watcher(store, Fetcher(timeout=5)).round([Source(site.url("/full.xml"))])
    assert rep.ingest.new == 1 and site.hits("/gone.html") == 1  # a 404: the feed's text is used
    with store.engine.connect() as conn:
        stored = conn.execute(select(documents.c.text, documents.c.published, documents.c.title)).one()
    assert text.split("\n")[0] in stored.text and stored.published == DAY and stored.title == title
