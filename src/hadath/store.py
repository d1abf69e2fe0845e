"""The event store: documents, reports of events, merged events, claims, evidence and tolls.

SQLAlchemy Core over SQLite by default (one file in WAL mode, path from ``--db`` or
``HADATH_DB``, default ``hadath.db``), written so that PostgreSQL can follow without rewriting
queries. Every article's events are kept as *reports*; reports of one event are linked to one
row of ``events`` (see :mod:`hadath.resolve`), which holds the merged view. Nothing extracted
is lost: each report keeps the full JSON record of the event as extracted.

All SQL of the project lives here; ``resolve``, ``export`` and ``serve`` call this module.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import math
import os
import re
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import (JSON, BigInteger, Boolean, Column, Date, DateTime, Float, ForeignKey, Index, Integer,
                        MetaData, String, Table, Text, and_, bindparam, cast, create_engine, event,
                        exists, func, insert, inspect, literal, literal_column, or_, select, text, true,
                        type_coerce, union, union_all, update)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.schema import CreateIndex

from .errors import StoreError
from .models import STATE_KINDS, Event

SCHEMA_VERSION = 10
DEFAULT_DB = "hadath.db"
SQLITE_CACHE_KB = 65_536  # SQLite's page cache per connection (its default is 2 MB)
SQLITE_PAGE = 16_384  # bytes: an article's text (3 KB on average) left a 4 KB page a third empty
# pages of WAL a writer lets grow before it checkpoints (SQLite's 1,000 pages, 16 MB here, made
# an ingest checkpoint every four batches: each checkpoint copies the pages of every random-key
# index again and syncs twice, a quarter of the writer's time; 4,096, 64 MB, until schema 10,
# whose wider indexes of kinds and actors write more pages: 256 MB checkpoints half as often
# again, 5% of the writer's time)
SQLITE_WAL_PAGES = 16_384
WRITE_LOCK = 0x68616461  # the PostgreSQL advisory lock of writers ("hada")
SCHEMA_LOCK = 0x68616462  # ... and of schema changes

metadata = MetaData()

meta_table = Table("meta", metadata, Column("key", String(64), primary_key=True),
                   Column("value", Text))

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("url", Text, index=True),  # not unique: distinct articles may share a URL
    Column("doc_key", Text),  # the id the input gave (docno, feed guid, file path)
    Column("source", Text),  # the outlet
    Column("title", Text),
    Column("published", Date),
    Column("text", Text, nullable=False),
    Column("origin", Text),  # where it was read from
    Column("ingested_at", DateTime, nullable=False),
)

events = Table(
    "events", metadata,
    Column("id", Text, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("family", String(32), nullable=False),
    Column("disorder_type", String(64)), Column("event_type", String(64)),
    Column("sub_event_type", String(64)), Column("plover", String(32)),
    Column("plover_mode", String(32)),
    Column("actor1", Text), Column("actor1_code", String(32)),
    Column("actor1_type", String(32)), Column("actor1_hedged", Boolean, default=False),
    Column("assoc_actor1", JSON), Column("actor2", Text), Column("actor2_code", String(32)),
    Column("actor2_type", String(32)),
    Column("place_name", Text), Column("place_name_ar", Text), Column("lat", Float),
    Column("lon", Float), Column("precision", Integer), Column("admin1", Text),
    Column("country", Text), Column("gazetteer_id", Text),
    Column("place_feature", String(32)),
    Column("date", Date), Column("date_precision", String(8)),
    Column("fatalities", BigInteger), Column("fatalities_low", BigInteger),
    Column("fatalities_high", BigInteger),
    Column("status", String(16), nullable=False),
    Column("n_reports", Integer, nullable=False), Column("n_sources", Integer, nullable=False),
    Column("first_reported", Date), Column("updated_at", DateTime, nullable=False),
)
# The events a report may merge into (``Store.candidates``), found by index: of its family and
# dates, in the cells of a grid (a quarter of a degree: CELLS_PER_DEGREE) around its point;
# of the same gazetteer entry; or, for a place without precision, of the same name (partial:
# such places are few). PostgreSQL and SQLite both index the cell's expression.
CELLS_PER_DEGREE = 4
_LAT_CELL = literal_column(f"round(lat * {CELLS_PER_DEGREE})")
_LON_CELL = literal_column(f"round(lon * {CELLS_PER_DEGREE})")
_NO_PRECISION = events.c.precision.is_(None)
_MERGE_INDEXES = (
    Index("events_merge_cell", events.c.family, _LAT_CELL, _LON_CELL, events.c.date),
    Index("events_merge_gazetteer", events.c.gazetteer_id, events.c.family, events.c.date),
    Index("events_merge_name", events.c.family, events.c.place_name, events.c.date,
          sqlite_where=_NO_PRECISION, postgresql_where=_NO_PRECISION))
Index("events_latlon", events.c.lat, events.c.lon)

# What merging needs of an event's reports beyond its row (resolve.merge.merge_report: the
# reports of each kind and actor, the outlets, the stances...), written with the row, so that
# a report merges against it instead of reading every report of the event again.
event_summaries = Table(
    "event_summaries", metadata,
    Column("event_id", Text, primary_key=True), Column("summary", JSON, nullable=False),
    sqlite_with_rowid=False,
)

reports = Table(
    "reports", metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", Text, ForeignKey("events.id"), nullable=False, index=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False, index=True),
    Column("report_key", Text, nullable=False),  # the event id within its article
    Column("kind", String(32), nullable=False),
    Column("date", Date), Column("fatalities", BigInteger), Column("status", String(16)),
    Column("record", JSON, nullable=False),  # the Event as extracted, less claims and evidence
)

claims = Table(
    "claims", metadata,
    Column("id", Integer, primary_key=True),
    Column("report_id", Integer, ForeignKey("reports.id"), nullable=False, index=True),
    Column("event_id", Text, nullable=False, index=True),
    Column("document_id", Integer, nullable=False),
    Column("source", Text, nullable=False), Column("source_code", String(32)),
    Column("stance", String(16), nullable=False), Column("hedged", Boolean, default=False),
    Column("via", Text), Column("start", Integer), Column("end", Integer),
    Column("text", Text),
)

evidence = Table(
    "evidence", metadata,
    Column("id", Integer, primary_key=True),
    Column("report_id", Integer, ForeignKey("reports.id"), nullable=False, index=True),
    Column("event_id", Text, nullable=False, index=True),
    Column("document_id", Integer, nullable=False),
    Column("start", Integer), Column("end", Integer), Column("text", Text),
)

# The events on which sources disagree (resolve.contested), kept by the writer as reports
# merge, so that the claims page reads a few rows rather than every event of the store.
contested = Table(
    "contested", metadata,
    Column("event_id", Text, primary_key=True),
    Column("date", Date), Column("kinds", JSON, nullable=False),
)
Index("contested_date", contested.c.date, contested.c.event_id)

# Counts the writer keeps as articles and claims arrive: the outlets and the sources they cite
# (``Store.sources``), read without a pass over the documents and the claims.
outlet_counts = Table(
    "outlet_counts", metadata,
    Column("source", Text, primary_key=True),  # "" for articles without an outlet
    Column("articles", BigInteger, nullable=False),
)
cited_counts = Table(
    "cited_counts", metadata,
    Column("source", Text, primary_key=True), Column("code", Text, primary_key=True),  # "": none
    Column("stance", String(16), primary_key=True), Column("n", BigInteger, nullable=False),
)

# What the views of the whole store read, kept by the writer as events are written and merged
# (``Store._keep_views``), so that a view reads a few rows rather than every event:
# events and fatalities per day and kind (``per_day``, ``date_range``) ...
day_counts = Table(
    "day_counts", metadata,
    Column("date", Date, primary_key=True), Column("kind", String(32), primary_key=True),
    Column("events", BigInteger, nullable=False), Column("fatalities", BigInteger, nullable=False),
)
# ... the located events by place, names and point (``event_places``, ``extent_points``; ""
# where a name is missing) ...
place_counts = Table(
    "place_counts", metadata,
    Column("key", Text, primary_key=True),  # gazetteer id, else the place's name
    Column("name", Text, primary_key=True), Column("name_ar", Text, primary_key=True),
    Column("lat", Float, primary_key=True), Column("lon", Float, primary_key=True),
    Column("feature", String(32), primary_key=True),
    Column("events", BigInteger, nullable=False),  # events proper
    Column("holdings", BigInteger, nullable=False),  # statements of holding (STATE_KINDS)
)
# ... and each place's control timeline (resolve.control): its place, and its periods in order,
# each with the days on which ``Timeline.at`` answers it with a holder (first to last, open ends
# as date.min and date.max; NULL: never)
control_timelines = Table(
    "control_timelines", metadata,
    Column("key", Text, primary_key=True), Column("name", Text, nullable=False),
    Column("name_ar", Text), Column("lat", Float), Column("lon", Float),
    Column("precision", Integer),
    Column("version", String(32), nullable=False),  # new at every write (see _keep_timelines)
)
control_periods = Table(
    "control_periods", metadata,
    Column("key", Text, primary_key=True), Column("n", Integer, primary_key=True),
    Column("first_day", Date), Column("last_day", Date), Column("period", JSON, nullable=False),
)
Index("control_periods_days", control_periods.c.last_day, control_periods.c.first_day)

# The rows of each table (the events proper and the statements of holding apart), kept on
# SQLite by triggers as rows are inserted or deleted, whatever code writes them
# (``_v6_row_counts``), so that ``counts`` reads a few rows rather than every table.
row_counts = Table(
    "row_counts", metadata,
    Column("name", String(32), primary_key=True), Column("n", BigInteger, nullable=False),
)

# The names the events hold (of the actors on either side, of the places in either script, of
# the governorates) and how many times, kept by the writer (``_contributions``), so that a
# filter by part of a name matches these few thousand names, then reads the events of the
# names matched by index (schema 8; a LIKE over every event before): ``_conditions``.
event_names = Table(
    "event_names", metadata,
    Column("field", String(16), primary_key=True), Column("name", Text, primary_key=True),
    Column("n", BigInteger, nullable=False),
    sqlite_with_rowid=False,
)
NAMED = {"actor": ("actor1", "actor2"), "place": ("place_name",), "place_ar": ("place_name_ar",),
         "admin1": ("admin1",)}  # event_names.field -> the columns of events it names
# the events of a name (or code, or country) by index; and the articles of an outlet, the
# claims of a cited source
_NAME_INDEXES = (
    *(Index(f"events_{c}", events.c[c]) for c in ("actor1_code", "actor2_code", "place_name",
                                                  "place_name_ar", "country")),
    Index("events_admin1", events.c.admin1, events.c.country),  # (a governorate of a country)
    Index("documents_source", documents.c.source), Index("claims_source", claims.c.source))

TERRITORIAL = ("territory_control", "withdrawal", *sorted(STATE_KINDS))  # kinds of the timelines
_IS_TERRITORIAL = events.c.kind.in_(TERRITORIAL)
# the territorial events of a place, found by index (partial: the other events cost nothing)
_TERRITORIAL_INDEXES = (
    Index("events_territorial_gid", events.c.gazetteer_id, events.c.kind,
          sqlite_where=_IS_TERRITORIAL, postgresql_where=_IS_TERRITORIAL),
    Index("events_territorial_name", events.c.place_name,
          sqlite_where=_IS_TERRITORIAL, postgresql_where=_IS_TERRITORIAL))

# What a map's point shows of an event (``Store.points``: ``/api/points``).
POINT_COLUMNS = ("id", "lat", "lon", "kind", "family", "date", "fatalities", "status",
                 "place_name", "place_name_ar", "precision", "actor1", "actor2", "n_reports")
# What a filter's count, days, page and points read of each event's row (schema 10: all that
# its points show), copied where a filter reads its events in order: the index of each kind,
# those of the actors (``_order_indexes``) and ``event_sources``; so that the 50,000 points of
# a kind, an actor or an outlet are one range of one B-tree, not 50,000 rows of events read by
# their ids (0.4-0.5 s at a million events, 1.6 s when not yet in memory).
SOURCE_VALUES = ("date", *(c for c in POINT_COLUMNS if c not in ("id", "date")))

# The outlets that reported each event and the sources its claims cite (schema 9), with what a
# filter's count, days, page and points need of the event's row (``SOURCE_VALUES``), kept by the
# writer (``_keep_sources``), in the order of the lists: ``newest``, the date's day number
# negated (undated events last), then the event's id. An outlet's events are then a range of
# this table read alone, in order (they were read one by one by their ids to be counted, grouped
# or sorted: 2-4 s for a fifth of the store). One B-tree (SQLite: no rowid): each more the
# writer keeps costs it about 7%.
event_sources = Table(
    "event_sources", metadata,
    Column("name", Text, primary_key=True), Column("newest", Integer, primary_key=True),
    Column("event_id", Text, primary_key=True),
    *(Column(k, events.c[k].type, nullable=k != "kind") for k in SOURCE_VALUES),
    sqlite_with_rowid=False,
)


def _newest(day: dt.date | None) -> int:
    """``event_sources.newest`` of an event's date: ascending is newest first, undated last."""
    return 1 if day is None else -day.toordinal()

actors = Table(
    "actors", metadata,
    Column("name", Text, primary_key=True), Column("code", String(32)),
    Column("type", String(32)),
)

places = Table(
    "places", metadata,
    Column("key", Text, primary_key=True),  # gazetteer id, or the name when unknown
    Column("gazetteer_id", Text), Column("name", Text), Column("name_ar", Text),
    Column("lat", Float), Column("lon", Float), Column("admin1", Text),
    Column("country", Text), Column("feature", String(32)),
)

