"""Cross-report merging: each extracted event (a report) joins the merged event it describes,
or starts a new one. Incremental: a new article updates events, nothing is re-run.

Two reports describe one event when they are of one kind (or one family: a strike one source
calls a "killing"), their dates fall within a window set by date precision (a day either side
for a day, a week, a month), their places agree within a distance set by place precision
(5 km for exact places, 25 km near a town; otherwise the same gazetteer entry), and their
actors are compatible (equal, unknown on one side, or of one bloc). Reports without a place
never merge across articles: they could be anywhere. Two reports of one article never merge:
the extractor already told them apart.

A merged event takes the finest place, the most named actors, the earliest date, and, as ACLED
does, the most conservative credible fatality figure with the range kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy.engine import Connection

from ..extract import stances_status
from ..geo import distance_km
from ..lexicon import default_lexicon
from ..models import FAMILY, Event
from ..store import Store
from . import contested  # (which imports this module: its names are read at call time)

DATE_WINDOW = {"day": 1, "week": 7, "month": 31, "year": 366}
PLACE_KM = {1: 5.0, 2: 25.0}
_GENERIC = ("Rebels (", "Unidentified Armed Group (")
_KIND_ORDER = ["air_strike", "explosion", "shelling", "armed_clash", "abduction", "attack",
               "killing", "riot", "protest"]


def attach(store: Store, conn: Connection, ev: Event, document_id: int, doc_hash: str,
           published: dt.date | None, outlet: str | None, key: str | None = None
           ) -> tuple[str, bool]:
    """Store one report and link it to its merged event: (event id, whether it was new).

    The report merges into the event's row and summary (see ``merge_report``), never into
    all its reports read again. A new event's id comes from the article's hash and ``key``
    (the report's id within its article by default): give each report of an article its own
    key, and ids are unique."""
    family = FAMILY.get(ev.kind, ev.kind)
    day = ev.date or published
    match = None
    if day is not None and ev.place is not None:
        w = dt.timedelta(days=DATE_WINDOW.get(ev.date_precision or "day", 1))
        lo = day - w if day - dt.date.min >= w else dt.date.min
        hi = day + w if dt.date.max - day >= w else dt.date.max
        cands = store.candidates(conn, family, lo, hi, ev.place, max(PLACE_KM.values()),
                                 document_id)
        match = _best(ev, day, cands)
    part = (ev, published, outlet, document_id)
    if match is None:
        event_id = "ev-" + hashlib.sha1(f"{doc_hash}:{key or ev.id}".encode()).hexdigest()[:16]
        row, summary = merge_report(event_id, None, None, part)
    else:
        event_id = match["id"]
        row, summary = merge_report(event_id, match, _summary(store, conn, event_id), part)
    store.put_event(conn, row, new=match is None, before=match, summary=summary)
    store.queue_report(conn, event_id, document_id, ev, published, outlet)
    if row["status"] == "contested" or row["n_reports"] > 1:
        store.set_contested(conn, event_id, row["date"],
                            contested.disagreements(row, list(summary["actor1"])))
    return event_id, match is None


def _summary(store: Store, conn: Connection, event_id: str) -> dict:
    """The summary of a stored event; one written before schema 5 kept none, and is made
    once from its reports."""
    summary = store.summary(conn, event_id)
    if summary is not None:
        return summary
    parts = [(Event.model_validate(r["record"]), r["published"], r["source"], r["document_id"])
             for r in store.event_reports(conn, event_id, with_evidence=False)]
    return summarise(event_id, parts)[1]


def _best(ev: Event, day: dt.date, cands: list[dict]) -> dict | None:
    scored = []
    for k, c in enumerate(cands):
        if c["reported_by"]:
            continue  # one article's events were told apart on purpose
        if not compatible(ev, c):
            continue
        d = distance_km(ev.place.lat, ev.place.lon, c["lat"], c["lon"])
        same_gid = bool(ev.place.gazetteer_id) and ev.place.gazetteer_id == c["gazetteer_id"]
        days = abs((c["date"] - day).days) if c["date"] else 99
        scored.append((not same_gid, d if d != float("inf") else 1e9, days, c["id"], k))
    return cands[min(scored)[4]] if scored else None


def compatible(ev: Event, c: dict) -> bool:
    """Whether a report can describe the merged event ``c`` (a row of ``Store.candidates``)."""
    if ev.kind != c["kind"] and not (
            FAMILY.get(ev.kind) == FAMILY.get(c["kind"]) and
            ("killing" in (ev.kind, c["kind"]) or FAMILY.get(ev.kind) == "protest")):
        return False
    if not _places_agree(ev, c):
        return False
    return same_actor(ev.actor1, ev.actor1_type, c["actor1"], c["actor1_type"])


def _places_agree(ev: Event, c: dict) -> bool:
    p = ev.place
    if p is None or c["place_name"] is None:
        return False
    if p.gazetteer_id and p.gazetteer_id == c["gazetteer_id"]:
        if p.feature in ("landmark", "road") or c["place_feature"] in ("landmark", "road"):
            return (p.name_ar or p.name) == (c["place_name_ar"] or c["place_name"]) or \
                p.feature != c["place_feature"]
        return True
    if p.precision is None or c["precision"] is None:
        return p.precision is None and c["precision"] is None and p.name == c["place_name"]
    worst = max(p.precision, c["precision"])
    if worst > 2:
        return False  # vague places agree only when they are the same entry
    return distance_km(p.lat, p.lon, c["lat"], c["lon"]) <= PLACE_KM[worst]


def same_actor(a: str | None, a_type: str | None, b: str | None, b_type: str | None) -> bool:
    """Equal, unknown on one side, of one bloc (an army and its government), or a generic
    armed group beside a named one of its kind."""
    if a is None or b is None or a == b:
        return True
    blocs = default_lexicon().blocs
    if blocs.get(a) and blocs.get(a) == blocs.get(b):
        return True
    return any(x.startswith(_GENERIC) and y in ("rebel_group", "militia")
               for x, y in ((a, b_type), (b, a_type)))


def merged_row(event_id: str, parts: list[tuple[Event, dt.date | None, str | None, int]]) -> dict:
    """The merged view of an event's reports: (event, published, outlet, document id) each."""
    return summarise(event_id, parts)[0]


def summarise(event_id: str, parts: list[tuple]) -> tuple[dict, dict]:
    """The merged row and the summary of an event's reports, merged one by one."""
    row = summary = None
    for part in parts:
        row, summary = merge_report(event_id, row, summary, part)
    return row, summary


_LEAD = ("disorder_type", "event_type", "sub_event_type", "plover", "plover_mode")
_PLACE = (("place_name", "name"), ("place_name_ar", "name_ar"), ("lat", "lat"), ("lon", "lon"),
          ("precision", "precision"), ("admin1", "admin1"), ("country", "country"),
          ("gazetteer_id", "gazetteer_id"), ("place_feature", "feature"))
_EMPTY = {"kinds": {}, "actor1": {}, "actor2": {}, "outlets": [], "stances": [],
          "text_date": False, "top": None}


def merge_report(event_id: str, row: dict | None, summary: dict | None, part: tuple
                 ) -> tuple[dict, dict]:
    """An event's merged row and summary with one more report (``part``: event, published,
    outlet, document id); ``row`` and ``summary`` None for a new event.

    The row takes the finest place (the first of the finest), the most named actors (ties:
    the first named), the earliest date (of those the text gives, if any), the lowest
    fatality figure with the range kept, and the kind first in _KIND_ORDER (else the most
    reported). The summary keeps what the row does not say of the reports merged before:
    the reports of each kind (and what the first of them said), of each actor (and the first's
    code and type), the outlets, the claims' stances, whether a date came from the text,
    and the highest figure."""
    ev, published, outlet, doc = part
    old, s = row or {}, summary or _EMPTY
    kinds = _tallied(s["kinds"], ev.kind, [getattr(ev, k) for k in _LEAD])
    actor1s = _tallied(s["actor1"], ev.actor1, [ev.actor1_code, ev.actor1_type, ev.actor1_hedged])
    if ev.actor1:
        actor1s[ev.actor1][3] = bool(actor1s[ev.actor1][3] and ev.actor1_hedged)
    actor2s = _tallied(s["actor2"], ev.actor2, [ev.actor2_code, ev.actor2_type])
    kind = next((k for k in _KIND_ORDER if k in kinds), None) or _first_most(kinds)
    actor1, actor2 = _first_most(actor1s), _first_most(actor2s)
    a1, a2 = actor1s.get(actor1, [0, None, None, False]), actor2s.get(actor2, [0, None, None])
    new = {**{k: old.get(k) for k, _ in _PLACE}, "date": old.get("date"),
           "date_precision": old.get("date_precision")}
    if ev.place is not None and (old.get("place_name") is None or
                                 (ev.place.precision or 9) < (old["precision"] or 9)):
        new.update({k: getattr(ev.place, attr) for k, attr in _PLACE})
    text_date = s["text_date"]
    if ev.date is not None:
        in_text = "date" in ev.spans
        if (in_text and not text_date) or (in_text == text_date and (
                new["date"] is None or ev.date < new["date"])):
            new.update(date=ev.date, date_precision=ev.date_precision)
        text_date = text_date or in_text
    fats = old.get("fatalities")
    if ev.fatalities is not None:
        fats = ev.fatalities if fats is None else min(fats, ev.fatalities)
    top = max((x for x in (s["top"], ev.fatalities, ev.fatalities_high) if x is not None),
              default=None)
    stances = sorted(set(s["stances"]) | {c.stance for c in ev.claims})
    label = outlet or f"document {doc}"
    outlets = s["outlets"] if label in s["outlets"] else [*s["outlets"], label]
    first = min((d for d in (old.get("first_reported"), published) if d is not None), default=None)
    lead = kinds[kind][1:]
    row = dict(
        id=event_id, kind=kind, family=FAMILY.get(kind, kind), **dict(zip(_LEAD, lead)),
        actor1=actor1, actor1_code=a1[1], actor1_type=a1[2],
        actor1_hedged=bool(actor1) and a1[3],
        assoc_actor1=sorted(set(old.get("assoc_actor1") or ()) | set(ev.assoc_actor1)),
        actor2=actor2, actor2_code=a2[1], actor2_type=a2[2], **new,
        fatalities=fats, fatalities_low=fats, fatalities_high=top if fats is not None else None,
        status=stances_status(set(stances)), n_reports=old.get("n_reports", 0) + 1,
        n_sources=len(outlets), first_reported=first)
    return row, {"kinds": kinds, "actor1": actor1s, "actor2": actor2s, "outlets": outlets,
                 "stances": stances, "text_date": text_date, "top": top}


def _tallied(tally: dict, key: str | None, first: list) -> dict:
    """A tally (name -> [reports, what the first of them said]) with one more report of
    ``key`` (none: the same tally); the entry of ``key`` is a new list."""
    if not key:
        return tally
    got = tally.get(key)
    return {**tally, key: [1, *first] if got is None else [got[0] + 1, *got[1:]]}


def _first_most(tally: dict) -> str | None:
    """The name of a tally with the most reports, the first named on a tie."""
    return max(tally, key=lambda k: tally[k][0]) if tally else None
