"""The JSON API of `hadath serve` (FastAPI's test client), its pages and its static files."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from hadath.serve import create_app
from hadath.serve.app import STATIC
from hadath.serve.views import main_span, safe_url, segments
from hadath.store import EventFilter, Store

from .conftest import HOSTILE


@pytest.fixture(scope="module")
def client(served_db):
    return TestClient(create_app(served_db))


@pytest.fixture(scope="module")
def store(served_db):
    return Store(served_db)


def ok(client, url):
    r = client.get(url)
    assert r.status_code == 200, (url, r.text[:300])
    return r.json()


def bad(client, url, word):
    r = client.get(url)
    assert r.status_code == 400, (url, r.status_code, r.text[:300])
    err = r.json()["error"]
    assert err["status"] == 400 and word in err["message"], err
    return err


# --- endpoints ----------------------------------------------------------------------------------

def test_meta(client, store):
    m = ok(client, "/api/meta")
    assert m["counts"] == store.counts()
    assert "air_strike" in [k["kind"] for k in m["kinds"]]
    assert m["first_date"] == "2018-07-14" and m["last_date"] >= "2024-12-05"


def test_events_are_paginated_and_filtered(client, store):
    total = store.counts()["events"]
    page = ok(client, "/api/events?limit=5")
    assert page["total"] == total and len(page["items"]) == 5 and page["next_offset"] == 5
    ids = [e["id"] for e in page["items"]]
    seen = set(ids)
    offset = page["next_offset"]
    while offset is not None:
        page = ok(client, f"/api/events?limit=5&offset={offset}")
        seen.update(e["id"] for e in page["items"])
        offset = page["next_offset"]
    assert len(seen) == total  # every event once, none twice
    newest_first = [e["id"] for e in store.query_events()]
    walked, after = [], None  # the same pages by keyset: each from the last event of the one before
    while True:
        page = ok(client, "/api/events?limit=3" + (f"&after={after}" if after else ""))
        walked += [e["id"] for e in page["items"]]
        after = page["next_after"]
        if after is None:
            break
    assert walked == newest_first
    from fastapi.encoders import jsonable_encoder  # (the page is encoded as FastAPI would)

    assert ok(client, "/api/events?limit=7")["items"] == jsonable_encoder(store.query_events(limit=7))
    assert bad(client, "/api/events?after=2024-01-01,x&offset=5", "not both")
    assert bad(client, "/api/events?after=yesterday", "after")
    assert bad(client, "/api/events?after=2024-02-30,x", "no such day")
    strikes = ok(client, "/api/events?kind=air_strike")
    assert strikes["total"] >= 3 and {e["kind"] for e in strikes["items"]} == {"air_strike"}
    window = ok(client, "/api/events?since=2024-06-01&until=2024-06-30")
    assert window["total"] >= 4 and all("2024-06" in e["date"] for e in window["items"])
    near = ok(client, "/api/events?near=13.63,25.35&km=30")  # El Fasher
    assert near["total"] >= 3 and all(e["country"] == "Sudan" for e in near["items"])
    russia = ok(client, "/api/events?actor=Russia")
    assert russia["total"] >= 1 and all("Russia" in (e["actor1"] or "") + (e["actor2"] or "")
                                        for e in russia["items"])
    contested = ok(client, "/api/events?status=contested")
    assert {e["status"] for e in contested["items"]} == {"contested"}
    assert ok(client, "/api/events?source=Civil Defence")["total"] >= 1


def test_event_detail_has_reports_claims_evidence_and_marked_articles(client):
    ev = ok(client, "/api/events?kind=shelling&place=Kafranbel")["items"][0]
    d = ok(client, f"/api/events/{ev['id']}")
    assert d["status"] == "contested" and d["reports"] and d["evidence"]
    assert {c["stance"] for c in d["claims"]} >= {"reports", "denies"}
    [article] = d["articles"]
    text = "".join(s["text"] for s in article["segments"])
    marked = [s for s in article["segments"] if "evidence" in s["marks"]]
    assert marked
    for e in d["evidence"]:
        assert text[e["start"]:e["end"]] == e["text"]
    denial = next(c for c in d["claims"] if c["stance"] == "denies")
    assert any("claim" in s["marks"] and s["text"] in denial["text"] for s in article["segments"])
    assert any("f-trigger" in s["marks"] for s in article["segments"])


def test_points_and_stats_agree_with_the_store(client, store):
    pts = ok(client, "/api/points")
    located = [e for e in store.query_events() if e["lat"] is not None]
    assert len(pts["rows"]) == len(located)
    row = dict(zip(pts["fields"], pts["rows"][0], strict=True))
    assert {"id", "lat", "lon", "kind", "fatalities"} <= row.keys()
    stats = ok(client, "/api/stats")
    dated = [e for e in store.query_events() if e["date"] is not None]
    assert sum(d["events"] for d in stats["per_day"]) == len(dated)
    assert stats["by_kind"]["air_strike"] == len([e for e in dated if e["kind"] == "air_strike"])
    assert stats["fatalities"] == sum(e["fatalities"] or 0 for e in dated)
    sudan = ok(client, "/api/stats?since=2024-06-09&until=2024-06-09")
    assert {d["date"] for d in sudan["per_day"]} == {"2024-06-09"}


def test_places_and_control(client):
    hama = ok(client, "/api/places?q=حماة")
    assert hama and hama[0]["place"] == "Hamah"
    assert [p["actor"] for p in hama[0]["periods"]][-1] == "Hayat Tahrir al-Sham"
    key = hama[0]["key"]
    one = ok(client, f"/api/places/{key}")
    assert one["place"]["name_ar"] == "حماة" and one["timelines"] and one["events"]
    before = ok(client, "/api/control?at=2024-12-04")
    after = ok(client, "/api/control?at=2024-12-05")
    assert "Hamah" not in [c["place"] for c in before]
    assert ("Hamah", "Hayat Tahrir al-Sham") in [(c["place"], c["actor"]) for c in after]
    fasher = [c for c in ok(client, "/api/control?at=2024-06-10") if c["place"] == "El Fasher"]
    assert fasher and fasher[0]["actor"].startswith("RSF") and fasher[0]["contradicting"]
    assert ok(client, "/api/control?at=2018-01-01") == []


def test_claims_sources_actors(client):
    claims = ok(client, "/api/claims")
    assert claims["total"] >= 2
    places = {c["place"] for c in claims["items"]}
    assert {"Kafranbel", "El Fasher"} <= places
    kafranbel = next(c for c in claims["items"] if c["place"] == "Kafranbel")
    labels = [s["label"] for s in kafranbel["sides"]]
    assert labels[:2] == ["asserts", "denies"] and kafranbel["sides"][1]["claims"]
    assert ok(client, "/api/claims?limit=1")["items"] == claims["items"][:1]
    sources = ok(client, "/api/sources")
    assert any(c["name"].startswith("SOHR") for c in sources["cited"])
    assert sum(o["articles"] for o in sources["outlets"]) == ok(client, "/api/meta")["counts"]["documents"]
    actors = ok(client, "/api/actors")
    assert "Hayat Tahrir al-Sham" in [a["name"] for a in actors]


# --- bad parameters and unknown things ---------------------------------------------------------

@pytest.mark.parametrize("url,word", [
    ("/api/events?kind=bombing", "kind"),
    ("/api/events?since=2024-13-01", "since"),
    ("/api/events?since=2024-12-05&until=2024-12-01", "after until"),
    ("/api/events?limit=0", "limit"),
    ("/api/events?limit=5000", "limit"),
    ("/api/events?offset=-1", "offset"),
    ("/api/events?near=aleppo", "near"),
    ("/api/events?near=95,10", "near"),
    ("/api/events?km=-3&near=36,37", "km"),
    ("/api/events?status=rumoured", "status"),
    ("/api/points?limit=abc", "limit"),
    ("/api/stats?until=yesterday", "until"),
    ("/api/control", "at"),
    ("/api/control?at=2024-02-30", "at"),
    ("/api/claims?limit=-1", "limit"),
    ("/api/events/<script>", "event_id"),
])
def test_bad_parameters_are_400_with_a_message(client, url, word):
    bad(client, url, word)


def test_unknown_things_are_json_404(client):
    for url, word in (("/api/events/ev-0000000000000000", "no event"),
                      ("/api/places/gn:0", "no place"), ("/api/nothing", "no such")):
        r = client.get(url)
        assert r.status_code == 404 and word in r.json()["error"]["message"]


def test_read_only(client):
    assert client.post("/api/events", json={}).status_code == 405
    assert client.delete("/api/events/x").status_code == 405


def test_an_empty_store(tmp_path):
    c = TestClient(create_app(tmp_path / "empty.db"))
    assert ok(c, "/api/meta")["counts"]["events"] == 0
    assert ok(c, "/api/events") == {"total": 0, "limit": 100, "offset": 0, "next_offset": None,
                                    "next_after": None, "items": []}
    assert ok(c, "/api/points")["rows"] == []
    assert ok(c, "/api/stats")["per_day"] == []
    assert ok(c, "/api/places") == [] and ok(c, "/api/control?at=2024-01-01") == []
    assert ok(c, "/api/claims")["total"] == 0 and ok(c, "/api/sources")["outlets"] == []
    assert c.get("/").status_code == 200


# --- pages, docs, static files, headers ---------------------------------------------------------

def test_pages_are_served_with_a_strict_policy(client):
    for url in ("/", "/claims", "/event/ev-x", "/place/gn:170063"):
        r = client.get(url)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "<script>" not in r.text  # no inline script: every script is a file
        for src in _refs(r.text):
            assert src.startswith("/static/"), src  # nothing from another site
            assert client.get(src).status_code == 200, src


def test_docs_are_offline(client):
    r = client.get("/docs")
    assert r.status_code == 200 and "/static/vendor/swagger-ui/swagger-ui-bundle.js" in r.text
    assert "cdn.jsdelivr" not in r.text and "unpkg" not in r.text
    spec = ok(client, "/openapi.json")
    assert {"/api/events", "/api/events/{event_id}", "/api/points", "/api/stats", "/api/places",
            "/api/control", "/api/claims", "/api/sources"} <= spec["paths"].keys()


def test_vendored_libraries_carry_their_licences():
    versions = json.loads((STATIC / "vendor" / "VERSIONS.json").read_text())
    assert {"leaflet", "leaflet.markercluster", "topojson-client", "chart.js", "swagger-ui-dist",
            "world-atlas", "datamaps"} <= versions.keys()
    for folder in ("leaflet", "leaflet.markercluster", "topojson-client", "chart.js", "swagger-ui"):
        files = [p.name.lower() for p in (STATIC / "vendor" / folder).iterdir()]
        assert any(n.startswith(("license", "mit-licence")) for n in files), folder
    admin1 = json.loads((STATIC / "basemap" / "admin1.json").read_text())
    assert {"SYR", "IRQ", "LBN", "YEM", "LBY", "SDN", "PSX", "ISR"} <= admin1.keys()
    syria = next(iter(admin1["SYR"]["objects"].values()))
    assert len(syria["geometries"]) >= 14  # the governorates


def test_markup_in_articles_stays_data(client):
    ev = ok(client, "/api/events?source=Outlet")["items"][0]
    d = ok(client, f"/api/events/{ev['id']}")
    article = next(a for a in d["articles"] if a["source"] == HOSTILE["source"])
    assert article["url"] is None  # a javascript: URL is never offered as a link
    assert article["title"] == HOSTILE["title"] and article["source"] == HOSTILE["source"]
    assert "".join(s["text"] for s in article["segments"]) == HOSTILE["text"]


def test_safe_url():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert safe_url("HTTP://x.y") == "HTTP://x.y"
    for url in ("javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "/etc/passwd",
                "", None, "vbscript:x"):
        assert safe_url(url) is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.lists(st.tuples(st.integers(-2, 45), st.integers(-2, 45),
                                                st.sampled_from(["evidence", "claim", "f-place"])),
                                      max_size=6))
def test_segments_cover_the_text_and_carry_their_marks(text, marks):
    segs = segments(text, marks)
    assert "".join(s["text"] for s in segs) == text
    pos = 0
    valid = [(s, e, k) for s, e, k in marks if 0 <= s < e <= len(text)]
    for seg in segs:
        for i in range(pos, pos + len(seg["text"])):
            assert set(seg["marks"]) == {k for s, e, k in valid if s <= i < e}
        pos += len(seg["text"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.dates(dt.date(1400, 1, 1), dt.date(2030, 1, 1)), st.integers(1, 40)),
                min_size=1, max_size=30),
       st.sampled_from([0.005, 0.05, 0.2]))
def test_the_main_span_leaves_out_the_outermost_events(days, share):
    per_day = [{"date": d, "kind": "shelling", "events": n} for d, n in days]
    dates = sorted(d for d, n in days for _ in range(n))  # one entry per event
    k = int(len(dates) * share)
    span = main_span(per_day, share)
    assert (span["from"], span["to"]) == (dates[k], dates[len(dates) - 1 - k])
    assert span["outside"] == sum(1 for d in dates if not span["from"] <= d <= span["to"])


def test_dates_are_iso(client):
    ev = ok(client, "/api/events?limit=1")["items"][0]
    dt.date.fromisoformat(ev["date"])


def _refs(html: str) -> list[str]:
    import re

    return re.findall(r'(?:src|href)="(/[^"]*\.(?:js|css|svg))"', html)


# --- the command ------------------------------------------------------------------------------

def _serve(args, cwd, env_extra=None):
    """Run `hadath serve` on a free port; return the process and its base URL once it answers."""
    import os
    import socket
    import subprocess
    import sys
    import time
    from urllib.request import urlopen

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "HADATH_DB"} | (env_extra or {})
    proc = subprocess.Popen([sys.executable, "-m", "hadath.cli", "serve", "--port", str(port), *args],
                            cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        try:
            urlopen(url + "/api/meta", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError(f"hadath serve did not answer: {proc.communicate()}")


def test_serve_on_a_fresh_machine_shows_the_examples(tmp_path):
    from urllib.request import urlopen

    proc, url = _serve([], tmp_path)
    try:
        meta = json.load(urlopen(url + "/api/meta"))
        assert meta["counts"]["documents"] == len(list((STATIC.parents[1] / "data" / "examples").glob("*.ar.txt")))
        assert meta["counts"]["events"] > 10
        assert urlopen(url + "/").status == 200
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
    assert "ingested the" in err and (tmp_path / "hadath.db").exists()


def test_serve_refuses_a_missing_store_and_a_bad_tile_url(tmp_path):
    import subprocess
    import sys

    run = lambda *a: subprocess.run([sys.executable, "-m", "hadath.cli", "serve", *a],  # noqa: E731
                                    cwd=tmp_path, capture_output=True, text=True, timeout=60)
    res = run("--db", str(tmp_path / "nope.db"))
    assert res.returncode == 12 and "no store at" in res.stderr and "hadath ingest" in res.stderr
    Store(tmp_path / "s.db")
    res = run("--db", str(tmp_path / "s.db"), "--tiles", "file:///etc/passwd")
    assert res.returncode == 2 and "http" in res.stderr


def test_a_tile_server_can_be_configured(served_db):
    c = TestClient(create_app(served_db, tiles="https://{s}.tile.example.org/{z}/{x}/{y}.png",
                              tiles_attribution="© example"))
    assert ok(c, "/api/config")["tiles"] == {"url": "https://{s}.tile.example.org/{z}/{x}/{y}.png",
                                             "attribution": "© example"}
    csp = c.get("/").headers["content-security-policy"]
    assert "img-src 'self' data: https://*.tile.example.org" in csp
    plain = TestClient(create_app(served_db))
    assert ok(plain, "/api/config")["tiles"]["url"] is None
    assert "img-src 'self' data:;" in plain.get("/").headers["content-security-policy"]
    with pytest.raises(ValueError):
        create_app(served_db, tiles="javascript:alert(1)")


def test_whole_store_views_are_rebuilt_when_the_store_changes(tmp_path):
    """The map's first load (points, stats, meta counts) is cached per state of the store: an
    ingest that adds an event shows at once."""
    from hadath.ingest import ingest

    db = tmp_path / "grow.db"
    store = Store(db)
    first = tmp_path / "a.txt"
    first.write_text("قتل 12 مدنيا في غارة جوية روسية على مدينة سراقب أمس.", encoding="utf-8")
    ingest([str(first)], store)
    c = TestClient(create_app(db))
    before = (c.get("/api/points").json(), c.get("/api/stats").json(), c.get("/api/meta").json())
    assert len(before[0]["rows"]) == before[1]["events"] == before[2]["counts"]["events"] == 1
    second = tmp_path / "b.txt"
    second.write_text("اعتقلت الشرطة ثلاثة أشخاص في مدينة البصرة يوم الأحد.", encoding="utf-8")
    ingest([str(second)], store)
    after = (c.get("/api/points").json(), c.get("/api/stats").json(), c.get("/api/meta").json())
    assert len(after[0]["rows"]) == after[1]["events"] == after[2]["counts"]["events"] == 2


@pytest.mark.parametrize("url, view", [
    ("/api/stats", lambda v: v.stats(EventFilter())),
    ("/api/labels", lambda v: v.labels()),
    ("/api/points", lambda v: v.points(EventFilter(), 50_000)),
    ("/api/control?at=2024-12-05", lambda v: v.control_at(dt.date(2024, 12, 5))),
])
def test_a_whole_store_answer_encoded_once_is_what_fastapi_writes(client, url, view):
    from fastapi.encoders import jsonable_encoder
    from fastapi.responses import JSONResponse

    first, again = client.get(url), client.get(url)
    assert first.status_code == 200 and first.headers["content-type"] == "application/json"
    plain = client.get(url, headers={"Accept-Encoding": "identity"})  # (compressed once, or not)
    assert "content-encoding" not in plain.headers and plain.content == first.content
    expected = JSONResponse(jsonable_encoder(view(client.app.state.views))).body
    assert first.content == again.content and first.json() == json.loads(expected)


@pytest.mark.parametrize("url, view", [
    ("/api/points?kind=air_strike", lambda v: v.points(EventFilter(kind="air_strike"), 50_000)),
    ("/api/points?place=حماة&limit=3", lambda v: v.points(EventFilter(place="حماة"), 3)),
    ("/api/stats?actor=Forces", lambda v: v.stats(EventFilter(actor="Forces"))),
])
def test_a_filtered_answer_is_what_fastapi_writes(client, url, view):
    from fastapi.encoders import jsonable_encoder
    from fastapi.responses import JSONResponse

    got = client.get(url)
    assert got.status_code == 200 and got.headers["content-type"] == "application/json"
    expected = json.loads(JSONResponse(jsonable_encoder(view(client.app.state.views))).body)
    assert got.json() == expected and (expected.get("rows") or expected.get("per_day"))


def test_a_kept_answer_costs_one_look_at_the_change_counter(client):
    # (each query is a round trip on PostgreSQL: /api/meta made six)
    from sqlalchemy import event

    engine = client.app.state.views.store.engine
    for url in ("/api/meta", "/api/stats", "/api/control?at=2024-12-05"):
        ok(client, url)  # (built)
        ran: list[str] = []

        def grab(_conn, _cursor, sql, *_, ran=ran):
            ran.append(sql)

        event.listen(engine, "before_cursor_execute", grab)
        try:
            ok(client, url)
        finally:
            event.remove(engine, "before_cursor_execute", grab)
        assert len(ran) == 1 and "max(reports.id)" in ran[0], (url, ran)


def test_a_kept_answer_is_sent_in_slices_of_its_bytes():
    # (a client reading slowly holds one slice in the server's buffers, not the whole answer)
    import asyncio

    from hadath.serve.api import Ready

    for body, sizes in ((b"x" * 600_000, [262_144, 262_144, 75_712]), (b"", [0])):
        sent: list[dict] = []

        async def send(message, sent=sent):
            sent.append(message)

        asyncio.run(Ready(body, media_type="application/json")({"type": "http"}, None, send))
        start, *parts = sent
        assert start["type"] == "http.response.start" and \
            (b"content-length", str(len(body)).encode()) in start["headers"]
        assert [len(m["body"]) for m in parts] == sizes and b"".join(m["body"] for m in parts) == body
        assert [m["more_body"] for m in parts] == [True] * (len(sizes) - 1) + [False]
        assert all(m["body"].obj is body for m in parts)  # views of the kept bytes, not copies


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_control_in_slices_through_the_middlewares(client, monkeypatch, encoding):
    from hadath.serve.api import Ready

    monkeypatch.setattr(Ready, "SLICE", 100)
    r = client.get("/api/control?at=2024-12-05", headers={"Accept-Encoding": encoding})
    assert r.status_code == 200 and r.headers["x-content-type-options"] == "nosniff"
    assert r.headers.get("content-encoding") == (None if encoding == "identity" else "gzip")
    expected = client.app.state.views.control_at(dt.date(2024, 12, 5))
    assert len(r.content) > 500 and r.json() == json.loads(json.dumps(expected, default=str))


def test_the_opening_answers_are_built_ahead_and_again_when_the_store_changes(tmp_path):
    # hadath serve builds what the pages open with before it listens (Views.warm), and again
    # in the background whenever the store changes (Views.keep_warm)
    import threading
    import time

    from hadath.ingest import ingest
    from hadath.serve.views import OPENING, Views

    from .conftest import EXAMPLES

    store = Store(tmp_path / "s.db")
    ingest([str(sorted(EXAMPLES.glob("*.ar.txt"))[0])], store)
    v = Views(store)
    v.warm()
    assert all(v._cache["json:" + name][0] == store.fingerprint() for name in OPENING)
    stop = threading.Event()
    keeper = threading.Thread(target=v.keep_warm, args=(0.05, stop))
    keeper.start()
    try:
        ingest([str(EXAMPLES)], store)
        deadline = time.monotonic() + 30
        while v._cache["json:stats"][0] != store.fingerprint() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        keeper.join()
    assert json.loads(v._cache["json:stats"][1])["events"] == store.counts()["events"] > 1