tolls = Table(
    "tolls", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False, index=True),
    Column("value", BigInteger, nullable=False), Column("category", String(16)),
    Column("approx", Boolean), Column("source", Text), Column("date", Date),
    Column("places", JSON), Column("start", Integer), Column("end", Integer), Column("text", Text),
)

ingest_errors = Table(
    "ingest_errors", metadata,
    Column("id", Integer, primary_key=True),
    Column("origin", Text, nullable=False), Column("reason", Text, nullable=False),
    Column("at", DateTime, nullable=False),
)

def _v2_url_not_unique(conn: Connection) -> None:
    """Schema 2: distinct articles may share a URL (documents.url loses its UNIQUE)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("ALTER TABLE documents DROP CONSTRAINT IF EXISTS documents_url_key"))
        conn.execute(text("CREATE INDEX IF NOT EXISTS ix_documents_url ON documents (url)"))
        return
    # SQLite cannot drop a constraint: the table is rebuilt (foreign keys are off meanwhile,
    # see Store._schema_lock), the other tables' references follow the name
    ddl = conn.execute(text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'documents'")).scalar_one()
    if "UNIQUE (url)" not in ddl:
        return
    ddl = re.sub(r'^CREATE TABLE "?documents"?', "CREATE TABLE documents_v2", ddl)
    ddl = re.sub(r",\s*UNIQUE \(url\)", "", ddl)
    conn.execute(text(ddl))
    conn.execute(text("INSERT INTO documents_v2 SELECT * FROM documents"))
    conn.execute(text("DROP TABLE documents"))
    conn.execute(text("ALTER TABLE documents_v2 RENAME TO documents"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_documents_url ON documents (url)"))


_IN_TABLES = frozenset({"claims", "evidence"})  # parts of a report's Event kept in tables
_EVENT_FIELDS = tuple(Event.model_fields)
_PENDING = "hadath_pending_reports"  # Connection.info key of the reports queued for writing
_NEW_EVENTS = "hadath_new_events"  # ... and of the new events (id -> row)
_TOUCHED = "hadath_touched_events"  # ... and of the events written or changed (id -> [before, now])
_SUMMARIES = "hadath_event_summaries"  # ... and of the summaries put (id -> summary)
_CLAIM_FIELDS = ("source", "source_code", "stance", "hedged", "via", "start", "end", "text")


def _complete(conn: Connection, rows: list[dict], evidence_where: Any, claims_where: Any
              ) -> list[dict]:
    """Report rows with their records made whole again: the claims and evidence of each, from
    their tables, in the order they were written (a record of a store before schema 3 holds
    its own copy, which is kept). ``evidence_where`` None: evidence left empty."""
    if not rows:
        return rows
    found: dict[int, dict[str, list]] = {}
    if evidence_where is not None:
        for r in conn.execute(select(evidence.c.report_id, evidence.c.start, evidence.c.end,
                                     evidence.c.text).where(evidence_where)
                              .order_by(evidence.c.id)):
            found.setdefault(r[0], {}).setdefault("evidence", []).append(
                {"start": r[1], "end": r[2], "text": r[3]})
    for r in conn.execute(select(claims.c.report_id, *(claims.c[k] for k in _CLAIM_FIELDS))
                          .where(claims_where).order_by(claims.c.id)):
        claim = dict(zip(_CLAIM_FIELDS, r[1:]))
        claim["hedged"] = bool(claim["hedged"])
        found.setdefault(r[0], {}).setdefault("claims", []).append(claim)
    for row in rows:
        rec = row["record"]
        if "claims" not in rec or "evidence" not in rec:
            parts = found.get(row["id"], {})
            rec = {**rec, "claims": parts.get("claims", []), "evidence": parts.get("evidence", [])}
            for k in _EVENT_FIELDS:
                rec.setdefault(k, None)  # written without its empty fields (see _record)
            row["record"] = rec
    return rows


def _record(ev: Event) -> _Json:
    """A report's record: the Event serialised once, by pydantic straight to JSON text, less
    its claims and evidence (in their tables) and its empty fields (``_complete`` puts both
    back)."""
    empty = {k for k in _EVENT_FIELDS if getattr(ev, k) is None}
    return _Json(ev.model_dump_json(exclude=_IN_TABLES | empty))


def _slim(record: dict) -> dict:
    """A record without what the store keeps elsewhere (claims, evidence) or not at all (None)."""
    return {k: v for k, v in record.items() if k not in _IN_TABLES and v is not None}


def _candidate(e: dict, p: dict) -> bool:
    """``candidates``' condition, on an event row not yet written."""
    if e["family"] != p["f"] or e["date"] is None or not p["lo"] <= e["date"] <= p["hi"]:
        return False
    if (p["gid"] is not None and e["gazetteer_id"] == p["gid"]) or (
            p["pname"] is not None and e["precision"] is None and e["place_name"] == p["pname"]):
        return True
    return e["lat"] is not None and e["lon"] is not None and \
        p["lat_lo"] <= e["lat"] <= p["lat_hi"] and p["lon_lo"] <= e["lon"] <= p["lon_hi"]


def _v3_reports_without_copies(conn: Connection) -> None:
    """Schema 3: a report's record no longer holds a copy of its claims and evidence (they
    are in their tables) nor its empty fields, and JSON is written as UTF-8 rather than as
    \\u escapes."""
    last = 0
    while True:
        batch = conn.execute(select(reports.c.id, reports.c.record).where(reports.c.id > last)
                             .order_by(reports.c.id).limit(2000)).all()
        if not batch:
            return
        conn.execute(update(reports).where(reports.c.id == bindparam("b_id")),
                     [{"b_id": rid, "record": _slim(rec)} for rid, rec in batch])
        last = batch[-1][0]


def _v3_contested(conn: Connection) -> None:
    """Schema 3: the events sources disagree on, which the writer keeps from now on, found
    once by a pass over the store."""
    from .resolve.contested import disagreements  # (the resolver reads the store: not at import)

    maybe = or_(events.c.status == "contested", events.c.n_reports >= 2)
    evs = {r.id: dict(r._mapping) for r in conn.execute(select(events).where(maybe))}
    blamed: dict[str, list] = {}
    for eid, rec in conn.execute(select(reports.c.event_id, reports.c.record).where(
            reports.c.event_id.in_(select(events.c.id).where(maybe))).order_by(reports.c.id)):
        blamed.setdefault(eid, []).append(rec.get("actor1"))
    rows = [{"event_id": eid, "date": ev["date"], "kinds": kinds} for eid, ev in evs.items()
            if (kinds := disagreements(ev, blamed.get(eid, [])))]
    conn.execute(contested.delete())
    if rows:
        conn.execute(insert(contested), rows)


def _v3_counts(conn: Connection) -> None:
    """Schema 3: the counts of outlets and cited sources, kept by the writer from now on,
    counted once."""
    conn.execute(outlet_counts.delete())
    conn.execute(cited_counts.delete())
    none = literal_column("''")  # one literal, so that the SELECT and GROUP BY read alike
    outlet = func.coalesce(documents.c.source, none)
    conn.execute(insert(outlet_counts).from_select(
        ["source", "articles"], select(outlet, func.count()).group_by(outlet)))
    code = func.coalesce(claims.c.source_code, none)
    conn.execute(insert(cited_counts).from_select(
        ["source", "code", "stance", "n"],
        select(claims.c.source, code, claims.c.stance, func.count())
        .group_by(claims.c.source, code, claims.c.stance)))


def _v4_views(conn: Connection) -> None:
    """Schema 4: the counts per day and per place and the control timelines, kept by the
    writer from now on, found once by a pass over the store (and the names of schema 8,
    which it keeps too)."""
    from .resolve.control import build_timelines  # (the resolver reads the store: not at import)

    for index in _TERRITORIAL_INDEXES:  # (create_all adds the indexes of new tables only)
        conn.execute(CreateIndex(index, if_not_exists=True))
    for t in (day_counts, place_counts, control_periods, control_timelines, event_names):
        conn.execute(t.delete())
    acc: dict[Table, dict[tuple, list[int]]] = {}
    for r in conn.execute(select(*(events.c[k] for k in _VIEW_COLUMNS))):
        _tally(acc, r._mapping, 1)
    for table, counts in acc.items():
        _count(conn, table, {k: tuple(v) for k, v in counts.items()})
    _write_timelines(conn, build_timelines(_territorial(conn)))


COUNTED = {"documents": documents, "reports": reports, "claims": claims, "tolls": tolls,
           "errors": ingest_errors}  # row_counts.name -> its table (and "events", "holdings")


def _v6_row_counts(conn: Connection) -> None:
    """Schema 6: on SQLite, the rows of each table, kept by triggers from now on
    (``row_counts``), counted once. (Not on PostgreSQL: there a trigger's update of one row,
    once per statement, leaves a chain of that row's versions that each later update of the
    transaction walks, and the writer's inserts are a statement a row; its counts are
    counted, by index.)"""
    if conn.dialect.name != "sqlite":
        return
    conn.execute(row_counts.delete())
    conn.execute(insert(row_counts), [{"name": k, "n": v} for k, v in _count_rows(conn).items()])
    held = "kind IN (%s)" % ", ".join(f"'{k}'" for k in sorted(STATE_KINDS))
    of = {name: (t.name, f"'{name}'") for name, t in COUNTED.items()}
    of["events"] = ("events", f"CASE WHEN {held} THEN 'holdings' ELSE 'events' END")
    for table, name in of.values():
        for op, row, sign in (("insert", "NEW", "+"), ("delete", "OLD", "-")):
            conn.execute(text(f"DROP TRIGGER IF EXISTS count_{table}_{op}"))
            conn.execute(text(f"CREATE TRIGGER count_{table}_{op} AFTER {op.upper()} ON {table} "
                              f"BEGIN UPDATE row_counts SET n = n {sign} 1 WHERE name = "
                              f"{name.replace('kind', f'{row}.kind')}; END"))
    # (rare: a merge that changes an event's kind across the two)
    conn.execute(text("DROP TRIGGER IF EXISTS count_events_kind"))
    conn.execute(text(f"CREATE TRIGGER count_events_kind AFTER UPDATE OF kind ON events WHEN "
                      f"(OLD.{held}) IS NOT (NEW.{held}) BEGIN UPDATE row_counts SET n = n + "
                      "CASE WHEN name = 'holdings' THEN 1 ELSE -1 END * "
                      f"CASE WHEN NEW.{held} THEN 1 ELSE -1 END WHERE name IN ('events', 'holdings'); END"))


def _count_rows(conn: Connection) -> dict[str, int]:
    """The rows of each table, counted (the events proper and the statements of holding apart)."""
    n = {name: conn.execute(select(func.count()).select_from(t)).scalar_one()
         for name, t in COUNTED.items()}
    n["holdings"] = conn.execute(select(func.count()).select_from(events).where(
        _IS_TERRITORIAL, events.c.kind.in_(tuple(STATE_KINDS)))).scalar_one()  # (by index)
    n["events"] = conn.execute(select(func.count()).select_from(events)).scalar_one() - n["holdings"]
    return n


# the columns of an event row a control timeline reads (resolve.control)
_TIMELINE_COLUMNS = ("id", "kind", "status", "actor1", "date", "first_reported", "place_name",
                     "place_name_ar", "gazetteer_id", "lat", "lon", "precision")
# ... and those the views kept by the writer read (see _contributions)
_VIEW_COLUMNS = ("id", "kind", "date", "fatalities", "gazetteer_id", "place_name", "place_name_ar",
                 "lat", "lon", "place_feature", "precision", "actor1", "actor2", "admin1")


def _contributions(ev: Any) -> Iterator[tuple[Table, tuple, tuple[int, int]]]:
    """What an event row counts for in the tables of counts: (table, key, values)."""
    if ev["date"] is not None:
        yield day_counts, (ev["date"], ev["kind"]), (1, ev["fatalities"] or 0)
    if ev["lat"] is not None and ev["lon"] is not None:
        key = ev["gazetteer_id"] if ev["gazetteer_id"] is not None else ev["place_name"]
        yield place_counts, (key or "", ev["place_name"] or "", ev["place_name_ar"] or "",
                             ev["lat"], ev["lon"], ev["place_feature"] or ""), \
            (0, 1) if ev["kind"] in STATE_KINDS else (1, 0)
    for field, cols in NAMED.items():
        for col in cols:
            if ev[col] is not None:
                yield event_names, (field, ev[col]), (1,)


def _tally(acc: dict[Table, dict[tuple, list[int]]], ev: Any, sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) what an event row counts for (None: nothing)."""
    if ev is None:
        return
    for table, key, values in _contributions(ev):
        got = acc.setdefault(table, {}).setdefault(key, [0] * len(values))
        for i, v in enumerate(values):
            got[i] += sign * v


def _upsert(conn: Connection, table: Table):
    """An INSERT of this connection's dialect, which can say what to do ON CONFLICT."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(table)


_UPSERTS: dict[tuple, Any] = {}
_INSERTS: dict[str, Any] = {}


def _upsert_rows(conn: Connection, table: Table, add: bool) -> _Lean:
    """INSERT ... ON CONFLICT (the primary key) DO UPDATE: the other columns added to (``add``)
    or replaced by the new row's; built once per dialect."""
    key = (conn.dialect.name, table.name, add)
    if key not in _UPSERTS:
        stmt = _upsert(conn, table).values(_row_binds(table))
        _UPSERTS[key] = _Lean(stmt.on_conflict_do_update(
            index_elements=list(table.primary_key.columns),
            set_={c.name: c + stmt.excluded[c.name] if add else stmt.excluded[c.name]
                  for c in table.columns if not c.primary_key}))
    return _UPSERTS[key]


