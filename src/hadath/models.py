"""Typed records passed between stages: text -> mentions -> events -> store -> views.

All offsets (``start``, ``end``) index the *original* input string, so ``text[start:end]`` is
exactly the characters a field came from.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal[
    "territory_control", "withdrawal", "armed_clash", "air_strike", "shelling", "explosion",
    "attack", "killing", "abduction", "arrest", "displacement", "road_closure", "protest", "riot",
    "agreement", "territory_held", "other",
]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]
VIOLENT_KINDS = frozenset({"armed_clash", "air_strike", "shelling", "explosion", "attack",
                           "killing", "abduction"})
# Fire from the air or from guns: one source's strike is another's shelling ("القصف").
BOMBARDMENT = frozenset({"air_strike", "shelling"})
# Kinds that can be reports of one event: a strike reported by one source as "killing".
FAMILY = {**{k: "violent" for k in VIOLENT_KINDS},
          "territory_control": "territory", "withdrawal": "withdrawal", "protest": "protest",
          "riot": "protest", "arrest": "arrest", "displacement": "displacement",
          "road_closure": "road", "agreement": "agreement", "territory_held": "holding",
          "other": "other"}
# A statement of who holds a place ("لا تزال تحت سيطرة"): evidence for the control timeline,
# never an event of its own on the map or in exports.
STATE_KINDS = frozenset({"territory_held"})
Stance = Literal["claims", "confirms", "denies", "reports"]
Status = Literal["claimed", "confirmed", "denied", "reported", "contested"]
DatePrecision = Literal["day", "week", "month", "year"]


class Record(BaseModel):
    """Immutable, validated, JSON-serialisable."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(Record):
    """Characters [start, end) of the original text, and those characters."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class Place(Record):
    """Where an event happened, as precisely as the text allows.

    ``precision`` follows UCDP's where_prec: 1 the exact place named; 2 within about 25 km of a
    known point ("near", "south of", an unknown landmark in a known town); 3 a district or a
    town's countryside; 4 a governorate/province; 5 a larger region or a line (a road between
    two towns); 6 a country. A coarse place never gets a finer point than its text supports:
    lat/lon are null when no point stands for it (a road, a country). A name the gazetteer
    does not know ("قرية X" with X unknown) is kept as text: precision and point are null.
    """

    name: str
    name_ar: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: int | None = Field(None, ge=1, le=7)
    admin1: str | None = None
    country: str | None = None
    gazetteer_id: str | None = None
    feature: str | None = None
    start: int | None = None
    end: int | None = None
    text: str | None = None


class Claim(Record):
    """One source's stance toward an event, and where the text says so."""

    source: str
    source_code: str | None = None
    stance: Stance
    hedged: bool = False
    via: str | None = None
    start: int
    end: int
    text: str


class Evidence(Span):
    """A sentence that reports the event."""


class Event(Record):
    """One event, coded the way ACLED would, with every field traced to the text."""

    id: str
    doc_id: str | None = None
    kind: Kind
    disorder_type: str
    event_type: str
    sub_event_type: str
    plover: str
    plover_mode: str | None = None
    actor1: str | None = None
    actor1_code: str | None = None
    actor1_type: str | None = None
    actor1_hedged: bool = False
    assoc_actor1: list[str] = Field(default_factory=list)
    actor2: str | None = None
    actor2_code: str | None = None
    actor2_type: str | None = None
    place: Place | None = None
    date: dt.date | None = None
    date_precision: DatePrecision | None = None
    fatalities: int | None = None
    fatalities_high: int | None = None
    claims: list[Claim] = Field(default_factory=list)
    status: Status
    evidence: list[Evidence] = Field(default_factory=list)
    spans: dict[str, list[Span]] = Field(
        default_factory=dict,
        description="For each field (trigger, actor1, actor2, place, date, fatalities), the "
                    "text spans it was read from.")


class Toll(Record):
    """A running or cumulative casualty figure: never one event's fatalities."""

    doc_id: str | None = None
    value: int
    category: Literal["killed", "injured"] = "killed"
    approx: bool = False
    places: list[Place] = Field(default_factory=list)
    source: str | None = None
    date: dt.date | None = None
    start: int
    end: int
    text: str


class Article(Record):
    """What ``hadath.extract`` reads from one article."""

    doc_id: str | None = None
    date: dt.date | None = None
    events: list[Event] = Field(default_factory=list)
    tolls: list[Toll] = Field(default_factory=list)
    background: list[Event] = Field(
        default_factory=list,
        description="Events the article tells as history or context (dated well before it, "
                    "\"منذ\", \"كان قد\"): kept with the article, not stored as news.")
    unplaced: list[Event] = Field(
        default_factory=list,
        description="Events whose text names no place at all: kept with the article for the "
                    "analyst, never put on the map or counted as located events.")
