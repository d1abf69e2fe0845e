"""Alerts: rules an analyst subscribes to, checked against the store after each ingest or
watch round, delivered to standard output, a JSON Lines file, a webhook or e-mail.

Rules live in a TOML file (``alerts.toml``)::

    base_url = "http://127.0.0.1:8000"     # links to the event pages

    [channels.desk]
    type = "webhook"
    url = "https://hooks.example.org/hadath"

    [[rule]]
    name = "deadly strikes around Idlib"
    on = "event"                  # event, control, contested or self_contradiction
    kind = ["air_strike", "shelling"]
    near = [35.93, 36.63]
    km = 40
    min_fatalities = 3

Each rule fires on one thing (``on``):

* ``event``: an event first reported after the rule was added that matches its filters
  (``kind``, ``place``, ``near`` + ``km`` or ``bbox``, ``actor``, ``min_fatalities``, ``status``);
* ``control``: a change of control (a place taken, or a withdrawal) of a place matching
  ``place``/``near``/``bbox`` (and ``actor``: the new holder or the side withdrawing);
* ``contested``: an event on which sources come to disagree (confirmed and denied, tolls apart,
  different actors blamed);
* ``self_contradiction``: an outlet or a cited source contradicting its own earlier report of
  an event (asserting then denying, a different toll, a different actor blamed).

An alert carries the event (or the control change), its sentences and its sources, and a link
to its page. It is sent once on each channel; when a later report merged into the event
changes it (more reports, a new toll, a new status...), an *update* is sent with what changed,
not a new alert. What was sent is kept in the store (``alert_rules``, ``alert_log``); a channel
that fails (a webhook down after its retries) is tried again at the next check.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import smtplib
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Integer, MetaData, String, Table, Text, func, select, update

from . import __version__
from .errors import AlertError

ON = ("event", "control", "contested", "self_contradiction")
FILTERS = {"kind", "place", "near", "km", "bbox", "actor", "min_fatalities", "status", "source"}
CHANNEL_TYPES = ("stdout", "jsonl", "webhook", "email")
# what makes an event's alert change: an update is sent when one of these does
EVENT_FIELDS = ("kind", "date", "place_name", "place_name_ar", "actor1", "actor2", "fatalities",
                "fatalities_high", "status", "n_reports", "n_sources")

alert_meta = MetaData()

alert_rules = Table(
    "alert_rules", alert_meta,
    Column("name", Text, primary_key=True),
    Column("start", Integer, nullable=False),  # reports up to this id were there before the rule
    Column("counter", Integer, nullable=False),  # reports up to this id have been checked
    Column("created_at", DateTime, nullable=False),
    Column("checked_at", DateTime),
)

alert_log = Table(
    "alert_log", alert_meta,
    Column("rule", Text, primary_key=True),
    Column("subject", Text, primary_key=True),  # event:ID, control:KEY:DATE:ACTOR, ...
    Column("channel", Text, primary_key=True),
    Column("state", String(16), nullable=False),  # sent, failed
    Column("fingerprint", String(64)),  # of the state last sent (None: never sent)
    Column("snapshot", JSON),  # the fields last sent, to say what an update changed
    Column("payload", JSON),  # the alert last tried (sent again while failing)
    Column("attempts", Integer, nullable=False, default=0),
    Column("updates", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("first_sent_at", DateTime), Column("last_sent_at", DateTime),
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


# --- rules ------------------------------------------------------------------------------------

@dataclass
class Rule:
    name: str
    on: str = "event"
    kind: list[str] = field(default_factory=list)
    place: str | None = None
    near: tuple[float, float] | None = None
    km: float = 25.0
    bbox: tuple[float, float, float, float] | None = None  # south, west, north, east
    actor: str | None = None
    min_fatalities: int | None = None
    status: list[str] = field(default_factory=list)
    source: str | None = None  # self_contradiction: only this outlet or cited source
    channels: list[str] = field(default_factory=list)  # empty: every channel
    backfill: bool = False  # also alert on what the store held before the rule was added


@dataclass
class Channel:
    name: str
    type: str
    options: dict[str, Any]


@dataclass
class Rules:
    rules: list[Rule]
    channels: dict[str, Channel]
    base_url: str = "http://127.0.0.1:8000"
    path: str = ""


def _list(value: Any, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise AlertError(f"{what}: a string or a list of strings")


def load_rules(path: str | Path) -> Rules:
    """Read and check a rules file; an AlertError names what is wrong and where."""
    from .models import KINDS

    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AlertError(f"{p}: no such rules file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AlertError(f"{p}: cannot be read ({exc.__class__.__name__})") from None
    except tomllib.TOMLDecodeError as exc:
        raise AlertError(f"{p}: not valid TOML ({exc})") from None
    unknown = set(data) - {"base_url", "channels", "rule", "rules"}
    if unknown:
        raise AlertError(f"{p}: unknown setting {sorted(unknown)[0]!r} (base_url, [channels.NAME], [[rule]])")
    channels: dict[str, Channel] = {}
    for name, opts in (data.get("channels") or {"stdout": {"type": "stdout"}}).items():
        if not isinstance(opts, dict) or opts.get("type") not in CHANNEL_TYPES:
            raise AlertError(f"{p}: channel {name!r} needs a type: one of {', '.join(CHANNEL_TYPES)}")
        need = {"jsonl": ("path",), "webhook": ("url",), "email": ("host", "to")}.get(opts["type"], ())
        for key in need:
            if not opts.get(key):
                raise AlertError(f"{p}: channel {name!r} ({opts['type']}) needs {key!r}")
        if opts["type"] == "webhook" and not str(opts["url"]).startswith(("http://", "https://")):
            raise AlertError(f"{p}: channel {name!r}: the webhook url must be http(s)")
        channels[name] = Channel(name, opts["type"], {k: v for k, v in opts.items() if k != "type"})
    rules = []
    raw = data.get("rule", data.get("rules", []))
    if not isinstance(raw, list) or not raw:
        raise AlertError(f"{p}: no rules (add [[rule]] tables)")
    names = set()
    for n, r in enumerate(raw, 1):
        where = f"{p}: rule {n}"
        if not isinstance(r, dict):
            raise AlertError(f"{where}: not a table")
        extra = set(r) - FILTERS - {"name", "on", "channels", "backfill"}
        if extra:
            raise AlertError(f"{where}: unknown field {sorted(extra)[0]!r} (filters: {', '.join(sorted(FILTERS))})")
        name = r.get("name") or f"rule {n}"
        if name in names:
            raise AlertError(f"{where}: a second rule named {name!r}")
        names.add(name)
        on = r.get("on", "event")
        if on not in ON:
            raise AlertError(f"{where} ({name}): on = {on!r}: one of {', '.join(ON)}")
        kinds = _list(r.get("kind"), f"{where}: kind")
        bad = [k for k in kinds if k not in KINDS]
        if bad:
            raise AlertError(f"{where}: kind {bad[0]!r}: one of {', '.join(KINDS)}")
        near = r.get("near")
        if near is not None:
            if not (isinstance(near, list) and len(near) == 2 and all(isinstance(x, (int, float)) for x in near)):
                raise AlertError(f"{where}: near = [LAT, LON]")
            near = (float(near[0]), float(near[1]))
        bbox = r.get("bbox")
        if bbox is not None:
            if not (isinstance(bbox, list) and len(bbox) == 4 and all(isinstance(x, (int, float)) for x in bbox)):
                raise AlertError(f"{where}: bbox = [SOUTH, WEST, NORTH, EAST]")
            bbox = tuple(float(x) for x in bbox)
        chans = _list(r.get("channels"), f"{where}: channels")
        missing = [c for c in chans if c not in channels]
        if missing:
            raise AlertError(f"{where}: no channel named {missing[0]!r}")
        minf = r.get("min_fatalities")
        if minf is not None and not isinstance(minf, int):
            raise AlertError(f"{where}: min_fatalities is a whole number")
        rules.append(Rule(name, on, kinds, r.get("place"), near, float(r.get("km", 25.0)), bbox,
                          r.get("actor"), minf, _list(r.get("status"), f"{where}: status"),
                          r.get("source"), chans, bool(r.get("backfill", False))))
    return Rules(rules, channels, str(data.get("base_url", "http://127.0.0.1:8000")).rstrip("/"), str(p))


# --- matching ---------------------------------------------------------------------------------

def _place_matches(rule: Rule, name: str | None, name_ar: str | None, admin1: str | None,
                   gid: str | None, lat: float | None, lon: float | None) -> bool:
    from .geo import distance_km
    from .text.normalize import normalize_key

    if rule.place:
        q = rule.place.strip().lower()
        qa = normalize_key(rule.place)
        names = [x.lower() for x in (name, admin1) if x]
        if not (any(q in x for x in names) or gid == rule.place
                or (name_ar and qa and qa in normalize_key(name_ar))):
            return False
    if rule.near is not None and distance_km(lat, lon, *rule.near) > rule.km:
        return False
    if rule.bbox is not None:
        s, w, n, e = rule.bbox
        if lat is None or lon is None or not (s <= lat <= n and w <= lon <= e):
            return False
    return True


def _actor_matches(rule: Rule, *names: str | None) -> bool:
    if not rule.actor:
        return True
    q = rule.actor.lower()
    return any(n and (q in n.lower() or n == rule.actor) for n in names)


def event_matches(rule: Rule, ev: dict) -> bool:
    """Whether a merged event (a row of ``events``) passes a rule's filters."""
    if rule.kind and ev["kind"] not in rule.kind:
        return False
    if rule.status and ev["status"] not in rule.status:
        return False
    if rule.min_fatalities is not None and (ev["fatalities"] or 0) < rule.min_fatalities:
        return False
    if not _actor_matches(rule, ev["actor1"], ev["actor2"], ev.get("actor1_code"), ev.get("actor2_code")):
        return False
    return _place_matches(rule, ev["place_name"], ev["place_name_ar"], ev["admin1"],
                          ev["gazetteer_id"], ev["lat"], ev["lon"])


