"""Place mentions in a sentence and their resolution with context.

A mention is resolved by the words around it (بحلب، ريف حماة، جنوب حلب، مطار...), by the other
places in the article, by feature type and by population, and gets a precision code (UCDP's
where_prec, see :class:`hadath.models.Place`). A vaguer mention gets a coarser code, never a
made-up point; a name the gazetteer does not know stays text with no point.
"""

from __future__ import annotations

import math
from functools import lru_cache
from dataclasses import dataclass, field

from ..lexicon import QUOTES, Country, Lexicon, Match, read_table
from ..models import Place
from ..text.normalize import Normalized, normalize_key
from ..text.tokens import Token, analyses
from .context import PLACE_PREPS, DocContext
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
    holds_quarter: bool = False  # a neighbourhood is named just before it ("حي الشجاعية في غزة")
    road: tuple[int, int] | None = None  # a road between two mentions (indexes)
    place: Place | None = None
    chosen: PlaceRow | None = None
    scored: list[tuple[PlaceRow, float, list[str]]] = field(default_factory=list)
    latin: dict[str, float] | None = None  # gid -> similarity, for candidates found by Latin name
    # what let a small name count as a place: feature (بلدة X), locator (جنوب X, ريف X),
    # preposition (في X, بـX), coordinated (و X after a place), event (قصف X), name (a name
    # strong by itself), alone (the whole text is the name)
    cue: str = ""
    nisba: Country | None = None  # a country adjective right after the name (طرابلس الليبية)
    common: bool = False  # the corpus shows its name mostly as a common word (a rule of it)
    sentence_countries: frozenset[str] = frozenset()  # a country named as a place just after it
    mates: list[PlaceMention] = field(default_factory=list)  # the other names of its list (X وY)


def find_place_mentions(tokens: list[Token], matches: list[Match],
                        candidates: dict[tuple[int, int], list[GazetteerEntry]],
                        cue_matches: list[Match], cue_positions: set[int] | None = None,
                        whole: bool = True) -> list[PlaceMention]:
    """Place mentions of a sentence from its chosen place and country matches.

    A small place needs a locative cue (a preposition, a feature word, a direction, or an event
    word right before it: "قصف كفرنبل") to count: many village names are also common words or
    personal names. A name that the corpus shows to be mostly a common word (its entry's
    ``rule``) needs more: a preposition of place, a feature word or a locator phrase ("cue"),
    or a feature word or a locator phrase ("feature"); never an event word alone, never as the
    adjective of the noun before it. A text that is nothing but a name is that place
    (``whole``: the tokens are the whole text, not one short sentence of it: "شاهد.." opening a
    video caption is a verb).
    """
    cue_positions = cue_positions or set()
    cue_at_last = cues_by_last(cue_matches)
    cue_firsts = frozenset(c.first for c in cue_matches if c.category in PLACE_CUES)
    words = [k for k, t in enumerate(tokens) if t.is_word]
    ends = {m.last for m in matches}  # where a name ends: the first of a list ("X وY")
    out: list[PlaceMention] = []
    for m in matches:
        if m.category == "country" or m.category == "country_word" and _cue_for(
                tokens, m, [], "cue", cue_at_last, False, cue_firsts):
            # a country's name that is also a word ("مالي") only after في or a locator
            out.append(PlaceMention(m.first, m.last, country=m.record))
        elif m.category in ("place", "place_cue"):
            before = cue_at_last.get(m.first - 1)
            if before is not None and before.category == "feature" and \
                    before.record.value in ("landmark", "neighbourhood"):
                continue  # "دوار الكرامة", "حي الزهراء": the name of a landmark, not a town
            if part_of_a_name(tokens, m):
                continue  # "صحيفة نيويورك تايمز", "اتفاق الطائف": a name holds the place's name
            if _a_verb(tokens, m):
                continue  # "لم تدمر مواقع": did not destroy, not Palmyra
            cands = candidates.get((m.first, m.last), [m.record])
            ruler, territory = _ruled(tokens, m), False
            if ruler or _ruled(tokens, m, "war"):
                # "محافظ البصرة", "حرب صعدة": the governorate (or district); "أمير مكة"، "ولي عهد
                # أبوظبي": a province or an emirate the built-in places do not hold, never its
                # city (a war over a town without either: the town)
                areas = [c for c in cands if c.feature in ("admin1", "admin2", "area")]
                if not areas and ruler:
                    continue
                if areas:
                    cands, territory = areas, True
            rule = getattr(m.entry, "rule", "")
            alone = whole and bool(words) and words[0] >= m.first and words[-1] <= m.last
            cue = "alone" if alone else _cue_for(tokens, m, cands, rule, cue_at_last,
                                                  m.first in cue_positions, cue_firsts)
            if territory:
                cue = cue or "locator"
            if not cue and rule and m.prefix.startswith("و") and out and \
                    out[-1].last == m.first - 1 and out[-1].country is None and (
                        out[-1].cue in ("feature", "locator") or (
                            rule == "cue" and out[-1].cue not in ("event", "alone"))):
                cue = "coordinated"  # "نحو اللاذقية وسلمية": the second name of a list
            elif cue == "coordinated" and m.first - 1 not in ends \
                    and not _list_feature_before(tokens, m.first):
                cue = ""  # "وزيرة سابقة ومشرعة": و joins the name to a word, not to a name
            if cue:
                pm = PlaceMention(m.first, m.last, cands, cue=cue, common=bool(rule))
                own = "admin1" if territory else _own_cue(m, cue_at_last)
                if own:
                    pm.modifier = own  # "محافظة إدلب" matched as one name is still a governorate
                out.append(pm)
    _annotate(tokens, out, cue_at_last)
    return out


@lru_cache(maxsize=1)
def name_parts() -> dict[str, frozenset[str]]:
    """place_name_parts.tsv: the words before or after which a place's name is part of
    another name (a newspaper, an agreement, a club, an institution), and the words that make a
    university someone's employer or school."""
    out: dict[str, set[str]] = {"before": set(), "after": set(), "institution": set(),
                                "academic": set(), "degree": set(), "ruler": set(), "war": set()}
    for row in read_table("place_name_parts.tsv"):
        out.setdefault(row["position"], set()).update(
            normalize_key(w) for w in row["words"].split("|") if w)
    return {k: frozenset(v) for k, v in out.items()}


