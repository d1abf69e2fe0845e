"""What the store gained since a counter: the cheap question a live page asks every few
seconds ("anything new since I last looked?").

The counter is the id of the last stored report (reports are only ever added, with growing
ids): events whose first report is above a counter are *new* since it, events with a report
above it but an older first one were *updated*. Both are answered from the reports' primary
key and the events' primary key, whatever the size of the store."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from .models import STATE_KINDS
from .store import POINT_COLUMNS, EventFilter, Store, claims, documents, events, reports

MAX_NEW = 500  # new events returned at once (the count is always exact)


def counter(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.max(reports.c.id))).scalar() or 0


def changes(store: Store, since: int | None, f: EventFilter | None = None, limit: int = MAX_NEW) -> dict[str, Any]:
    """``{"counter", "new", "updated", "fields", "rows"}``: the current counter; how many events
    are new (matching the filters) and updated since ``since``; and the new located events as
    map rows (the columns of ``/api/points``), oldest first. ``since`` None: the counter only."""
    f = f or EventFilter()
    with store.engine.connect() as conn:
        now = conn.execute(select(func.max(reports.c.id))).scalar() or 0
        out: dict[str, Any] = {"counter": now, "after": since, "new": 0, "updated": 0,
                               "fields": list(POINT_COLUMNS), "rows": []}
        if since is None or since >= now:
            return out
        firsts = _first_reports(conn, since)
        new_ids = [e for e, first in firsts.items() if first > since]
        out["updated"] = len(firsts) - len(new_ids)
        rows = []
        for i in range(0, len(new_ids), 500):
            rows += [dict(r._mapping) for r in conn.execute(
                select(events).where(events.c.id.in_(new_ids[i:i + 500]),
                                     events.c.kind.not_in(tuple(STATE_KINDS)) if f.kind not in STATE_KINDS
                                     else events.c.kind == f.kind))]
        rows = [r for r in rows if _matches(r, f)]
        if f.source and rows:
            rows = _by_source(conn, rows, f.source)
    rows.sort(key=lambda r: (firsts[r["id"]], r["id"]))
    out["new"] = len(rows)
    out["rows"] = [[_plain(r[c]) for c in POINT_COLUMNS] for r in rows
                   if r["lat"] is not None and r["lon"] is not None][:limit]
    return out


def _first_reports(conn, since: int) -> dict[str, int]:
    """The events with a report after ``since``, each with the id of its first report: the
    reports after it read by the primary key, then each such event's reports by the index of
    their event (as one statement, with IN a subquery, SQLite scanned that whole index: every
    report of the store)."""
    touched = list(dict.fromkeys(r[0] for r in conn.execute(  # (DISTINCT: a scan of an index)
        select(reports.c.event_id).where(reports.c.id > since).order_by(reports.c.id))))
    firsts: dict[str, int] = {}
    for i in range(0, len(touched), 500):
        firsts.update(conn.execute(
            select(reports.c.event_id, func.min(reports.c.id))
            .where(reports.c.event_id.in_(touched[i:i + 500])).group_by(reports.c.event_id)).all())
    return firsts


def _matches(r: dict, f: EventFilter) -> bool:
    """The filters of ``/api/points`` (but the source, asked of the store) on one event."""
    if f.kind and r["kind"] != f.kind:
        return False
    if f.status and r["status"] != f.status:
        return False
    if f.since and (r["date"] is None or r["date"] < f.since):
        return False
    if f.until and (r["date"] is None or r["date"] > f.until):
        return False
    if f.actor:
        q = f.actor.lower()
        if not any(x and q in x.lower() for x in (r["actor1"], r["actor2"])) and f.actor not in (
                r["actor1_code"], r["actor2_code"]):
            return False
    if f.place:
        q = f.place.lower()
        if not (any(x and q in x.lower() for x in (r["place_name"], r["admin1"]))
                or (r["place_name_ar"] and f.place in r["place_name_ar"]) or r["gazetteer_id"] == f.place):
            return False
    if f.near:
        from .geo import distance_km

        if distance_km(r["lat"], r["lon"], *f.near) > f.km:
            return False
    return True


def _by_source(conn, rows: list[dict], source: str) -> list[dict]:
    ids = [r["id"] for r in rows]
    like = f"%{source}%"
    keep = {x[0] for x in conn.execute(
        select(reports.c.event_id).join(documents, documents.c.id == reports.c.document_id)
        .where(reports.c.event_id.in_(ids), documents.c.source.ilike(like)))}
    keep |= {x[0] for x in conn.execute(select(claims.c.event_id).where(
        claims.c.event_id.in_(ids), claims.c.source.ilike(like)))}
    return [r for r in rows if r["id"] in keep]


def _plain(v: Any) -> Any:
    return v.isoformat() if isinstance(v, dt.date) else v