# --- subjects: what an alert is about -----------------------------------------------------------

@dataclass
class Subject:
    key: str
    kind: str  # event, control, contested, self_contradiction
    title: str
    state: dict  # the fields whose change makes an update
    body: dict  # the rest of the alert: event, sentences, sources...
    new: bool  # may be alerted as new (first reported after the rule was added)
    matches: bool = True

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(json.dumps(self.state, sort_keys=True, default=str).encode()).hexdigest()


def _plain(v: Any) -> Any:
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v


class Checker:
    """Builds the subjects of the rules from the store (events touched since a counter)."""

    def __init__(self, store, base_url: str) -> None:
        self.store = store
        self.base_url = base_url
        self._timelines = None
        self._claims: dict[str, list[dict]] = {}

    def touched(self, since: int) -> dict[str, int]:
        """Events with a report stored after report id ``since``: event id -> its first report id."""
        from .store import reports

        with self.store.engine.connect() as conn:
            recent = select(reports.c.event_id).where(reports.c.id > since).distinct()
            return dict(conn.execute(select(reports.c.event_id, func.min(reports.c.id))
                                     .where(reports.c.event_id.in_(recent))
                                     .group_by(reports.c.event_id)).all())

    def events(self, ids: Iterable[str]) -> dict[str, dict]:
        from .store import events

        ids = list(ids)
        out = {}
        with self.store.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                for r in conn.execute(select(events).where(events.c.id.in_(ids[i:i + 500]))):
                    out[r.id] = dict(r._mapping)
        return out

    def claims(self, event_id: str) -> list[dict]:
        if event_id not in self._claims:
            self._claims.update(self.store.claims_of([event_id]))
            self._claims.setdefault(event_id, [])
        return self._claims[event_id]

    def event_body(self, ev: dict) -> dict:
        cl = self.claims(ev["id"])
        parts = self.store.event_parts(ev["id"])
        sentences = list(dict.fromkeys(e["text"] for e in parts["evidence"] if e["text"]))
        return {"event": {**{k: _plain(ev.get(k)) for k in (
                    "id", "kind", "event_type", "sub_event_type", "date", "place_name", "place_name_ar",
                    "admin1", "country", "lat", "lon", "precision", "actor1", "actor2", "fatalities",
                    "fatalities_low", "fatalities_high", "status", "n_reports", "n_sources")},
                          "url": f"{self.base_url}/event/{ev['id']}"},
                "sentences": sentences[:5],
                "sources": [{"source": c["source"], "stance": c["stance"], "outlet": c.get("outlet"),
                             "url": c.get("url"), "text": c.get("sentence") or c.get("text")}
                            for c in cl][:20]}

    def event_subjects(self, rule: Rule, touched: dict[str, int], start: int,
                       alerted: set[str]) -> list[Subject]:
        out = []
        evs = self.events(touched)
        for eid, ev in evs.items():
            key = f"event:{eid}"
            match = event_matches(rule, ev)
            if not match and key not in alerted:
                continue
            state = {k: _plain(ev[k]) for k in EVENT_FIELDS}
            out.append(Subject(key, "event", _event_title(ev), state, self.event_body(ev),
                               new=touched[eid] > start, matches=match))
        return out

    def control_subjects(self, rule: Rule, touched: dict[str, int], start: int,
                         alerted: set[str]) -> list[Subject]:
        from .resolve import kept_timelines

        if self._timelines is None:
            self._timelines = kept_timelines(self.store)
        out = []
        for tl in self._timelines.values():
            if not _place_matches(rule, tl.name, tl.name_ar, None, tl.key.split("~")[0], tl.lat, tl.lon):
                continue
            for k, p in enumerate(tl.periods):
                if not p.events or not (set(p.events) & touched.keys()):
                    continue
                first = p.events[0]
                # the change itself is the period's first event; later ones confirm it
                key = f"control:{tl.key}:{p.start}:{p.actor or '-'}"
                before = tl.periods[k - 1].actor if k else None
                withdrew = p.actor is None
                if not _actor_matches(rule, p.actor, before if withdrew else None, p.note):
                    continue
                if key not in alerted and first not in touched:
                    continue
                ev = self.events([first]).get(first)
                if ev is None:
                    continue
                state = {"holder": p.actor, "from": _plain(p.start), "until": _plain(p.end),
                         "supporting": sorted({f"{c['source']} {c['stance']}" for c in p.supporting}),
                         "contradicting": sorted({f"{c['source']} {c['stance']}" for c in p.contradicting}),
                         "events": len(p.events)}
                what = (f"{p.note}" if withdrew else f"{p.actor} took control") + f" of {tl.label}"
                body = self.event_body(ev)
                body["control"] = {"place": tl.name, "place_ar": tl.name_ar, "key": tl.key,
                                   "label": tl.label, "holder": p.actor, "previous_holder": before,
                                   "from": _plain(p.start), "note": p.note,
                                   "supporting": [_claim(c) for c in p.supporting],
                                   "contradicting": [_claim(c) for c in p.contradicting],
                                   "url": f"{self.base_url}/place/{tl.key}"}
                out.append(Subject(key, "control", f"{p.start or 'undated'}: {what}", state, body,
                                   new=touched.get(first, 0) > start))
        return out

    def contested_subjects(self, rule: Rule, touched: dict[str, int], start: int,
                           alerted: set[str]) -> list[Subject]:
        from .resolve.contested import _check

        out = []
        for eid, ev in self.events(touched).items():
            if not _filters_of_place_kind(rule, ev):
                continue
            found = _check(self.store, ev)
            if found is None:
                continue
            c = found.as_dict()
            state = {"contradictions": sorted(c["contradictions"]),
                     "sides": sorted(f"{s['label']}: {len(s['claims'])}" for s in c["sides"])}
            body = self.event_body(ev)
            body["contested"] = {"contradictions": c["contradictions"], "sides": _plain(c["sides"])}
            out.append(Subject(f"contested:{eid}", "contested",
                               f"contested: {_event_title(ev)} ({'; '.join(c['contradictions'])})",
                               state, body, new=True))
        return out

    def self_contradiction_subjects(self, rule: Rule, touched: dict[str, int], start: int,
                                    alerted: set[str]) -> list[Subject]:
        out = []
        for eid, ev in self.events(touched).items():
            if ev["n_reports"] < 2 or not _filters_of_place_kind(rule, ev):
                continue
            for who, earlier, later, how in _self_contradictions(self.store, ev, self.claims(eid)):
                if rule.source and rule.source.lower() not in who.lower():
                    continue
                state = {"source": who, "how": how, "earlier": earlier["text"], "later": later["text"]}
                body = self.event_body(ev)
                body["self_contradiction"] = {"source": who, "how": how, "earlier": earlier, "later": later}
                out.append(Subject(f"self:{eid}:{who}", "self_contradiction",
                                   f"{who} contradicts its earlier report: {_event_title(ev)} ({how})",
                                   state, body, new=True))
        return out


