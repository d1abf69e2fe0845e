"""The JSON API under ``/api/``: read-only, every parameter validated (a bad one is a 400 with a
message naming it), dates as ISO strings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response

from .. import __version__
from ..models import Kind, Status
from ..store import EventFilter, json_bytes, parse_near
from .views import Views

router = APIRouter(prefix="/api")

ID = r"^[A-Za-z0-9_.:\-]{1,64}$"
AFTER = r"^(\d{4}-\d{2}-\d{2})?,[A-Za-z0-9_.:\-]{1,64}$"
NEAR = r"^\s*-?\d{1,2}(\.\d+)?\s*,\s*-?\d{1,3}(\.\d+)?\s*$"


def views(request: Request) -> Views:
    return request.app.state.views


def event_filter(
    since: Annotated[dt.date | None, Query(description="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[dt.date | None, Query(description="Up to this date (YYYY-MM-DD).")] = None,
    place: Annotated[str | None, Query(max_length=200, description="Place name (Arabic or English), governorate or gazetteer id.")] = None,
    near: Annotated[str | None, Query(pattern=NEAR, description="LAT,LON: events within km of this point.")] = None,
    km: Annotated[float, Query(gt=0, le=2000, description="Radius for near, in km.")] = 25.0,
    kind: Annotated[Kind | None, Query(description="Event kind.")] = None,
    actor: Annotated[str | None, Query(max_length=200, description="Actor name (part of it) or code.")] = None,
    source: Annotated[str | None, Query(max_length=200, description="Outlet or cited source (part of its name).")] = None,
    status: Annotated[Status | None, Query(description="Status of the event across its sources.")] = None,
) -> EventFilter:
    """The filters of ``hadath events``."""
    if since and until and since > until:
        raise HTTPException(400, f"since ({since}) is after until ({until})")
    point = None
    if near:
        try:
            point = parse_near(near)
        except ValueError as exc:
            raise HTTPException(400, f"near {exc}") from None
    return EventFilter(since=since, until=until, place=place or None, near=point, km=km,
                       kind=kind, actor=actor or None, source=source or None, status=status)


Filter = Annotated[EventFilter, Depends(event_filter)]
V = Annotated[Views, Depends(views)]


@router.get("/meta", summary="Kinds, statuses, the store's date range and counts")
def meta(v: V) -> dict[str, Any]:
    return {**v.meta(), "version": __version__}


@router.get("/events", summary="Merged events, newest first, filtered and paginated")
def list_events(
    v: V, f: Filter,
    limit: Annotated[int, Query(ge=1, le=1000, description="Events per page.")] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    after: Annotated[str | None, Query(pattern=AFTER, description="The page after this one: the next_after of the page before (DATE,ID of its last event), read by index however deep; not with offset.")] = None,
) -> dict[str, Any]:
    if after is not None and offset:
        raise HTTPException(400, "give after or offset, not both")
    cursor = None
    if after is not None:
        day, event_id = after.split(",", 1)
        try:
            cursor = (dt.date.fromisoformat(day) if day else None, event_id)
        except ValueError:
            raise HTTPException(400, f"after: no such day {day!r}") from None
    total = v.total(f)
    items = v.store.query_events(f, limit=limit, offset=offset, after=cursor)
    nxt = offset + limit if cursor is None and offset + limit < total else None
    last = items[-1] if len(items) == limit else None
    return _json(json_bytes({"total": total, "limit": limit, "offset": offset, "next_offset": nxt,
                             "next_after": f"{last['date'] or ''},{last['id']}" if last else None,
                             "items": items}))  # (pydantic's encoder: a page in 2 ms, not 15)


@router.get("/events/{event_id}", summary="One event with its reports, claims, evidence and articles")
def one_event(v: V, event_id: Annotated[str, Path(pattern=ID)]) -> dict[str, Any]:
    out = v.event(event_id)
    if out is None:
        raise HTTPException(404, f"no event {event_id!r} in the store")
    return out


@router.get("/points", summary="Located events for a map: compact rows, one per event")
def points(
    v: V, request: Request, f: Filter,
    limit: Annotated[int, Query(ge=1, le=200_000)] = 50_000,
) -> dict[str, Any]:
    if f == EventFilter():  # the map's first load: encoded once per change of the store
        return _answer(v, request, f"points:{limit}")
    return _json(json_bytes(v.points(f, limit)))  # (pydantic's encoder: see list_events)


@router.get("/stats", summary="Counts, events per kind, and events and fatalities per day and kind")
def stats(v: V, request: Request, f: Filter) -> dict[str, Any]:
    if f == EventFilter():
        return _answer(v, request, "stats")
    return _json(json_bytes(v.stats(f)))


@router.get("/labels", summary="Place names for a map without tiles: capitals, then the places of the events")
def labels(v: V, request: Request) -> list[dict[str, Any]]:
    return _answer(v, request, "labels")


def _answer(v: Views, request: Request, name: str) -> Response:
    """A whole-store answer (``Views.answer``); to a client that accepts gzip, compressed once
    per change of the store (the middleware would compress it again for every request)."""
    return _ready(request, lambda gzipped: v.answer(name, gzipped))


def _ready(request: Request, body: Callable[[bool], bytes]) -> Response:
    """An answer kept as JSON (``body(gzipped)``), compressed to a client that accepts gzip."""
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Ready(body(True), media_type="application/json",
                     headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
    return Ready(body(False), media_type="application/json")


def _json(body: bytes) -> Response:
    return Response(body, media_type="application/json")


class Ready(Response):
    """Bytes kept by the views (an answer encoded once per change of the store), sent in
    slices of ``SLICE`` bytes that are views of them, each once the connection has taken the
    one before: no copy per request, and a client reading slowly holds a slice in the
    server's buffers rather than the whole answer (the latest day's control picture is 28 MB
    at 943k events; 16 clients held 16 copies of it)."""

    SLICE = 256 * 1024

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": self.status_code,
                    "headers": self.raw_headers})
        body, n = memoryview(self.body), len(self.body)
        for at in range(0, n, self.SLICE) if n else [0]:
            await send({"type": "http.response.body", "body": body[at:at + self.SLICE],
                        "more_body": at + self.SLICE < n})


@router.get("/places", summary="Places with their control timelines")
def places(
    v: V, request: Request,
    q: Annotated[str | None, Query(max_length=200, description="Place name (Arabic or English) or gazetteer id.")] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> list[dict[str, Any]]:
    return v.places(q, limit) if q else _answer(v, request, f"places:{limit}")


@router.get("/places/{key:path}", summary="One place: what the store knows, its control timeline and events")
def one_place(v: V, key: Annotated[str, Path(max_length=300)]) -> dict[str, Any]:
    out = v.place(key)
    if out is None:
        raise HTTPException(404, f"no place {key!r} in the store")
    return out


@router.get("/control", summary="Every place with its holder on one day")
def control(v: V, request: Request,
            at: Annotated[dt.date, Query(description="The day (YYYY-MM-DD).")]) -> list[dict[str, Any]]:
    return _ready(request, lambda gzipped: v.control_json(at, gzipped))


@router.get("/claims", summary="Contested events: confirmed and denied, differing tolls, different actors blamed")
def claims(
    v: V, request: Request,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    if offset == 0:  # the page the claims page opens on: encoded once per change of the store
        return _answer(v, request, f"claims:{limit}")
    return v.claims_page(limit, offset)


@router.get("/sources", summary="Outlets and the sources they cite, with stance counts")
def sources(v: V, request: Request) -> dict[str, Any]:
    return _answer(v, request, "sources")


@router.get("/actors", summary="Every actor seen in an event")
def actors(v: V, request: Request) -> list[dict[str, Any]]:
    return _answer(v, request, "actors")