def part_of_a_name(tokens: list[Token], m: Match) -> bool:
    parts = name_parts()
    j = m.first - 1
    while j >= 0 and tokens[j].text in QUOTES:
        j -= 1  # "صحيفة " القادسية "": a quotation mark does not part the name from its word
    if j >= 0:
        prev = {tokens[j].text, *(a.stem for a in analyses(tokens[j].text))}
        if not prev.isdisjoint(parts["before"]):
            return True
        institution = prev & parts["institution"]
        if institution and m.last + 1 < len(tokens):
            nxt = tokens[m.last + 1].text
            if any(a.prefix.endswith("ل") and len(a.stem) >= 3 for a in analyses(nxt)):
                return True  # "لجنة دلهي للمرأة", "معهد واشنطن لسياسة الشرق الأدنى"
            if nxt.startswith("ال") and nxt.endswith("ي") and len(nxt) > 4 and all(
                    not w.endswith("ه") for w in institution):
                # "مركز حلب الإعلامي", "مجلس إدلب المحلي": a town's name is feminine, so a
                # masculine adjective after it agrees with the masculine institution's word
                return True
    after = [t.text for t in tokens[m.last + 1:m.last + 3]]
    return bool(after) and (after[0] in parts["after"] or " ".join(after) in parts["after"])


def _ruled(tokens: list[Token], m: Match, position: str = "ruler") -> bool:
    """The name right after the title of one who governs it, in construct ("محافظ البصرة",
    "ولي عهد أبوظبي"), or (``position`` "war") after a war fought over it ("حرب صعدة"): the
    territory, not the town (place_name_parts.tsv)."""
    if m.prefix or m.first == 0 or m.category != "place" and m.category != "place_cue":
        return False
    words = name_parts()[position]
    prev = tokens[m.first - 1].text
    if any(w in words for w in (prev, *(a.stem for a in analyses(prev) if not a.definite))):
        return True
    return m.first > 1 and f"{tokens[m.first - 2].text} {prev}" in words


# particles that only a verb follows: "لم تدمر" is "did not destroy", not Palmyra
_VERB_PARTICLES = frozenset(normalize_key(w) for w in (
    "لم", "لن", "قد", "سوف", "كي", "لكي", "ولم", "ولن", "وقد", "فلم", "فلن", "فقد", "وسوف"))


def _a_verb(tokens: list[Token], m: Match) -> bool:
    """A name right after a particle that only a verb follows, itself read as an imperfect
    verb (ي، ت، ن، أ first): "لم تدمر مواقع"."""
    if m.first == 0 or m.prefix:
        return False
    return normalize_key(tokens[m.first - 1].text) in _VERB_PARTICLES and \
        normalize_key(tokens[m.first].text)[:1] in ("ي", "ت", "ن", "ا")


# Cue categories (cues.tsv) that can stand right before a place's name.
PLACE_CUES = frozenset({"feature", "admin", "direction", "vicinity", "countryside", "region",
                        "destination", "origin"})
LOCATORS = frozenset({"admin", "direction", "vicinity", "countryside", "region"})


def _cue_for(tokens: list[Token], m: Match, cands: list[GazetteerEntry], rule: str,
             cue_at_last: dict[int, Match], after_event: bool, cue_firsts: frozenset[int]
             ) -> str:
    """What lets the match count as a place ("" when nothing does)."""
    if m.first > 0:
        cue = cue_at_last.get(m.first - 1)
        prev = tokens[m.first - 1].text
        if cue is not None and cue.category == "feature" and not _has_article(prev) \
                and cue.record.value not in ("landmark", "neighbourhood", "road"):
            return "feature"  # "بلدة X", "مدينة X", "قرية X"
        if cue is not None and cue.category in LOCATORS and not (
                cue.category in ("direction", "region") and _has_article(prev)) and not (
                rule == "feature" and cue.category == "vicinity"):
            if cue.category == "direction" and cue.record.value == "C":
                # "وسط حلب" is the centre of Aleppo, "وسط تكتم" amid secrecy: a preposition
                return "" if rule == "feature" else "preposition"
            return "locator"  # "جنوب X", "ريف X", "قرب X", "محافظة X"; not "الشرق الأوسط"
    if m.size == 1 and m.first in cue_firsts:
        return ""  # "في شرق البلاد", "في محيط المدينة": the word is a locator itself
    if rule == "feature":
        return ""
    prefix = m.prefix
    if "ك" in prefix:
        return ""  # "كحلب" (like Aleppo) is not a place; "كامل" is not Amol
    if prefix[-1:] in ("ب", "ل") and m.first > 0 \
            and normalize_key(tokens[m.first - 1].text) in PLACE_PREPS:
        return ""  # "من بنوك الطعام": prepositions do not stack, so the ب is the word's own
    if not rule and m.category == "place" and _strong_name(cands, m.size):
        return "" if _adjective(tokens, m, cue_at_last) else "name"
    if m.first > 0:
        prev = tokens[m.first - 1].text
        preps = PLACE_PREPS - _VIA if rule == "cue" else PLACE_PREPS
        if any(c in preps for c in (prev, *(a.stem for a in analyses(prev)))):
            return "preposition"
        cue = cue_at_last.get(m.first - 1)
        if cue is not None and cue.category in ("destination", "origin"):
            return "preposition"
    if rule == "cue":
        return ""
    if prefix[-1:] in ("ب", "ل") or prefix.endswith("لل"):
        return "preposition"
    if prefix.startswith("و"):
        return "coordinated"  # "معرة النعمان وخان شيخون"
    if after_event:
        return "event"
    if m.first > 0:
        prev = tokens[m.first - 1].text
        cue = cue_at_last.get(m.first - 1)
        if cue is not None and cue.category == "feature" and _has_article(prev):
            return ""  # "المدينة الجديدة": a name follows "مدينة", never "المدينة"
        if any(c in LOCATIVE for c in (prev, *(a.stem for a in analyses(prev)))):
            return "preposition"
        if cue is not None and cue.category in PLACE_CUES:
            return "locator"
    return ""



REGION = frozenset({"SY", "IQ", "LB", "JO", "TR", "PS", "IL", "YE", "LY", "SD", "EG"})


_VIA = frozenset({normalize_key("عبر")})  # "عبر صور وزعها": via, as often as across