def _filters_of_place_kind(rule: Rule, ev: dict) -> bool:
    if rule.kind and ev["kind"] not in rule.kind:
        return False
    return _place_matches(rule, ev["place_name"], ev["place_name_ar"], ev["admin1"],
                          ev["gazetteer_id"], ev["lat"], ev["lon"])


def _claim(c: dict) -> dict:
    return {"source": c.get("source"), "stance": c.get("stance"), "outlet": c.get("outlet"),
            "text": c.get("text")}


def _event_title(ev: dict) -> str:
    place = " ".join(x for x in (ev.get("place_name_ar"), ev.get("place_name")) if x) or "no place"
    deaths = "" if ev.get("fatalities") is None else f", {ev['fatalities']} killed"
    return f"{ev.get('date') or 'undated'} {ev['kind'].replace('_', ' ')} in {place}{deaths} [{ev['status']}]"


def _self_contradictions(store, ev: dict, claims: list[dict]) -> list[tuple[str, dict, dict, str]]:
    """(who, earlier, later, how) for each outlet or cited source whose later article about
    the event contradicts its earlier one."""
    from .models import Event
    from .resolve.contested import FATALITY_GAP, FATALITY_RATIO
    from .resolve.merge import same_actor

    out = []
    with store.engine.connect() as conn:
        rows = store.event_reports(conn, ev["id"])
    by_outlet: dict[str, list[tuple[Event, dict]]] = {}
    for r in rows:
        if r["source"]:
            by_outlet.setdefault(r["source"], []).append((Event.model_validate(r["record"]), r))
    for outlet, reps in by_outlet.items():
        docs = {r["document_id"] for _, r in reps}
        if len(docs) < 2:
            continue
        reps.sort(key=lambda er: (er[1]["published"] or dt.date.min, er[1]["document_id"]))
        first_e, first_r = reps[0]
        for e, r in reps[1:]:
            if r["document_id"] == first_r["document_id"]:
                continue
            how = None
            a, b = first_e.fatalities, e.fatalities
            if a is not None and b is not None and max(a, b) > min(a, b) * FATALITY_RATIO \
                    and abs(a - b) >= FATALITY_GAP:
                how = f"fatalities {a} then {b}"
            elif (first_e.status == "denied") != (e.status == "denied") and "denied" in (first_e.status, e.status):
                how = f"{first_e.status} then {e.status}"
            elif first_e.actor1 and e.actor1 and not same_actor(first_e.actor1, first_e.actor1_type,
                                                               e.actor1, e.actor1_type):
                how = f"blamed {first_e.actor1} then {e.actor1}"
            if how:
                out.append((outlet, _said(first_e, first_r), _said(e, r), how))
                break
    # a cited source (e.g. an observatory) asserting in one article and denying in another
    by_source: dict[str, list[dict]] = {}
    for c in claims:
        by_source.setdefault(c["source"], []).append(c)
    for source, cl in by_source.items():
        if source in by_outlet:
            continue
        asserting = [c for c in cl if c["stance"] in ("claims", "confirms", "reports")]
        denying = [c for c in cl if c["stance"] == "denies"]
        if asserting and denying and {c["document_id"] for c in asserting} != {c["document_id"] for c in denying}:
            first, later = sorted([asserting[0], denying[0]], key=lambda c: c["id"])
            out.append((source, _said_claim(first), _said_claim(later),
                        f"{first['stance']} then {later['stance']}"))
    return out


