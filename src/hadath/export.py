"""Export the store for the tools analysts already use: ACLED-style CSV, GeoJSON, JSON Lines
(complete, re-importable), and UCDP GED-style CSV. Rows are streamed: memory stays flat
whatever the store's size.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import itertools
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

from .errors import ExportError
from .lexicon import default_lexicon
from .store import EventFilter, Store

FORMATS = ("acled-csv", "geojson", "jsonl", "ucdp-csv")

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
]
UCDP_COLUMNS = [
    "id", "year", "type_of_violence", "dyad_name", "side_a", "side_b", "number_of_sources",
    "source_article", "source_office", "source_date", "where_prec", "where_coordinates", "adm_1",
    "adm_2", "latitude", "longitude", "country", "region", "event_clarity", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "low", "best", "high",
]
# ACLED's actor inter codes: 1 state forces, 2 rebel groups, 3 political militias, 4 identity
# militias, 5 rioters, 6 protesters, 7 civilians, 8 external/other forces.
INTER = {"state_forces": 1, "government": 1, "rebel_group": 2, "militia": 3, "rioters": 5,
         "protesters": 6, "civilians": 7, "igo": 8}
TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
UCDP_DATE_PREC = {"day": 1, "week": 3, "month": 4, "year": 5}


def geo_precision(p: int | None) -> int | str:
    """UCDP-style where_prec (1-6) to ACLED's geo_precision (1-3)."""
    if p is None:
        return ""
    return 1 if p == 1 else (2 if p in (2, 3) else 3)


# UCDP GED holds organised violence with at least one death: these kinds, with a death.
ORGANISED_VIOLENCE = frozenset({"armed_clash", "air_strike", "shelling", "explosion", "attack",
                                "killing", "abduction"})


@dataclass
class ExportReport:
    rows: int = 0
    left_out: int = 0  # events without a point (GeoJSON)
    not_ucdp: Counter = field(default_factory=Counter)  # UCDP: left out, by reason


def export(store: Store, fmt: str, out: IO[str], f: EventFilter | None = None,
           limit: int | None = None, all_kinds: bool = False) -> ExportReport:
    """Write the store's events (filtered; every one of them unless ``limit``) to ``out``.

    ``ucdp-csv`` leaves out what UCDP GED does not hold (events that are not organised
    violence, or have no reported death; counted in the report) unless ``all_kinds``.
    """
    f = f or EventFilter()
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    writer = {"acled-csv": _acled, "geojson": _geojson, "jsonl": _jsonl, "ucdp-csv": _ucdp}[fmt]
    rows = _filtered(store, f)
    rep = ExportReport()
    if fmt == "ucdp-csv" and not all_kinds:
        rows = _ucdp_kinds(rows, rep.not_ucdp)
    written = writer(store, out, rows if limit is None else itertools.islice(rows, limit))
    written.not_ucdp = rep.not_ucdp
    return written


def _ucdp_kinds(events: Iterator[dict], left_out: Counter) -> Iterator[dict]:
    for ev in events:
        if ev["kind"] not in ORGANISED_VIOLENCE:
            left_out[ev["kind"]] += 1
        elif not ev["fatalities"]:
            left_out["no reported death"] += 1
        else:
            yield ev


def _filtered(store: Store, f: EventFilter) -> Iterator[dict]:
    if store.counts()["events"] == 0:
        raise ExportError("the store holds no events (run hadath ingest first)")
    return store.all_events(f)


def _detail(store: Store, ev: dict) -> tuple[list[dict], list[dict], list[dict]]:
    """Claims, evidence and reports of one event (one event at a time: memory stays flat)."""
    d = store.event_parts(ev["id"])
    return d["claims"], d["evidence"], d["reports"]


def _notes(ev: dict, claims: list[dict], evidence: list[dict]) -> str:
    sentences = " | ".join(dict.fromkeys(e["text"] for e in evidence))
    stance = "; ".join(dict.fromkeys(f"{c['source']} {c['stance']}" for c in claims))
    note = f"{sentences} [status: {ev['status']}; {stance}]"
    if ev["fatalities_high"] is not None and ev["fatalities_high"] != ev["fatalities"]:
        note += f" [fatalities reported from {ev['fatalities_low']} to {ev['fatalities_high']}]"
    return note