def cues_by_last(cues: list[Match]) -> dict[int, Match]:
    """Cues by the token they end at; where two end at one token (a story flag read beside
    the cue chosen for its span), the first, chosen one."""
    out: dict[int, Match] = {}
    for m in cues:
        out.setdefault(m.last, m)
    return out


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
        c.feature in ("admin1", "admin2", "airport", "military_base", "camp", "road", "area")
        or (c.feature == "city" and (c.country in REGION or c.population >= BIG_ABROAD))
        for c in cands)


def _adjective(tokens: list[Token], m: Match, cue_at_last: dict[int, Match]) -> bool:
    """"الدخان الرمادي": a name with the article right after a noun with the article, no
    feature word ("العاصمة الرياض"), is that noun's adjective."""
    if m.first == 0 or m.prefix or not tokens[m.first].text.startswith("ال"):
        return False
    prev = tokens[m.first - 1].text
    return prev.startswith("ال") and len(prev) > 3 and cue_at_last.get(m.first - 1) is None


def _has_article(tok: str) -> bool:
    return any(a.definite for a in analyses(tok))


def _annotate(tokens: list[Token], mentions: list[PlaceMention],
              cue_at_last: dict[int, Match]) -> None:
    """Fill modifiers, feature cues, containers, roles and roads from the surrounding words."""
    for k, pm in enumerate(mentions):
        pm.holds_quarter = any(
            (c := cue_at_last.get(j)) is not None and c.category == "feature"
            and c.record.value in ("neighbourhood", "landmark") for j in range(max(0, pm.first - 5), pm.first))
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
                # "عدة مديريات بصعدة": districts in the governorate of that name
                pm.modifier = "admin1" if _clitic_b(tokens, pm) else val
            elif cat == "institution" and pm.modifier in ("admin1", "admin3"):
                pm.modifier = ""  # "مجلس محافظة البصرة": a building in the city, not the province
            elif cat == "feature" and not pm.feature_cue:
                pm.feature_cue = val
            elif cat == "destination" and not pm.role:
                pm.role = "to"
            elif cat == "origin" and not pm.role:
                pm.role = "from"
        if k > 0:
            prev = mentions[k - 1]
            gap = tokens[prev.last + 1:pm.first]
            gap_words = [t.text for t in gap]
            if (tokens[pm.first].text.startswith("و") and not gap_words) or (
                    gap_words and set(gap_words) <= {"و", "#"} and "و" in gap_words):
                pm.coordinated = True
                if prev.role and not pm.role:
                    pm.role = prev.role
                if prev.modifier in ("admin1", "admin3") and not pm.modifier:
                    pm.modifier = prev.modifier  # "محافظات عمران وصعدة والجوف": each a governorate
                if prev.feature_cue and not pm.feature_cue and _list_feature_before(
                        tokens, prev.first, 1):
                    pm.feature_cue = prev.feature_cue  # "بلدتي أوتايا والنشابية": two towns
            elif is_container_gap(gap_words, tokens, pm) and pm.first - prev.last <= 4:
                prev.container = pm
                # "نبل والزهراء شمال حلب": the container holds the whole coordinated list
                j = k - 1
                while j > 0 and mentions[j].coordinated and mentions[j - 1].container is None:
                    mentions[j - 1].container = pm
                    j -= 1
    _governorate_lists(tokens, mentions)
    _listed_after_a_colon(tokens, mentions)


def _clitic_b(tokens: list[Token], pm: PlaceMention) -> bool:
    """Whether the name carries a clitic ب that no candidate's name opens with ("بصعدة")."""
    return tokens[pm.first].text[:1] == "ب" and not any(
        normalize_key(n)[:1] == "ب" for c in pm.candidates for n in (c.name_ar, *c.names_ar) if n)


def _lists(mentions: list[PlaceMention]) -> list[list[PlaceMention]]:
    """The mentions in runs: a name and the names coordinated after it (X وY وZ), or alone."""
    runs: list[list[PlaceMention]] = []
    for pm in mentions:
        if runs and pm.coordinated:
            runs[-1].append(pm)
        else:
            runs.append([pm])
    return runs


def _mate_points(pm: PlaceMention) -> list[tuple[float, float]]:
    """The points chosen for the other names of the mention's list."""
    return [(q.chosen.lat, q.chosen.lon) for q in pm.mates
            if q.chosen is not None and q.chosen.lat is not None]


def _governorate_lists(tokens: list[Token], mentions: list[PlaceMention]) -> None:
    """"في صعدة وحجة", "في الحديدة وتعز": a list after a preposition of place, of names each
    of which is a governorate's (and its capital's), in one country, with no feature word,
    names the governorates ("أعرب بغداد وأربيل": the governments, at their capitals)."""
    for run in _lists(mentions):
        if len(run) < 2 or run[0].first == 0 or normalize_key(
                tokens[run[0].first - 1].text) not in PLACE_PREPS or any(
                p.country is not None or p.modifier or p.feature_cue
                               or p.container is not None for p in run):
            continue
        states = [{c.country for c in p.candidates if c.feature == "admin1"} for p in run]
        if all(states) and set.intersection(*states):
            for p in run:
                p.modifier = "admin1"



# plural admin words that name each place of a list given after a colon
_PLURAL_ADMIN = {normalize_key(w): v for w, v in (
    ("محافظات", "admin1"), ("مديريات", "admin3"), ("أقضية", "admin3"), ("اقضية", "admin3"),
    ("نواحي", "admin3"), ("ولايات", "admin1"))}
COLON_REACH = 10  # tokens before a colon in which a plural admin word introduces its list


def _listed_after_a_colon(tokens: list[Token], mentions: list[PlaceMention]) -> None:
    """"المديريات التي طلب الحوثيون قطع الإنترنت عنها هي: حيس والخوخة والمراوعة": each name
    of a list after a colon that a plural admin word introduces is of that admin level; the
    list runs over names, و and commas only."""
    colon = next((k for k, t in enumerate(tokens) if t.text == ":"), None)
    if colon is None:
        return
    level = next((_PLURAL_ADMIN[w] for t in tokens[max(0, colon - COLON_REACH):colon]
                  if (w := normalize_key(t.text).removeprefix("ال")) in _PLURAL_ADMIN), None)
    if level is None:
        return
    named = {k for p in mentions for k in range(p.first, p.last + 1)}
    for k in range(colon + 1, len(tokens)):
        t = tokens[k].text
        if k not in named and t not in (",", "،", "و") and not (
                t[:1] == "و" or t.startswith("ال")):
            return  # the list has ended
        p = next((p for p in mentions if p.first == k), None)
        if p is not None and not (p.modifier or p.feature_cue or p.country is not None):
            p.modifier = level


