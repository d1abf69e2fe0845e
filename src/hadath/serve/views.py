"""What the API returns, built from the store: event pages with their articles cut into marked
segments, control pictures, map points and statistics. The writer keeps what the views of the
whole store read (the contested events, the control timelines, the counts per day and per
place); the whole-store answers are kept as JSON until the store changes (``json_of``)."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import threading
import warnings
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate, repeat
from typing import Any

from ..models import FAMILY, KINDS
from ..resolve import Timeline, contradictions
from ..store import POINT_COLUMNS, EventFilter, Store, json_bytes

# kinds of place an event may be put at whose name is not drawn on the map: a country or a
# governorate placed at its centre is named by its outline
_NOT_LABELLED = frozenset({"country", "admin1", "area", "road"})


class Views:
    """The API's views over one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._cache: dict[str, tuple[tuple, Any]] = {}
        self._lock = threading.Lock()
        self._building: dict[str, threading.Lock] = {}

    def _cached(self, name: str, build: Callable[[], Any]) -> Any:
        """The view ``name`` of the store as it is now, built once whoever asks: requests that
        come while it is being built wait for that build instead of starting their own."""
        key = self.store.fingerprint()
        with self._lock:
            hit = self._cache.get(name)
            if hit is not None and hit[0] == key:
                return hit[1]
            building = self._building.setdefault(name, threading.Lock())
        with building:
            with self._lock:
                hit = self._cache.get(name)
                if hit is not None and hit[0] == key:
                    return hit[1]  # built meanwhile by another request
            value = build()
            with self._lock:
                self._cache[name] = (key, value)
            return value

    def answer(self, name: str, gzipped: bool = False) -> bytes:
        """A whole-store answer of the API as JSON (``gzipped``: compressed), encoded once per
        change of the store: ``stats``, ``labels``, ``sources``, ``actors``, and with a page's
        size ``points:N``, ``places:N`` and ``claims:N`` (the first page)."""
        if gzipped:
            return self._cached("gzip:" + name, lambda: gzip.compress(self.answer(name), 5))
        what, _, n = name.partition(":")
        build: Callable[[], Any] = {
            "stats": lambda: self.stats(EventFilter()), "labels": self.labels,
            "sources": self.store.sources, "actors": self.store.actor_names,
            "points": lambda: self.points(EventFilter(), int(n)),
            "places": lambda: self.places(None, int(n)),
            "claims": lambda: self.claims_page(int(n), 0)}[what]
        return self.json_of(name, build)

    def warm(self) -> None:
        """Build the answers the map and the claims page open with (``OPENING``, and the
        control picture of the latest day) ahead of their first request: ``hadath serve`` does
        before it listens, and again whenever the store changes (``keep_warm``)."""
        latest = self.meta()["latest_day"]
        for name in OPENING:
            self.answer(name, gzipped=True)  # (a browser's; built from the plain one)
        if latest is not None:
            self.control_json(latest)

    def keep_warm(self, every: float = 2.0, stop: threading.Event | None = None) -> None:
        """Look every ``every`` seconds whether the store changed, and if so build again what
        ``warm`` builds, so that a request after an ingest seldom waits for it (until
        ``stop`` is set)."""
        stop = stop or threading.Event()
        seen = self.store.fingerprint()
        while not stop.wait(every):
            try:
                now = self.store.fingerprint()
                if now != seen:
                    seen = now
                    self.warm()
            except Exception as exc:  # noqa: BLE001 - (a request builds what is missing)
                warnings.warn(f"hadath serve: the answers were not built again ({exc})",
                              RuntimeWarning, stacklevel=1)

    def json_of(self, name: str, build: Callable[[], Any]) -> bytes:
        """The view ``name`` as JSON, encoded once per change of the store: a large answer
        (the map's points, the chart's days) is not encoded again for every request."""
        return self._cached("json:" + name, lambda: json_bytes(build()))

    # --- whole-store views ----------------------------------------------------------------

    def claims_page(self, limit: int, offset: int = 0) -> dict:
        """How many events sources disagree on, and one page of them (the writer keeps the
        list: a page reads its own events only)."""
        total, found = contradictions(self.store, limit, offset)
        return {"total": total, "limit": limit, "offset": offset,
                "items": [_safe_urls(c.as_dict()) for c in found]}

    def meta(self) -> dict:
        """Kinds, statuses, the first and last dates, the chart's span, the latest day, the
        extent and the counts: built once per change of the store (a request looks at its
        change counter once, where each part looked again: six queries, on PostgreSQL a
        round trip each)."""
        return self._cached("meta", self._meta)

    def _meta(self) -> dict:
        first, last = self._cached("date_range", self.store.date_range)
        per_day = self._cached("per_day", self.store.per_day)
        return {"kinds": [{"kind": k, "family": FAMILY[k]} for k in KINDS],
                "statuses": ["claimed", "confirmed", "reported", "contested", "denied"],
                "first_date": first, "last_date": last,
                "span": self._cached("span", lambda: chart_span(per_day)),
                "latest_day": self._cached("latest_day", lambda: latest_day(per_day)),
                "extent": self._cached("extent", self._extent),
                "counts": self._cached("counts", self.store.counts)}

    def _extent(self) -> dict:
        points = self.store.extent_points()
        return main_extent([p[:2] for p in points], weights=[p[2] for p in points])

    def labels(self) -> list[dict]:
        """The names a map draws without a tile server, most important first: the capitals of
        countries and governorates (from the gazetteer), then the places of the events, most
        events first. Each has ``key``, ``name``, ``name_ar``, ``lat``, ``lon``, ``rank``
        (``country``, ``admin1`` or ``events``) and ``events`` (its number of events). (The
        API keeps its JSON until the store changes: ``json_of``.)"""
        from ..places import capitals, gazetteer_names

        at = {p["key"]: p for p in self.store.event_places()}
        for key, (name, name_ar) in gazetteer_names(list(at)).items():
            # the gazetteer's names, not the words an article used (مطار الحديدة for الحديدة)
            at[key]["name"], at[key]["name_ar"] = name, name_ar or at[key]["name_ar"]
        out = []
        for c in capitals():
            out.append({k: c[k] for k in ("key", "name", "name_ar", "lat", "lon", "rank")}
                       | {"events": at.pop(c["key"])["events"] if c["key"] in at else 0})
        for p in at.values():
            if p["feature"] in _NOT_LABELLED:
                continue  # a country or region drawn at its centre: the outlines name it
            out.append({"key": p["key"], "name": p["name"], "name_ar": p["name_ar"],
                        "lat": p["lat"], "lon": p["lon"], "rank": "events", "events": p["events"]})
        return out

    # --- events ---------------------------------------------------------------------------

    def points(self, f: EventFilter, limit: int) -> dict:
        rows = self.store.points(f, limit)
        return {"fields": list(POINT_COLUMNS), "rows": rows,
                "extent": main_extent([(r[1], r[2]) for r in rows])}

    def event(self, event_id: str) -> dict | None:
        detail = self.store.event_detail(event_id)
        if detail is None:
            return None
        docs = self.store.documents_by_id({r["document_id"] for r in detail["reports"]})
        articles = []
        for doc_id, doc in sorted(docs.items()):
            marks = [(e["start"], e["end"], "evidence") for e in detail["evidence"]
                     if e["document_id"] == doc_id]
            marks += [(c["start"], c["end"], "claim") for c in detail["claims"]
                      if c["document_id"] == doc_id and c["start"] is not None]
            marks += [(sp["start"], sp["end"], "f-" + name) for r in detail["reports"]
                      if r["document_id"] == doc_id
                      for name, spans in (r["record"].get("spans") or {}).items() for sp in spans]
            articles.append({"document_id": doc_id, "source": doc["source"],
                             "url": safe_url(doc["url"]), "title": doc["title"],
                             "published": doc["published"], "origin": doc["origin"],
                             "segments": segments(doc["text"], marks)})
        for r in detail["reports"]:
            r["url"] = safe_url(r["url"])
        for c in detail["claims"]:
            c["url"] = safe_url(c.get("url"))
        detail["articles"] = articles
        return detail

    def total(self, f: EventFilter) -> int:
        """How many events match the filters (all of them: from the counts the store keeps)."""
        if f == EventFilter():
            return self._cached("counts", self.store.counts)["events"]
        return self.store.count_events(f)

    def stats(self, f: EventFilter) -> dict:
        per_day = self.store.per_day(f)
        by_kind: dict[str, int] = {}
        for d in per_day:
            by_kind[d["kind"]] = by_kind.get(d["kind"], 0) + d["events"]
        return {"counts": self._cached("counts", self.store.counts), "events": self.total(f),
                "by_kind": by_kind, "fatalities": sum(d["fatalities"] for d in per_day),
                "per_day": per_day, "span": chart_span(per_day)}

    # --- places and control ---------------------------------------------------------------

    # (the control timelines the writer keeps: a page reads the rows of its own places)

    def _timeline_places(self) -> dict[str, Timeline]:
        """The places of the control timelines (without their periods), by key (read once
        per change of the store)."""
        return self._cached("timeline_places", lambda: {
            r["key"]: _timeline(r) for r in sorted(self.store.timeline_places(),
                                                   key=lambda r: r["key"])})

    def _timelines(self, keys: list[str]) -> list[dict]:
        rows = self.store.timelines_of(keys)
        return [_timeline(rows[k]).as_dict() | {"periods": rows[k]["periods"]} for k in keys]

    def places(self, q: str | None, limit: int) -> list[dict]:
        """The timelines of the places ``q`` names, else of every place by name (the first
        page as JSON: ``answer``)."""
        if q:
            from ..resolve import find_place

            found = find_place(self._timeline_places(), q)
        else:
            found = self._cached("places_by_name", lambda: sorted(
                self._timeline_places().values(), key=lambda t: (t.name, t.key)))
        return self._timelines([t.key for t in found[:limit]])

    def place(self, key: str) -> dict | None:
        base = key.split("~")[0]
        info = self.store.place(base)
        own = self._timelines(sorted(k for k in self._timeline_places() if k.split("~")[0] == base))
        if info is None and not own:
            return None
        return {"key": base, "place": info, "timelines": own,
                "events": self.store.events_at(base)}

    def control_json(self, day: dt.date, gzipped: bool = False) -> bytes:
        """``control_at(day)`` as JSON (``gzipped``: compressed), the periods' lists spliced as
        the store keeps their JSON (not parsed and written again); the answers of the latest
        day and of the last other day asked are kept until the store changes, each built
        once whoever asks."""
        kept = self._cached("control", dict)  # (day, gzipped) -> its answer
        with self._lock:
            building = self._building.setdefault(f"control:{day}:{gzipped}", threading.Lock())
        with building:
            found = kept.get((day, gzipped))
            if found is None:
                found = gzip.compress(self.control_json(day), 5) if gzipped else self._control(day)
                latest = self.meta()["latest_day"]
                with self._lock:
                    for other in [k for k in kept if k[0] not in (latest, day)]:
                        del kept[other]
                    kept[(day, gzipped)] = found
        return found

    def _control(self, day: dt.date) -> bytes:
        return b"[" + b",".join(
            json_bytes(head)[:-1] + b"".join(b',"%s":%s' % (k.encode(), v.encode())
                                             for k, v in lists.items()) + b"}"
            for head, lists in self._held(day)) + b"]"

    def control_at(self, day: dt.date) -> list[dict]:
        """Every place with its holder on ``day`` (see ``resolve.held_at``), by name."""
        return [head | {k: json.loads(v) for k, v in lists.items()} for head, lists in self._held(day)]

    def _held(self, day: dt.date) -> list[tuple[dict, dict[str, str]]]:
        """The items of ``control_at(day)``, by name: each without its lists of events and
        claims, and those lists as JSON text."""
        out = []
        for r in self.store.held_on(day):
            tl = _timeline(r)
            out.append(({"key": tl.key, "place": tl.name, "place_ar": tl.name_ar, "lat": tl.lat,
                         "lon": tl.lon, "precision": tl.precision, "scope": tl.scope,
                         "label": tl.label, "actor": r["actor"], "since": r["from"],
                         "until": r["until"]},
                        {k: r[k] for k in ("events", "supporting", "contradicting")}))
        return sorted(out, key=lambda c: (c[0]["place"], c[0]["scope"] != "place", c[0]["key"]))