def _inter(type_: str | None, actor_country: str | None, event_country: str | None) -> int:
    if type_ is None:
        return 0
    code = INTER.get(type_, 8)
    if code == 1 and actor_country and event_country and actor_country != event_country:
        return 8  # state forces acting outside their country: ACLED's external forces
    return code


def _actor_country(code: str | None) -> str | None:
    lex = default_lexicon()
    c = lex.country(code[:3]) if code and code[:3] != "---" else None
    return c.name if c else None


def admin_areas(ev: dict) -> tuple[str, str]:
    """An event's first- and second-level admin areas, from the gazetteer, in every country:
    the place's own when the gazetteer records them; else the admin1 of its country whose
    centre is nearest, and the admin2 (of that admin1) named like the place (a district and
    its seat). Only the areas the gazetteer holds can be named."""
    from .geo import default_gazetteer, distance_km

    gaz = default_gazetteer()
    row = gaz.get(ev["gazetteer_id"]) if ev["gazetteer_id"] else None
    admin1 = ev["admin1"] or (row.admin1 if row else "") or ""
    admin2 = (row.admin2 if row else "") or ""
    if row is not None and row.feature == "admin2":
        admin2 = admin2 or row.name
    if ev["lat"] is None or ev["lon"] is None or (admin1 and admin2) or (ev["precision"] or 9) > 4:
        return admin1, admin2
    iso2 = row.country if row and row.country else getattr(
        default_lexicon().countries.get(ev["country"] or ""), "iso2", "")
    areas = _admin_rows().get(iso2, {})

    names = {n.casefold() for n in (*(row.names_ar + row.names_en), row.name, row.name_ar)
             if n} if row is not None else set()

    def nearest(feature: str, within: str = "", named_only: bool = False) -> str:
        rows = [r for r in areas.get(feature, []) if not within or r.admin1 == within]
        # the area named after the place (a district and its seat), else the nearest one
        named = [r for r in rows if names & {n.casefold() for n in (*r.names_ar, *r.names_en, r.name)}]
        best = min(named or ([] if named_only else rows), default=None,
                   key=lambda r: distance_km(ev["lat"], ev["lon"], r.lat, r.lon))
        return best.name if best is not None and distance_km(ev["lat"], ev["lon"], best.lat, best.lon) <= 300 else ""

    admin1 = admin1 or nearest("admin1")
    if not admin2 and (ev["precision"] or 9) <= 3:  # districts are too small to guess by distance
        admin2 = nearest("admin2", admin1, named_only=True)
    return admin1, admin2


@functools.lru_cache(maxsize=1)
def _admin_rows() -> dict[str, dict[str, list]]:
    """The gazetteer's admin areas with a point, by country and level."""
    from .geo import default_gazetteer

    out: dict[str, dict[str, list]] = {}
    for r in default_gazetteer().store._rows("WHERE p.feature IN ('admin1', 'admin2')", ()):
        if r.lat is not None and r.lon is not None:
            out.setdefault(r.country, {}).setdefault(r.feature, []).append(r)
    return out


# --- ACLED ------------------------------------------------------------------------------------

def _csv(out: IO[str], columns: list[str], rows: Iterator[dict]) -> ExportReport:
    """Write rows under a header (one row in memory at a time), every text cell made safe to
    open in a spreadsheet (see :func:`cell`)."""
    rep = ExportReport()
    w = csv.DictWriter(out, columns, lineterminator="\n")
    w.writeheader()
    for row in rows:
        w.writerow({k: cell(v) for k, v in row.items()})
        rep.rows += 1
    return rep


_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def cell(value):
    """A CSV value that a spreadsheet shows as text, never runs: text starting with = + - @
    (or a tab or carriage return; article text may start so) gets a leading apostrophe.
    Numbers are left as they are."""
    if isinstance(value, str) and value.lstrip(" ").startswith(_FORMULA):
        return "'" + value
    return value


def _acled(store: Store, out: IO[str], events: Iterator[dict]) -> ExportReport:
    return _csv(out, ACLED_COLUMNS, (_acled_row(store, ev) for ev in events))