def _said(e, r: dict) -> dict:
    return {"outlet": r["source"], "published": _plain(r["published"]), "url": r.get("url"),
            "fatalities": e.fatalities, "actor": e.actor1, "status": e.status,
            "text": " | ".join(x.text for x in e.evidence)}


def _said_claim(c: dict) -> dict:
    return {"outlet": c.get("outlet"), "url": c.get("url"), "stance": c["stance"],
            "text": c.get("sentence") or c.get("text")}


# --- delivery ---------------------------------------------------------------------------------

class DeliveryError(Exception):
    pass


def _retrying(send: Callable[[], None], retries: int, wait: float, what: str) -> None:
    last = None
    for attempt in range(retries + 1):
        try:
            send()
            return
        except DeliveryError as exc:
            last = exc
            if getattr(exc, "permanent", False):
                break
        if attempt < retries:
            time.sleep(min(wait * 2 ** attempt, 30.0))
    raise DeliveryError(f"{what}: {last}")


def deliver(channel: Channel, alert: dict, out=None) -> None:
    """Send one alert on one channel (with the channel's retries); DeliveryError if it fails."""
    o = channel.options
    if channel.type == "stdout":
        stream = out or sys.stdout
        stream.write(render_text(alert) + "\n")
        stream.flush()
    elif channel.type == "jsonl":
        path = Path(o["path"]).expanduser()
        try:
            with path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(alert, ensure_ascii=False, default=str) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise DeliveryError(f"{path}: {exc.strerror}") from None
    elif channel.type == "webhook":
        _retrying(lambda: _post(o, alert), int(o.get("retries", 4)), float(o.get("retry_wait", 1.0)),
                  f"webhook {o['url']}")
    elif channel.type == "email":
        _retrying(lambda: _mail(o, alert), int(o.get("retries", 3)), float(o.get("retry_wait", 2.0)),
                  f"e-mail via {o['host']}")