def _insert_rows(conn: Connection, table: Table, rows: list[dict], ids: bool = False
                 ) -> list[int]:
    """INSERT these rows (a value for every column but an integer ``id``, which the database
    numbers) in one executemany; or, with ``ids``, their ids in order: on SQLite row by row
    (its RETURNING keeps no order), elsewhere by SQLAlchemy's batches, ordered by a sentinel."""
    if ids and conn.dialect.name != "sqlite":
        return list(conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True),
                                 rows).scalars())
    if table.name not in _INSERTS:
        _INSERTS[table.name] = _Lean(insert(table).values(_row_binds(table)))
    return _INSERTS[table.name].run_many(conn, rows, ids)


def _row_binds(table: Table) -> dict[str, Any]:
    """A value by name for each column of a row, but an integer ``id`` the database numbers."""
    return {c.name: bindparam(c.name) for c in table.columns
            if not (c.name == "id" and isinstance(c.type, Integer))}


def _count(conn: Connection, table: Table, counts: dict[tuple, Any]) -> None:
    """Add ``counts`` (primary key -> a number, or a tuple of numbers: the table's other columns
    in order) to a table of counts; rows that fall to zero are deleted."""
    if not counts:
        return
    keys = [c.name for c in table.primary_key.columns]
    cols = [c.name for c in table.columns if not c.primary_key]
    _upsert_rows(conn, table, add=True).run_many(
        conn, [{**dict(zip(keys, k)), **dict(zip(cols, n if isinstance(n, tuple) else (n,)))}
               for k, n in counts.items()])
    fallen = [dict(zip(keys, k)) for k, n in counts.items()
              if min(n if isinstance(n, tuple) else (n,)) < 0]
    if fallen:
        conn.execute(table.delete().where(*(table.c[k] == bindparam(k) for k in keys),
                                          *(table.c[c] == 0 for c in cols)), fallen)


def _keep_views(conn: Connection, memo: dict) -> None:
    """Bring the counts and timelines the writer keeps up to date with the events this
    transaction wrote or changed since the last call (their reports and claims written)."""
    touched = conn.info.pop(_TOUCHED, None)
    if not touched:
        return
    acc: dict[Table, dict[tuple, list[int]]] = {}
    for before, now in touched.values():
        _tally(acc, before, -1)
        _tally(acc, now, 1)
    for table, counts in acc.items():
        _count(conn, table, {k: tuple(v) for k, v in counts.items() if any(v)})
    _keep_timelines(conn, [r for pair in touched.values() for r in pair if r is not None], memo)


def _keep_sources(conn: Connection, touched: dict | None, sources: dict[str, set]) -> None:
    """Bring ``event_sources`` up to date with the events this transaction wrote or changed
    since the last call (``touched``: id -> [row before or None, row now]) and the outlets
    and cited sources of their reports just written (``sources``: id -> names): the rows of
    an event whose values changed moved and rewritten, its new names added."""
    changed = {eid: pair for eid, pair in (touched or {}).items() if pair[0] is not None
               and any(pair[0][k] != pair[1][k] for k in SOURCE_VALUES)}
    moves = [{"b_name": name, "b_newest": _newest(changed[eid][0]["date"]), "b_id": eid,
              **_source_values(changed[eid][1])}
             for eid, name in conn.execute(_SOURCES_OF, {"ids": list(changed)})] if changed else []
    rows = [{"name": name, "event_id": eid, **_source_values(touched[eid][1])}
            for eid, names in sources.items() for name in names]
    for stmt, todo in ((_SOURCES_MOVE, moves), (_sources_insert(conn), rows)):
        if todo:
            stmt.run_many(conn, todo)


def _source_values(row: dict) -> dict:
    """What ``event_sources`` holds of an event's row."""
    return {"newest": _newest(row["date"]), **{k: row[k] for k in SOURCE_VALUES}}


def _sources_insert(conn: Connection) -> _Lean:
    """INSERT rows of ``event_sources``, those it holds already left as they are (built once
    per dialect)."""
    key = (conn.dialect.name, "event_sources")
    if key not in _UPSERTS:
        _UPSERTS[key] = _Lean(_upsert(conn, event_sources).values(_row_binds(event_sources))
                              .on_conflict_do_nothing())
    return _UPSERTS[key]


MEMO_TIMELINE_EVENTS = 20_000  # territorial events whose timelines a writer keeps in memory


def _keep_timelines(conn: Connection, rows: list[Any], memo: dict) -> None:
    """Build again the control timelines of the places of these event rows (before and after
    a change) that are territorial, and write what changed. A timeline's events are kept in
    ``memo`` from the last time this writer wrote it, while the stored version is the one it
    wrote (another writer, or a rolled-back write, changes it); else they are read."""
    from .resolve.control import build_timelines, timeline_key

    rows = [r for r in rows if r["kind"] in TERRITORIAL and r["place_name"] is not None]
    if not rows:
        return
    kept = memo.setdefault("timelines", {})  # key -> (version, events in order, Timeline, rows)
    keys = {timeline_key(r) for r in rows}
    stored = dict(conn.execute(_VERSIONS, {"keys": list(keys)}).all())
    # known: the events of a timeline this writer wrote last, or of one not stored (it has
    # none but those of this transaction)
    known = {k: kept[k][1] if k in stored else [] for k in keys
             if k not in stored or (k in kept and kept[k][0] == stored[k])}
    ids = {r["id"] for r in rows}
    evs = {k: [e for e in known[k] if e["id"] not in ids] for k in known}
    for e in _territorial(conn, "id", ids):
        if timeline_key(e) in known:
            evs[timeline_key(e)].append(e)
    evs |= _timeline_events(conn, [r for r in rows if timeline_key(r) not in known])
    version = uuid.uuid4().hex
    places, tails = [], []  # rows of control_timelines; (key, first period changed, rows)
    for key in keys:
        ordered = sorted(evs.get(key, []), key=_in_order)
        entry = kept.pop(key, None)
        before = (None, []) if key not in stored else entry[2:] if key in known else None
        tl = build_timelines(ordered).get(key)
        place, periods = _timeline_rows(key, tl, version, before) if tl is not None else (None, [])
        start = 0 if before is None else next(
            (n for n, (a, b) in enumerate(zip(before[1], periods)) if a is not b),
            min(len(before[1]), len(periods)))
        tails.append((key, start, periods[start:]))
        if place is not None:
            places.append(place)
            kept[key] = (version, ordered, tl, periods)
    _store_timelines(conn, keys - {p["key"] for p in places}, places, tails)
    while sum(len(v[1]) for v in kept.values()) > MEMO_TIMELINE_EVENTS:
        del kept[next(iter(kept))]  # the least recently written first


def _store_timelines(conn: Connection, gone: set[str], places: list[dict],
                     tails: list[tuple[str, int, list[dict]]]) -> None:
    """Write control timelines: delete those ``gone``, replace the rows of the others'
    places, and their periods from the first that changed on."""
    if gone:
        conn.execute(control_timelines.delete().where(control_timelines.c.key.in_(gone)))
    if places:
        _upsert_rows(conn, control_timelines, add=False).run_many(conn, places)
    _DELETE_PERIODS_FROM.run_many(conn, [{"b_key": key, "b_n": start} for key, start, _ in tails])
    rows = [p for _, _, periods in tails for p in periods]
    if rows:
        _insert_rows(conn, control_periods, rows)


def _in_order(ev: dict) -> tuple:
    """The order of ``_territorial``: date, then first reported (both nulls last), then the
    event's first report."""
    return (ev["date"] is None, ev["date"] or dt.date.min, ev["first_reported"] is None,
            ev["first_reported"] or dt.date.min, ev["first_report"])


def _timeline_events(conn: Connection, rows: list[Any]) -> dict[str, list[dict]]:
    """The territorial events of the timelines of these event rows, read whole, by key."""
    from .resolve.control import timeline_key

    keys = {timeline_key(r) for r in rows}
    out: dict[str, list[dict]] = {}
    for where, named in ((events.c.gazetteer_id, False), (events.c.place_name, True)):
        found = {r[where.name] for r in rows if bool(r["gazetteer_id"]) != named}
        for e in _territorial(conn, where.name, found) if found else ():
            key = timeline_key(e)  # (by name: only the "name:" timelines are whole)
            if key in keys and key.startswith("name:") == named:
                out.setdefault(key, []).append(e)
    return out


def _timeline_rows(key: str, tl: Any, version: str, before: tuple | None = None
                   ) -> tuple[dict, list[dict]]:
    """A timeline's row of ``control_timelines`` and its rows of ``control_periods``; those
    of ``before`` (the timeline as last written, and its rows) kept where they are the same."""
    old, rows = before if before is not None and before[0] is not None else (None, [])
    days = {n: (first or dt.date.min, last or dt.date.max) for n, first, last in tl.spans()}
    out = []
    for n, p in enumerate(tl.periods):
        first, last = days.get(n, (None, None))
        same = n < len(rows) and rows[n]["first_day"] == first and rows[n]["last_day"] == last \
            and old.periods[n] == p
        out.append(rows[n] if same else dict(key=key, n=n, first_day=first, last_day=last,
                                             period=p.as_dict()))
    return (dict(key=key, name=tl.name, name_ar=tl.name_ar, lat=tl.lat, lon=tl.lon,
                 precision=tl.precision, version=version), out)


def _write_timelines(conn: Connection, tls: dict) -> None:
    """Store control timelines (resolve.control.Timeline, by key) not stored yet."""
    version = uuid.uuid4().hex
    rows = [_timeline_rows(key, tl, version) for key, tl in tls.items()]
    for table, values in ((control_timelines, [r[0] for r in rows]),
                          (control_periods, [p for r in rows for p in r[1]])):
        if values:
            conn.execute(insert(table), values)


def _territorial(conn: Connection, by: str | None = None, values: Iterable = ()) -> list[dict]:
    """Territorial events (TERRITORIAL kinds; the columns timelines read, and the id of their
    first report), all or those whose column ``by`` is one of ``values``, with their claims,
    oldest first (and, on one day, in the order they were first reported: see ``_in_order``)."""
    rows = [dict(r._mapping) for r in conn.execute(_TERRITORIAL[by], {"v": list(values)})]
    by_event: dict[str, list[dict]] = {}
    ids = [r["id"] for r in rows]
    for k in range(0, len(ids), 5000):
        for c in conn.execute(_TERRITORIAL_CLAIMS, {"ids": ids[k:k + 5000]}):
            by_event.setdefault(c.event_id, []).append(dict(c._mapping))
    for r in rows:
        r["claims"] = by_event.get(r["id"], [])
    return rows


class _Json(str):
    """A JSON column's value serialised already (``_json_text`` writes it as it is)."""


_ANY = TypeAdapter(Any)


def json_bytes(value: Any) -> bytes:
    """JSON of any value as FastAPI writes it (dates as ISO strings, UTF-8, compact), by
    pydantic's encoder: a large value in a fraction of the time ``json.dumps`` takes."""
    return _ANY.dump_json(value)


def _as_json(value: Any) -> _Json:
    """A value as JSON text (``json_bytes``), for a JSON column."""
    return _Json(json_bytes(value).decode())


def _json_text(value: Any) -> str:
    """JSON columns as UTF-8 text: Arabic as itself, not six bytes of escape per letter."""
    return value if isinstance(value, _Json) else json.dumps(value, ensure_ascii=False)


def _order_indexes(conn: Connection) -> None:
    """The order of every list, newest first, read from an index (not sorted per request): of
    all events, and (schema 7) of each kind's, so that the map's kind filter reads its events
    by index (its count, points and days: a pass over every event before; schema 10: with
    ``SOURCE_VALUES``, the index alone)."""
    nulls = " NULLS LAST" if conn.dialect.name == "postgresql" else ""  # SQLite: NULL is least

    def values(first: str) -> str:  # (what the index holds after its order)
        return ", ".join(k for k in SOURCE_VALUES if k not in (first, "date"))

    conn.execute(text(f"CREATE INDEX IF NOT EXISTS events_newest ON events (date DESC{nulls}, id)"))
    conn.execute(text(f"CREATE INDEX IF NOT EXISTS events_kind_newest ON events "
                      f"(kind, date DESC{nulls}, id, {values('kind')})"))
    # (schema 8) the contested events in the claims page's order: a deep page walks it (and
    # PostgreSQL joined every event to sort them)
    conn.execute(text(f"CREATE INDEX IF NOT EXISTS contested_newest ON contested "
                      f"(date DESC{nulls}, event_id)"))
    # (schema 8) the events of each actor (schema 9: newest first, with what a filter reads of
    # them, ``SOURCE_VALUES``, and the other side: an actor's count and days read these alone;
    # schema 10: of the events that name one, as a filter reads them: a quarter of the events
    # name no actor1, two thirds no actor2)
    for c in ("actor1", "actor2"):
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS events_{c} ON events ({c}, date DESC{nulls}, "
                          f"id, {values(c)}) WHERE {c} IS NOT NULL"))
    if conn.dialect.name == "postgresql":  # (schema 10) ``event_sources`` in its order with
        # its values, as SQLite's table without rowid is: an outlet's rows read from the index
        # alone (a fifth of the store's events were 16,000 pages of the table, 0.5 s)
        conn.execute(text("CREATE INDEX IF NOT EXISTS event_sources_values ON event_sources "
                          f"(name, newest, event_id) INCLUDE ({', '.join(SOURCE_VALUES)})"))


def _v5_merge_indexes(conn: Connection) -> None:
    """Schema 5: merge candidates by grid cell, gazetteer entry or name (the indexes of family
    and date and of the gazetteer entry alone go). The summaries merging reads are written
    from now on; an event stored without one is summarised from its reports when a report
    next merges into it."""
    for name in ("events_family_date", "events_gazetteer"):
        conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
    for index in _MERGE_INDEXES:  # (create_all adds the indexes of new tables only)
        conn.execute(CreateIndex(index, if_not_exists=True))


