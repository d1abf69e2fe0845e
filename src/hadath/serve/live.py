"""The live parts of the site: ``/api/changes`` (what the store gained since a counter, polled
by the map for its "new since you opened this page" counter and new markers) and ``/brief``
(the morning brief of a chosen day, as :mod:`hadath.brief` writes it)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import HTMLResponse

from .api import V, Filter

router = APIRouter()


@router.get("/api/changes", summary="What the store gained after a counter (for live pages)")
def changes(
    v: V, f: Filter,
    after: Annotated[int | None, Query(ge=0, description="The counter of a previous answer; "
                                                         "absent: only the current counter.")] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="New events returned at most.")] = 500,
) -> dict[str, Any]:
    """``counter``: the id of the last stored report; ``new``: events (matching the filters,
    those of ``/api/points``) first reported after the counter ``after``; ``updated``: events
    with a report after it but an older first one; ``rows``: the new located events as
    ``/api/points`` rows."""
    from ..changes import changes as gained

    return gained(v.store, after, f, limit)


@router.get("/brief", include_in_schema=False, response_class=HTMLResponse)
def brief_page(
    v: V,
    date: Annotated[dt.date | None, Query(description="The day (default: the last with events).")] = None,
    area: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    from ..brief import Area, build, period_of, render_html
    from ..errors import BriefError

    try:
        period = period_of(v.store, date)
    except BriefError:  # an empty store: today, with nothing in it
        today = dt.date.today()
        period = period_of(v.store, today)
    try:
        page = render_html(build(v.store, period, Area(area or None)), base_url="", picker=True)
    except BriefError as exc:
        raise HTTPException(400, str(exc)) from None
    return HTMLResponse(page)