def _post(o: dict, alert: dict) -> None:
    data = json.dumps(alert, ensure_ascii=False, default=str).encode("utf-8")
    headers = {"Content-Type": "application/json; charset=utf-8",
               "User-Agent": f"hadath/{__version__} alerts"}
    for k, v in (o.get("headers") or {}).items():
        headers[str(k)] = os.path.expandvars(str(v))
    req = urllib.request.Request(o["url"], data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=float(o.get("timeout", 10))) as res:
            res.read(65536)
    except urllib.error.HTTPError as exc:
        err = DeliveryError(f"HTTP {exc.code}")
        err.permanent = 400 <= exc.code < 500 and exc.code not in (408, 425, 429)
        raise err from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise DeliveryError(str(getattr(exc, "reason", exc))) from None


def _mail(o: dict, alert: dict) -> None:
    msg = EmailMessage()
    msg["Subject"] = f"[hadath] {'update: ' if alert['alert'] == 'update' else ''}{alert['title']}"
    msg["From"] = o.get("from", "hadath@localhost")
    to = o["to"] if isinstance(o["to"], list) else [o["to"]]
    msg["To"] = ", ".join(to)
    msg["X-Hadath-Alert"] = alert["id"]
    msg.set_content(render_text(alert, long=True))
    msg.add_attachment(json.dumps(alert, ensure_ascii=False, indent=2, default=str).encode("utf-8"),
                       maintype="application", subtype="json", filename="alert.json")
    try:
        cls = smtplib.SMTP_SSL if o.get("ssl") else smtplib.SMTP
        with cls(o["host"], int(o.get("port", 465 if o.get("ssl") else 25)),
                 timeout=float(o.get("timeout", 20))) as smtp:
            if o.get("starttls"):
                smtp.starttls()
            if o.get("username"):
                smtp.login(o["username"], os.environ.get(o.get("password_env", ""), o.get("password", "")))
            smtp.send_message(msg)
    except smtplib.SMTPResponseException as exc:
        err = DeliveryError(f"SMTP {exc.smtp_code} {exc.smtp_error!r}")
        err.permanent = 500 <= exc.smtp_code < 600
        raise err from None
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"{exc.__class__.__name__}: {exc}") from None