# feature words (dual or plural) that name each place of the list after them
_LIST_FEATURES = frozenset(normalize_key(w) for w in (
    "بلدتي", "قريتي", "مدينتي", "مخيمي", "حيي", "بلدات", "قرى", "مدن", "مخيمات", "أحياء"))


def _list_feature_before(tokens: list[Token], i: int, reach: int = 4) -> bool:
    """A dual or plural feature word ("بلدتي", "قرى") in the ``reach`` tokens before token i."""
    return any(normalize_key(t.text) in _LIST_FEATURES for t in tokens[max(0, i - reach):i])


# How far back (in tokens) each kind of cue still speaks of the name: a feature or admin word
# stands right before it ("بلدة خناصر", "محافظة إدلب"), a direction or a destination may have
# one in between ("شمال مدينة حلب", "إلى مدينة حمص").
_CUE_REACH = {"feature": 1, "admin": 1, "institution": 2, "countryside": 1, "region": 1,
              "direction": 2, "vicinity": 3, "destination": 3, "origin": 2}


_WRAPPERS = frozenset({"(", ")", "[", "]", "«", "»", '"', "“", "”", "'"})


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
        # a bracket or a quotation mark between does not part them: "(محافظة) صعدة"
        wrapped = sum(tokens[k].text in _WRAPPERS for k in range(m.last + 1, first))
        if first - m.last - wrapped <= _CUE_REACH.get(m.category, 0):
            out.append((m.category, m.record.value))
        j = m.first - 1
    return out


def is_container_gap(gap: list[str], tokens: list[Token], pm: PlaceMention) -> bool:
    """Whether the words between two places make the second contain the first.

    "خناصر جنوب حلب", "دوار الباسل بحلب", "كويرس في ريف حلب", "نبل والزهراء شمال حلب".
    """
    tok = tokens[pm.first].text
    if not gap:
        return tok[:1] == "ب" and len(tok) > 3  # "بحلب" right after a place
    if tok[:1] == "و" and not any(normalize_key(n)[:1] == "و" for c in pm.candidates
                                  for n in (c.name_ar, *c.names_ar)):
        return False  # "أربيل 55 في المئة والسليمانية": the second of a list, not a container
    keys = [normalize_key(w) for w in gap]
    if "من" in keys and not set(keys[:keys.index("من")]) <= _CONTAINER_WORDS:
        return False  # "لم تبلغ سيول أي كلمة من بيونغيانغ", "قادما من": a source, not a container
    if "في" in keys and any(k in FUNCTION_WORDS or (len(k) > 4 and k.endswith(_PRONOUNS))
                            for k in keys[:keys.index("في")]):
        # "ثبتت أنقرة وجودها في سوريا", "والجيزة كما في مدينة بصرى": في belongs to a noun with
        # a pronoun or to a particle between; the rest of a name stays ("مطار بنظير بوتو
        # الدولي في إسلام أباد")
        return False
    words = set(keys)
    return bool(words & _CONTAINER_WORDS) and not (words & _NOT_CONTAINER)


_PRONOUNS = ("ها", "هم", "هما", "هن", "كم", "نا")  # suffixes of possession (not ه, which is ة too)


# a preposition of target, goal or company between two places starts another argument: "من
# قطاع غزة على مستوطنات جنوب إسرائيل" does not put the Gaza Strip in Israel
_NOT_CONTAINER = frozenset({",", ".", "و"} | {normalize_key(w) for w in (
    "على", "إلى", "الى", "نحو", "باتجاه", "صوب", "ضد", "مع", "عن", "بين", "حتى")})


_CONTAINER_WORDS = frozenset(normalize_key(w) for w in (
    "في", "جنوب", "شمال", "شرق", "غرب", "جنوبي", "شمالي", "شرقي", "غربي", "ريف", "محافظة",
    "بريف", "بمحافظة", "قرب", "بالقرب", "من", "غربي", "وسط", "منطقة", "ضواحي", "كم", "كلم",
    "شمال شرق", "شرقي", "الواقعة", "التابعة", "قضاء", "ناحية", "ولاية", "بولاية", "بمنطقة",
    "بمدينة", "ببلدة", "بقضاء", "بمديرية", "بناحية", "مديرية", "بمحافظة", "القريبة", "القريب"))


# --- resolution ------------------------------------------------------------------------------