# the whole-store answers the map (its points, chart, names and timelines) and the claims page
# open with, built ahead of their first request (Views.warm; the pages' own page sizes)
OPENING = ("points:50000", "stats", "labels", "places:1000", "sources", "actors", "claims:50")


def main_span(per_day: list[dict], share: float = 0.005) -> dict:
    """The first and last days between which all but ``share`` of the events at each end fall,
    and how many events lie outside: the span worth drawing when a few events are dated
    decades back (history an article recalls). Whole days are left out, never part of one."""
    by_day: dict[dt.date, int] = {}
    for d in per_day:
        by_day[d["date"]] = by_day.get(d["date"], 0) + d["events"]
    days = sorted(by_day)
    if not days:
        return {"from": None, "to": None, "outside": 0}
    cut = int(sum(by_day.values()) * share)
    lo, hi, below, above = 0, len(days) - 1, 0, 0
    while lo < hi and below + by_day[days[lo]] <= cut:
        below += by_day[days[lo]]
        lo += 1
    while hi > lo and above + by_day[days[hi]] <= cut:
        above += by_day[days[hi]]
        hi -= 1
    return {"from": days[lo], "to": days[hi], "outside": below + above}


def outlying_days(per_day: list[dict], gap: int = 30, share: float = 0.02
                  ) -> tuple[dt.date | None, dt.date | None]:
    """The first and the latest day with events, but for outlying dates: days that lie more
    than ``gap`` days before (after) all the others and hold together no more than ``share``
    of the events (a misread year, a date an article looks forward to, history it recalls)."""
    by_day: dict[dt.date, int] = {}
    for d in per_day:
        by_day[d["date"]] = by_day.get(d["date"], 0) + d["events"]
    days = sorted(by_day)
    if not days:
        return None, None
    cap = sum(by_day.values()) * share

    def end(order: list[dt.date]) -> dt.date:
        kept, beyond = 0, 0
        for i in range(len(order) - 1):
            beyond += by_day[order[i]]
            if beyond > cap:
                break
            if abs((order[i + 1] - order[i]).days) > gap:
                kept = i + 1
        return order[kept]

    return end(days), end(days[::-1])