def render_text(alert: dict, long: bool = False) -> str:
    """An alert as text: a headline, what changed, the sentences, the sources, the link."""
    head = f"[{alert['rule']}] {'UPDATE ' if alert['alert'] == 'update' else ''}{alert['title']}"
    lines = [head]
    if alert.get("changes"):
        lines.append("  changed: " + "; ".join(f"{k}: {v['from']} → {v['to']}" for k, v in alert["changes"].items()))
    for s in alert.get("sentences", [])[: 5 if long else 1]:
        lines.append(f"  « {s} »")
    if long:
        for c in alert.get("sources", []):
            lines.append(f"  - {c['source']} {c['stance']} ({c.get('outlet') or '?'}): {c.get('text') or ''}")
    ev = alert.get("event") or {}
    if ev.get("url"):
        lines.append(f"  {ev['url']}")
    return "\n".join(lines)


# --- checking -----------------------------------------------------------------------------------

@dataclass
class CheckReport:
    sent: int = 0
    updates: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    alerts: list[dict] = field(default_factory=list)

    def describe(self) -> str:
        s = f"{self.sent} alerts sent ({self.updates} updates)"
        if self.failed:
            s += f", {self.failed} deliveries failed (tried again at the next check): " + "; ".join(self.errors[:3])
        return s


