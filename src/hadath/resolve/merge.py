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
from collections import Counter

from sqlalchemy.engine import Connection

from ..extract import status_of
from ..geo import distance_km
from ..lexicon import default_lexicon
from ..models import FAMILY, Claim, Event
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

    A new event's id comes from the article's hash and ``key`` (the report's id within its
    article by default): give each report of an article its own key, and ids are unique."""
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
    new = match is None
    if new:
        event_id = "ev-" + hashlib.sha1(f"{doc_hash}:{key or ev.id}".encode()).hexdigest()[:16]
        parts = [(ev, published, outlet, document_id)]
    else:
        event_id = match["id"]
        parts = _parts(store, conn, match) + [(ev, published, outlet, document_id)]
    _remember_parts(store, event_id, parts)
    row = merged_row(event_id, parts)
    store.put_event(conn, row, new=new, before=match)
    store.queue_report(conn, event_id, document_id, ev, published, outlet)
    if row["status"] == "contested" or len(parts) > 1:
        store.set_contested(conn, event_id, row["date"],
                            contested.disagreements(row, [e.actor1 for e, *_ in parts]))
    return event_id, new


MEMO_EVENTS = 20_000  # merged events whose reports the writer keeps in memory


def _parts(store: Store, conn: Connection, c: dict) -> list[tuple]:
    """The reports of the merged event ``c`` (a candidate row), in the order they were stored:
    kept in memory from the last time this writer merged into it, while the event has as many
    reports as were kept (another writer, or a rolled-back write, changes the count); else
    read: those stored, then those queued in this transaction."""
    memo = store.memo.setdefault("parts", {})
    kept = memo.get(c["id"])
    if kept is not None and len(kept) == c["n_reports"]:
        return kept
    return [(Event.model_validate(r["record"]), r["published"], r["source"], r["document_id"])
            for r in store.event_reports(conn, c["id"], with_evidence=False)] + \
        store.pending_reports(conn, c["id"])


def _remember_parts(store: Store, event_id: str, parts: list[tuple]) -> None:
    memo = store.memo.setdefault("parts", {})
    memo.pop(event_id, None)
    memo[event_id] = parts  # the most recent last
    if len(memo) > MEMO_EVENTS:
        del memo[next(iter(memo))]


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
    blocs = _blocs()
    if blocs.get(a) and blocs.get(a) == blocs.get(b):
        return True
    return any(x.startswith(_GENERIC) and y in ("rebel_group", "militia")
               for x, y in ((a, b_type), (b, a_type)))


def _blocs() -> dict[str, str]:
    lex = default_lexicon()
    return {a.name: a.bloc for a in lex.actors.values() if a.bloc}


def merged_row(event_id: str, parts: list[tuple[Event, dt.date | None, str | None, int]]) -> dict:
    """The merged view of an event's reports: (event, published, outlet, document id) each."""
    evs = [p[0] for p in parts]
    kind = _kind(evs)
    lead = next(e for e in evs if e.kind == kind)
    with_place = [e for e in evs if e.place is not None]
    place_ev = min(with_place, key=lambda e: (e.place.precision or 9)) if with_place else None
    place = place_ev.place if place_ev else None
    actor1 = _most_common([e.actor1 for e in evs])
    actor2 = _most_common([e.actor2 for e in evs])
    a1 = next((e for e in evs if e.actor1 == actor1), lead)
    a2 = next((e for e in evs if e.actor2 == actor2), lead)
    dated = [e for e in evs if e.date is not None]
    text_dated = [e for e in dated if "date" in e.spans] or dated
    date_ev = min(text_dated, key=lambda e: e.date) if text_dated else None
    fats = [e.fatalities for e in evs if e.fatalities is not None]
    highs = [e.fatalities_high for e in evs if e.fatalities_high is not None]
    claims: list[Claim] = [c for e in evs for c in e.claims]
    outlets = {p[2] or f"document {p[3]}" for p in parts}
    published = [p[1] for p in parts if p[1] is not None]
    return dict(
        id=event_id, kind=kind, family=FAMILY.get(kind, kind),
        disorder_type=lead.disorder_type, event_type=lead.event_type,
        sub_event_type=lead.sub_event_type, plover=lead.plover, plover_mode=lead.plover_mode,
        actor1=actor1, actor1_code=a1.actor1_code if actor1 else None,
        actor1_type=a1.actor1_type if actor1 else None,
        actor1_hedged=bool(actor1) and all(e.actor1_hedged for e in evs if e.actor1 == actor1),
        assoc_actor1=sorted({x for e in evs for x in e.assoc_actor1}),
        actor2=actor2, actor2_code=a2.actor2_code if actor2 else None,
        actor2_type=a2.actor2_type if actor2 else None,
        place_name=place.name if place else None, place_name_ar=place.name_ar if place else None,
        lat=place.lat if place else None, lon=place.lon if place else None,
        precision=place.precision if place else None, admin1=place.admin1 if place else None,
        country=place.country if place else None,
        gazetteer_id=place.gazetteer_id if place else None,
        place_feature=place.feature if place else None,
        date=date_ev.date if date_ev else None,
        date_precision=date_ev.date_precision if date_ev else None,
        fatalities=min(fats) if fats else None, fatalities_low=min(fats) if fats else None,
        fatalities_high=max(fats + highs) if fats else None,
        status=status_of(claims), n_reports=len(parts), n_sources=len(outlets),
        first_reported=min(published) if published else None)


def _kind(evs: list[Event]) -> str:
    kinds = {e.kind for e in evs}
    for k in _KIND_ORDER:
        if k in kinds:
            return k
    return Counter(e.kind for e in evs).most_common(1)[0][0]


def _most_common(values: list[str | None]) -> str | None:
    named = [v for v in values if v]
    if not named:
        return None
    counts = Counter(named)
    best = max(counts.values())
    return next(v for v in named if counts[v] == best)
