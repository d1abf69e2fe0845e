"""Who held each place on each day: control timelines from territory_control and withdrawal
events, with the claims that support and contradict each change.

A place's timeline is the sequence of its control changes, oldest first: an actor taking
control starts a period of that actor; a withdrawal ends the withdrawing actor's period (the
next holder is unknown until an event names one). A change that every source denies is listed
but changes nothing; a contested change is kept, with its denials as contradicting claims.
Reports that an actor still holds a place ("لا تزال تحت سيطرة") continue its period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..store import Store

ASSERT = ("claims", "confirms", "reports")
SCOPES = {2: "around", 3: "district", 4: "governorate", 5: "region", 6: "country"}
LABELS = {"around": "the area around or parts of {}", "district": "the district or countryside of {}",
          "governorate": "{} (governorate)", "region": "{} (region)", "country": "{} (country)"}


@dataclass
class Period:
    """One holder of a place from a date until the next change (None: still holding)."""

    actor: str | None
    start: dt.date | None
    end: dt.date | None = None
    events: list[str] = field(default_factory=list)
    supporting: list[dict] = field(default_factory=list)
    contradicting: list[dict] = field(default_factory=list)
    note: str = ""

    def as_dict(self) -> dict:
        return {"actor": self.actor, "from": self.start.isoformat() if self.start else None,
                "until": self.end.isoformat() if self.end else None, "events": self.events,
                "supporting": [_claim(c) for c in self.supporting],
                "contradicting": [_claim(c) for c in self.contradicting], "note": self.note}


@dataclass
class Timeline:
    """The control periods of one place, or of the area around it (or parts of it): a claim
    on "the areas around Hama" or "parts of southern Aleppo" (a place of precision 2 or more)
    has a timeline of its own, never the place's."""

    key: str
    name: str
    name_ar: str | None
    lat: float | None
    lon: float | None
    precision: int | None
    periods: list[Period] = field(default_factory=list)

    @property
    def around(self) -> bool:
        """Whether this is not the place itself but an area it names (around it, parts of
        it, its countryside: precision 2 or more)."""
        return "~" in self.key

    @property
    def scope(self) -> str:
        """What the timeline is of: the place, or the area around it or parts of it (precision
        2), its district or countryside (3), or the wider area it stands for (4: governorate,
        5: region, 6: country)."""
        return SCOPES.get(self.precision, "area") if self.around else "place"

    @property
    def label(self) -> str:
        """The place's names, said as what the timeline is of ("the area around or parts of
        حماة Hama", "the district or countryside of ...")."""
        names = f"{self.name_ar or ''} {self.name}".strip()
        return names if not self.around else LABELS.get(self.scope, "{} (area)").format(names)

    def at(self, day: dt.date) -> Period | None:
        for p in reversed(self.periods):
            if p.start is None or p.start <= day:
                return p if (p.end is None or day < p.end) else None
        return None

    def spans(self) -> list[tuple[int, dt.date | None, dt.date | None]]:
        """The days on which ``at`` answers each period with a holder: (its index, first day,
        last day), None where open. ``at`` answers the last period begun by a day (each answers
        from its start until a later one begins), so long as it has not ended."""
        begun: list[tuple[dt.date | None, int]] = []  # (day, index): answered from that day
        for start, i in sorted(((p.start, i) for i, p in enumerate(self.periods)),
                               key=lambda s: (s[0] is not None, s[0] or dt.date.min, s[1])):
            if not begun or i > begun[-1][1]:
                begun = begun[:-1] if begun and begun[-1][0] == start else begun
                begun.append((start, i))
        out = []
        for k, (first, i) in enumerate(begun):
            p = self.periods[i]
            ends = [d for d in ((begun[k + 1][0] if k + 1 < len(begun) else None), p.end) if d]
            last = min(ends) - dt.timedelta(days=1) if ends else None
            if p.actor is not None and (first is None or last is None or first <= last):
                out.append((i, first, last))
        return out

    def as_dict(self) -> dict:
        return {"place": self.name, "place_ar": self.name_ar, "key": self.key, "lat": self.lat,
                "lon": self.lon, "precision": self.precision,
                "scope": self.scope, "label": self.label,
                "periods": [p.as_dict() for p in self.periods]}


def _claim(c: dict) -> dict:
    return {"source": c["source"], "stance": c["stance"], "outlet": c.get("outlet"),
            "text": c.get("text"), "event_id": c.get("event_id")}


def timelines(store: Store) -> dict[str, Timeline]:
    """Every place's control timeline, keyed by gazetteer id (or name for unknown places),
    built by a pass over the store's territorial events (the writer keeps them too: see
    ``Store.timelines_of``)."""
    return build_timelines(store.territorial_events())