def resolve_mentions(mentions: list[PlaceMention], norm: Normalized, tokens: list[Token],
                     ctx: DocContext, lex: Lexicon) -> None:
    """Choose a gazetteer entry and a precision for each mention of one sentence."""
    # "منطقة صيدا على أطراف وادي اليرموك بسوريا": a country named as a place (after a
    # preposition of place) a few words after a name holds that name's namesakes
    here = [(pm.first, pm.country.iso2) for pm in mentions if pm.country is not None and (
        tokens[pm.first].text[:1] == "ب" or pm.first > 0
        and normalize_key(tokens[pm.first - 1].text) in PLACE_PREPS)]
    for pm in mentions:
        pm.sentence_countries = frozenset(c for k, c in here if 0 < k - pm.last <= COUNTRY_REACH)
        if pm.country is None:
            _read_nisba(pm, tokens, lex)
    if ctx.named is None and any(
            len(cs := {c.country for c in pm.candidates}) > 1 and not cs & set(ctx.countries)
            for pm in mentions):
        ctx.article_countries(norm, lex)  # namesakes in several countries, none yet named
    # "صيدا والجيزة والمسيفرة": the names of one list lie near each other
    for run in _lists(mentions):
        run = [p for p in run if p.country is None]
        for p in run:
            p.mates = [q for q in run if q is not p]
    order = sorted(range(len(mentions)), key=lambda k: -_independence(mentions[k]))
    for k in order:
        pm = mentions[k]
        if pm.country is None and pm.nisba is None and pm.container is not None and \
                pm.container.country is not None:
            pm.nisba = pm.container.country  # "مدينة جامو شمال الهند": a town of India
        if pm.country is None and pm.nisba is not None and \
                not any(c.country == pm.nisba.iso2 for c in pm.candidates):
            # "بلدة تريب الفرنسية": a town in France the gazetteer does not know; it is in
            # France, at a country's precision, never a namesake elsewhere
            pm.candidates = []
            pm.country = pm.nisba
            pm.place = _country_place(pm, norm, tokens)
            continue
        if pm.country is None and pm.nisba is None and pm.container is None:
            short = _short_country(pm, tokens, norm, lex)
            if short is not None:
                # "محادثات ... في عمان" in an article that names سلطنة عمان and not Jordan
                pm.country, pm.candidates = short, []
        if pm.country is not None:
            pm.place = _country_place(pm, norm, tokens)
            ctx.countries[pm.country.iso2] = ctx.countries.get(pm.country.iso2, 0) + 1
            continue
        pm.chosen = _choose(pm, pm.container, ctx, norm, lex)
        cont = pm.container
        outside = pm.chosen is not None and cont is not None and cont.place is not None and \
            cont.chosen is not None and _outside(pm.chosen, cont.chosen)
        if outside and (any(c.feature in _OWN_RIGHT and c.country == cont.chosen.country
                            for c in pm.candidates) or (
                not pm.feature_cue and not pm.holds_quarter
                and pm.chosen.feature in POPULATED and pm.chosen.population >= BIG_CITY
                and cont.modifier != "direction")):
            # a governorate, a district, a city or a town of the container's own country, or a
            # city of 100,000 people chosen anywhere, that lies outside it is a place in its
            # own right: the locator holds another word of the sentence ("قافلة المهجرين من
            # درعا والقنيطرة بالقرب من حمص", "هيثرو في لندن وشارل ديغول في باريس", "إحضاره إلى
            # بروكسل من سجن قرب باريس"); a big city named after a feature word, or placed by a
            # direction, stays a place of its container ("مطار الريان في حضرموت", "تقاطع
            # إسطنبول وسط طهران", "النخيلة والطائف جنوبي الحديدة")
            pm.container = None
            pm.chosen = _choose(pm, None, ctx, norm, lex)
        elif outside:
            # "منطقة التل بمدينة طرابلس": no namesake lies in the town named with it, so it is
            # a place of that town the gazetteer does not know: the town's point, precision 2
            pm.scored = [(c, sc, why + [f"not in {cont.chosen.name}, named with it: placed "
                                        "there as an unknown place of it"])
                         for c, sc, why in pm.scored]
            pm.chosen = None
            start, end = norm.span(tokens[pm.first].start, tokens[pm.last].end)
            pm.landmark = norm.original[start:end]
            pm.place = landmark_place(pm, cont.place, norm, tokens)
            continue
        pm.place = _to_place(pm, pm.chosen, norm, tokens, lex)
        if pm.chosen:
            ctx.points.append(pm.chosen)
            ctx.countries[pm.chosen.country] = ctx.countries.get(pm.chosen.country, 0) + 1
    for pm in mentions:
        # a name far from every other name of its list, which has a namesake near one of them,
        # is that namesake ("صيدا والجيزة والمسيفرة" in Daraa: neither Sidon nor Giza)
        if not pm.mates or pm.chosen is None or pm.landmark or pm.container is not None:
            continue
        anchors = _mate_points(pm)
        if not anchors or _nearest_km(pm.chosen, anchors) <= LIST_NEAR_KM:
            continue
        scored = score_candidates(pm, pm.container, ctx)
        best = scored[0][0] if scored else None
        if best is not None and best is not pm.chosen and _nearest_km(best, anchors) < LIST_NEAR_KM:
            pm.scored, pm.chosen = scored, best
            pm.place = _to_place(pm, best, norm, tokens, lex)


_STATE_WORDS = frozenset(normalize_key(w) for w in (
    "سلطنة", "جمهورية", "مملكة", "دولة", "إمارة", "امارة"))


@lru_cache(maxsize=1)
def short_country_names() -> dict[str, tuple[str, tuple[str, ...]]]:
    """A country's name with its state word peeled ("سلطنة عمان" -> "عمان"), where
    countries.tsv does not list it as a name by itself: normalised name -> (ISO2, the full
    names it was peeled from). Such a name is also a town's elsewhere (Amman)."""
    names = _country_names()
    listed = {n for ns in names.values() for n in ns}
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for iso2, ns in names.items():
        for full in ns:
            head, _, rest = full.partition(" ")
            if head in _STATE_WORDS and rest and " " not in rest and rest not in listed \
                    and not rest.startswith("ال"):
                iso, fulls = out.get(rest, (iso2, ()))
                out[rest] = (iso, fulls + (full,))
    return out


@lru_cache(maxsize=1)
def _country_names() -> dict[str, tuple[str, ...]]:
    """ISO2 -> the normalised names countries.tsv gives the country."""
    return {r["iso2"]: tuple(normalize_key(n) for n in r["names"].split("|") if n)
            for r in read_table("countries.tsv")}


def _short_country(pm: PlaceMention, tokens: list[Token], norm: Normalized,
                   lex: Lexicon) -> Country | None:
    """"في عمان" in an article that writes سلطنة عمان, and names the country of no town called
    عمان (الأردن), is the country by its short name, not the town."""
    if pm.first != pm.last:
        return None
    shorts = short_country_names()
    hit = next((shorts[a.stem] for a in analyses(tokens[pm.first].text) if a.stem in shorts),
               None)
    if hit is None:
        return None
    iso, fulls = hit
    text = norm.text
    names = _country_names()
    if not any(f in text for f in fulls) or any(
            n in text for c in {c.country for c in pm.candidates} for n in names.get(c, ())):
        return None
    return lex.country(iso)


def _read_nisba(pm: PlaceMention, tokens: list[Token], lex: Lexicon) -> None:
    """A country adjective with the article right after the name: "طرابلس الليبية"."""
    j = pm.last + 1
    if j >= len(tokens) or not tokens[j].text.startswith("ال"):
        return
    tok = tokens[j].text
    cache = _NISBA.setdefault(id(lex), {})
    if tok not in cache:
        if len(cache) > 100_000:
            cache.clear()
        cache[tok] = next((e.record for e, _, p in lex.index._first_hits(tok)
                           if e.category == "nisba" and not p and len(e.words) == 1), None)
    pm.nisba = cache[tok] or pm.nisba


_NISBA: dict[int, dict[str, Country | None]] = {}


def _independence(pm: PlaceMention) -> int:
    """Resolve containers before what they contain, and unambiguous names first: they are
    context for the rest ("منطقة التل بمدينة طرابلس شمالي لبنان": Lebanon, Tripoli, then التل)."""
    depth, c = 0, pm.container
    while c is not None and depth < 8:
        depth, c = depth + 1, c.container
    return -2 * depth + (1 if len(pm.candidates) == 1 else 0)


