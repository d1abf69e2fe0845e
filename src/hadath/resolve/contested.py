"""Contradictions between sources: one confirms what another denies, fatality figures that
differ beyond a tolerance, different actors blamed for one event."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Event
from ..store import EventFilter, Store
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


def contradictions(store: Store) -> list[Contradiction]:
    """Every event on which sources disagree, with each side's sources and sentences.

    Only events with a denial or with two reports or more can hold a disagreement (a range
    within one report, "between 10 and 20 killed", is not one), so only those are read further.
    """
    out = []
    for ev in store.query_events(EventFilter()):
        if ev["status"] != "contested" and ev["n_reports"] < 2:
            continue
        found = _check(store, ev)
        if found is not None:
            out.append(found)
    return out


def _check(store: Store, ev: dict) -> Contradiction | None:
    kinds: list[str] = []
    sides: list[dict] = []
    claims = store.claims_of([ev["id"]]).get(ev["id"], [])
    if ev["status"] == "contested":
        kinds.append("confirmed and denied")
        sides.append({"label": "asserts", "claims": [_c(c) for c in claims if c["stance"] != "denies"]})
        sides.append({"label": "denies", "claims": [_c(c) for c in claims if c["stance"] == "denies"]})
    low, high = ev["fatalities_low"], ev["fatalities_high"]
    reports = None
    if low is not None and high is not None and high > low * FATALITY_RATIO and high - low >= FATALITY_GAP:
        kinds.append(f"fatalities differ: {low} to {high}")
        reports = reports or _reports(store, ev)
        for figure in sorted({e.fatalities for e, _ in reports if e.fatalities is not None}):
            sides.append({"label": f"{figure} killed", "claims": [
                {**_c_from(e, doc), "fatalities": figure} for e, doc in reports if e.fatalities == figure]})
    reports = reports or _reports(store, ev)
    blamed = [e.actor1 for e, _ in reports if e.actor1]
    distinct = list(dict.fromkeys(blamed))
    if len(distinct) > 1 and any(not same_actor(a, None, b, None)
                                 for i, a in enumerate(distinct) for b in distinct[i + 1:]):
        kinds.append("different actors blamed: " + ", ".join(distinct))
        for actor in distinct:
            sides.append({"label": f"blames {actor}", "claims": [
                _c_from(e, doc) for e, doc in reports if e.actor1 == actor]})
    return Contradiction(ev, kinds, sides) if kinds else None


def _reports(store: Store, ev: dict) -> list[tuple[Event, dict]]:
    with store.engine.connect() as conn:
        rows = store.event_reports(conn, ev["id"])
    return [(Event.model_validate(r["record"]), r) for r in rows]


def _c(c: dict) -> dict:
    return {"source": c["source"], "stance": c["stance"], "hedged": c["hedged"],
            "outlet": c.get("outlet"), "url": c.get("url"),
            "text": c.get("sentence") or c["text"], "claim": c["text"]}


def _c_from(e: Event, doc: dict) -> dict:
    return {"sources": [c.source for c in e.claims], "outlet": doc["source"], "url": doc["url"],
            "text": " | ".join(x.text for x in e.evidence)}
