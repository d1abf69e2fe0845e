"""Places: the shipped gazetteer, place mentions in text, and their resolution with context.

The gazetteer is ``data/gazetteer.tsv`` (GeoNames and OpenSyria, built by
``scripts/build_gazetteer.py``) plus ``data/places_curated.tsv`` and any same-named files on
``HADATH_LEXICON_PATH``. A mention is resolved by the words around it (بحلب، ريف حماة، جنوب
حلب، مطار...), by the other places in the article and by population, and gets a precision
code (see :class:`hadath.models.Place`). A vaguer mention gets a coarser code, never a made-up
point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

from .lexicon import Country, Lexicon, Match, PhraseIndex, read_table
from .models import Place
from .text.normalize import Normalized, normalize_key
from .text.tokens import Token, analyses

MIN_NAME = 3  # normalised letters: shorter names are too often common words
POPULATED = frozenset({"city", "town", "village"})
ADMIN_PRECISION = {"admin1": 4, "admin2": 3, "admin3": 3}
LOCATIVE = frozenset(normalize_key(w) for w in (
    "في", "من", "إلى", "الى", "على", "قرب", "عن", "نحو", "باتجاه", "حتى", "داخل", "حول", "بين",
    "مدينة", "بلدة", "قرية", "بلدتي", "قريتي", "مدينتي", "حي", "ريف", "محافظة", "منطقة", "مناطق",
    "مخيم", "أطراف", "محيط", "ضواحي", "مشارف", "شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي",
    "شرقي", "غربي", "وسط", "عبر", "جوار", "مقربة", "أطراف", "قضاء", "ناحية", "ولاية", "إقليم"))


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    gid: str
    name: str
    name_ar: str
    lat: float
    lon: float
    feature: str
    country: str
    admin1: str
    population: int


class Gazetteer:
    """Places with Arabic names, indexed for matching in text."""

    def __init__(self, entries: list[GazetteerEntry], names: dict[str, list[str]]) -> None:
        self.by_gid = {e.gid: e for e in entries}
        self.index = PhraseIndex(strict_article=True)
        rules = _stopwords()
        for gid, forms in names.items():
            usable = [f for f in forms if len(normalize_key(f).replace(" ", "")) >= MIN_NAME
                      and rules.get(normalize_key(f)) != "never"]
            plain = [f for f in usable if normalize_key(f) not in rules]
            cued = [f for f in usable if rules.get(normalize_key(f)) == "cue"]
            if plain:
                self.index.add("place", self.by_gid[gid], "|".join(plain))
            if cued:
                self.index.add("place_cue", self.by_gid[gid], "|".join(cued))

    @classmethod
    def load(cls) -> Gazetteer:
        entries: list[GazetteerEntry] = []
        names: dict[str, list[str]] = {}
        for table in ("gazetteer.tsv", "places_curated.tsv"):
            for row in read_table(table):
                e = GazetteerEntry(row["gid"], row["name"], row["name_ar"], float(row["lat"]),
                                   float(row["lon"]), row["feature"], row["country"],
                                   row["admin1"], int(row["population"] or 0))
                entries.append(e)
                forms = [n for n in row["names_ar"].split("|") if n]
                if forms:
                    names[e.gid] = forms
        return cls(entries, names)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return Gazetteer.load()


def _stopwords() -> dict[str, str]:
    """Normalised name -> rule ("never" or "cue") from place_stopwords.tsv."""
    return {normalize_key(r["word"]): r["rule"] for r in read_table("place_stopwords.tsv")}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


# --- mentions ----------------------------------------------------------------------------------

@dataclass
class PlaceMention:
    """A place named in a sentence, before and after resolution."""

    first: int
    last: int
    candidates: list[GazetteerEntry] = field(default_factory=list)
    country: Country | None = None
    modifier: str = ""  # near | direction | countryside | area | admin1 | admin3 | km
    feature_cue: str = ""  # the feature word before the name (airport, town, neighbourhood...)
    landmark: str = ""  # an unknown named landmark ("دوار الباسل") resolved to its container
    container: PlaceMention | None = None  # the place that contains this one (خناصر جنوب حلب)
    role: str = ""  # "to" for a destination, "from" for an origin
    coordinated: bool = False  # joined to the previous mention by و
    road: tuple[int, int] | None = None  # a road between two mentions (indexes)
    place: Place | None = None
    chosen: GazetteerEntry | None = None


def find_place_mentions(tokens: list[Token], matches: list[Match],
                        candidates: dict[tuple[int, int], list[GazetteerEntry]],
                        cue_matches: list[Match], cue_positions: set[int] | None = None
                        ) -> list[PlaceMention]:
    """Place mentions of a sentence from its chosen place and country matches.

    A small place needs a locative cue (a preposition, a feature word, a direction, or an event
    word right before it: "قصف كفرنبل") to count: many village names are also common words or
    personal names.
    """
    cue_positions = cue_positions or set()
    cue_at_last = {m.last: m for m in cue_matches}
    out: list[PlaceMention] = []
    for m in matches:
        if m.category == "country":
            out.append(PlaceMention(m.first, m.last, country=m.record))
        elif m.category in ("place", "place_cue"):
            before = cue_at_last.get(m.first - 1)
            if before is not None and before.category == "feature" and \
                    before.record.value in ("landmark", "neighbourhood"):
                continue  # "دوار الكرامة", "حي الزهراء": the name of a landmark, not a town
            cands = candidates.get((m.first, m.last), [m.record])
            strong = m.category == "place" and _strong_name(cands)
            if strong or m.first in cue_positions or _has_locative_cue(tokens, m, cue_at_last):
                pm = PlaceMention(m.first, m.last, cands)
                own = _own_cue(m, cue_at_last)
                if own:
                    pm.modifier = own  # "محافظة إدلب" matched as one name is still a governorate
                out.append(pm)
    _annotate(tokens, out, cue_at_last)
    return out


REGION = frozenset({"SY", "IQ", "LB", "JO", "TR", "PS", "IL", "YE", "LY", "SD", "EG"})


def _own_cue(m: Match, cue_at_last: dict[int, Match]) -> str:
    cue = cue_at_last.get(m.first)
    if cue is not None and cue.first == m.first and cue.category == "admin":
        before = cue_at_last.get(m.first - 1)
        if before is not None and before.category == "institution":
            return ""
        return cue.record.value
    return ""


def _strong_name(cands: list[GazetteerEntry]) -> bool:
    """Names that need no locative cue: governorates and districts, airports, the region's
    cities, and big cities elsewhere. Smaller places are too often common words or names."""
    return any(c.feature in ("admin1", "admin2", "airport")
               or (c.feature == "city" and (c.country in REGION or c.population >= 500_000))
               for c in cands)


def _has_locative_cue(tokens: list[Token], m: Match, cue_at_last: dict[int, Match]) -> bool:
    prefix = m.prefix
    if "ك" in prefix:
        return False  # "كحلب" (like Aleppo) is not a place; "كامل" is not Amol
    if prefix[-1:] in ("ب", "ل") or prefix.endswith("لل"):
        return True
    if prefix.startswith("و"):
        return True  # coordinated: "معرة النعمان وخان شيخون"
    if m.first == 0:
        return False
    prev = tokens[m.first - 1].text
    cue = cue_at_last.get(m.first - 1)
    if cue is not None and cue.category == "feature" and _has_article(prev):
        return False  # "المدينة الجديدة": a name follows "مدينة", never "المدينة"
    return any(c in LOCATIVE for c in (prev, *(a.stem for a in analyses(prev)))) or cue is not None


def _has_article(tok: str) -> bool:
    return any(a.definite for a in analyses(tok))


def _annotate(tokens: list[Token], mentions: list[PlaceMention],
              cue_at_last: dict[int, Match]) -> None:
    """Fill modifiers, feature cues, containers, roles and roads from the surrounding words."""
    for k, pm in enumerate(mentions):
        before = _cues_before(tokens, pm.first, cue_at_last)
        for cat, val in before:
            if cat == "vicinity" and not pm.modifier:
                pm.modifier = "km" if val == "km" else "near"
            elif cat == "direction" and not pm.modifier:
                pm.modifier = "direction"
            elif cat == "countryside":
                pm.modifier = "countryside"
            elif cat == "region" and not pm.modifier:
                pm.modifier = "area"
            elif cat == "admin" and not pm.modifier:
                pm.modifier = val
            elif cat == "institution" and pm.modifier in ("admin1", "admin3"):
                pm.modifier = ""  # "مجلس محافظة البصرة": a building in the city, not the province
            elif cat == "feature" and not pm.feature_cue:
                pm.feature_cue = val
            elif cat == "destination" and not pm.role:
                pm.role = "to"
            elif cat == "origin" and not pm.role:
                pm.role = "from"
        # "ريف حماة الشمالي": a direction adjective after the name still makes it countryside
        if pm.modifier == "countryside":
            continue
        if k > 0:
            prev = mentions[k - 1]
            gap = tokens[prev.last + 1:pm.first]
            gap_words = [t.text for t in gap]
            if tokens[pm.first].text.startswith("و") and not gap_words:
                pm.coordinated = True
                if prev.role and not pm.role:
                    pm.role = prev.role
            elif _is_container_gap(gap_words, tokens, pm) and pm.first - prev.last <= 4:
                prev.container = pm
                # "نبل والزهراء شمال حلب": the container holds the whole coordinated list
                j = k - 1
                while j > 0 and mentions[j].coordinated and mentions[j - 1].container is None:
                    mentions[j - 1].container = pm
                    j -= 1


def _cues_before(tokens: list[Token], first: int, cue_at_last: dict[int, Match],
                 reach: int = 4) -> list[tuple[str, str]]:
    """Cue categories in the few tokens before a mention (nearest first)."""
    out = []
    j = first - 1
    # the mention's own clitic: "بحلب" is locative, "لحلب" too
    while j >= 0 and first - j <= reach:
        m = cue_at_last.get(j)
        if m is None:
            if tokens[j].text in (",", ".", ";", ":"):
                break
            j -= 1
            continue
        out.append((m.category, m.record.value))
        j = m.first - 1
    return out


def _is_container_gap(gap: list[str], tokens: list[Token], pm: PlaceMention) -> bool:
    """Whether the words between two places make the second contain the first.

    "خناصر جنوب حلب", "دوار الباسل بحلب", "كويرس في ريف حلب", "نبل والزهراء شمال حلب".
    """
    if not gap:
        tok = tokens[pm.first].text
        return tok[:1] == "ب" and len(tok) > 3  # "بحلب" right after a place
    words = {normalize_key(w) for w in gap}
    return bool(words & _CONTAINER_WORDS) and not (words & {",", ".", "و"})


_CONTAINER_WORDS = frozenset(normalize_key(w) for w in (
    "في", "جنوب", "شمال", "شرق", "غرب", "جنوبي", "شمالي", "شرقي", "غربي", "ريف", "محافظة",
    "بريف", "بمحافظة", "قرب", "بالقرب", "من", "غربي", "وسط", "منطقة", "ضواحي", "كم", "كلم",
    "شمال شرق", "شرقي", "الواقعة", "التابعة", "قضاء", "ناحية", "ولاية", "بولاية", "بمنطقة"))


# --- resolution ------------------------------------------------------------------------------

@dataclass
class DocContext:
    """What the article has told us so far: countries and places already resolved."""

    countries: dict[str, int] = field(default_factory=dict)  # ISO2 -> mentions
    points: list[GazetteerEntry] = field(default_factory=list)

    def main_country(self) -> str | None:
        return max(self.countries, key=self.countries.get) if self.countries else None


def resolve_mentions(mentions: list[PlaceMention], norm: Normalized, tokens: list[Token],
                     ctx: DocContext, lex: Lexicon) -> None:
    """Choose a gazetteer entry and a precision for each mention of one sentence."""
    order = sorted(range(len(mentions)), key=lambda k: -_independence(mentions[k]))
    for k in order:
        pm = mentions[k]
        if pm.country is not None:
            pm.place = _country_place(pm, norm, tokens)
            ctx.countries[pm.country.iso2] = ctx.countries.get(pm.country.iso2, 0) + 1
            continue
        pm.chosen = _choose(pm, pm.container, ctx)
        pm.place = _to_place(pm, pm.chosen, norm, tokens, lex)
        if pm.chosen:
            ctx.points.append(pm.chosen)
            ctx.countries[pm.chosen.country] = ctx.countries.get(pm.chosen.country, 0) + 1


def _independence(pm: PlaceMention) -> int:
    """Resolve containers and unambiguous names first: they are context for the rest."""
    return (2 if pm.container is None else 0) + (1 if len(pm.candidates) == 1 else 0)


def _choose(pm: PlaceMention, container: PlaceMention | None, ctx: DocContext
            ) -> GazetteerEntry | None:
    if not pm.candidates:
        return None
    main = ctx.main_country()
    cont = container.chosen if container else None

    def score(c: GazetteerEntry) -> float:
        s = {"city": 3.0, "town": 2.0, "village": 1.0, "airport": 2.0}.get(c.feature, 0.5)
        s += 0.4 * math.log10(c.population + 1)
        if c.feature in ADMIN_PRECISION:
            s += 4.0 if pm.modifier in ("admin1", "admin3") else -1.5
        if pm.modifier in ("admin1",) and c.feature == "admin1":
            s += 3.0
        if pm.feature_cue == "airport" and c.feature == "airport":
            s += 4.0
        if pm.feature_cue in ("city", "town", "village", "neighbourhood") and c.feature in POPULATED:
            s += 1.0
        if main and c.country == main:
            s += 2.5
        elif c.country in ("SY", "IQ", "LB", "PS", "IL", "YE"):
            s += 0.5
        if cont is not None:
            d = distance_km(c.lat, c.lon, cont.lat, cont.lon)
            s += 6.0 if (c.admin1 and c.admin1 == cont.admin1) or d < 60 else -2.0
        if ctx.points:
            d = min(distance_km(c.lat, c.lon, p.lat, p.lon) for p in ctx.points[-8:])
            s += 2.0 if d < 75 else (1.0 if d < 200 else 0.0)
        return s

    return max(pm.candidates, key=score)


def _precision(pm: PlaceMention, entry: GazetteerEntry) -> int:
    if entry.feature in ADMIN_PRECISION:
        base = ADMIN_PRECISION[entry.feature]
    elif pm.modifier == "admin1":
        base = 4
    else:
        base = 1
    if pm.modifier == "countryside":
        return 3 if base < 3 else base
    if pm.modifier == "area":
        return max(base, 2 if entry.feature in ("village", "town") else 3)
    if pm.modifier in ("near", "direction", "km") or pm.landmark:
        return max(base, 2)
    return base


def _to_place(pm: PlaceMention, entry: GazetteerEntry | None, norm: Normalized,
              tokens: list[Token], lex: Lexicon) -> Place | None:
    if entry is None:
        return None
    start, end = norm.span(tokens[pm.first].start, tokens[pm.last].end)
    country = lex.country(entry.country)
    return Place(
        name=entry.name, name_ar=pm.landmark or entry.name_ar or None, lat=entry.lat,
        lon=entry.lon, precision=_precision(pm, entry), admin1=entry.admin1 or None,
        country=country.name if country else entry.country or None, gazetteer_id=entry.gid,
        feature="landmark" if pm.landmark else entry.feature, start=start, end=end,
        text=norm.original[start:end])


def _country_place(pm: PlaceMention, norm: Normalized, tokens: list[Token]) -> Place:
    start, end = norm.span(tokens[pm.first].start, tokens[pm.last].end)
    assert pm.country is not None
    return Place(name=pm.country.name, name_ar=norm.original[start:end], precision=6,
                 country=pm.country.name, feature="country", start=start, end=end,
                 text=norm.original[start:end])


def landmark_place(pm: PlaceMention, container: Place, norm: Normalized, tokens: list[Token]
                   ) -> Place:
    """An unknown named landmark ("دوار الباسل بحلب") placed at its container, precision 2."""
    start, end = norm.span(tokens[pm.first].start, tokens[pm.last].end)
    return container.model_copy(update={
        "name_ar": norm.original[start:end], "precision": max(2, container.precision),
        "feature": "landmark", "start": start, "end": end, "text": norm.original[start:end]})


def road_place(a: Place, b: Place, start: int, end: int, text: str) -> Place:
    """A road between two places: a line, so precision 5 and no single point."""
    return Place(name=f"{a.name}–{b.name} road", name_ar=text, precision=5,
                 admin1=a.admin1 if a.admin1 == b.admin1 else None, country=a.country,
                 feature="road", start=start, end=end, text=text)


def group_place_matches(matches: list[Match]
                        ) -> tuple[list[Match], dict[tuple[int, int], list[GazetteerEntry]]]:
    """One representative match per place span, and every gazetteer entry for each span."""
    groups: dict[tuple[int, int], list[Match]] = {}
    for m in matches:
        groups.setdefault((m.first, m.last), []).append(m)
    reps = [min(ms, key=lambda m: m.peel) for ms in groups.values()]
    return reps, {k: [m.record for m in ms] for k, ms in groups.items()}
