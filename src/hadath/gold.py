"""Article-level scoring against events coded by hand (``docs/coding.md``, ``eval/gold/``).

A gold event is *found* by a predicted event of an accepted kind (the same kind for the strict
score, the same family for the family score) whose point lies within the gold radius; a gold
place without a point matches by name; a gold event without a place matches any place. Each
predicted event finds at most one gold event and the reverse (greedy, nearest first). Predicted
events left over are false positives, grouped by cause.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ExportError
from .geo import distance_km
from .lexicon import state_of
from .models import FAMILY, STATE_KINDS, Article, Event
from .text import normalize_key, tokenize

ATTRIBUTES = ("actor1", "actor2", "date", "fatalities", "status")
CAUSES = ("historical", "duplicate", "wrong place", "wrong kind", "no event")
HISTORY_DAYS = 7


@dataclass
class GoldArticle:
    docno: str
    split: str
    theatre: str
    pub_date: dt.date | None
    events: list[dict[str, Any]]
    background: list[tuple[int, int]] = field(default_factory=list)


def read_gold(path: str | Path, split: str | None = None) -> list[GoldArticle]:
    """Gold articles from one JSON Lines file (or a folder of them), optionally one split."""
    p = Path(path)
    files = sorted(p.glob("*.jsonl")) if p.is_dir() else [p]
    if not files or not all(f.is_file() for f in files):
        raise ExportError(f"{p}: no gold file")
    out: list[GoldArticle] = []
    for f in files:
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                g = json.loads(line)
                pub = dt.date.fromisoformat(g["pub_date"]) if g.get("pub_date") else None
                art = GoldArticle(g["docno"], g.get("split", "dev"), g.get("theatre", ""), pub,
                                  list(g.get("events", [])),
                                  [tuple(s) for s in g.get("background", [])])
            except (ValueError, KeyError, TypeError) as exc:
                raise ExportError(f"{f}:{n}: not a gold record ({exc})") from None
            if split is None or art.split == split:
                out.append(art)
    return out


def read_articles(path: str | Path, docnos: set[str]) -> dict[str, dict[str, Any]]:
    """The articles named by ``docnos`` from a JSON Lines file (plain or .gz): id, text, source."""
    p = Path(path)
    if not p.is_file():
        raise ExportError(f"{p}: no such articles file")
    opener = gzip.open if p.name.endswith(".gz") else open
    found: dict[str, dict[str, Any]] = {}
    with opener(p, "rt", encoding="utf-8-sig") as fh:  # type: ignore[operator]
        for line in fh:
            try:
                d = json.loads(line)
            except ValueError:
                continue
            key = d.get("docno") or d.get("id") or d.get("doc_id")
            if key in docnos:
                found[key] = d
    missing = docnos - set(found)
    if missing:
        raise ExportError(f"{p}: {len(missing)} gold articles are not in it "
                          f"(first: {sorted(missing)[0]})")
    return found


# --- matching ----------------------------------------------------------------------------------

def _norm_name(s: str | None) -> str:
    s = re.sub(r"\(.*?\)", " ", (s or "").lower())
    s = re.sub(r"[^a-z0-9\u0600-\u06ff ]+", " ", s)
    return " ".join(w for w in s.split() if w not in ("the", "of", "forces", "al"))


def _place_match(g: dict[str, Any] | None, p: Event) -> float | None:
    """Distance-like score (lower is better) when the predicted place fits the gold place."""
    if not g:
        return 0.0
    pl = p.place
    if pl is None:
        return None
    if g.get("lat") is not None and g.get("lon") is not None and pl.lat is not None \
            and pl.lon is not None:
        d = distance_km(g["lat"], g["lon"], pl.lat, pl.lon)
        return d if d is not None and d <= float(g.get("radius_km") or 10) else None
    names = {normalize_key(x) for x in (pl.name_ar, pl.text) if x} | {_norm_name(pl.name)}
    want = {normalize_key(g.get("ar") or ""), _norm_name(g.get("en"))} - {""}
    for w in want:
        for n in names:
            if n and (w == n or (len(w) > 3 and (w in n or n in w))):
                return 0.5
    return None


@dataclass
class Match:
    gold: dict[str, Any]
    pred: Event
    score: float


def _match(gold: list[dict[str, Any]], preds: list[Event], strict: bool) -> list[Match]:
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(preds):
            same = p.kind == g["kind"] if strict else FAMILY.get(p.kind) == FAMILY.get(g["kind"])
            if not same:
                continue
            d = _place_match(g.get("place"), p)
            if d is not None:
                pairs.append((d + (0 if p.kind == g["kind"] else 0.001), gi, pi))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for d, gi, pi in sorted(pairs):
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append(Match(gold[gi], preds[pi], d))
    return out


# --- attributes --------------------------------------------------------------------------------

class ActorNames:
    """Canonical actor names that a gold actor's Arabic words name, through the lexicon."""

    def __init__(self, lexicon: Any) -> None:
        self.lex = lexicon

    def of(self, words: str | None) -> set[str]:
        if not words or self.lex is None:
            return set()
        toks = tokenize(normalize_key(words))
        return {m.entry.record.name for m in self.lex.index.find(toks, frozenset({"actor"}))
                if hasattr(m.entry.record, "name")}

    def bloc(self, name: str | None) -> str | None:
        rec = self.lex.actors.get(name or "") if self.lex is not None else None
        return rec.bloc if rec and rec.bloc else None