def ensure_tables(store) -> None:
    with store.transaction() as conn:
        alert_meta.create_all(conn, checkfirst=True)


def check(store, rules: Rules, now: Callable[[], dt.datetime] = _now, out=None) -> CheckReport:
    """Check every rule against what the store gained since its last check, and deliver."""
    from .store import reports

    ensure_tables(store)
    report = CheckReport()
    with store.engine.connect() as conn:
        current = conn.execute(select(func.max(reports.c.id))).scalar() or 0
    checker = Checker(store, rules.base_url)
    for rule in rules.rules:
        start, counter = _rule_state(store, rule, current, now())
        with store.engine.connect() as conn:
            logged = [dict(r._mapping) for r in conn.execute(
                select(alert_log).where(alert_log.c.rule == rule.name))]
        alerted = {r["subject"] for r in logged if r["fingerprint"] is not None}
        touched = checker.touched(counter) if current > counter else {}
        build = {"event": checker.event_subjects, "control": checker.control_subjects,
                 "contested": checker.contested_subjects,
                 "self_contradiction": checker.self_contradiction_subjects}[rule.on]
        subjects = build(rule, touched, start, alerted) if touched else []
        channels = [rules.channels[c] for c in (rule.channels or rules.channels)]
        by_key = {(r["subject"], r["channel"]): r for r in logged}
        seen = set()
        for subj in subjects:
            seen.add(subj.key)
            for ch in channels:
                row = by_key.get((subj.key, ch.name))
                _send(store, rule, subj, ch, row, report, now, out)
        # deliveries that failed before and whose subject did not come up again: retried
        for row in logged:
            if row["state"] == "failed" and row["subject"] not in seen and row["payload"]:
                ch = rules.channels.get(row["channel"])
                if ch is not None:
                    _retry(store, rule, row, ch, report, now, out)
        with store.transaction() as conn:
            conn.execute(update(alert_rules).where(alert_rules.c.name == rule.name)
                         .values(counter=current, checked_at=now()))
    return report