def _v8_event_names(conn: Connection) -> None:
    """Schema 8: the names the events hold (``event_names``), kept by the writer from now on,
    counted once; and the indexes that read the events of a name (``_NAME_INDEXES``)."""
    for index in _NAME_INDEXES:  # (create_all adds the indexes of new tables only)
        conn.execute(CreateIndex(index, if_not_exists=True))
    conn.execute(event_names.delete())
    for field, cols in NAMED.items():
        held = union_all(*(select(events.c[c].label("name")).where(events.c[c].is_not(None))
                           for c in cols)).subquery()
        conn.execute(insert(event_names).from_select(
            ["field", "name", "n"],
            select(literal(field, String), held.c.name, func.count()).group_by(held.c.name)))


def _v9_event_sources(conn: Connection) -> None:
    """Schema 9: the outlets and cited sources of each event (``event_sources``), kept by the
    writer from now on, found once; the indexes of the actors made to hold what a filter reads
    (``_order_indexes``)."""
    conn.execute(event_sources.delete())
    named = union(select(reports.c.event_id, documents.c.source.label("name"))
                  .join(documents, documents.c.id == reports.c.document_id)
                  .where(documents.c.source.is_not(None)),
                  select(claims.c.event_id, claims.c.source)).subquery()
    e = events.c
    day = (func.julianday(e.date) - 1721424.5 if conn.dialect.name == "sqlite"
           else e.date - literal(dt.date(1, 1, 1)) + 1)  # (date.toordinal)
    conn.execute(insert(event_sources).from_select(
        ["name", "newest", "event_id", *SOURCE_VALUES],
        select(named.c.name, func.coalesce(-cast(day, Integer), 1), named.c.event_id,
               *(e[k] for k in SOURCE_VALUES)).join(events, e.id == named.c.event_id)))
    for c in ("actor1", "actor2"):
        conn.execute(text(f"DROP INDEX IF EXISTS events_{c}"))
    _order_indexes(conn)


def _v10_points_in_order(conn: Connection) -> None:
    """Schema 10: all that a map's point shows of an event (``SOURCE_VALUES``) held by the
    index of its kind, those of its actors and ``event_sources``: the columns this table lacks
    added and filled (by schema 9's pass, which makes the actors' indexes again; the kind's is
    made again with the others after the migrations)."""
    have = {c["name"] for c in inspect(conn).get_columns("event_sources")}
    missing = [k for k in SOURCE_VALUES if k not in have]
    for k in missing:
        conn.execute(text(f"ALTER TABLE event_sources ADD COLUMN {k} "
                          f"{event_sources.c[k].type.compile(conn.dialect)}"))
    conn.execute(text("DROP INDEX IF EXISTS events_kind_newest"))  # (made again after migrating)
    if missing:  # (a store of schema 8 or less: schema 9 made this table whole)
        _v9_event_sources(conn)


# Migrations: SCHEMA_VERSION n is reached by running MIGRATIONS[n] (SQL statements, or
# functions of a connection) on a store at n - 1.
MIGRATIONS: dict[int, list] = {2: [_v2_url_not_unique],
                               3: [_v3_reports_without_copies, _v3_contested, _v3_counts],
                               4: [_v4_views], 5: [_v5_merge_indexes], 6: [_v6_row_counts],
                               7: [_order_indexes], 8: [_v8_event_names],
                               9: [_v9_event_sources], 10: [_v10_points_in_order]}