def kept_timelines(store: Store) -> dict[str, Timeline]:
    """Every place's control timeline as the writer keeps it (``Store.timelines_of``), by key:
    what ``timelines`` builds by a pass over every territorial event and its claims, read
    from a few rows a place."""
    rows = store.timelines_of(sorted(r["key"] for r in store.timeline_places()))
    out = {}
    for key, r in rows.items():
        tl = out[key] = Timeline(key, r["name"], r["name_ar"], r["lat"], r["lon"], r["precision"])
        tl.periods = [Period(p["actor"], _day(p["from"]), _day(p["until"]), p["events"],
                             p["supporting"], p["contradicting"], p["note"]) for p in r["periods"]]
    return out


def _day(iso: str | None) -> dt.date | None:
    return dt.date.fromisoformat(iso) if iso else None


def timeline_key(ev: dict) -> str:
    """The timeline an event of a place belongs to: its gazetteer id (or ``name:`` and its
    name), and ``~`` and its precision when it is not the place itself ("near Aleppo",
    precision 2, gets a timeline of its own)."""
    return (ev["gazetteer_id"] or f"name:{ev['place_name']}") + (
        f"~{ev['precision']}" if (ev["precision"] or 1) > 1 else "")


def build_timelines(evs: Iterable[dict]) -> dict[str, Timeline]:
    """The control timelines of territorial events (``Store.territorial_events``, in order)."""
    out: dict[str, Timeline] = {}
    for ev in evs:
        if ev["place_name"] is None:
            continue
        key = timeline_key(ev)
        tl = out.get(key)
        if tl is None:
            tl = out[key] = Timeline(key, ev["place_name"], ev["place_name_ar"], ev["lat"],
                                     ev["lon"], ev["precision"])
        _apply(tl, ev)
    return out


def _apply(tl: Timeline, ev: dict) -> None:
    supporting = [c for c in ev["claims"] if c["stance"] in ASSERT]
    contradicting = [c for c in ev["claims"] if c["stance"] == "denies"]
    day = ev["date"] or ev["first_reported"]
    current = tl.periods[-1] if tl.periods else None
    if ev["status"] == "denied":
        target = current or Period(None, None)
        target.contradicting += contradicting
        if current is None:
            tl.periods.append(Period(None, None, events=[ev["id"]], contradicting=contradicting,
                                     note=f"a denied {ev['kind']} by {ev['actor1'] or 'unknown'}"))
        return
    if ev["kind"] in ("territory_control", "territory_held"):
        actor = ev["actor1"]
        if current is not None and current.actor == actor:
            current.events.append(ev["id"])  # the same holder, reported again
            current.supporting += supporting
            current.contradicting += contradicting
            return
        _close(current, day)
        tl.periods.append(Period(actor, day, events=[ev["id"]], supporting=supporting,
                                 contradicting=contradicting))
    else:  # a withdrawal ends the withdrawing actor's hold
        actor = ev["actor1"]
        if current is not None and current.actor not in (actor, None):
            current.contradicting += contradicting
            current.events.append(ev["id"])
            return  # someone else already holds it
        _close(current, day)
        tl.periods.append(Period(None, day, events=[ev["id"]], supporting=supporting,
                                 contradicting=contradicting,
                                 note=f"{actor or 'an actor'} withdrew; the next holder is not reported"))


def _close(period: Period | None, day: dt.date | None) -> None:
    if period is not None and period.end is None:
        period.end = day


def find_place(tls: dict[str, Timeline], query: str) -> list[Timeline]:
    """Timelines whose place matches a gazetteer id, an English name or an Arabic name."""
    from ..text.normalize import normalize_key

    q = query.strip().lower()
    qa = normalize_key(query)
    exact = [t for t in tls.values() if q in (t.key.lower(), t.key.split("~")[0].lower(), t.name.lower())
             or (t.name_ar and normalize_key(t.name_ar) == qa)]
    if exact:
        return exact
    return [t for t in tls.values() if q in t.name.lower()
            or (t.name_ar and qa in normalize_key(t.name_ar))]


def control_at(store: Store, day: dt.date) -> list[tuple[Timeline, Period]]:
    """Every place with its holder on ``day`` (places with no known holder then are left out),
    from the timelines the writer keeps."""
    return held_at(kept_timelines(store), day)


def held_at(tls: dict[str, Timeline], day: dt.date) -> list[tuple[Timeline, Period]]:
    """The places of ``tls`` with a known holder on ``day``, by name."""
    out = []
    for tl in tls.values():
        p = tl.at(day)
        if p is not None and p.actor is not None:
            out.append((tl, p))
    return sorted(out, key=lambda tp: (tp[0].name, tp[0].around, tp[0].key))