_UNKNOWN = ("unidentified", "unknown")
_CROWD = ("protesters", "rioters")


def actor_right(g: dict[str, Any] | None, name: str | None, names: ActorNames) -> bool:
    """A predicted actor agrees with the gold actor: same name (either spelling), the name the
    lexicon gives the gold's Arabic words, or one bloc; no actor where gold has none."""
    if not g or _norm_name(g.get("en")).startswith(_UNKNOWN):
        return name is None or _norm_name(name).startswith(_UNKNOWN)
    if name is None:
        return False
    a, b = _norm_name(g.get("en")), _norm_name(name)
    if a and b and (a == b or a.startswith(b) or b.startswith(a)):
        return True
    lexical = names.of(g.get("ar"))
    if name in lexical:
        return True
    if state_of(g.get("en")) and state_of(g.get("en")) == state_of(name):
        return True  # a state's army, police, intelligence and government are one side
    if a.startswith(_CROWD) and b.startswith(_CROWD):
        return True  # the protesters of a demonstration are its rioters when it turns violent
    bloc = names.bloc(name)
    return bool(bloc and any(names.bloc(x) == bloc for x in lexical | {g.get("en")}))



def _attributes(m: Match, names: ActorNames) -> dict[str, bool]:
    g, p = m.gold, m.pred
    gf = g.get("fatalities")
    pf = p.fatalities
    return {
        "actor1": actor_right(g.get("actor1"), p.actor1, names),
        "actor2": actor_right(g.get("actor2"), p.actor2, names),
        "date": not g.get("date") or (p.date is not None and p.date.isoformat() == g["date"]),
        "fatalities": (gf or 0) == (pf or 0) if gf is not None else pf is None or pf == 0,
        "status": p.status == g.get("status", "reported"),
    }


# --- false positives ---------------------------------------------------------------------------

def _overlaps(ev: Event, spans: Iterable[tuple[int, int] | list[int]]) -> bool:
    return any(e.start < s[1] and s[0] < e.end for e in ev.evidence for s in spans)


def _cause(p: Event, art: GoldArticle, matched: list[Match]) -> str:
    if _overlaps(p, art.background) or (
            p.date and art.pub_date and (art.pub_date - p.date).days > HISTORY_DAYS):
        return "historical"
    for m in matched:
        if FAMILY.get(m.gold["kind"]) == FAMILY.get(p.kind) \
                and _place_match(m.gold.get("place"), p) is not None:
            return "duplicate"
    for g in art.events:
        if _overlaps(p, g.get("evidence", [])):
            return "wrong place" if FAMILY.get(g["kind"]) == FAMILY.get(p.kind) else "wrong kind"
    return "no event"


# --- scoring -----------------------------------------------------------------------------------