def db_url(db: str | Path | None) -> str:
    """A SQLAlchemy URL from --db, HADATH_DB, or the default file in the current folder."""
    value = str(db or os.environ.get("HADATH_DB") or DEFAULT_DB)
    for plain in ("postgresql://", "postgres://"):  # psycopg 3 is the driver hadath installs
        if value.startswith(plain):
            return "postgresql+psycopg://" + value[len(plain):]
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def content_hash(text_: str) -> str:
    """The identity of an article's text: whitespace-insensitive SHA-256."""
    return hashlib.sha256(" ".join(text_.split()).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class EventFilter:
    """Filters of ``hadath events`` and the API."""

    since: dt.date | None = None
    until: dt.date | None = None
    place: str | None = None
    near: tuple[float, float] | None = None
    km: float = 25.0
    kind: str | None = None
    actor: str | None = None
    source: str | None = None
    status: str | None = None


def parse_near(value: str) -> tuple[float, float]:
    """``"LAT,LON"`` as a point; ValueError (with the reason) when it is not one."""
    try:
        lat, lon = (float(x) for x in value.split(","))
    except ValueError:
        raise ValueError(f"takes LAT,LON, not {value!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"{value}: coordinates out of range")
    return lat, lon


class Store:
    """One event store (a SQLite file or a database URL)."""

    def __init__(self, db: str | Path | None = None, read_only: bool = False) -> None:
        """Open (and, unless ``read_only``, create or upgrade) a store.

        ``read_only`` opens it for reading only (SQLite: ``mode=ro``, else ``immutable``), so
        that a store on read-only storage can be read; it must exist. A store that cannot be
        opened is a StoreError saying which: missing, not a database, not a hadath store, not
        writable, or not reachable.
        """
        self.url = db_url(db)
        self.read_only = read_only
        self._seen_actors: set[str] = set()
        self._seen_places: set[str] = set()
        # what the writer keeps of rows it wrote (the control timelines' events), dropped with
        # them by ``forget``
        self.memo: dict[str, Any] = {}
        path = _sqlite_file(self.url)
        if path is not None:
            problem = _sqlite_problem(path, read_only)
            if problem:
                raise StoreError(problem)
        self.engine = self._engine(_read_only_url(path) if path is not None and read_only else self.url)
        try:
            self._check() if read_only else self._migrate()
        except StoreError:
            raise
        except Exception as exc:  # noqa: BLE001 - said as one of the reasons below
            if path is not None and read_only and _storage_read_only(exc):
                # no -shm can be made beside it (read-only storage): read the file as it is
                self.engine = self._engine(_read_only_url(path, immutable=True))
                try:
                    self._check()
                except Exception as again:  # noqa: BLE001
                    raise StoreError(_why(self.url, path, again, read_only)) from None
            else:
                raise StoreError(_why(self.url, path, exc, read_only)) from None
        if read_only and self.schema_version() < SCHEMA_VERSION:
            self._upgrade_to_read()
        self.postgis = self._spatial_index()

    def _upgrade_to_read(self) -> None:
        """A store of an older schema, opened to be read: upgraded once, as a command that
        writes would upgrade it (its views read what the newer schema keeps)."""
        try:
            Store(self.url).engine.dispose()
        except StoreError as exc:
            raise StoreError(f"{_hide_password(self.url)} has the schema of an older hadath, "
                             f"which must be upgraded once before it is read, and it cannot be "
                             f"written here ({exc}); copy it to storage that can be written and "
                             "open it there once") from None

    def _engine(self, url: str) -> Engine:
        try:
            engine = create_engine(url, future=True, json_serializer=_json_text)
        except ModuleNotFoundError as exc:
            raise StoreError(f"cannot open the store {_hide_password(self.url)}: {exc.name} is not "
                             "installed (pip install 'hadath[postgres]')") from None
        except Exception as exc:  # a malformed URL
            raise StoreError(f"cannot open the store {_hide_password(self.url)}: {exc}") from None
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas_read if self.read_only else _sqlite_pragmas)
        return engine

    def _check(self) -> None:
        """A store opened read-only: it must be a hadath store this hadath can read."""
        with self.engine.connect() as conn:
            version = conn.execute(select(meta_table.c.value)
                                   .where(meta_table.c.key == "schema_version")).scalar()
        if version is None:
            raise StoreError(f"{_hide_password(self.url)} is a database, but not a hadath store")
        if int(version) > SCHEMA_VERSION:
            raise StoreError(f"{_hide_password(self.url)} has schema {version}; this hadath knows "
                             f"up to {SCHEMA_VERSION}: upgrade hadath")

    def forget(self) -> None:
        """Drop what this object remembers of the store's rows (after a rolled-back write)."""
        self._seen_actors.clear()
        self._seen_places.clear()
        self.memo.clear()

    # --- schema -----------------------------------------------------------------------------

    @contextmanager
    def _schema_lock(self) -> Iterator[Connection]:
        """A transaction that holds the store's schema lock, so that two processes creating
        or upgrading one store at once take turns (SQLite: BEGIN IMMEDIATE, the database's
        write lock; PostgreSQL: a transaction-level advisory lock)."""
        sqlite = self.engine.dialect.name == "sqlite"
        with self.engine.connect() as conn:
            if sqlite:
                # foreign keys off (only possible outside a transaction) while a migration
                # rebuilds a table; checked before the commit
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            elif self.engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SCHEMA_LOCK})
            try:
                yield conn
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                    if broken is not None:
                        raise StoreError(f"{self.url}: the upgrade would break a reference "
                                         f"({tuple(broken)})")
                conn.commit()
            finally:
                if sqlite:
                    conn.rollback()
                    conn.exec_driver_sql("PRAGMA foreign_keys=ON")

    def _migrate(self) -> None:
        for attempt in range(5):
            try:
                return self._migrate_once()
            except StoreError:
                raise
            except Exception as exc:  # noqa: BLE001 - a race lost to another process: again
                if attempt == 4 or not _lost_race(exc):
                    raise
                time.sleep(0.1 * (attempt + 1))

    def _migrate_once(self) -> None:
        with self._schema_lock() as conn:
            metadata.create_all(conn)
            row = conn.execute(select(meta_table.c.value).where(meta_table.c.key == "schema_version")).first()
            version = int(row[0]) if row else 0
            if version == 0:
                conn.execute(insert(meta_table).values(key="schema_version", value=str(SCHEMA_VERSION)))
                _order_indexes(conn)
                _v6_row_counts(conn)  # (the counts of an empty store, and their triggers)
                return
            if version > SCHEMA_VERSION:
                raise StoreError(f"{self.url} has schema {version}; this hadath knows up to "
                                 f"{SCHEMA_VERSION}: upgrade hadath")
            for v in range(version + 1, SCHEMA_VERSION + 1):
                for step in MIGRATIONS.get(v, []):
                    step(conn) if callable(step) else conn.execute(text(step))
                conn.execute(update(meta_table).where(meta_table.c.key == "schema_version")
                             .values(value=str(v)))
            _order_indexes(conn)  # (where missing: after the migrations add what they hold)

    def _spatial_index(self) -> bool:
        """On PostgreSQL with PostGIS, a GiST index of event points for ``--near``; elsewhere
        the (lat, lon) index answers a bounding box. Returns whether PostGIS is used."""
        if self.engine.dialect.name != "postgresql":
            return False
        if self.read_only:
            with self.engine.connect() as conn:
                return conn.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")
                                    ).first() is not None
        with self._schema_lock() as conn:
            installed = conn.execute(text(
                "SELECT 1 FROM pg_extension WHERE extname = 'postgis'")).first() is not None
            if not installed:
                available = conn.execute(text(
                    "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")).first()
                if available is None:
                    return False
                try:
                    with conn.begin_nested():
                        conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
                except Exception:  # no right to create it: the bounding box will do
                    return False
            conn.execute(text(f"CREATE INDEX IF NOT EXISTS events_geog ON events USING gist ({_GEOG})"))
        return True

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(meta_table.c.value)
                                    .where(meta_table.c.key == "schema_version")).scalar_one())

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction: ``with store.transaction() as conn: ...`` (commits on success).

        Writers take the store's write lock first (SQLite: the database's RESERVED lock, by a
        first write; PostgreSQL: a transaction-level advisory lock), so two ingests into one
        store interleave whole batches and each batch sees every earlier one: an article
        stored by one is a duplicate to the other, and reports of one event merge, never
        doubled. Readers are never blocked.
        """
        with self.engine.begin() as conn:
            if self.engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK})
            else:
                conn.execute(_TAKE_LOCK)
            try:
                yield conn
                self.flush(conn)
            finally:  # a rolled-back transaction's queues go with it
                conn.info.pop(_PENDING, None)
                conn.info.pop(_NEW_EVENTS, None)
                conn.info.pop(_TOUCHED, None)
                conn.info.pop(_SUMMARIES, None)

    # --- documents --------------------------------------------------------------------------

    def known(self, conn: Connection, hash_: str, url: str | None = None) -> bool:
        """Whether an article with this text (whitespace aside) is already in the store.
        (Distinct articles may share a URL: a live page, a feed's one link for many items.)"""
        return conn.execute(_BY_HASH, {"h": hash_}).first() is not None

    def add_documents(self, conn: Connection, docs: list[dict]) -> list[int | None]:
        """Store many articles (rows of ``documents`` less ``ingested_at``) in one statement:
        their ids, in order; None for an article whose text is stored already or repeats one
        earlier in the list. Called inside a write transaction, which holds the store's write
        lock: what the check reads cannot change before the insert."""
        if not docs:
            return []
        hashes = [d["content_hash"] for d in docs]
        stored = {r[0] for r in conn.execute(select(documents.c.content_hash).where(
            documents.c.content_hash.in_(set(hashes))))}
        first: dict[str, int] = {}
        for k, h in enumerate(hashes):
            if h not in stored and h not in first:
                first[h] = k
        now = _now()
        fresh = [{**docs[k], "ingested_at": now} for k in first.values()]
        ids = _insert_rows(conn, documents, fresh, ids=True) if fresh else []
        _count(conn, outlet_counts, Counter((d["source"] or "",) for d in fresh))
        by_hash = dict(zip(first, ids))
        return [by_hash[h] if first.get(h) == k else None for k, h in enumerate(hashes)]

    def record_error_in(self, conn: Connection, origin: str, reason: str) -> None:
        conn.execute(insert(ingest_errors), dict(origin=origin, reason=reason, at=_now()))

    def errors(self, limit: int = 1000) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(ingest_errors).order_by(ingest_errors.c.id.desc()).limit(limit))
            return [dict(r._mapping) for r in rows]

    # --- events and reports -----------------------------------------------------------------

    def candidates(self, conn: Connection, family: str, lo: dt.date, hi: dt.date,
                   place: Any = None, km: float = 25.0, document_id: int | None = None
                   ) -> list[dict]:
        """Merged events of a family whose date falls in [lo, hi] and whose place could agree
        with ``place`` (the same gazetteer entry, the same name where neither has a precision,
        or a point within ``km``): the events a report may merge into, found by index (see
        _MERGE_INDEXES), however large the store. Each row is the event's row (what merging
        compares, see ``resolve.merge.compatible``, and merges into), with ``reported_by``:
        whether document ``document_id`` reported it (its queued reports included)."""
        p = {"f": family, "lo": lo, "hi": hi, "gid": None, "pname": None, "doc": document_id,
             "lat_lo": 1.0, "lat_hi": 0.0, "lon_lo": 1.0, "lon_hi": 0.0}  # empty box: no point
        cells: tuple[list[int], list[int]] = ([], [])
        if place is not None:
            p.update(gid=place.gazetteer_id, pname=place.name if place.precision is None else None)
            if place.lat is not None and place.lon is not None:
                dlat = km / 110.0
                dlon = km / max(1e-6, 110.0 * _cos(place.lat))
                p.update(lat_lo=place.lat - dlat, lat_hi=place.lat + dlat,
                         lon_lo=place.lon - dlon, lon_hi=place.lon + dlon)
                cells = (_cells(p["lat_lo"], p["lat_hi"]), _cells(p["lon_lo"], p["lon_hi"]))
                p.update({f"lat{i}": c for i, c in enumerate(cells[0])})
                p.update({f"lon{i}": c for i, c in enumerate(cells[1])})
        query = _candidates_query(len(cells[0]), len(cells[1]), p["gid"] is not None,
                                  p["pname"] is not None)
        rows = list({r["id"]: r for r in query.run(conn, p)}.values()) if query is not None else []
        rows += [{**e, "reported_by": False}
                 for e in conn.info.get(_NEW_EVENTS, {}).values() if _candidate(e, p)]
        if rows and document_id is not None:
            queued = {eid for eid, doc, *_ in conn.info.get(_PENDING, ()) if doc == document_id}
            for r in rows:
                r["reported_by"] = bool(r["reported_by"]) or r["id"] in queued
        return rows

    def add_report(self, conn: Connection, event_id: str, document_id: int, ev: Event) -> None:
        """Store one report of a merged event now (see queue_report for many)."""
        self.queue_report(conn, event_id, document_id, ev)
        self.flush(conn)

    def queue_report(self, conn: Connection, event_id: str, document_id: int, ev: Event,
                     published: dt.date | None = None, outlet: str | None = None) -> None:
        """Keep a report of a merged event to be written with the others of this transaction
        (at its end, or at ``flush``): one INSERT of many rows per table instead of several
        statements per report. ``candidates`` sees it meanwhile."""
        conn.info.setdefault(_PENDING, []).append((event_id, document_id, ev, published, outlet))

    def flush(self, conn: Connection) -> None:
        """Write the queued events and reports: the reports' rows, claims and evidence (each
        record serialised once, without the claims and evidence its tables hold), the actors
        and places not seen before; then the counts and timelines the views read."""
        new_events = conn.info.pop(_NEW_EVENTS, None)
        if new_events:
            _insert_rows(conn, events, list(new_events.values()))
        summaries = conn.info.pop(_SUMMARIES, None)
        if summaries:
            _upsert_rows(conn, event_summaries, add=False).run_many(
                conn, [{"event_id": k, "summary": _as_json(v)} for k, v in summaries.items()])
        touched = conn.info.get(_TOUCHED)
        sources = self._write_reports(conn, conn.info.pop(_PENDING, None))
        _keep_views(conn, self.memo)
        _keep_sources(conn, touched, sources)

    def _write_reports(self, conn: Connection, queued: list[tuple] | None) -> dict[str, set]:
        """Write the queued reports; the outlets and cited sources of each event they are of."""
        if not queued:
            return {}
        ids = _insert_rows(conn, reports, [dict(
            event_id=eid, document_id=doc, report_key=ev.id, kind=ev.kind, date=ev.date,
            fatalities=ev.fatalities, status=ev.status, record=_record(ev))
            for eid, doc, ev, _, _ in queued], ids=True)
        claim_rows = [dict(report_id=rid, event_id=eid, document_id=doc, source=c.source,
                           source_code=c.source_code, stance=c.stance, hedged=c.hedged,
                           via=c.via, start=c.start, end=c.end, text=c.text)
                      for rid, (eid, doc, ev, _, _) in zip(ids, queued) for c in ev.claims]
        if claim_rows:
            _insert_rows(conn, claims, claim_rows)
            _count(conn, cited_counts, Counter(
                (c["source"], c["source_code"] or "", c["stance"]) for c in claim_rows))
        evidence_rows = [dict(report_id=rid, event_id=eid, document_id=doc, start=e.start,
                              end=e.end, text=e.text)
                         for rid, (eid, doc, ev, _, _) in zip(ids, queued) for e in ev.evidence]
        if evidence_rows:
            _insert_rows(conn, evidence, evidence_rows)
        self._remember(conn, [ev for _, _, ev, _, _ in queued])
        sources: dict[str, set] = {}
        for eid, _, ev, _, outlet in queued:
            named = sources.setdefault(eid, set())
            named.update(c.source for c in ev.claims)
            if outlet is not None:
                named.add(outlet)
        return sources

    def _remember(self, conn: Connection, evs: list[Event]) -> None:
        """Add the actors and places of these reports that the store does not hold yet."""
        new_actors: dict[str, dict] = {}
        for ev in evs:
            for name, code, type_ in ((ev.actor1, ev.actor1_code, ev.actor1_type),
                                      (ev.actor2, ev.actor2_code, ev.actor2_type)):
                if name and name not in self._seen_actors and name not in new_actors:
                    new_actors[name] = dict(name=name, code=code, type=type_)
        new_places: dict[str, dict] = {}
        for ev in evs:
            p = ev.place
            key = (p.gazetteer_id or f"name:{p.name}") if p is not None else None
            if key is not None and key not in self._seen_places and key not in new_places:
                new_places[key] = dict(key=key, gazetteer_id=p.gazetteer_id, name=p.name,
                                       name_ar=p.name_ar, lat=p.lat, lon=p.lon, admin1=p.admin1,
                                       country=p.country, feature=p.feature)
        for table, col, new, seen in ((actors, actors.c.name, new_actors, self._seen_actors),
                                      (places, places.c.key, new_places, self._seen_places)):
            if not new:
                continue
            have = {r[0] for r in conn.execute(select(col).where(col.in_(list(new))))}
            rows = [row for key, row in new.items() if key not in have]
            if rows:
                conn.execute(insert(table), rows)
            seen.update(new)

    def put_event(self, conn: Connection, row: dict, new: bool, before: dict | None = None,
                  summary: dict | None = None) -> None:
        """Insert a merged event, or write those of its merged fields that changed, and its
        ``summary`` (what merging reads, see ``summary``). A new event is queued with the
        reports of this transaction (written at its end, in one statement); ``candidates`` and
        ``event_reports`` see it meanwhile. ``before``: the stored event's row as it is (a row
        of ``candidates`` will do; read here if not given), so that the counts the views read
        can be mended at the end of the transaction."""
        if summary is not None:
            conn.info.setdefault(_SUMMARIES, {})[row["id"]] = summary
        row = {**_EVENT_DEFAULTS, **row, "updated_at": _now()}
        eid = row["id"]
        touched = conn.info.setdefault(_TOUCHED, {})
        if not new and not before:  # (the row as this transaction last put it, else as stored)
            before = touched[eid][1] if eid in touched else conn.execute(
                _VIEW_ROW, {"e": eid}).one()._asdict()
        if eid in touched:
            touched[eid][1] = row
        else:
            touched[eid] = [None if new else before, row]
        queued = conn.info.setdefault(_NEW_EVENTS, {})
        if new or eid in queued:
            queued[eid] = row
        else:
            _update_event(conn, row, before)

    def summary(self, conn: Connection, event_id: str) -> dict | None:
        """What merging keeps of a merged event's reports (resolve.merge.merge_report), as last
        put (this transaction's included); None for an event stored before schema 5."""
        queued = conn.info.get(_SUMMARIES, {})
        if event_id in queued:
            return queued[event_id]
        found = _SUMMARY.run(conn, {"e": event_id})
        return found[0]["summary"] if found else None

    def event_reports(self, conn: Connection, event_id: str, with_evidence: bool = True
                      ) -> list[dict]:
        """The reports of a merged event, with their document's outlet and date; each record
        complete (the Event as extracted, its claims and evidence read from their tables;
        ``with_evidence=False``: its evidence left empty, for merging, which does not read it)."""
        if event_id in conn.info.get(_NEW_EVENTS, ()):
            return []  # queued in this transaction: its reports are queued too
        rows = [dict(r._mapping) for r in conn.execute(_REPORTS, {"e": event_id})]
        return _complete(conn, rows, evidence.c.event_id == event_id if with_evidence else None,
                         claims.c.event_id == event_id)

    def reports_of(self, event_ids: list[str]) -> dict[str, list[dict]]:
        """The reports of these merged events, as ``event_reports`` gives each event's, read
        at once (a page of the claims page: three statements, not three for each event)."""
        if not event_ids:
            return {}
        with self.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(_REPORTS_OF, {"ids": event_ids})]
            rows = _complete(conn, rows, evidence.c.event_id.in_(event_ids),
                             claims.c.event_id.in_(event_ids))
        out: dict[str, list[dict]] = {}
        for row in rows:
            out.setdefault(row.pop("event_id"), []).append(row)
        return out

    def set_contested(self, conn: Connection, event_id: str, date: dt.date | None,
                      kinds: list[str]) -> None:
        """Record what sources disagree on about an event (``kinds``; nothing to record when
        empty: a disagreement never ends as reports are added, see resolve.contested)."""
        if kinds:
            _upsert_rows(conn, contested, add=False).run(
                conn, {"event_id": event_id, "date": date, "kinds": kinds})

    def contested_page(self, limit: int | None = None, offset: int = 0
                       ) -> tuple[int, list[dict]]:
        """How many events sources disagree on, and the rows of ``events`` of one page of
        them, newest first, each with its ``kinds``."""
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(contested)).scalar_one()
            q = (select(events, contested.c.kinds)
                 .join(contested, contested.c.event_id == events.c.id)
                 .order_by(contested.c.date.desc().nulls_last(), contested.c.event_id))
            if limit is not None:
                q = q.limit(limit).offset(offset)
            return total, _dicts(conn.execute(q))

    def add_tolls(self, conn: Connection, document_id: int, items: Iterable) -> None:
        rows = [dict(document_id=document_id, value=t.value, category=t.category, approx=t.approx,
                     source=t.source, date=t.date,
                     places=[p.model_dump(mode="json") for p in t.places], start=t.start,
                     end=t.end, text=t.text) for t in items]
        if rows:
            _insert_rows(conn, tolls, rows)

    # --- queries ----------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows of each table; "events" are the events proper, "holdings" the statements of
        who holds a place (kind territory_held), which feed the control timelines only (on
        SQLite from the counts its triggers keep: ``row_counts``)."""
        with self.engine.connect() as conn:
            kept = dict(conn.execute(select(row_counts.c.name, row_counts.c.n)).all()) \
                if conn.dialect.name == "sqlite" else _count_rows(conn)
        return {name: int(kept.get(name, 0)) for name in
                ("documents", "events", "reports", "claims", "tolls", "errors", "holdings")}

    def fingerprint(self) -> tuple:
        """Changes whenever an ingest adds or merges reports (for caching derived views): every
        new or merged report is a new row of ``reports``, and rows are never deleted, so the
        largest report id says it, read from the primary key's index whatever the store's size
        (counting the reports grew with the store on every cached request)."""
        with self.engine.connect() as conn:
            return (conn.execute(select(func.max(reports.c.id))).scalar_one(),)

    def query_events(self, f: EventFilter | None = None, limit: int | None = None,
                     offset: int = 0, after: tuple[dt.date | None, str] | None = None
                     ) -> list[dict]:
        """Merged events matching the filters, newest first (by date, undated last, then id).
        ``after``: those that come after the event of this (date, id) in that order (then
        ``offset`` is not used): the dated ones read from where it stands in the index of the
        order, then the undated ones, whatever the page's depth (an offset walks past every
        row before it)."""
        f = f or EventFilter()
        parts: list[Callable] = [lambda c: []]
        if after is not None:
            day, last = after
            parts = [lambda c: [c.date.is_(None), c.id > last]] if day is None else [
                lambda c: [c.date <= day, or_(c.date < day, c.id > last)],
                lambda c: [c.date.is_(None)]]
            offset = 0
        paged = limit is not None and not f.near
        read = self._read(f)
        rows: list[dict] = []
        for part in parts:
            if paged and len(rows) >= limit:
                break
            q = self._in_order(read, list(events.c), part, limit - len(rows) if paged else None,
                               offset)
            with self.engine.connect() as conn:
                rows += _dicts(conn.execute(q))
        if f.near:
            rows = _within(rows, f)
            if limit is not None:
                rows = rows[offset:offset + limit]
        return rows

    def _where(self, f: EventFilter) -> list:
        """The SQL conditions of a filter (``_conditions``), its parts of names matched first
        against the names the writer keeps."""
        if not (f.actor or f.place or f.source):
            return _conditions(f, self.postgis)
        with self.engine.connect() as conn:
            return _conditions(f, self.postgis, conn)

    def _tagged(self, f: EventFilter) -> tuple[list, tuple[str, ...]] | None:
        """The events of a filter by an outlet or an actor alone (``_named``), once each,
        read from what holds them with what a filter reads (``event_sources``; the indexes of
        the actors): (the SELECTs of their ``id`` and ``SOURCE_VALUES``, one or one per side
        of an actor, which ``_union`` makes one; the columns of their order newest first,
        ``_in_keys``); None for other filters."""
        if not _by_name_alone(f):
            return None  # (no connection taken for the filters most requests carry)
        with self.engine.connect() as conn:
            named = _named(conn, f)
        if named is None:
            return None
        field, names = named
        if field == "source":
            s = event_sources.c
            q = select(s.event_id.label("id"), *(s[k] for k in SOURCE_VALUES), s.newest).where(
                _in(s.name, names), *_kind_and_days(f, s))
            return [q if len(names) == 1 else q.distinct()], ("newest", "id")
        # (each actor's events from the index of either side, those of both sides once: the two
        # read in order and merged, a page of them in a few ms)
        e = events.c
        rows = select(e.id, *(e[k] for k in SOURCE_VALUES))
        return [rows.where(_in(e.actor1, names), *_kind_and_days(f, e)),
                rows.where(_in(e.actor2, names), or_(e.actor1.is_(None), e.actor1.not_in(names)),
                           *_kind_and_days(f, e))], ("date", "id")

    def _read(self, f: EventFilter) -> tuple[tuple[list, tuple[str, ...]] | None, list]:
        """How a filter's events are read, worked out once per request (its names matched
        against the store's): (``_tagged``'s rows and order, or None; the conditions on events
        otherwise)."""
        tagged = self._tagged(f)
        return tagged, [] if tagged is not None else self._where(f)

    @staticmethod
    def _matching(read: tuple) -> tuple[Any, Any, list]:
        """Where the events of a filter (as ``_read`` reads it) are counted: (FROM, columns,
        WHERE). Of an outlet or an actor, the rows of ``_tagged``, whose columns ``id`` and
        ``SOURCE_VALUES`` are those of events; else events and the filter's conditions."""
        tagged, conds = read
        if tagged is None:
            return events, events.c, conds
        rows = _union(tagged[0]).subquery()
        return rows, rows.c, []

    @staticmethod
    def _in_order(read: tuple, cols: list, where: Callable = lambda c: [],
                  limit: int | None = None, offset: int = 0) -> Any:
        """SELECT ``cols`` (of events) of the events of a filter (as ``_read`` reads it) that
        meet ``where(c)`` (conditions on columns ``id`` and ``SOURCE_VALUES``), newest first,
        ``limit`` of them from ``offset``. Of an outlet or an actor, that page of ``_tagged``
        first, then the rows of its events."""
        tagged, conds = read
        if tagged is None:
            q = select(*cols).where(*where(events.c), *conds).order_by(*_newest_first(events.c))
            return q if limit is None else q.limit(limit).offset(offset)
        page = _ordered(tagged, where, limit=limit, offset=offset).subquery()
        return select(*cols).join_from(page, events, events.c.id == page.c.id).order_by(
            *_in_keys(tagged[1], page.c))

    def count_events(self, f: EventFilter | None = None) -> int:
        """How many merged events match the filters."""
        f = f or EventFilter()
        frm, _, where = self._matching(self._read(f))
        with self.engine.connect() as conn:
            if f.near:
                q = select(events.c.lat, events.c.lon).where(*where)
                return len(_within(_dicts(conn.execute(q)), f))
            return conn.execute(select(func.count()).select_from(frm).where(*where)).scalar_one()

    def points(self, f: EventFilter | None = None, limit: int = 50_000) -> list[tuple]:
        """Located events matching the filters, newest first, with only the columns a map
        needs: rows of ``POINT_COLUMNS``, the date as ISO text (as the database writes it, not
        made a date and written again: the map's 50,000 rows are read in a fraction of the time)."""
        f = f or EventFilter()
        read, limit_ = self._read(f), None if f.near else limit

        def located(c: Any) -> list:
            return [c.lat.is_not(None)]

        def point(c: Any) -> list:  # (the date as the driver reads it: SQLite's text as is)
            return [type_coerce(c[k], String).label(k) if k == "date" else c[k] for k in POINT_COLUMNS]

        if read[0] is None:
            q = self._in_order(read, point(events.c), located, limit_)
        else:  # (an outlet's or an actor's rows hold all a point shows: SOURCE_VALUES)
            q = _ordered(read[0], located, point, limit_)
        n = len(POINT_COLUMNS)  # (and the order's columns after them, where not among them)
        with self.engine.connect() as conn:
            rows = [tuple(r[:n]) for r in conn.execute(q)]
        day = POINT_COLUMNS.index("date")
        if not isinstance(next((r[day] for r in rows if r[day] is not None), ""), str):
            # (PostgreSQL's driver reads a date as a date)
            rows = [(*r[:day], r[day] and r[day].isoformat(), *r[day + 1:]) for r in rows]
        if f.near:
            from .geo import distance_km

            rows = [r for r in rows if distance_km(r[1], r[2], *f.near) <= f.km][:limit]
        return rows

    def locations(self, f: EventFilter | None = None) -> list[tuple[float, float]]:
        """The (lat, lon) of every located event matching the filters."""
        f = f or EventFilter()
        q = select(events.c.lat, events.c.lon).where(events.c.lat.is_not(None),
                                                     events.c.lon.is_not(None),
                                                     *self._where(f))
        with self.engine.connect() as conn:
            rows = _dicts(conn.execute(q))
        if f.near:
            rows = _within(rows, f)
        return [(r["lat"], r["lon"]) for r in rows]

    def event_places(self) -> list[dict]:
        """Each located place of the events (by gazetteer id, else by name): its most used names
        (Latin and Arabic), point, kind of place and number of events, most events first. The
        point is the least latitude and longitude, and the kind the least, of the events under
        the first of its names in order (from the counts the writer keeps, summed by names)."""
        c = place_counts.c
        q = (select(c.key, c.name, c.name_ar, func.min(c.lat), func.min(c.lon),
                    func.min(func.nullif(c.feature, "")), func.sum(c.events + c.holdings))
             .where(c.key != "").group_by(c.key, c.name, c.name_ar)
             .order_by(c.key, c.name, c.name_ar))
        with self.engine.connect() as conn:
            rows = [tuple(r) for r in conn.execute(q)]
        rows.sort()  # (Python's order on any backend; already in it on SQLite)
        out = []
        for key, group in groupby(rows, key=lambda r: r[0]):
            _, name, name_ar, lat, lon, feature, n = first = next(group)
            more = list(group)
            if more:  # the names most used (the first in order among equals)
                names: dict[str, int] = {}
                names_ar: dict[str, int] = {}
                for r in (first, *more):
                    for counted, name_ in ((names, r[1]), (names_ar, r[2])):
                        if name_:
                            counted[name_] = counted.get(name_, 0) + int(r[6])
                n = sum(int(r[6]) for r in (first, *more))
                name = max(names, key=names.get) if names else None
                name_ar = max(names_ar, key=names_ar.get) if names_ar else None
            out.append({"key": key, "lat": lat, "lon": lon, "feature": feature or None,
                        "events": int(n), "name": name or None, "name_ar": name_ar or None})
        return sorted(out, key=lambda p: (-p["events"], p["key"]))

    def extent_points(self) -> list[tuple[float, float, int]]:
        """The points of the located events (holdings left out) and how many events each has,
        from the counts the writer keeps: what ``locations()`` gives, counted."""
        n = func.sum(place_counts.c.events)
        with self.engine.connect() as conn:
            return [(lat, lon, int(n)) for lat, lon, n in conn.execute(  # (PostgreSQL: a numeric)
                select(place_counts.c.lat, place_counts.c.lon, n).where(place_counts.c.events > 0)
                .group_by(place_counts.c.lat, place_counts.c.lon))]

    def per_day(self, f: EventFilter | None = None) -> list[dict]:
        """Events and fatalities per day and kind, oldest first (undated events left out);
        unfiltered or of one kind only, from the counts the writer keeps."""
        f = f or EventFilter()
        if f in (EventFilter(), EventFilter(kind=f.kind)):
            kinds = day_counts.c.kind == f.kind if f.kind else day_counts.c.kind.not_in(tuple(STATE_KINDS))
            with self.engine.connect() as conn:
                return _dicts(conn.execute(
                    select(day_counts).where(kinds).order_by(day_counts.c.date, day_counts.c.kind)))
        if f.near:  # a radius is not SQL: count the filtered rows here
            rows = self.query_events(f)
            out: dict[tuple, dict] = {}
            for r in rows:
                if r["date"] is None:
                    continue
                d = out.setdefault((r["date"], r["kind"]), {"date": r["date"], "kind": r["kind"],
                                                           "events": 0, "fatalities": 0})
                d["events"] += 1
                d["fatalities"] += r["fatalities"] or 0
            return [out[k] for k in sorted(out)]
        frm, c, where = self._matching(self._read(f))
        q = (select(c.date, c.kind, func.count().label("events"),
                    func.coalesce(func.sum(c.fatalities), 0).label("fatalities"))
             .select_from(frm).where(c.date.is_not(None), *where)
             .group_by(c.date, c.kind).order_by(c.date, c.kind))
        with self.engine.connect() as conn:
            return _dicts(conn.execute(q))

    def publication_days(self) -> set[dt.date]:
        """The days the stored articles were published (those with a date)."""
        with self.engine.connect() as conn:
            return {r[0] for r in conn.execute(select(documents.c.published).distinct()
                                               .where(documents.c.published.is_not(None)))}

    def date_range(self) -> tuple[dt.date | None, dt.date | None]:
        """The first and last event dates in the store (from the counts the writer keeps)."""
        with self.engine.connect() as conn:
            lo, hi = conn.execute(select(func.min(day_counts.c.date),
                                         func.max(day_counts.c.date))).one()
        return lo, hi

    def sources(self) -> dict[str, list[dict]]:
        """The outlets that published the articles, and the sources their events cite (from
        the counts the writer keeps)."""
        with self.engine.connect() as conn:
            outlets = [{"name": r.source or None, "articles": r.articles} for r in conn.execute(
                select(outlet_counts).order_by(outlet_counts.c.articles.desc(),
                                               outlet_counts.c.source))]
            cited: dict[str, dict] = {}
            for r in conn.execute(select(cited_counts).order_by(cited_counts.c.source,
                                                                cited_counts.c.code)):
                c = cited.setdefault(r.source, {"name": r.source, "code": r.code or None,
                                                "claims": 0, "stances": {}})
                c["claims"] += r.n
                c["stances"][r.stance] = c["stances"].get(r.stance, 0) + r.n
        return {"outlets": outlets,
                "cited": sorted(cited.values(), key=lambda c: (-c["claims"], c["name"]))}

    def actor_names(self) -> list[dict]:
        """Every actor seen in an event, with its code and type."""
        with self.engine.connect() as conn:
            return _dicts(conn.execute(select(actors).order_by(actors.c.name)))

    def place(self, key: str) -> dict | None:
        """One place of the store by key (gazetteer id, or ``name:`` and its name)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(places).where(places.c.key == key)).first()
            return _dict(row) if row else None

    def timeline_places(self) -> list[dict]:
        """The places of the control timelines the writer keeps (key, names, point, precision)."""
        with self.engine.connect() as conn:
            return _dicts(conn.execute(select(*_TIMELINE_PLACE)))

    def timelines_of(self, keys: Iterable[str]) -> dict[str, dict]:
        """The control timelines the writer keeps of these keys: place and ``periods``."""
        keys = list(keys)
        out: dict[str, dict] = {}
        with self.engine.connect() as conn:
            for k in range(0, len(keys), 5000):
                some = keys[k:k + 5000]
                for r in conn.execute(select(*_TIMELINE_PLACE).where(
                        control_timelines.c.key.in_(some))):
                    out[r.key] = _dict(r) | {"periods": []}
                for key, period in conn.execute(
                        select(control_periods.c.key, control_periods.c.period)
                        .where(control_periods.c.key.in_(some)).order_by(control_periods.c.n)):
                    out[key]["periods"].append(period)
        return out

    def held_on(self, day: dt.date) -> list[dict]:
        """The periods of the control timelines with a holder on ``day`` (``Timeline.at``),
        read by index: the timeline's place and the period's fields (``PERIOD_FIELDS``): its
        actor and days as text, its lists as the JSON text the database keeps (not parsed: an
        answer splices them)."""
        period = control_periods.c.period
        with self.engine.connect() as conn:
            return _dicts(conn.execute(
                select(*_TIMELINE_PLACE, *(period[f].as_string().label(f) for f in PERIOD_FIELDS))
                .join(control_timelines, control_timelines.c.key == control_periods.c.key)
                .where(control_periods.c.last_day >= day, control_periods.c.first_day <= day)))

    def events_at(self, key: str, limit: int = 1000) -> list[dict]:
        """Events at one place (by place key), newest first."""
        cond = (events.c.place_name == key[5:]) if key.startswith("name:") else (
            events.c.gazetteer_id == key)
        with self.engine.connect() as conn:
            return _dicts(conn.execute(
                select(events).where(cond).order_by(events.c.date.desc().nulls_last(), events.c.id).limit(limit)))

    def documents_by_id(self, ids: Iterable[int]) -> dict[int, dict]:
        """Articles by id, with their text."""
        with self.engine.connect() as conn:
            return {r.id: _dict(r) for r in conn.execute(
                select(documents).where(documents.c.id.in_(list(ids))))}

    def event_detail(self, event_id: str) -> dict | None:
        """A merged event with its reports, claims and evidence."""
        with self.engine.connect() as conn:
            row = conn.execute(select(events).where(events.c.id == event_id)).first()
            if row is None:
                return None
            return {**_dict(row), **self._parts(conn, event_id)}

    def event_parts(self, event_id: str) -> dict[str, list[dict]]:
        """The reports, claims (with outlet and URL) and evidence of a merged event."""
        with self.engine.connect() as conn:
            return self._parts(conn, event_id)

    def _parts(self, conn: Connection, event_id: str) -> dict[str, list[dict]]:
        return {
            "reports": self.event_reports(conn, event_id),
            "claims": _dicts(conn.execute(
                select(claims, documents.c.source.label("outlet"), documents.c.url)
                .join(documents, documents.c.id == claims.c.document_id)
                .where(claims.c.event_id == event_id).order_by(claims.c.id))),
            "evidence": _dicts(conn.execute(
                select(evidence).where(evidence.c.event_id == event_id).order_by(evidence.c.id))),
        }

    def has_event(self, conn: Connection, event_id: str) -> bool:
        return conn.execute(select(events.c.id).where(events.c.id == event_id)).first() is not None

    def document_id(self, conn: Connection, hash_: str, url: str | None = None) -> int | None:
        """The stored article with this text (or, failing that, this URL)."""
        row = conn.execute(_BY_HASH, {"h": hash_}).first()
        if row is None and url:
            row = conn.execute(_BY_URL, {"u": url}).first()
        return row[0] if row else None

    def document(self, document_id: int) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(documents).where(documents.c.id == document_id)).first()
            return _dict(row) if row else None

    def territorial_events(self) -> list[dict]:
        """territory_control, withdrawal and holding events, with their claims, oldest first
        (and, on one day, in the order they were first reported)."""
        with self.engine.connect() as conn:
            return _territorial(conn)

    def claims_of(self, event_ids: list[str]) -> dict[str, list[dict]]:
        """Claims of events, each with its outlet, URL and the sentence it stands in."""
        with self.engine.connect() as conn:
            sentences: dict[int, list[dict]] = {}
            for e in conn.execute(select(evidence).where(evidence.c.event_id.in_(event_ids))):
                sentences.setdefault(e.report_id, []).append(_dict(e))
            out: dict[str, list[dict]] = {}
            for c in conn.execute(select(claims, documents.c.source.label("outlet"), documents.c.url)
                                  .join(documents, documents.c.id == claims.c.document_id)
                                  .where(claims.c.event_id.in_(event_ids)).order_by(claims.c.id)):
                row = _dict(c)
                row["sentence"] = next((s["text"] for s in sentences.get(c.report_id, [])
                                        if s["start"] <= (c.start or 0) < s["end"]), None)
                out.setdefault(c.event_id, []).append(row)
            return out

    def all_events(self, f: EventFilter | None = None, newest_first: bool = False) -> Iterator[dict]:
        """Every merged event matching the filters, oldest (or newest) first, streamed."""
        f = f or EventFilter()
        order = (events.c.date.desc().nulls_last() if newest_first else events.c.date.nulls_last())
        q = select(events).where(*self._where(f)).order_by(order, events.c.id)
        with self.engine.connect() as conn:
            for r in conn.execution_options(stream_results=True).execute(q):
                row = _dict(r)
                if not f.near or _within([row], f):
                    yield row

    def dump(self) -> dict[str, list[tuple]]:
        """Every content row (not timestamps), for comparing two stores.

        Numeric ids are replaced by their rank (a PostgreSQL sequence skips the values of a
        rolled-back transaction, SQLite's rowids do not), references to them likewise, and
        booleans read as 0/1 on every backend."""
        skip = {"ingested_at", "updated_at", "at", "version"}
        rank: dict[str, dict[int, int]] = {}
        refs = {"document_id": "documents", "report_id": "reports"}
        out = {}
        with self.engine.connect() as conn:
            for t in (documents, events, reports, claims, evidence, tolls, actors, places, contested,
                      outlet_counts, cited_counts, day_counts, place_counts, control_timelines,
                      control_periods, event_names):
                cols = [c for c in t.columns if c.name not in skip]
                rows = [dict(r._mapping) for r in conn.execute(select(*cols).order_by(*t.primary_key.columns))]
                if t is reports:
                    rows = _complete(conn, rows, true(), true())
                id_col = t.c.get("id")
                if id_col is not None and isinstance(id_col.type, Integer):
                    rank[t.name] = {r["id"]: i for i, r in enumerate(rows, 1)}
                    for r in rows:
                        r["id"] = rank[t.name][r["id"]]
                for r in rows:
                    for col, table in refs.items():
                        if col in r and table in rank and r[col] in rank[table]:
                            r[col] = rank[table][r[col]]
                out[t.name] = [tuple(_plain_value(v) for v in r.values()) for r in rows]
        return out


def _sqlite_file(url: str) -> Path | None:
    """The file of a SQLite store's URL (None for other databases, memory or URI forms)."""
    from sqlalchemy.engine import make_url

    try:
        u = make_url(url)
    except Exception:  # noqa: BLE001 - not a URL: Store says so
        return None
    if not u.drivername.startswith("sqlite") or not u.database or u.database == ":memory:" \
            or u.database.startswith("file:"):
        return None
    return Path(u.database)


def _read_only_url(path: Path, immutable: bool = False) -> str:
    from urllib.parse import quote

    mode = "immutable=1" if immutable else "mode=ro"
    return f"sqlite:///file:{quote(str(path.resolve()))}?{mode}&uri=true"


def _sqlite_problem(path: Path, read_only: bool) -> str | None:
    """Why a SQLite store at ``path`` cannot be opened, said before trying (None: try)."""
    if not path.exists():
        if read_only:
            return f"no store at {path}: create one with `hadath ingest FILES --db {path}`"
        if not path.parent.is_dir():
            return f"cannot create the store {path}: there is no folder {path.parent}"
        if not os.access(path.parent, os.W_OK):
            return f"cannot create the store {path}: the folder {path.parent} is not writable"
        return None
    if path.is_dir():
        return f"{path} is a folder, not a store"
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        return f"cannot read the store {path} ({exc.strerror})"
    if head and head != b"SQLite format 3\x00":
        return f"{path} is not a database (not a SQLite file), so not a hadath store"
    if not head and read_only:
        return f"{path} is an empty file, not a hadath store"
    if not read_only and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        return _NOT_WRITABLE.format(path=path)
    return None


_NOT_WRITABLE = ("{path}: the store is not writable (a read-only file, folder or disk); the "
                 "commands that only read it (events, control, claims, export, evaluate, serve) "
                 "can still open it")


def _why(url: str, path: Path | None, exc: Exception, read_only: bool) -> str:
    """A store that would not open, said as missing, not a database, not a hadath store, not
    writable, or not reachable."""
    first = str(getattr(exc, "orig", None) or exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    low = first.lower()
    shown = _hide_password(url) if path is None else str(path)
    if "file is not a database" in low or "file is encrypted" in low:
        return f"{shown} is not a database (not a SQLite file), so not a hadath store"
    if "no such table" in low or ("relation" in low and "does not exist" in low):
        return f"{shown} is a database, but not a hadath store"
    if not read_only and any(s in low for s in ("readonly", "read-only", "unable to open",
                                                "permission denied", "disk i/o error")):
        return _NOT_WRITABLE.format(path=shown)
    return f"{shown}: not a hadath store or not reachable ({first})"


def _storage_read_only(exc: Exception) -> bool:
    """Whether opening a SQLite file read-only failed for want of writing beside it."""
    msg = str(exc).lower()
    return any(s in msg for s in ("unable to open", "readonly", "read-only", "disk i/o error"))


def _lost_race(exc: Exception) -> bool:
    """Whether ``exc`` is another process creating the same table or row first."""
    msg = str(exc).lower()
    return any(s in msg for s in ("already exists", "unique", "duplicate key", "database is locked"))


def _hide_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not a URL: show it as given
        return url


def _dicts(result: Any) -> list[dict]:
    """The rows of a result as dicts whose keys are plain ``str``: SQLAlchemy's are a subclass
    of it, which pydantic's JSON encoder (the API's) takes some 50 times slower."""
    keys = [str(k) for k in result.keys()]
    return [dict(zip(keys, r)) for r in result]


def _dict(row: Any) -> dict:
    """One row as ``_dicts`` gives it."""
    return dict(zip(map(str, row._fields), row))


def _plain_value(v: Any) -> Any:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (dict, list)):
        return json.dumps(v, sort_keys=True, default=str)
    return v


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


# The event's point as a geography, as the GiST index of PostGIS stores it.
_GEOG = "(geography(ST_SetSRID(ST_MakePoint(lon, lat), 4326)))"


def _conditions(f: EventFilter, postgis: bool = False, conn: Connection | None = None) -> list:
    """The SQL conditions of a filter (a --near radius is refined in Python by _within, so
    that every backend answers the same); ``conn`` reads the names that parts of names given
    (actor, place, source) match."""
    conds = _kind_and_days(f, events.c)
    if f.status:
        conds.append(events.c.status == f.status)
    if f.actor:
        conds.append(or_(_by_name(conn, "actor", [f.actor]),
                         events.c.actor1_code == f.actor, events.c.actor2_code == f.actor))
    if f.place:
        conds.append(_place_condition(conn, f.place))
    if f.near and postgis:
        lat, lon = f.near
        conds.append(text(f"ST_DWithin({_GEOG.replace('(lon, lat)', '(events.lon, events.lat)')}, geography(ST_SetSRID(ST_MakePoint(:near_lon, "
                          ":near_lat), 4326)), :near_m)").bindparams(
            near_lon=lon, near_lat=lat, near_m=f.km * 1000 * 1.01))
    elif f.near:
        lat, lon = f.near
        dlat = f.km / 111.0
        dlon = f.km / max(1e-6, 111.0 * _cos(lat))
        conds.append(and_(events.c.lat.between(lat - dlat, lat + dlat),
                          events.c.lon.between(lon - dlon, lon + dlon)))
    if f.source:
        conds.append(_by_source(conn, f.source))
    return conds


def _kind_and_days(f: EventFilter, c: Any) -> list:
    """The conditions of a filter's kind and dates on columns ``c`` (of events or
    ``event_sources``); statements of holding only when their kind is asked for."""
    conds = []
    if f.kind not in STATE_KINDS:
        conds.append(c.kind.not_in(tuple(STATE_KINDS)))
    if f.since:
        conds.append(c.date >= f.since)
    if f.until:
        conds.append(c.date <= f.until)
    if f.kind:
        conds.append(c.kind == f.kind)
    return conds


def _by_name_alone(f: EventFilter) -> bool:
    """A filter by an outlet or an actor alone (with a kind or dates)."""
    return not (f.place or f.near or f.status) and bool(f.actor) != bool(f.source)


def _named(conn: Connection, f: EventFilter) -> tuple[str, list] | None:
    """("source" or "actor", the names) that a filter by an outlet or an actor alone
    (``_by_name_alone``) matches; None for a part that matches more than MATCHED_NAMES names,
    or an actor given by a code the events hold."""
    if f.source:
        outlets = _matched(conn, outlet_counts.c.source, [f.source])
        cited = _matched(conn, cited_counts.c.source, [f.source])
        if outlets is None or cited is None:
            return None
        return "source", sorted(set(outlets) | set(cited))
    names = _matched(conn, event_names.c.name, [f.actor], False, event_names.c.field == "actor")
    coded = conn.execute(select(events.c.id).where(
        or_(events.c.actor1_code == f.actor, events.c.actor2_code == f.actor)).limit(1)).first()
    return None if names is None or coded is not None else ("actor", names)


def _union(selects: list, where: Callable = lambda c: [], columns: Callable | None = None) -> Any:
    """``_tagged``'s SELECTs as one, each meeting ``where(c)`` (conditions on its columns) and
    giving ``columns(c)`` (its own by default): the one, or their UNION ALL."""
    parts = [q.where(*where(q.selected_columns)) for q in selects]
    if columns is not None:
        parts = [p.with_only_columns(*columns(q.selected_columns))
                 for p, q in zip(parts, selects, strict=True)]
    return parts[0] if len(parts) == 1 else union_all(*parts)


def _ordered(tagged: tuple, where: Callable = lambda c: [], columns: Callable | None = None,
             limit: int | None = None, offset: int = 0) -> Any:
    """``_union`` of ``_tagged``'s SELECTs in its order, ``limit`` rows from ``offset``: the
    sides of an actor merged as each is read in its index's order (a UNION ALL's own ORDER
    BY), not all their rows sorted again. ``columns(c)`` are followed by the order's columns
    they lack (a UNION's or a DISTINCT's order is of columns it gives)."""
    selects, keys = tagged

    def with_order(c: Any) -> list:
        cols = columns(c)
        return cols + [c[k] for k in keys if k not in {col.name for col in cols}]

    rows = _union(selects, where, None if columns is None else with_order)
    q = rows.order_by(*_in_keys(keys, rows.selected_columns))
    return q if limit is None else q.limit(limit).offset(offset)


def _in_keys(keys: tuple[str, ...], c: Any) -> list:
    """An order on columns ``c`` by these keys: a date newest first and undated last, others
    ascending (``newest``, the date's day number negated, as the date)."""
    return [c.date.desc().nulls_last() if k == "date" else c[k] for k in keys]


def _newest_first(c: Any) -> list:
    """The order of the lists on columns ``c``: by date, newest first, undated last; then id."""
    return _in_keys(("date", "id"), c)


def _in(col: Any, names: list) -> Any:
    """``col`` is one of ``names`` (= for one: an index's range read in its order)."""
    return col == names[0] if len(names) == 1 else col.in_(names)


def _like(text_: str) -> str:
    """A LIKE pattern for text containing ``text_``: its % and _ are themselves (escape \\)."""
    return "%" + text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _holds(col: Any, part: str, case: bool = False) -> Any:
    """Whether a column holds ``part`` (``case``: as written, LIKE; else whatever the case,
    ILIKE)."""
    return col.like(_like(part), escape="\\") if case else col.ilike(_like(part), escape="\\")


MATCHED_NAMES = 1000  # names a part of a name is read by index for: beyond, every event is read


def _matched(conn: Connection, col: Any, parts: list[str], case: bool = False, *where: Any
             ) -> list | None:
    """The names of a column of kept names (``event_names``, the outlets' and the cited
    sources' counts) that hold one of these parts; None where more than MATCHED_NAMES do
    (the events of a part that common are most of the store: reading them all is the better
    plan)."""
    names = conn.execute(select(col).where(*where, or_(*(_holds(col, p, case) for p in parts)))
                         .limit(MATCHED_NAMES + 1)).scalars().all()
    return names if len(names) <= MATCHED_NAMES else None


def _by_name(conn: Connection, field: str, parts: list[str], case: bool = False) -> Any:
    """Events whose columns of ``field`` (``NAMED``) hold one of these parts: the names the
    writer keeps that do, matched first, then their events read by index (a LIKE over
    every event before schema 8, and still where a part matches too many names)."""
    names = _matched(conn, event_names.c.name, parts, case, event_names.c.field == field)
    cols = [events.c[c] for c in NAMED[field]]
    if names is None:
        return or_(*(_holds(c, p, case) for c in cols for p in parts))
    return or_(*(c.in_(names) for c in cols))


def _by_source(conn: Connection, part: str) -> Any:
    """Events an outlet reported or a source cited in a claim, by part of its name: the
    outlets and sources the writer counts that match it first, then their articles and
    claims by index, and their events."""
    outlets = _matched(conn, outlet_counts.c.source, [part])
    cited = _matched(conn, cited_counts.c.source, [part])
    in_outlets = _holds(documents.c.source, part) if outlets is None else documents.c.source.in_(outlets)
    in_cited = _holds(claims.c.source, part) if cited is None else claims.c.source.in_(cited)
    # (one IN of both: PostgreSQL made an OR of two a pass over one for each event)
    return events.c.id.in_(union_all(
        select(reports.c.event_id).join(documents, documents.c.id == reports.c.document_id)
        .where(in_outlets), select(claims.c.event_id).where(in_cited)))


def _place_condition(conn: Connection, query: str):
    """Events of a place filter (see :mod:`hadath.places`): the gazetteer entries the query
    names (either script), the governorates and countries it names with the places inside
    them, and place names holding one of the entries' names; a gazetteer id as given."""
    from .places import resolve_place

    pq = resolve_place(query)
    conds = [events.c.gazetteer_id == query]
    if pq.gids:
        conds.append(events.c.gazetteer_id.in_(pq.gids))
    conds += [and_(events.c.country == country, events.c.admin1 == admin1)
              for country, admin1 in pq.admin1]
    if pq.countries:
        conds.append(events.c.country.in_(pq.countries))
    if pq.names:
        conds.append(_by_name(conn, "place", list(pq.names)))
    if pq.names_ar:
        conds.append(_by_name(conn, "place_ar", list(pq.names_ar), case=True))
    if not pq.resolved:
        conds.append(_by_name(conn, "admin1", [query]))
    return or_(*conds)


def _within(rows: list[dict], f: EventFilter) -> list[dict]:
    """The rows within f.km of f.near (the bounding box was SQL)."""
    from .geo import distance_km

    return [r for r in rows if distance_km(r["lat"], r["lon"], *f.near) <= f.km]


@dataclass
class _Prepared:
    """A statement compiled for one dialect: its SQL, its values' names in the driver's order
    and the processors of those that have one (by position); and, once the driver has said
    their types, the names of the columns it returns and the processors of those that have one."""
    sql: str
    positional: bool
    keys: list[str]
    to_db: list[tuple[int, Any]]
    out: tuple[list[str], list[tuple[str, Any]]] | None = None

    def values(self, params: dict) -> Any:
        """A row's values as the driver takes them (by position or by name)."""
        values = [params[k] for k in self.keys]
        for i, f in self.to_db:
            values[i] = f(values[i])
        return values if self.positional else dict(zip(self.keys, values))

    def rows(self, rows: list) -> list[dict]:
        """The driver's rows as dictionaries of the columns' values."""
        names, from_db = self.out
        out = [dict(zip(names, r)) for r in rows]
        for row in out:
            for k, f in from_db:
                row[k] = f(row[k])
        return out


class _Lean:
    """A statement the writer runs for every report, or for many rows at once, run on the
    driver's own cursor: compiled once per dialect, its values converted by the column types'
    own processors. (SQLAlchemy's work per execution, about 120 µs, was three quarters of the
    cost of finding a report's merge candidates.)"""

    def __init__(self, stmt: Any) -> None:
        self.stmt = stmt
        self._compiled: dict[str, _Prepared] = {}

    def _prepared(self, dialect: Any) -> _Prepared:
        if dialect.name not in self._compiled:
            comp = self.stmt.compile(dialect=dialect)
            keys = list(comp.positiontup) if dialect.positional else list(comp.binds)
            to_db = [(i, comp.binds[k].type.dialect_impl(dialect).bind_processor(dialect))
                     for i, k in enumerate(keys)]
            self._compiled[dialect.name] = _Prepared(
                str(comp), dialect.positional, keys, [(i, f) for i, f in to_db if f is not None])
        return self._compiled[dialect.name]

    def run(self, conn: Connection, params: dict) -> list[dict]:
        """Run with these values (by name); the rows, as dictionaries (none for a write)."""
        dialect = conn.dialect
        prepared = self._prepared(dialect)
        cols = list(getattr(self.stmt, "selected_columns", ()))
        cur = conn.connection.cursor()
        try:
            cur.execute(prepared.sql, prepared.values(params))
            if not cols:
                return []
            if prepared.out is None:  # the types the driver says it returns (PostgreSQL: OIDs)
                procs = [(c.key, c.type.dialect_impl(dialect).result_processor(dialect, d[1]))
                         for c, d in zip(cols, cur.description)]
                prepared.out = ([k for k, _ in procs], [(k, f) for k, f in procs if f is not None])
            rows = cur.fetchall()
        finally:
            cur.close()
        return prepared.rows(rows)

    def run_many(self, conn: Connection, rows: Iterable[dict], ids: bool = False) -> list[int]:
        """Run a write once for each of these rows (values by name), in one executemany; or,
        with ``ids``, one execution each, and the id of each row inserted (SQLite's rowid)."""
        prepared = self._prepared(conn.dialect)
        cur = conn.connection.cursor()
        try:
            if not ids:
                cur.executemany(prepared.sql, [prepared.values(r) for r in rows])
                return []
            out = []
            for r in rows:
                cur.execute(prepared.sql, prepared.values(r))
                out.append(cur.lastrowid)
            return out
        finally:
            cur.close()


# Statements built once: SQLAlchemy then reuses their compiled form.
_BY_HASH = select(documents.c.id).where(documents.c.content_hash == bindparam("h")).limit(1)
_BY_URL = select(documents.c.id).where(documents.c.url == bindparam("u")).limit(1)
_TIMELINE_PLACE = [c for c in control_timelines.c if c.name != "version"]
PERIOD_FIELDS = ("actor", "from", "until", "events", "supporting", "contradicting")
_VERSIONS = select(control_timelines.c.key, control_timelines.c.version).where(
    control_timelines.c.key.in_(bindparam("keys", expanding=True)))
_DELETE_PERIODS_FROM = _Lean(control_periods.delete().where(
    control_periods.c.key == bindparam("b_key"), control_periods.c.n >= bindparam("b_n")))
_FIRST_REPORT = (select(func.min(reports.c.id)).where(reports.c.event_id == events.c.id)
                 .scalar_subquery())
_ALL_TERRITORIAL = (
    select(*(events.c[k] for k in _TIMELINE_COLUMNS), _FIRST_REPORT.label("first_report"))
    .where(_IS_TERRITORIAL, _FIRST_REPORT.is_not(None))
    .order_by(events.c.date.nulls_last(), events.c.first_reported.nulls_last(), _FIRST_REPORT))
_TERRITORIAL = {None: _ALL_TERRITORIAL} | {  # (see _territorial)
    by: _ALL_TERRITORIAL.where(events.c[by].in_(bindparam("v", expanding=True)))
    for by in ("id", "gazetteer_id", "place_name")}
_TERRITORIAL_CLAIMS = (select(claims.c.event_id, claims.c.source, claims.c.stance, claims.c.text,
                              documents.c.source.label("outlet"))
                       .join(documents, documents.c.id == claims.c.document_id)
                       .where(claims.c.event_id.in_(bindparam("ids", expanding=True)))
                       .order_by(claims.c.id))
_VIEW_ROW = select(*(events.c[k] for k in _VIEW_COLUMNS)).where(events.c.id == bindparam("e"))
_SOURCES_OF = (  # the outlets and cited sources of events, by the indexes of their event ids
    select(reports.c.event_id, documents.c.source).join(documents, documents.c.id == reports.c.document_id)
    .where(reports.c.event_id.in_(bindparam("ids", expanding=True)), documents.c.source.is_not(None))
    .union(select(claims.c.event_id, claims.c.source)
           .where(claims.c.event_id.in_(bindparam("ids", expanding=True)))))
_SOURCES_MOVE = _Lean(update(event_sources).where(
    event_sources.c.name == bindparam("b_name"), event_sources.c.newest == bindparam("b_newest"),
    event_sources.c.event_id == bindparam("b_id")).values(
    {k: bindparam(k) for k in ("newest", *SOURCE_VALUES)}))


def _merge_branch(*where: Any):
    """The events of a report's family and dates that meet ``where`` (one of the ways
    ``candidates`` finds them, each by its index), with whether the document reported them."""
    return select(*(c for c in events.c if c.name != "updated_at"), exists().where(and_(
        reports.c.event_id == events.c.id, reports.c.document_id == bindparam("doc")))
        .label("reported_by")).where(
        events.c.family == bindparam("f"), events.c.date >= bindparam("lo"),
        events.c.date <= bindparam("hi"), *where)


@functools.cache
def _candidates_query(lat_cells: int, lon_cells: int, gid: bool, name: bool) -> Any:
    """``candidates``' statement for so many grid cells (a bound value each: an expanding IN
    is rendered again at every run), with those of its ways that apply (None: no way)."""
    ways = []
    if lat_cells and lon_cells:
        ways.append(_merge_branch(
            _LAT_CELL.in_([bindparam(f"lat{i}") for i in range(lat_cells)]),
            _LON_CELL.in_([bindparam(f"lon{i}") for i in range(lon_cells)]),
            events.c.lat.between(bindparam("lat_lo"), bindparam("lat_hi")),
            events.c.lon.between(bindparam("lon_lo"), bindparam("lon_hi"))))
    if gid:
        ways.append(_merge_branch(events.c.gazetteer_id == bindparam("gid")))
    if name:
        ways.append(_merge_branch(events.c.place_name == bindparam("pname"), _NO_PRECISION))
    # (UNION ALL: PostgreSQL cannot compare JSON; candidates drops the repeats)
    return _Lean(union_all(*ways) if len(ways) > 1 else ways[0]) if ways else None


_SUMMARY = _Lean(select(event_summaries.c.summary)
                 .where(event_summaries.c.event_id == bindparam("e")))
_TAKE_LOCK = update(meta_table).where(meta_table.c.key == "schema_version").values(
    value=meta_table.c.value)
_EVENT_COLUMNS = tuple(c.name for c in events.c if c.name != "id")
# (a column a row leaves out takes its default, as SQLAlchemy gives it)
_EVENT_DEFAULTS = {c.name: c.default.arg if c.default is not None else None for c in events.c}


def _update_event(conn: Connection, row: dict, before: dict) -> None:
    """Write the columns of an event's row that differ from ``before`` (its row as stored;
    a column it lacks counts as changed): an unchanged column rewrites none of its indexes."""
    cols = tuple(k for k in _EVENT_COLUMNS if k not in before or row[k] != before[k])
    if cols:
        _event_update(cols).run(conn, {**{k: row[k] for k in cols}, "b_id": row["id"]})


@functools.lru_cache(maxsize=1024)
def _event_update(cols: tuple[str, ...]) -> _Lean:
    """The UPDATE of these columns of one event (few sets of columns change together)."""
    return _Lean(update(events).where(events.c.id == bindparam("b_id")).values(
        {c: bindparam(c) for c in cols}))


_REPORT_ROWS = (select(reports.c.id, reports.c.record, reports.c.document_id, documents.c.source,
                       documents.c.published, documents.c.url, documents.c.title)
                .join(documents, documents.c.id == reports.c.document_id).order_by(reports.c.id))
_REPORTS = _REPORT_ROWS.where(reports.c.event_id == bindparam("e"))
_REPORTS_OF = _REPORT_ROWS.add_columns(reports.c.event_id).where(  # (of many events)
    reports.c.event_id.in_(bindparam("ids", expanding=True)))


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=30000")  # first: the next one waits for other writers
    cur.execute(f"PRAGMA page_size={SQLITE_PAGE}")  # (a new file only: articles fill the pages)
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KB}")  # the indexes a writer walks stay read
    cur.execute(f"PRAGMA wal_autocheckpoint={SQLITE_WAL_PAGES}")
    cur.close()


def _sqlite_pragmas_read(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA query_only=ON")
    cur.close()


def _cells(lo: float, hi: float) -> list[int]:
    """The grid cells (``round(x * CELLS_PER_DEGREE)``, whatever a backend's rounding of
    halves) of the values from lo to hi."""
    return list(range(math.ceil(lo * CELLS_PER_DEGREE - 0.5),
                      math.floor(hi * CELLS_PER_DEGREE + 0.5) + 1))


def _cos(lat: float) -> float:
    return math.cos(math.radians(lat))

