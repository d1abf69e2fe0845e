"""Measure the store against a reference event set (UCDP GED or ACLED exports).

A store event matches when a reference event lies within ``km`` of its point and their dates
overlap within ``days``. Precision is the share of the store's events that match one; recall
the share of reference events that one of the store's events matches. Only the reference's
countries and the days both cover are compared: the articles' publication days and the day
before each (a store without any such day in the reference's span is an error, not an empty
score). A baseline puts every store event at its
governorate's centroid, to show what the place resolution adds.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ExportError
from .geo import distance_km
from .store import Store

REQUIRED = {
    "ucdp": ("latitude", "longitude", "date_start", "date_end", "best", "type_of_violence", "country"),
    "acled": ("event_date", "latitude", "longitude", "fatalities", "event_type", "country"),
}
UCDP_TYPES = {"1": "state-based", "2": "non-state", "3": "one-sided"}


@dataclass(frozen=True, slots=True)
class RefEvent:
    lat: float
    lon: float
    start: dt.date
    end: dt.date
    kind: str
    fatalities: int | None
    country: str


def read_reference(path: str | Path, fmt: str) -> list[RefEvent]:
    """Reference events from a UCDP GED or ACLED CSV (plain or .gz), by their own columns."""
    if fmt not in REQUIRED:
        raise ExportError(f"unknown reference format {fmt!r}: ucdp or acled")
    p = Path(path)
    if not p.is_file():
        raise ExportError(f"{p}: no such reference file")
    opener = gzip.open if p.name.endswith(".gz") else open
    out = []
    with opener(p, "rt", encoding="utf-8-sig", newline="") as fh:  # type: ignore[operator]
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED[fmt] if c not in (reader.fieldnames or [])]
        if missing:
            raise ExportError(f"{p}: not {'an' if fmt.upper()[0] in 'AEIOU' else 'a'} {fmt.upper()} "
                              f"file: no column {', '.join(missing)}")
        for r in reader:
            try:
                if fmt == "ucdp":
                    start = dt.date.fromisoformat(r["date_start"][:10])
                    end = dt.date.fromisoformat(r["date_end"][:10])
                    kind = UCDP_TYPES.get(r["type_of_violence"], r["type_of_violence"])
                    deaths = int(float(r["best"])) if r["best"] else None
                else:
                    start = end = _acled_date(r["event_date"])
                    kind = r["event_type"]
                    deaths = int(float(r["fatalities"])) if r["fatalities"] else None
                out.append(RefEvent(float(r["latitude"]), float(r["longitude"]), start, end, kind,
                                    deaths, r["country"]))
            except (ValueError, KeyError):
                continue  # a row without coordinates or dates cannot be matched
    return out


def _acled_date(value: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


@dataclass
class Scores:
    events: int = 0
    matched: int = 0
    distances: list[float] = field(default_factory=list)
    fatality_pairs: int = 0
    fatality_agree: int = 0

    def as_dict(self) -> dict:
        return {"events": self.events, "matched": self.matched,
                "precision": round(self.matched / self.events, 4) if self.events else None,
                "median_km": round(statistics.median(self.distances), 1) if self.distances else None,
                "fatality_pairs": self.fatality_pairs,
                "fatality_agreement": round(self.fatality_agree / self.fatality_pairs, 4)
                if self.fatality_pairs else None}


def evaluate(store: Store, reference: list[RefEvent], km: float = 25.0, days: int = 1,
             since: dt.date | None = None, until: dt.date | None = None,
             baseline: bool = False, max_precision: int = 6) -> dict:
    """Precision, recall, median distance and fatality agreement, overall and per kind."""
    countries = {r.country for r in reference}
    mine = [e for e in store.all_events() if e["lat"] is not None and e["date"] is not None
            and e["country"] in countries and (e["precision"] or 9) <= max_precision]
    if not mine:
        raise ExportError("the store has no located, dated events in the reference's countries "
                          f"({', '.join(sorted(countries)) or 'none'})")
    # The days compared: those the articles were published, and the day before (news reports
    # what happened yesterday; an event an article dates years back is history, not coverage),
    # within the reference's span and the caller's bounds. Not every day from the first article
    # to the last: a reference event of a day no article covers cannot be recalled.
    published = store.publication_days() or {e["first_reported"] or e["date"] for e in mine}
    ref_lo, ref_hi = min(r.start for r in reference), max(r.end for r in reference)
    covered = {d - dt.timedelta(days=back) for d in published for back in (0, 1)}
    covered = {d for d in covered if ref_lo <= d <= ref_hi and (since is None or d >= since)
               and (until is None or d <= until)}
    if not covered:
        bounds = "" if since is None and until is None else (
            f" and the bounds {since or '…'} to {until or '…'}")
        raise ExportError(f"nothing to compare: the reference spans {ref_lo} to {ref_hi}, the "
                          f"articles were published {min(published)} to {max(published)}{bounds}; "
                          "no day is in both")
    mine = [e for e in mine if e["date"] in covered]
    compared = [k for k, r in enumerate(reference) if _covers(r, covered)]
    lo, hi = min(covered), max(covered)
    # every reference event can be matched (a store event on day d, one of d - days..d + days);
    # recall is over the reference events of the days compared
    refs = reference
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for k, r in enumerate(refs):
        d = r.start
        while d <= r.end and (d - r.start).days <= 31:
            by_day[d].append(k)
            d += dt.timedelta(days=1)
    centroids = _centroids() if baseline else {}
    overall, per_kind = Scores(), defaultdict(Scores)
    ref_hit = [False] * len(refs)
    for e in mine:
        lat, lon = centroids.get(e["admin1"] or "", (e["lat"], e["lon"])) if baseline else (e["lat"], e["lon"])
        near = {k for off in range(-days, days + 1)
                for k in by_day.get(e["date"] + dt.timedelta(days=off), [])}
        best_k, best_d = None, float("inf")
        for k in near:
            d = distance_km(lat, lon, refs[k].lat, refs[k].lon)
            if d <= km:
                ref_hit[k] = True
            if d < best_d:
                best_k, best_d = k, d
        for s in (overall, per_kind[e["kind"]]):
            s.events += 1
            if best_k is not None and best_d <= km:
                s.matched += 1
                s.distances.append(best_d)
                a, b = e["fatalities"], refs[best_k].fatalities
                if a is not None and b is not None:
                    s.fatality_pairs += 1
                    s.fatality_agree += abs(a - b) <= max(1, 0.25 * max(a, b))
    recall_by: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for k in compared:
        recall_by[refs[k].kind][0] += 1
        recall_by[refs[k].kind][1] += ref_hit[k]
    hits = sum(ref_hit[k] for k in compared)
    return {
        "km": km, "days": days, "from": lo.isoformat(), "until": hi.isoformat(),
        "days_compared": len(covered),
        "baseline": "governorate centroid" if baseline else None,
        "reference_events": len(compared),
        "overall": {**overall.as_dict(),
                    "recall": round(hits / len(compared), 4) if compared else None},
        "per_kind": {k: s.as_dict() for k, s in sorted(per_kind.items(), key=lambda kv: -kv[1].events)},
        "recall_per_reference_type": {k: {"events": n, "matched": m, "recall": round(m / n, 4)}
                                      for k, (n, m) in sorted(recall_by.items())},
    }


def _covers(r: RefEvent, days: set[dt.date]) -> bool:
    """Whether a reference event falls on one of ``days`` (its first 32 days looked at)."""
    d = r.start
    while d <= r.end and (d - r.start).days <= 31:
        if d in days:
            return True
        d += dt.timedelta(days=1)
    return False


def _centroids() -> dict[str, tuple[float, float]]:
    from .geo import default_gazetteer

    gaz = default_gazetteer()
    rows = gaz.store._rows("WHERE p.feature = 'admin1'", ())
    return {r.admin1 or r.name: (r.lat, r.lon) for r in rows}