def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | None]:
    p = tp / n_pred if n_pred else None
    r = tp / n_gold if n_gold else None
    f = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
    return {"precision": p, "recall": r, "f1": f}


def score(gold: list[GoldArticle], predicted: dict[str, Article], lexicon: Any = None
          ) -> dict[str, Any]:
    """Precision, recall and F1 (strict and by family), attribute agreement on found events,
    false positives by cause, and the same by theatre."""
    names = ActorNames(lexicon)
    totals: Counter[str] = Counter()
    attrs: Counter[str] = Counter()
    causes: Counter[str] = Counter()
    fp_examples: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_theatre: dict[str, Counter[str]] = defaultdict(Counter)
    by_family: dict[str, Counter[str]] = defaultdict(Counter)
    contested = Counter()
    silent = Counter()
    for art in gold:
        preds = [e for e in predicted[art.docno].events if e.kind not in STATE_KINDS] \
            if art.docno in predicted else []
        strict = _match(art.events, preds, strict=True)
        fam = _match(art.events, preds, strict=False)
        t = by_theatre[art.theatre]
        for c in (totals, t):
            c["gold"] += len(art.events)
            c["pred"] += len(preds)
            c["strict_tp"] += len(strict)
            c["family_tp"] += len(fam)
        for g in art.events:
            by_family[FAMILY.get(g["kind"], "other")]["gold"] += 1
        for p in preds:
            by_family[FAMILY.get(p.kind, "other")]["pred"] += 1
        for m in fam:
            by_family[FAMILY.get(m.gold["kind"], "other")]["tp"] += 1
            for k, ok in _attributes(m, names).items():
                attrs[k] += ok
            if m.gold.get("status") == "contested":
                contested["found"] += 1
                contested["right"] += m.pred.status == "contested"
        contested["gold"] += sum(g.get("status") == "contested" for g in art.events)
        found = {id(m.pred) for m in fam}
        for p in preds:
            if id(p) not in found:
                cause = _cause(p, art, fam)
                causes[cause] += 1
                if len(fp_examples[cause]) < 200:
                    fp_examples[cause].append({
                        "docno": art.docno, "kind": p.kind,
                        "place": p.place.name if p.place else None,
                        "evidence": [e.start for e in p.evidence], "fatalities": p.fatalities})
        if not art.events:
            silent["articles"] += 1
            silent["silent"] += not preds
    n_found = totals["family_tp"]
    return {
        "articles": len(gold), "gold_events": totals["gold"], "predicted_events": totals["pred"],
        "strict": _prf(totals["strict_tp"], totals["pred"], totals["gold"]),
        "family": _prf(totals["family_tp"], totals["pred"], totals["gold"]),
        "per_family": {f: {**_prf(c["tp"], c["pred"], c["gold"]), "gold": c["gold"],
                           "predicted": c["pred"]} for f, c in sorted(by_family.items())},
        "attributes": {k: (attrs[k] / n_found if n_found else None) for k in ATTRIBUTES},
        "found_events": n_found,
        "contested": {"gold": contested["gold"], "found": contested["found"],
                      "right": contested["right"]},
        "no_event_articles": {"articles": silent["articles"], "silent": silent["silent"]},
        "false_positives": {c: causes[c] for c in CAUSES},
        "false_positive_examples": dict(fp_examples),
        "per_theatre": {th: {**_prf(c["family_tp"], c["pred"], c["gold"]), "gold": c["gold"],
                             "predicted": c["pred"]} for th, c in sorted(by_theatre.items())},
    }


def extract_gold_articles(gold: list[GoldArticle], articles: dict[str, dict[str, Any]],
                          with_background: bool = False) -> Iterator[tuple[str, Article]]:
    """Run the extractor on each gold article's text, as ``hadath ingest`` would."""
    from .extract import extract

    for art in gold:
        d = articles[art.docno]
        res = extract(d.get("text") or "", date=art.pub_date, doc_id=art.docno,
                      source=d.get("src") or d.get("source"))
        if with_background:
            res = res.model_copy(update={"events": res.events + res.background})
        yield art.docno, res