def _choose(pm: PlaceMention, container: PlaceMention | None, ctx: DocContext,
            norm: Normalized | None = None, lex: Lexicon | None = None) -> PlaceRow | None:
    pm.scored = score_candidates(pm, container, ctx)
    if not pm.scored:
        return None
    best = pm.scored[0][0]
    if not _plausible(pm, best, ctx, norm, lex):
        pm.scored = [(c, s, why + ["a small place abroad, in an article about another "
                                   "country: left unresolved"]) for c, s, why in pm.scored]
        return None
    return best


_SMALL = frozenset({"village", "neighbourhood"})
SMALL_REACH_KM = 60.0  # a village named with another lies no farther from it than this
_TOWNLIKE = POPULATED | {"admin2", "admin3"}  # a town, or a district named after its town
BIG_CITY = 100_000  # people: no village or small town word names a city this large
LIST_NEAR_KM = 40.0  # km: the places of one list ("X وY وZ") lie this near each other
COUNTRY_REACH = 8  # tokens after a name within which a country named as a place holds it
FAR_KM = 150.0  # a village this far from every place the article named before is a namesake
BIG_ABROAD = 500_000  # people: a city this large is a place by its name alone, anywhere
SMALL_TOWN = 50_000  # people: a town this small abroad is doubted as a village is
VILLAGE_NEAR_KM = 40.0  # a village after a bare preposition needs a place of the article this close
_LARGE = frozenset({"admin1", "admin2", "area", "road"})
_OWN_RIGHT = _LARGE | {"city", "town"}  # never an unknown place of another town of its country


def _plausible(pm: PlaceMention, best: PlaceRow, ctx: DocContext, norm: Normalized | None,
               lex: Lexicon | None) -> bool:
    """A village abroad, in an article that names other countries and not its own, is more
    likely a word (or a namesake the gazetteer lacks) than that village: "إلى محلة برج أبو
    حيدر" in Beirut is not a Yemeni village named محلة."""
    if pm.container is not None:
        return True
    if pm.latin is None and pm.cue == "preposition" and best.feature in _SMALL \
            and not best.population and best.lat is not None and not any(
                distance_km(best.lat, best.lon, p.lat, p.lon) < VILLAGE_NEAR_KM
                for p in ctx.points[-8:] if p.lat is not None):
        # "في X" with no feature word, no locator and no place of the article nearby: the word
        # after في is far more often a noun ("في المزار", "في بيانه") than a hamlet that only
        # Who's On First names
        return False
    if best.feature in _SMALL | {"admin3"} and best.lat is not None and pm.cue != "alone":
        # "قرى شقرا والحصان" in an article whose every place so far lies far away: the
        # gazetteer lacks the village meant, and a namesake across the country is not it
        seen = [p for p in ctx.points[-8:] if p.lat is not None]
        if len(seen) >= 2 and all(distance_km(best.lat, best.lon, p.lat, p.lon) > FAR_KM
                                  for p in seen):
            return False
    town = pm.latin is None and (best.feature not in _SMALL or best.population >= 1000)
    if town and not (best.feature in _TOWNLIKE and (best.population < SMALL_TOWN or (
                         pm.common and best.population < BIG_ABROAD))
                     and pm.cue not in ("feature", "alone")):
        return True  # a town found by its Arabic name; a Latin-only match is doubted always
    # after a bare preposition, an event word or a و, or found by its Latin name: doubted;
    # named with a feature word or a locator ("قرية X"), or a name strong by itself: doubted
    # only when the article is plainly elsewhere
    strict = pm.latin is not None or pm.cue in ("preposition", "event", "coordinated", "")
    if (not strict and pm.cue == "alone") or best.country in ctx.countries:
        return True
    if pm.latin is not None and ctx.points and not any(
            distance_km(best.lat, best.lon, p.lat, p.lon) < 200 for p in ctx.points[-8:]):
        return False  # a Latin-only namesake far from every place the article names
    named = ctx.article_countries(norm, lex) if norm is not None and lex is not None \
        else (ctx.named or {})
    home = set(ctx.countries) | {c for c, w in named.items() if w >= 1.0}
    if best.country in home:
        return True
    if town:
        # a small town (or one whose name the corpus shows mostly as a word) after a bare
        # preposition, in an article plainly elsewhere, is more likely a word or a person
        # ("في المزار السياحي" in Paris, "في الصور" in Spain) than that town
        return not home or best.country in {c for c, w in named.items() if w > 0} or \
            any(distance_km(best.lat, best.lon, p.lat, p.lon) < 300 for p in ctx.points[-8:])
    if strict:
        # after a bare preposition, a village counts only in a country the article speaks
        # of (by name, nisba, capital or actor): "من شرفة" in a report from Utah is a balcony
        return best.country in named
    if not home:
        # "مدينة جرادة" in a report whose opening names only Morocco's nisba: a city word
        # before a neighbourhood's name (a part of a city, never a city), of a country the
        # article does not name while it names others, is an unknown city of theirs
        return not (named and pm.feature_cue == "city" and best.feature == "neighbourhood"
                    and best.country not in named)
    # a feature word names it as a place: keep it unless the article is plainly elsewhere
    return best.country in {c for c, w in named.items() if w > 0} or \
        any(distance_km(best.lat, best.lon, p.lat, p.lon) < 300 for p in ctx.points[-8:])


