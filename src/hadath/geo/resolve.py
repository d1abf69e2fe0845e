"""Place mentions in a sentence and their resolution with context.

A mention is resolved by the words around it (بحلب، ريف حماة، جنوب حلب، مطار...), by the other
places in the article, by feature type and by population, and gets a precision code (UCDP's
where_prec, see :class:`hadath.models.Place`). A vaguer mention gets a coarser code, never a
made-up point; a name the gazetteer does not know stays text with no point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..lexicon import Country, Lexicon, Match
from ..models import Place
from ..text.normalize import Normalized, normalize_key
from ..text.tokens import Token, analyses
from .store import PlaceRow

POPULATED = frozenset({"city", "town", "village"})
ADMIN_PRECISION = {"admin1": 4, "admin2": 3, "admin3": 3}
LOCATIVE = frozenset(normalize_key(w) for w in (
    "في", "من", "إلى", "الى", "على", "قرب", "عن", "نحو", "باتجاه", "حتى", "داخل", "حول", "بين",
    "مدينة", "بلدة", "قرية", "بلدتي", "قريتي", "مدينتي", "حي", "ريف", "محافظة", "منطقة", "مناطق",
    "مخيم", "أطراف", "محيط", "ضواحي", "مشارف", "شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي",
    "شرقي", "غربي", "وسط", "عبر", "جوار", "مقربة", "أطراف", "قضاء", "ناحية", "ولاية", "إقليم"))
GazetteerEntry = PlaceRow  # the record a mention resolves to


def distance_km(lat1: float | None, lon1: float | None, lat2: float | None,
                lon2: float | None) -> float:
    """Great-circle distance in kilometres (infinite when a point is missing)."""
    if lat1 is None or lon1 is None or lat2 is None or lon2 is None:
        return math.inf
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
    chosen: PlaceRow | None = None
    scored: list[tuple[PlaceRow, float, list[str]]] = field(default_factory=list)
    latin: dict[str, float] | None = None  # gid -> similarity, for candidates found by Latin name


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
            strong = m.category == "place" and _strong_name(cands, m.size)
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


def _strong_name(cands: list[GazetteerEntry], words: int = 1) -> bool:
    """Names that need no locative cue: governorates and districts, airports, bases, camps and
    roads, the region's cities, big cities elsewhere, and names of two words or more. Smaller
    one-word places are too often common words or personal names."""
    return words > 1 or any(
        c.feature in ("admin1", "admin2", "airport", "military_base", "camp", "road")
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


# How far back (in tokens) each kind of cue still speaks of the name: a feature or admin word
# stands right before it ("بلدة خناصر", "محافظة إدلب"), a direction or a destination may have
# one in between ("شمال مدينة حلب", "إلى مدينة حمص").
_CUE_REACH = {"feature": 1, "admin": 1, "institution": 2, "countryside": 1, "region": 1,
              "direction": 2, "vicinity": 3, "destination": 3, "origin": 2}


def _cues_before(tokens: list[Token], first: int, cue_at_last: dict[int, Match],
                 reach: int = 4) -> list[tuple[str, str]]:
    """Cue categories in the few tokens before a mention (nearest first)."""
    out = []
    j = first - 1
    while j >= 0 and first - j <= reach:
        m = cue_at_last.get(j)
        if m is None:
            if tokens[j].text in (",", ".", ";", ":"):
                break
            j -= 1
            continue
        if first - m.last <= _CUE_REACH.get(m.category, 0):
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
            ) -> PlaceRow | None:
    pm.scored = score_candidates(pm, container, ctx)
    return pm.scored[0][0] if pm.scored else None


def score_candidates(pm: PlaceMention, container: PlaceMention | None, ctx: DocContext
                     ) -> list[tuple[PlaceRow, float, list[str]]]:
    """Candidates with a score and the reasons for it, best first."""
    main = ctx.main_country()
    cont = container.chosen if container else None
    out = []
    for c in pm.candidates:
        why: list[str] = []
        s = {"city": 3.0, "town": 2.0, "village": 1.0, "airport": 2.0}.get(c.feature, 0.5)
        why.append(f"{c.feature} {s:+.1f}")
        latin = pm.latin is not None  # found by transliteration: weaker, lean on context
        if c.population:
            p = (0.2 if latin else 0.4) * math.log10(c.population + 1)
            s += p
            why.append(f"population {c.population:,} {p:+.1f}")
        if c.feature in ADMIN_PRECISION:
            bonus = 4.0 if pm.modifier in ("admin1", "admin3") else -1.5
            s += bonus
            why.append(f"admin area {'named as such' if bonus > 0 else 'not named as such'} {bonus:+.1f}")
        if pm.modifier == "admin1" and c.feature == "admin1":
            s += 3.0
            why.append("محافظة before the name +3.0")
        if pm.feature_cue == "airport" and c.feature in ("airport", "military_base"):
            s += 4.0
            why.append("مطار before the name +4.0")
        if pm.feature_cue in ("city", "town", "village", "neighbourhood") and c.feature in POPULATED:
            s += 1.0
            why.append(f"{pm.feature_cue} word before the name +1.0")
        if pm.feature_cue == "camp" and c.feature == "camp":
            s += 2.0
            why.append("مخيم before the name +2.0")
        if main and c.country == main:
            bonus = 4.0 if latin else 2.5
            s += bonus
            why.append(f"in the article's country ({main}) {bonus:+.1f}")
        elif c.country in ("SY", "IQ", "LB", "PS", "IL", "YE"):
            s += 0.5
            why.append("in the region +0.5")
        if cont is not None:
            d = distance_km(c.lat, c.lon, cont.lat, cont.lon)
            same = (c.admin1 and c.admin1 == cont.admin1) or d < 60
            s += 6.0 if same else -2.0
            why.append(f"{'inside' if same else 'outside'} {cont.name} (named next to it) "
                       f"{6.0 if same else -2.0:+.1f}")
        if ctx.points:
            d = min(distance_km(c.lat, c.lon, p.lat, p.lon) for p in ctx.points[-8:])
            bonus = 2.0 if d < 75 else (1.0 if d < 200 else 0.0)
            if bonus:
                s += bonus
                why.append(f"{d:.0f} km from another place of the article {bonus:+.1f}")
        if pm.latin is not None and c.gid in pm.latin:
            sim = pm.latin[c.gid]
            s += (sim - 70) / 5
            why.append(f"Latin name fits the Arabic ({sim:.0f}/100) {(sim - 70) / 5:+.1f}")
        out.append((c, round(s, 2), why))
    return sorted(out, key=lambda x: -x[1])


def _precision(pm: PlaceMention, entry: GazetteerEntry) -> int:
    if entry.feature == "road":
        return 5  # a line, not a point
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
    return reps, {k: list({m.record.gid: m.record for m in ms}.values()) for k, ms in groups.items()}


# --- names the Arabic index does not know --------------------------------------------------------

_FUNCTION = frozenset(normalize_key(w) for w in (
    "في", "من", "الى", "إلى", "على", "عن", "مع", "بعد", "قبل", "خلال", "حين", "حيث", "التي",
    "الذي", "الذين", "هذا", "هذه", "ذلك", "تلك", "كل", "بعض", "عدة", "عدد", "أي", "غير", "بين",
    "او", "أو", "ثم", "لكن", "إن", "أن", "ان", "انه", "انها", "قد", "لقد", "كان", "كانت", "يكون",
    "تكون", "ما", "لا", "لم", "لن", "هو", "هي", "هم", "نحو", "حتى", "منذ", "عند", "لدى", "أمام",
    "وراء", "داخل", "خارج", "جانب", "إطار", "ظل", "أجل", "اجل", "سبيل", "مكان", "موقع", "مواقع",
    "منطقة", "مناطق", "المنطقة", "بلاد", "البلاد", "أنحاء", "انحاء", "الحدود", "حدود", "العاصمة",
    "المدينة", "البلدة", "القرية", "الشارع", "الشوارع", "السجن", "المستشفى", "المنزل", "منزل",
    "منازل", "الطريق", "الساعات", "الأيام", "الأسبوع", "الشهر", "العام", "وقت", "صباح", "مساء"))
# cue value -> the least similarity (0-100) a Latin-only name needs after it
_LATIN_AFTER = {"city": 55.0, "town": 55.0, "village": 55.0, "neighbourhood": 60.0, "camp": 60.0}
_LATIN_PREP = 72.0  # after a plain preposition (في، من، قرب، بـ): a stricter fit


LATIN_REGION = frozenset({"SY", "IQ", "LB", "JO", "TR", "PS", "IL", "YE", "LY", "SD", "EG"})


def latin_mentions(tokens: list[Token], norm: Normalized, taken: set[int],
                   cue_at_last: dict[int, Match], gaz, near: list[PlaceRow],
                   countries: frozenset[str] = LATIN_REGION) -> list[PlaceMention]:
    """Mentions of places the gazetteer knows only by Latin names ("في قرية كفر سجنة" →
    Kafr Sajnah), among the places of ``countries`` (the region and the article's country).

    Tried only right after a feature word (بلدة، قرية، مدينة، حي، مخيم), or after a locative
    preposition when the place lies within 100 km of a place the article already named
    (``near``): after a bare preposition many common nouns fit some village's name.
    """
    out: list[PlaceMention] = []
    i, n = 0, len(tokens)
    while i < n:
        threshold = _latin_threshold(tokens, i, cue_at_last)
        if threshold is None or i in taken or not tokens[i].is_word:
            i += 1
            continue
        best = None
        for width in (3, 2, 1):
            last = i + width - 1
            if last >= n or any(k in taken or not tokens[k].is_word
                                or tokens[k].text in _FUNCTION for k in range(i, last + 1)):
                continue
            text = _original_name(tokens, norm, i, last)
            if gaz.rules.get(normalize_key(text)) == "never":
                continue  # a common word that is also a village's name
            # after a bare preposition, two consonants fit too many common words
            hits = [h for h in gaz.latin(text, threshold, 3 if threshold == _LATIN_PREP else 2)
                    if h.place.country in countries]
            if threshold == _LATIN_PREP:
                hits = [h for h in hits if any(distance_km(h.place.lat, h.place.lon, p.lat, p.lon)
                                               <= 100 for p in near)]
            if hits:
                best = (last, hits)
                break
        if best is None:
            i += 1
            continue
        last, hits = best
        pm = PlaceMention(i, last, [h.place for h in hits[:8]])
        pm.latin = {h.place.gid: h.score for h in hits[:8]}
        out.append(pm)
        i = last + 1
    return out


# A name follows a singular feature word in construct ("قرية تلمنس"), never a plural one
# ("أحياء كبيرة" are large neighbourhoods) nor one with the article ("المدينة الجديدة").
_NAMING = frozenset(normalize_key(w) for w in ("مدينة", "بلدة", "قرية", "حي", "مخيم", "بلدتي",
                                                 "قريتي", "مدينتي", "حيي", "مخيمي"))


def _latin_threshold(tokens: list[Token], i: int, cue_at_last: dict[int, Match]) -> float | None:
    """How well a Latin name must fit at token i, or None when no cue invites a place here."""
    cue = cue_at_last.get(i - 1) if i > 0 else None
    if cue is not None and cue.category == "feature" and cue.record.value in _LATIN_AFTER:
        word = tokens[i - 1].text
        stems = {word, *(a.stem for a in analyses(word) if not a.definite)}
        return _LATIN_AFTER[cue.record.value] if stems & _NAMING else None
    tok = tokens[i].text
    if tok[:1] == "ب" and len(tok) > 4:
        return _LATIN_PREP  # "بكفرسجنة"
    if i > 0 and tokens[i - 1].text in ("في", "من", "قرب", "الى", "نحو", "باتجاه", "علي"):
        return _LATIN_PREP
    if tok[:1] == "و" and len(tok) > 4 and i > 0 and _latin_threshold(tokens, i - 1, cue_at_last):
        return _LATIN_PREP  # "على اللطامنة وكفرزيتا": the second of a list
    return None


def _original_name(tokens: list[Token], norm: Normalized, first: int, last: int) -> str:
    """The name as written (with its ة), without a leading preposition ب."""
    start = tokens[first].start
    if tokens[first].text[:1] in ("ب", "و") and len(tokens[first].text) > 4:
        start += 1  # the ب of "بكفرسجنة", the و of "وكفرزيتا"
    s, e = norm.span(start, tokens[last].end)
    return norm.original[s:e]