def _rule_state(store, rule: Rule, current: int, now: dt.datetime) -> tuple[int, int]:
    with store.transaction() as conn:
        row = conn.execute(select(alert_rules).where(alert_rules.c.name == rule.name)).first()
        if row is None:
            start = 0 if rule.backfill else current
            conn.execute(alert_rules.insert().values(name=rule.name, start=start, counter=start,
                                                     created_at=now))
            return start, start
        return row.start, row.counter


def _alert(rule: Rule, subj: Subject, kind: str, changes: dict | None, now: dt.datetime) -> dict:
    return {"alert": kind, "id": hashlib.sha1(f"{rule.name}|{subj.key}".encode()).hexdigest()[:16],
            "rule": rule.name, "on": subj.kind, "subject": subj.key, "title": subj.title,
            "matches": subj.matches, "changes": changes or {}, "at": now.isoformat(timespec="seconds") + "Z",
            **subj.body}


def _send(store, rule: Rule, subj: Subject, ch: Channel, row: dict | None, report: CheckReport,
          now: Callable[[], dt.datetime], out) -> None:
    sent_before = row is not None and row["fingerprint"] is not None
    if sent_before and row["fingerprint"] == subj.fingerprint:
        return  # sent, unchanged
    if not sent_before and not (subj.new and subj.matches):
        return  # there before the rule, or no longer matching: never alerted
    kind = "update" if sent_before else "new"
    changes = None
    if sent_before:
        old = row["snapshot"] or {}
        changes = {k: {"from": old.get(k), "to": v} for k, v in subj.state.items() if old.get(k) != v}
    alert = _alert(rule, subj, kind, changes, now())
    _deliver_and_log(store, rule, subj.key, ch, row, alert, subj.fingerprint, subj.state, report, now, out)


def _retry(store, rule: Rule, row: dict, ch: Channel, report: CheckReport,
           now: Callable[[], dt.datetime], out) -> None:
    alert = row["payload"]
    fp = hashlib.sha256(json.dumps(alert.get("_state", {}), sort_keys=True, default=str).encode()).hexdigest()
    _deliver_and_log(store, rule, row["subject"], ch, row, alert, fp, alert.get("_state", {}), report, now, out)


def _deliver_and_log(store, rule: Rule, subject: str, ch: Channel, row: dict | None, alert: dict,
                     fingerprint: str, state: dict, report: CheckReport,
                     now: Callable[[], dt.datetime], out) -> None:
    sent_before = row is not None and row["fingerprint"] is not None
    public = {k: v for k, v in alert.items() if k != "_state"}
    error = None
    try:
        deliver(ch, public, out)
    except DeliveryError as exc:
        error = str(exc)
    t = now()
    key = (alert_log.c.rule == rule.name) & (alert_log.c.subject == subject) & (alert_log.c.channel == ch.name)
    if error is None:
        values = dict(state="sent", fingerprint=fingerprint, snapshot=state, payload=None,
                      last_error=None, last_sent_at=t)
        report.sent += 1
        report.updates += public["alert"] == "update"
        report.alerts.append(public)
    else:
        values = dict(state="failed", payload={**public, "_state": state}, last_error=error)
        report.failed += 1
        report.errors.append(f"{ch.name}: {error}")
    with store.transaction() as conn:
        if row is None:
            conn.execute(alert_log.insert().values(
                rule=rule.name, subject=subject, channel=ch.name, attempts=1, updates=0,
                first_sent_at=t if error is None else None, **values))
        else:
            extra = {"attempts": alert_log.c.attempts + 1}
            if error is None and sent_before:
                extra["updates"] = alert_log.c.updates + 1
            if error is None and row["first_sent_at"] is None:
                extra["first_sent_at"] = t
            conn.execute(update(alert_log).where(key).values(**values, **extra))


def sent_log(store) -> list[dict]:
    """What has been sent: one row per rule, subject and channel."""
    from sqlalchemy import inspect

    with store.engine.connect() as conn:
        if not inspect(conn).has_table("alert_log"):
            return []
        return [dict(r._mapping) for r in conn.execute(
            select(alert_log).order_by(alert_log.c.last_sent_at.desc().nulls_last()))]