def score_candidates(pm: PlaceMention, container: PlaceMention | None, ctx: DocContext
                     ) -> list[tuple[PlaceRow, float, list[str]]]:
    """Candidates with a score and the reasons for it, best first."""
    main = ctx.main_country()
    cont = container.chosen if container else None
    cont_country = container.country.iso2 if container and container.country else None
    named = ctx.named or {}
    top = max(named.values(), default=0.0)
    countries = {c.country for c in pm.candidates}
    towns = any(c.feature in ("city", "town") for c in pm.candidates)
    villages_only = all(c.feature in _SMALL or c.feature in ADMIN_PRECISION for c in pm.candidates)
    near = list({(p.lat, p.lon) for p in ctx.points[-8:] if p.lat is not None})
    listed = _mate_points(pm)  # where the other names of its list were placed
    out = []
    for c in pm.candidates:
        why: list[str] = []
        s = {"city": 3.0, "town": 2.0, "village": 1.0, "airport": 2.0, "area": 3.0}.get(c.feature, 0.5)
        why.append(f"{c.feature} {s:+.1f}")
        latin = pm.latin is not None  # found by transliteration: weaker, lean on context
        if c.population:
            p = (0.2 if latin else 0.4) * math.log10(c.population + 1)
            s += p
            why.append(f"population {c.population:,} {p:+.1f}")
        if c.feature in ADMIN_PRECISION:
            # named without محافظة: the town of that name if there is one, else the area
            # rather than a village ("في ذي قار": the governorate, not a hamlet of Wasit)
            if pm.modifier in ("admin1", "admin3"):
                bonus, reason = 4.0, "named as such"
            elif towns or pm.feature_cue or not villages_only:
                bonus, reason = -1.5, "not named as such"
            else:
                bonus, reason = 1.0, "rather than a village of the same name"
            s += bonus
            why.append(f"admin area {reason} {bonus:+.1f}")
        if c.feature == "area" and c.feature_code.endswith("B") and not pm.feature_cue \
                and not pm.holds_quarter:
            s += 3.0  # "في غزة": the Gaza Strip; "مدينة غزة": the city
            why.append("the name alone means the region +3.0")
        elif c.feature == "area" and pm.cue == "feature" and pm.feature_cue in ("city", "village"):
            s -= 3.0  # "قرية سيناء": a village of that name, never the region
            why.append(f"{pm.feature_cue} word before a region's name -3.0")
        if pm.modifier == "admin1" and c.feature == "admin1":
            s += 3.0
            why.append("محافظة before the name +3.0")
        elif pm.modifier == "admin3" and c.feature in ("admin2", "admin3"):
            s += 3.0  # "مديرية صعدة": the district, not the governorate of the same name
            why.append("a district's word before the name +3.0")
        elif c.feature == "admin1" and pm.modifier != "admin3" and any(
                o.feature in ("admin2", "admin3") and o.country == c.country
                for o in pm.candidates):
            s += 1.5  # "في ريف دمشق": the governorate, not its district of the same name
            why.append("a governorate rather than its district of the same name +1.5")
        if pm.feature_cue == "airport" and c.feature in ("airport", "military_base"):
            s += 4.0
            why.append("مطار before the name +4.0")
        if pm.feature_cue in ("town", "village") and c.feature == "city" \
                and c.population >= BIG_CITY:
            s -= 3.0  # "قرية كابول": a village of that name, never the capital of millions
            why.append(f"{pm.feature_cue} word before a big city's name -3.0")
        elif pm.feature_cue in ("city", "town", "village", "neighbourhood") \
                and c.feature in POPULATED:
            s += 1.0
            why.append(f"{pm.feature_cue} word before the name +1.0")
        if pm.feature_cue == "camp" and c.feature == "camp":
            s += 2.0
            why.append("مخيم before the name +2.0")
        if "not_current" in c.feature_code or c.feature_code.startswith("PPLQ"):
            s -= 1.0
            why.append("abandoned or no longer current -1.0")
        if pm.nisba is not None:
            bonus = 8.0 if c.country == pm.nisba.iso2 else -8.0
            s += bonus
            why.append(f"{pm.nisba.name} named right after it {bonus:+.1f}")
        if main and c.country == main:
            bonus = 4.0 if latin else 2.5
            s += bonus
            why.append(f"in the article's country ({main}) {bonus:+.1f}")
        elif c.country in ("SY", "IQ", "LB", "PS", "IL", "YE"):
            s += 0.5
            why.append("in the region +0.5")
        if len(countries) > 1 and top and named.get(c.country):
            bonus = round(2.0 * named[c.country] / top, 1)
            s += bonus
            why.append(f"the article names {c.country} {bonus:+.1f}")
        if c.country == "IL" and "LB" in countries and "IL" not in ctx.named_as_place \
                and "IL" not in ctx.countries:
            s -= 3.0
            why.append("a namesake in Lebanon, and the text names no place in Israel -3.0")
        if c.country in pm.sentence_countries and len(countries) > 1:
            s += 3.0
            why.append(f"{c.country} named as a place a few words after it +3.0")
        if cont is not None:
            same = _inside(c, cont)
            # inside by its recorded region counts more than inside by distance alone
            bonus = (6.0 if _region_name(c.admin1) and _region_name(cont.admin1) else 5.0) \
                if same else -2.0
            s += bonus
            why.append(f"{'inside' if same else 'outside'} {cont.name} (named next to it) "
                       f"{bonus:+.1f}")
        elif cont_country:
            bonus = 6.0 if c.country == cont_country else -4.0
            s += bonus
            why.append(f"{'in' if bonus > 0 else 'not in'} {cont_country} (named next to it) "
                       f"{bonus:+.1f}")
        if listed and _nearest_km(c, listed) < LIST_NEAR_KM:
            s += 3.0
            why.append(f"near {', '.join(q.chosen.name for q in pm.mates if q.chosen)}, named "
                       "in the same list +3.0")
        if near:
            d = _nearest_km(c, near)
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


def _nearest_km(c: PlaceRow, points: list[tuple[float, float]]) -> float:
    """Distance to the nearest of ``points`` (an equirectangular approximation: close to the
    great circle at the distances that count here, and cheap)."""
    if c.lat is None or c.lon is None:
        return math.inf
    k = math.cos(math.radians(c.lat)) * 111.32
    return min(math.hypot((c.lon - lon) * k, (c.lat - lat) * 110.57) for lat, lon in points)


def _inside(c: PlaceRow, cont: PlaceRow) -> bool:
    """Whether a candidate lies in the place named next to it: its district or governorate
    when both records name one, else within 60 km (150 km of a governorate's or a region's
    point)."""
    if c.country and cont.country and c.country != cont.country:
        return False
    d = distance_km(c.lat, c.lon, cont.lat, cont.lon)
    if cont.feature == "admin2" and cont.admin2 and c.admin2:
        return c.admin2 == cont.admin2 or d < 10
    if _region_name(c.admin1) and _region_name(cont.admin1):
        return c.admin1 == cont.admin1 or d < 15
    # a governorate (or a region) reaches far from its centre point; a town's surroundings do not
    return d < (150 if cont.feature in ("admin1", "area") else 60)