def _acled_row(store: Store, ev: dict) -> dict:
    lex = default_lexicon()
    claims, evidence, reports = _detail(store, ev)
    country = lex.country(ev["country"])
    inter1 = _inter(ev["actor1_type"], _actor_country(ev["actor1_code"]), ev["country"])
    inter2 = _inter(ev["actor2_type"], _actor_country(ev["actor2_code"]), ev["country"])
    pair = sorted(x for x in (inter1, inter2) if x)
    interaction = (pair[0] * 10 + pair[1]) if len(pair) == 2 else (pair[0] * 10 if pair else 0)
    outlets = [r["source"] for r in reports if r["source"]]
    sources = list(dict.fromkeys([c["source"] for c in claims if c["source"] != "article"] + outlets))
    tags = [f"hadath_kind={ev['kind']}", f"status={ev['status']}", f"reports={ev['n_reports']}",
            f"place_precision={ev['precision'] if ev['precision'] is not None else 'unresolved'}"]
    if ev["fatalities"] is None:
        tags.append("fatalities_unknown")
    if ev["actor1_hedged"]:
        tags.append("actor1_likely")
    admin1, admin2 = admin_areas(ev)
    return {
        "event_id_cnty": f"{country.iso3 if country else 'XXX'}{int(ev['id'][3:11], 16)}",
        "event_date": ev["date"].isoformat() if ev["date"] else "",
        "year": ev["date"].year if ev["date"] else "",
        "time_precision": TIME_PRECISION.get(ev["date_precision"] or "", 3),
        "disorder_type": ev["disorder_type"], "event_type": ev["event_type"],
        "sub_event_type": ev["sub_event_type"], "actor1": ev["actor1"] or "",
        "assoc_actor_1": "; ".join(ev["assoc_actor1"] or []), "inter1": inter1,
        "actor2": ev["actor2"] or "", "assoc_actor_2": "", "inter2": inter2,
        "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if ev["actor2_type"] == "civilians" else "",
        "iso": country.isonum if country else "", "region": country.region if country else "",
        "country": ev["country"] or "", "admin1": admin1, "admin2": admin2,
        "admin3": "", "location": ev["place_name"] or "",
        "latitude": ev["lat"] if ev["lat"] is not None else "",
        "longitude": ev["lon"] if ev["lon"] is not None else "",
        "geo_precision": geo_precision(ev["precision"]), "source": "; ".join(sources),
        "source_scale": "Other", "notes": _notes(ev, claims, evidence),
        "fatalities": ev["fatalities"] or 0, "tags": "; ".join(tags),
        "timestamp": int(ev["updated_at"].replace(tzinfo=dt.timezone.utc).timestamp()),
    }


# --- GeoJSON ----------------------------------------------------------------------------------

def _geojson(store: Store, out: IO[str], events: Iterator[dict]) -> ExportReport:
    rep = ExportReport()
    out.write('{"type": "FeatureCollection", "features": [')
    first = True
    for ev in events:
        if ev["lat"] is None or ev["lon"] is None:
            rep.left_out += 1
            continue
        claims, evidence, _ = _detail(store, ev)
        props = {k: _jsonable(v) for k, v in ev.items()}
        props["claims"] = [{k: c[k] for k in ("source", "stance", "hedged", "via", "text", "outlet")}
                           for c in claims]
        props["evidence"] = [e["text"] for e in evidence]
        feature = {"type": "Feature", "id": ev["id"],
                   "geometry": {"type": "Point", "coordinates": [round(ev["lon"], 6), round(ev["lat"], 6)]},
                   "properties": props}
        out.write(("\n" if first else ",\n") + json.dumps(feature, ensure_ascii=False))
        first = False
        rep.rows += 1
    out.write("\n]}\n")
    return rep


def _jsonable(v):
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return v


# --- JSON Lines (complete, re-importable) -------------------------------------------------------

def _jsonl(store: Store, out: IO[str], events: Iterator[dict]) -> ExportReport:
    """One merged event per line, with every report: the extracted record and its document."""
    rep = ExportReport()
    for ev in events:
        reports = []
        for r in store.event_parts(ev["id"])["reports"]:
            doc = store.document(r["document_id"]) or {}
            reports.append({"record": r["record"], "document": {
                k: _jsonable(doc.get(k)) for k in ("content_hash", "url", "doc_key", "source",
                                                    "title", "published", "origin", "text")}})
        event = {k: _jsonable(v) for k, v in ev.items() if k != "updated_at"}
        out.write(json.dumps({"event": event, "reports": reports}, ensure_ascii=False) + "\n")
        rep.rows += 1
    return rep