def latest_day(per_day: list[dict], gap: int = 30, share: float = 0.02) -> dt.date | None:
    """The latest day with events, but for outlying dates (see :func:`outlying_days`): the day
    a map opens on."""
    return outlying_days(per_day, gap, share)[1]


def chart_span(per_day: list[dict]) -> dict:
    """The days worth drawing: :func:`main_span`, narrowed to leave out outlying dates (see
    :func:`outlying_days`), which a few events of a small store would not be by count alone."""
    span = main_span(per_day)
    first, last = outlying_days(per_day)
    if span["from"] is None:
        return span
    lo, hi = max(span["from"], first), min(span["to"], last)
    if lo > hi:
        return span
    outside = sum(d["events"] for d in per_day if not lo <= d["date"] <= hi)
    return {"from": lo, "to": hi, "outside": outside}


# The shares of the points left out at each end of latitude and of longitude, in turn, until the
# box is no wider than a region (degrees of latitude, of longitude): a map opens on it.
EXTENT_SHARES = (0.02, 0.05, 0.1)
REGION = (60.0, 90.0)


def main_extent(points: list[tuple[float, float]], shares: tuple[float, ...] = EXTENT_SHARES,
                region: tuple[float, float] = REGION, weights: list[int] | None = None) -> dict:
    """The box where the points are, trimmed of outliers: from the 2nd to the 98th percentile of
    their latitudes and of their longitudes (quantiles by rank: with fewer than 50 points none
    is left out), so that the few events placed far from the rest (a namesake across the world)
    do not stretch it. Where that box is still wider than a region (``region``: 60° of latitude
    or 90° of longitude: a few per cent of the events in the Americas and in Indonesia around a
    store of the Middle East), the 5th to 95th, then the 10th to 90th. With ``share`` (the one
    used) and how many points lie ``inside`` and ``outside``. ``weights``: how many times each
    point counts (the same box as each point repeated)."""
    total = len(points) if weights is None else sum(weights)
    if not total:
        return {"south": None, "west": None, "north": None, "east": None, "share": None,
                "inside": 0, "outside": 0}
    if weights is None:  # (each point once: the k-th of the values sorted, 50,000 in a few ms)
        lats, lons = (sorted(p[i] for p in points).__getitem__ for i in (0, 1))
        weights = repeat(1)
    else:
        lats = _ranks([(p[0], w) for p, w in zip(points, weights)])
        lons = _ranks([(p[1], w) for p, w in zip(points, weights)])
    for share in shares:
        k = int(total * share)
        box = {"south": lats(k), "west": lons(k), "north": lats(total - 1 - k),
               "east": lons(total - 1 - k)}
        if box["north"] - box["south"] <= region[0] and box["east"] - box["west"] <= region[1]:
            break
    inside = sum(w for (lat, lon), w in zip(points, weights)
                 if box["south"] <= lat <= box["north"] and box["west"] <= lon <= box["east"])
    return box | {"share": share, "inside": inside, "outside": total - inside}