def _outside(c: PlaceRow, cont: PlaceRow) -> bool:
    """Whether the place chosen lies outside the one named with it: as ``_inside`` says for a
    town or an area; for a village or a neighbourhood, whose records seldom say where they
    belong, only when it lies farther than a town's surroundings reach ("قرية الشجن ببلدة
    الجحبا", every الشجن the gazetteer knows 140 km or more away: a namesake, not the village)."""
    if cont.feature not in _SMALL:
        return not _inside(c, cont)
    d = distance_km(c.lat, c.lon, cont.lat, cont.lon)
    return math.isfinite(d) and d > SMALL_REACH_KM


def _region_name(admin1: str) -> bool:
    """A region's name ("Idlib"), not a source's code for it ("12", "SY12")."""
    return len(admin1) > 3 and not any(ch.isdigit() for ch in admin1)


def _precision(pm: PlaceMention, entry: GazetteerEntry) -> int:
    if entry.feature == "road":
        return 5  # a line, not a point
    if entry.feature in ADMIN_PRECISION:
        base = ADMIN_PRECISION[entry.feature]
    elif entry.feature == "area":
        base = area_precision(entry)
    elif pm.modifier == "admin1":
        base = 4
    elif pm.modifier == "admin3":
        base = 3  # "مديرية الظاهر" placed at the town of that name: the district, not the town
    else:
        base = 1
    if pm.modifier == "countryside":
        return 3 if base < 3 else base
    if pm.modifier == "area":
        return max(base, 2 if entry.feature in ("village", "town") else 3)
    if pm.modifier in ("near", "direction", "km") or pm.landmark:
        return max(base, 2)
    return base


def area_precision(entry: GazetteerEntry) -> int:
    """A region's precision: its feature code says it (AREA3 a district's size, AREA4 a
    governorate's, AREA5 larger); 3 when it does not."""
    code = entry.feature_code
    return int(code[4]) if code.startswith("AREA") and code[4:5].isdigit() else 3


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
    return reps, {k: list({r.gid: r for m in ms
                           for r in (getattr(m.entry, "records", ()) or (m.record,))}.values())
                  for k, ms in groups.items()}


# --- names the Arabic index does not know --------------------------------------------------------

FUNCTION_WORDS = frozenset(normalize_key(w) for w in (
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
_LATIN_ALONE = 70.0  # a text that is nothing but a name


@lru_cache(maxsize=200_000)
def _is_common(tok: str, common: frozenset[str]) -> bool:
    """Whether a word (without its article or a clitic و، ف، ب، ل) is a common word."""
    return any(a.stem in common for a in analyses(tok) if "ك" not in a.prefix)


LATIN_REGION = frozenset({"SY", "IQ", "LB", "JO", "TR", "PS", "IL", "YE", "LY", "SD", "EG"})


def latin_mentions(tokens: list[Token], norm: Normalized, taken: set[int],
                   cue_at_last: dict[int, Match], gaz, near: list[PlaceRow],
                   countries: frozenset[str] = LATIN_REGION, whole: bool = True
                   ) -> list[PlaceMention]:
    """Mentions of places the gazetteer knows only by Latin names ("في قرية كفر سجنة" →
    Kafr Sajnah), among the places of ``countries`` (the region and the article's country).

    Tried only right after a feature word (بلدة، قرية، مدينة، حي، مخيم), or after a locative
    preposition when the place lies within 100 km of a place the article already named
    (``near``): after a bare preposition many common nouns fit some village's name. A clitic
    ب is not enough: "بمالها"، "بزراعات" are words with "with", far more often than a village.
    """
    out: list[PlaceMention] = []
    i, n = 0, len(tokens)
    words = [k for k, t in enumerate(tokens) if t.is_word] if whole else []
    common = gaz.common_words
    while i < n:
        if i in taken or not tokens[i].is_word:
            i += 1
            continue
        threshold = _latin_threshold(tokens, i, cue_at_last)
        if threshold is None and words and i == words[0] and len(words) <= 3:
            threshold = _LATIN_ALONE  # the text is only a name: "كفر سجنة"
        if threshold is None:
            i += 1
            continue
        best = None
        for width in (3, 2, 1):
            last = i + width - 1
            if last >= n or any(k in taken or not tokens[k].is_word
                                or tokens[k].text in FUNCTION_WORDS for k in range(i, last + 1)):
                continue
            text = _original_name(tokens, norm, i, last)
            rule = gaz.rules.get(normalize_key(text))
            if rule == "never" or (rule == "feature" and threshold == _LATIN_PREP):
                continue  # a common word that is also a village's name
            if threshold != _LATIN_ALONE and all(
                    _is_common(tokens[k].text, common) for k in range(i, last + 1)):
                continue  # "في صفوف": a word written too often to be a Latin-only village
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
NAMING = frozenset(normalize_key(w) for w in ("مدينة", "بلدة", "قرية", "حي", "مخيم", "بلدتي",
                                                "قريتي", "مدينتي", "حيي", "مخيمي"))


def names_a_place(word: str) -> bool:
    """Whether a feature word can stand before a name: singular or dual, without the article
    ("قرية تلمنس", "بلدتي X وY"; not "قرى يمنية", "المدينة الجديدة")."""
    return bool({word, *(a.stem for a in analyses(word) if not a.definite)} & NAMING)


def _latin_threshold(tokens: list[Token], i: int, cue_at_last: dict[int, Match]) -> float | None:
    """How well a Latin name must fit at token i, or None when no cue invites a place here."""
    cue = cue_at_last.get(i - 1) if i > 0 else None
    if cue is not None and cue.category == "feature" and cue.record.value in _LATIN_AFTER:
        return _LATIN_AFTER[cue.record.value] if names_a_place(tokens[i - 1].text) else None
    tok = tokens[i].text
    if i > 0 and tokens[i - 1].text in ("في", "من", "قرب", "الى", "نحو", "باتجاه", "علي"):
        return _LATIN_PREP
    if tok[:1] == "و" and len(tok) > 4 and i > 0 and _latin_threshold(tokens, i - 1, cue_at_last):
        return _LATIN_PREP  # "على اللطامنة وكفرزيتا": the second of a list
    return None


def _original_name(tokens: list[Token], norm: Normalized, first: int, last: int) -> str:
    """The name as written (with its ة), without the و of a list ("وكفرزيتا")."""
    start = tokens[first].start
    if tokens[first].text[:1] == "و" and len(tokens[first].text) > 4:
        start += 1
    s, e = norm.span(start, tokens[last].end)
    return norm.original[s:e]