def import_events(store: Store, lines: Iterator[str], origin: str,
                  progress: Callable[[int], None] | None = None) -> tuple[int, int, list[str]]:
    """Load a `hadath export --format jsonl` file: (events added, events already there, bad lines).

    The events keep their ids and their merged fields; reports keep their records; documents
    come with their text, so evidence offsets stay valid. Re-importing adds nothing.
    """
    from .models import Event
    from .store import content_hash

    added = known = 0
    bad: list[str] = []
    with store.transaction() as conn:
        for lineno, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                event = obj["event"]
                reports = obj["reports"]
            except (ValueError, KeyError, TypeError) as exc:
                bad.append(f"{origin}:{lineno}: not an exported event ({exc.__class__.__name__})")
                continue
            if store.has_event(conn, event["id"]):
                known += 1
                continue
            store.put_event(conn, _event_row(event), new=True)
            for r in reports:
                d = r["document"]
                h = d.get("content_hash") or content_hash(d["text"])
                doc_id = store.document_id(conn, h, d.get("url"))
                if doc_id is None:
                    doc_id = store.add_documents(conn, [dict(
                        content_hash=h, text=d["text"], url=d.get("url"), doc_key=d.get("doc_key"),
                        source=d.get("source"), title=d.get("title"),
                        published=_date(d.get("published")), origin=d.get("origin"))])[0]
                store.add_report(conn, event["id"], doc_id, Event.model_validate(r["record"]))
            added += 1
            if progress is not None:
                progress(lineno)
    return added, known, bad


def _date(v):
    return dt.date.fromisoformat(v) if isinstance(v, str) and v else v


def _event_row(event: dict) -> dict:
    row = dict(event)
    for k in ("date", "first_reported"):
        row[k] = _date(row.get(k))
    return row


# --- UCDP -------------------------------------------------------------------------------------

def _ucdp(store: Store, out: IO[str], events: Iterator[dict]) -> ExportReport:
    return _csv(out, UCDP_COLUMNS, (_ucdp_row(store, ev) for ev in events))


def _ucdp_row(store: Store, ev: dict) -> dict:
    lex = default_lexicon()
    claims, evidence, _ = _detail(store, ev)
    a1, a2 = ev["actor1"] or "", ev["actor2"] or ""
    state = {"state_forces", "government"}
    if ev["actor2_type"] == "civilians":
        tov = 3
    elif ev["actor1_type"] in state or ev["actor2_type"] in state:
        tov = 1
    else:
        tov = 2
    country = lex.country(ev["country"])
    admin1, admin2 = admin_areas(ev)
    best = ev["fatalities"] or 0
    d = ev["date"].isoformat() if ev["date"] else ""
    return {
        "id": ev["id"], "year": ev["date"].year if ev["date"] else "", "type_of_violence": tov,
        "dyad_name": f"{a1} - {a2}" if a1 and a2 else (a1 or a2), "side_a": a1, "side_b": a2,
        "number_of_sources": ev["n_sources"],
        "source_article": " | ".join(dict.fromkeys(e["text"] for e in evidence)),
        "source_office": "; ".join(dict.fromkeys(c["source"] for c in claims)),
        "source_date": ev["first_reported"].isoformat() if ev["first_reported"] else "",
        "where_prec": ev["precision"] or "", "where_coordinates": ev["place_name"] or "",
        "adm_1": admin1, "adm_2": admin2, "latitude": ev["lat"] if ev["lat"] is not None else "",
        "longitude": ev["lon"] if ev["lon"] is not None else "", "country": ev["country"] or "",
        "region": country.region if country else "",
        "event_clarity": 2 if ev["status"] in ("contested", "denied") else 1,
        "date_prec": UCDP_DATE_PREC.get(ev["date_precision"] or "", 5), "date_start": d,
        "date_end": d, "deaths_a": 0, "deaths_b": 0,
        "deaths_civilians": best if tov == 3 else 0, "deaths_unknown": 0 if tov == 3 else best,
        "low": ev["fatalities_low"] or 0, "best": best, "high": ev["fatalities_high"] or best,
    }


def open_output(path: str | None, bom: bool = False) -> IO[str]:
    """The file to write (``-`` or None: standard output); a clear error when it cannot be."""
    import sys

    if path in (None, "-"):
        if bom:
            sys.stdout.write("\ufeff")
        return sys.stdout
    try:
        return open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="")
    except OSError as exc:
        raise ExportError(f"{path}: cannot write there ({exc.strerror})") from None