def _ranks(counted: list[tuple[float, int]]) -> Callable[[int], float]:
    """The k-th smallest value (from 0) of values each counted a number of times."""
    counted = sorted(c for c in counted if c[1] > 0)
    ends = list(accumulate(n for _, n in counted))  # the rank after each value's last copy
    return lambda k: counted[bisect_right(ends, k)][0]


def segments(text: str, marks: list[tuple[int, int, str]]) -> list[dict]:
    """``text`` cut at every mark boundary; each piece lists the marks covering it.

    Offsets are Python's (code points), so the page never has to index a string itself.
    """
    n = len(text)
    marks = [(s, e, k) for s, e, k in marks if s is not None and e is not None and 0 <= s < e <= n]
    bounds = sorted({0, n, *(s for s, _, _ in marks), *(e for _, e, _ in marks)})
    out: list[dict] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        kinds = sorted({k for s, e, k in marks if s <= a and b <= e})
        if out and out[-1]["marks"] == kinds:
            out[-1]["text"] += text[a:b]
        else:
            out.append({"text": text[a:b], "marks": kinds})
    return out


def safe_url(url: str | None) -> str | None:
    """The URL if it is a web address; anything else (javascript:, data:) is not linked."""
    if url and url.split(":", 1)[0].lower() in ("http", "https"):
        return url
    return None


def _safe_urls(obj: Any) -> Any:
    """``obj`` with every ``url`` value that is not a web address (javascript:, data:) nulled."""
    if isinstance(obj, dict):
        return {k: safe_url(v) if k == "url" and (v is None or isinstance(v, str)) else _safe_urls(v)
                for k, v in obj.items()}
    if isinstance(obj, list):
        return [_safe_urls(v) for v in obj]
    return obj


def _timeline(row: dict) -> Timeline:
    """A control timeline's place from a row the writer keeps (its periods left out)."""
    return Timeline(row["key"], row["name"], row["name_ar"], row["lat"], row["lon"],
                    row["precision"])
