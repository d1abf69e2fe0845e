"""Contradictions between sources: one confirms what another denies, fatality figures that
differ beyond a tolerance, different actors blamed for one event."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Event
from ..store import Store
from .merge import same_actor

# Fatality figures disagree when the higher is over half again the lower, and 3 or more apart.
FATALITY_RATIO = 1.5
FATALITY_GAP = 3


@dataclass
class Contradiction:
    event: dict
    kinds: list[str]
    sides: list[dict] = field(default_factory=list)  # {"label": ..., "claims": [...]}

    def as_dict(self) -> dict:
        ev = self.event
        return {"event_id": ev["id"], "kind": ev["kind"], "date": str(ev["date"]),
                "place": ev["place_name"], "place_ar": ev["place_name_ar"],
                "status": ev["status"], "contradictions": self.kinds, "sides": self.sides}


def contradictions(store: Store, limit: int | None = None, offset: int = 0
                   ) -> tuple[int, list[Contradiction]]:
    """How many events sources disagree on, and one page of them (newest first), each with
    each side's sources and sentences. The writer keeps the list (see ``disagreements``), so
    a page reads its own events only, however large the store."""
    total, rows = store.contested_page(limit, offset)
    evs = [{k: v for k, v in ev.items() if k != "kinds"} for ev in rows]
    # (the page's reports and claims read at once: a few statements, not a few per event)
    reports = store.reports_of([ev["id"] for ev in evs if _may_disagree(ev)])
    claims = store.claims_of([ev["id"] for ev in evs if ev["status"] == "contested"])
    return total, [_check(store, ev, reports.get(ev["id"], []), claims.get(ev["id"], [])) or
                   Contradiction(row, row["kinds"]) for ev, row in zip(evs, rows, strict=True)]


def disagreements(ev: dict, blamed: list[str | None]) -> list[str]:
    """What sources disagree on about a merged event (a row of ``events``), given the actor
    each of its reports blames: one confirms what another denies; the fatality figures differ
    (the higher over half again the lower, and 3 or more apart); actors that are not one
    blamed. Adding a report never ends a disagreement: a denial stays, the range of figures
    only widens, the actors blamed only grow (so the writer records it, and never takes it
    back)."""
    kinds: list[str] = []
    if ev["status"] == "contested":
        kinds.append("confirmed and denied")
    low, high = ev["fatalities_low"], ev["fatalities_high"]
    if low is not None and high is not None and high > low * FATALITY_RATIO and high - low >= FATALITY_GAP:
        kinds.append(f"fatalities differ: {low} to {high}")
    distinct = list(dict.fromkeys(a for a in blamed if a))
    if len(distinct) > 1 and any(not same_actor(a, None, b, None)
                                 for i, a in enumerate(distinct) for b in distinct[i + 1:]):
        kinds.append("different actors blamed: " + ", ".join(distinct))
    return kinds


def _may_disagree(ev: dict) -> bool:
    """Whether sources can disagree about an event: a denial, or more than one report (a
    range "between 10 and 20 killed" in one report is not a disagreement)."""
    return ev["status"] == "contested" or ev["n_reports"] >= 2


def _check(store: Store, ev: dict, rows: list[dict] | None = None,
           claims: list[dict] | None = None) -> Contradiction | None:
    """The disagreements about one event, with each side's sources and sentences (``rows``:
    its reports, ``claims``: its claims, when already read)."""
    if not _may_disagree(ev):
        return None
    if rows is None:
        with store.engine.connect() as conn:
            rows = store.event_reports(conn, ev["id"])
    reports = [(Event.model_validate(r["record"]), r) for r in rows]
    kinds = disagreements(ev, [e.actor1 for e, _ in reports])
    if not kinds:
        return None
    sides: list[dict] = []
    if ev["status"] == "contested":
        if claims is None:
            claims = store.claims_of([ev["id"]]).get(ev["id"], [])
        sides.append({"label": "asserts", "claims": [_c(c) for c in claims if c["stance"] != "denies"]})
        sides.append({"label": "denies", "claims": [_c(c) for c in claims if c["stance"] == "denies"]})
    if any(k.startswith("fatalities differ") for k in kinds):
        for figure in sorted({e.fatalities for e, _ in reports if e.fatalities is not None}):
            sides.append({"label": f"{figure} killed", "claims": [
                {**_c_from(e, doc), "fatalities": figure} for e, doc in reports if e.fatalities == figure]})
    blamed = list(dict.fromkeys(e.actor1 for e, _ in reports if e.actor1))
    if any(k.startswith("different actors blamed") for k in kinds):
        for actor in blamed:
            sides.append({"label": f"blames {actor}", "claims": [
                _c_from(e, doc) for e, doc in reports if e.actor1 == actor]})
    return Contradiction(ev, kinds, sides)


def _c(c: dict) -> dict:
    return {"source": c["source"], "stance": c["stance"], "hedged": c["hedged"],
            "outlet": c.get("outlet"), "url": c.get("url"),
            "text": c.get("sentence") or c["text"], "claim": c["text"]}


def _c_from(e: Event, doc: dict) -> dict:
    return {"sources": [c.source for c in e.claims], "outlet": doc["source"], "url": doc["url"],
            "text": " | ".join(x.text for x in e.evidence)}
