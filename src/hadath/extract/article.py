"""One article from text to events: sentences, frames, events, and merging within the article.

Within one article a repeated report of an event becomes one event with all its evidence and
claims; a confirmation and a denial of one event make it contested.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from ..geo import DocContext, Gazetteer, PlaceMention, distance_km, landmark_place, road_place
from ..geo.resolve import (FUNCTION_WORDS, is_container_gap, name_parts, names_a_place,
                           part_of_a_name)
from ..lexicon import ActorRecord, Country, Lexicon, state_of
from ..models import BOMBARDMENT, Article, Claim, Event, Evidence, Place, Span, Toll
from ..text import Normalized, counted_apart, find_dates, normalize, normalize_key, sentence_spans
from ..text.tokens import analyses
from .attribution import Attribution, find_attributions
from .background import is_background, news_date
from .frames import FAMILY, FIGHTERS, Frame, frames
from .mentions import SEAT_WORDS, Sentence, analyse

PARTY_STANCES = {"confirms": "claims", "reports": "claims"}
_REGION_CUES = ("landmark", "neighbourhood", "junction")


STORY_REACH = 1  # sentences after a placed event in which an unplaced one takes its place


def extract_article(text: str, lex: Lexicon, gaz: Gazetteer, date: dt.date | None = None,
                    doc_id: str | None = None, source: str | None = None) -> Article:
    """Events and toll statements of one article."""
    norm = normalize(text)
    ctx = DocContext()
    previous: Attribution | None = None
    events: list[Event] = []
    background: list[Event] = []
    tolls: list[Toll] = []
    landmarks: dict[str, Place] = {}
    armed = mishaps = 0
    carried: dt.date | None = None
    story_day: dt.date | None = None  # the day the article's opening gives
    story: tuple[int, Place] | None = None  # the last placed event: its sentence and place
    forces: Country | None = None
    for k, (s, e) in enumerate(sentence_spans(norm.text)):
        sent = analyse(norm, s, e, k, lex, gaz, ctx, date)
        if story_day is None and k < STORY_DAY_REACH:
            story_day = _day_given(sent, date)
        armed += sum(a.armed for a in sent.actors)
        mishaps += sum(m.category == "accident" for m in sent.cues)
        context = lex.country(ctx.main_country())
        forces = _forces_named(sent, lex) or forces
        # "وأعلن الجيش مقتل ضابط" after "أعلن الجيش المصري": the army last named speaks
        attributions = find_attributions(sent, previous, context or forces, lex)
        if attributions:
            previous = attributions[-1]
        if not sent.triggers:
            continue
        _add_landmarks_and_roads(sent, norm, landmarks, gaz.common_words)
        found, toll_items = frames(sent, attributions, context, lex, forces)
        for f in found:
            ahead = f.date_index is not None and sent.dates[f.date_index].future
            # ("انتخابات في ديسمبر المقبل": dated ahead, a plan, not an act: kept as context)
            if ahead or is_background(f, date):
                background.append(_event(f, norm, doc_id, date, source, lex))
                continue
            news_date(f, date)
            ev = _event(f, norm, doc_id, date, source, lex, carried)
            if "date" in ev.spans and ev.date_precision == "day" and not _apart(ev):
                carried = ev.date  # the article's story goes on on that day
            if ev.place is not None and ev.place.precision is None and story is not None \
                    and ev.place.feature in _REGION_CUES and (story[1].precision or 9) <= 2:
                # "حي الفرسان" in a story told at أوباري: a quarter of the story's town the
                # gazetteer does not know, placed there (precision 2)
                ev = ev.model_copy(update={"place": story[1].model_copy(update={
                    "name_ar": ev.place.name_ar, "precision": 2, "feature": "landmark",
                    "start": ev.place.start, "end": ev.place.end, "text": ev.place.text})})
            if ev.place is not None and ev.place.precision is not None:
                story = (k, ev.place)
            elif ev.place is None and story is not None and 0 < k - story[0] <= STORY_REACH \
                    and ev.fatalities is None:
                # "وأضافت أن القوات تمكنت من ضبط 3 مطلوبين": the story's place goes on, as its
                # day does, into the next sentences that name none
                ev = ev.model_copy(update={"place": story[1]})
            events.append(ev)
        for number, trigs in toll_items:
            tolls.append(_toll(sent, number, trigs, attributions, norm, doc_id, date))
    if mishaps >= 2 and not armed:
        # an article about a flood, a crash or a fire: deaths with no one to inflict them are
        # the disaster's, not political violence
        events = [ev for ev in events if ev.actor1 is not None
                  or ev.kind not in ("killing", "explosion", "road_closure")]
    blocs = lex.blocs
    events = _story_day(events, date, story_day)
    merged = [ev for ev in (_finish(e) for e in merge_events(events, blocs))
              if not _denies_any(ev, norm.original)]
    return Article(doc_id=doc_id, date=date, events=[ev for ev in merged if ev.place is not None],
                   tolls=tolls, background=[_finish(ev) for ev in merge_events(background, blocs)],
                   unplaced=[ev for ev in merged if ev.place is None])


def _forces_named(sent: Sentence, lex: Lexicon) -> Country | None:
    """The country of the last armed forces the sentence names by nationality."""
    for a in reversed(sent.actors):
        if a.role is not None and a.role.code == "MIL" and a.country is not None:
            return a.country
        if a.record is not None and a.record.type == "state_forces" and a.record.country:
            c = lex.country(a.record.country)
            if c is not None:
                return c
    return None


# --- places the gazetteer cannot name -----------------------------------------------------------

def _add_landmarks_and_roads(sent: Sentence, norm: Normalized, known: dict[str, Place],
                             common: frozenset[str] = frozenset()) -> None:
    """Unknown named landmarks ("دوار الباسل بحلب"), anaphoric places ("المطار") and roads
    ("الطريق الذي يربط دمشق وحلب") become place mentions with an honest precision."""
    toks = sent.tokens
    starts = {p.first for p in sent.places}
    # places named only to locate another ("بلدة X جنوب إدلب"): never what "البلدة" refers to
    containers = {id(q.container) for q in sent.places if q.container is not None}
    referents: list[tuple[int, str, Place]] = []  # (token, feature class, place) in this sentence
    new: list[PlaceMention] = []
    for cue in sent.cues:
        if cue.category == "institution" and cue.size == 1 and cue.last + 1 in starts and \
                normalize_key(toks[cue.first].text).lstrip("وفبل") in _CAMPUSES:
            # "بجامعة القاهرة": a university named after its town is a place in that town
            # (precision 2), named by the whole name; the town alone is not what it names
            if _academic(toks, cue.first):
                # "أستاذ العلوم السياسية بجامعة القاهرة": someone's employer or school
                sent.places = [p for p in sent.places if p.first != cue.last + 1]
                continue
            _facility_of(sent, cue, cue.last + 1, norm, campus=True)
            continue
        if cue.category != "feature" or any(p.first <= cue.first <= p.last for p in sent.places):
            continue
        nxt = cue.last + 1
        if nxt in starts:
            facility = _facility_of(sent, cue, nxt, norm)
            if facility is not None and facility.place is not None and \
                    _feature_class(cue.record.value):
                # "مطار الحديدة ... في محيط المطار": what a later "المطار" refers to
                known["feature:" + cue.record.value] = facility.place
            continue
        value = cue.record.value
        if value == "road":
            road = _road(sent, cue, norm)
            if road is not None:
                new.append(road)
            continue
        if value in _REGION_CUES:
            if nxt >= len(toks) or (_has_article(toks[cue.first].text)
                                    and _has_article(toks[nxt].text)):
                continue  # "الأحياء السكنية", "الحي الشرقي": a noun and its adjective, no name
            name_end = _name_end(sent, nxt, common)
            if name_end < nxt:
                continue
            key = " ".join(t.text for t in toks[cue.first:name_end + 1])
            container = next((p for p in sent.places if p.first > name_end and p.place
                              and p.first - name_end <= 2), None)
            base = container.place if container else known.get(key)
            if base is None:
                new.append(_unresolved(cue, name_end, sent, norm))
                continue
            pm = PlaceMention(cue.first, name_end, landmark=key, container=container)
            pm.place = landmark_place(pm, base, norm, toks)
            known[key] = pm.place
            new.append(pm)
        elif value in _SETTLEMENTS and cue.size == 1 and names_a_place(toks[cue.first].text):
            # "قرية X" where the gazetteer knows no X: the name stays, with no point (a plural,
            # "قرى يمنية", is followed by an adjective, not a name)
            name_end = _name_end(sent, nxt, common)
            if name_end >= nxt:
                pm = _unresolved(cue, name_end, sent, norm)
                new.append(pm)
                if value != "camp":
                    # "وقع الانفجار في مدينة X شمال Y ... في المدينة": X, whose point no one
                    # knows, is what a later "المدينة" refers to; Y only locates it
                    referents.append((cue.first, value, pm.place))
                    held = next((p for p in sent.places if p.first > name_end
                                 and p.first - name_end <= 6), None)
                    gap = [t.text for t in toks[name_end + 1:held.first]] if held else []
                    if held is not None and (is_container_gap(gap, toks, held) or _at_a_distance(
                            gap)):
                        containers.add(id(held))
        elif _has_article(toks[cue.first].text) and cue.size == 1 \
                and not part_of_a_name(toks, cue):  # (صحيفة "المدينة": a newspaper)
            # "انسحاب القوات من المطار": the airport last named (in this sentence, or before)
            same = [p for p in sorted(sent.places + [q for q in new if q.place is not None
                                                     and q.place.precision is None],
                                      key=lambda q: q.first) if p.last < cue.first and p.place
                    and _feature_class(p.place.feature) == value
                    and id(p) not in containers and not _seat_of_a_body(toks, p)]
            # a destination is referred to only where the sentence names no other such place
            # ("تتقدم القوات نحو الحديدة ... وفتح مطار المدينة")
            here = [p.place for p in same if p.role != "to"] or [p.place for p in same]
            prior = here[-1] if here else known.get("feature:" + value)
            if prior is not None:
                start, end = norm.span(toks[cue.first].start, toks[cue.last].end)
                pm = PlaceMention(cue.first, cue.last)
                pm.place = prior.model_copy(update={"start": start, "end": end,
                                                    "text": norm.original[start:end]})
                new.append(pm)
    for p in sent.places:
        # "بلدة كفرنبل جنوب إدلب ... البلدة": Kafranbel; a place named only to locate another
        # is not what a later "البلدة" refers to
        if p.place is not None and p.role != "to" and _feature_class(p.place.feature) \
                and (p.place.precision or 9) <= 2 \
                and id(p) not in containers and not _seat_of_a_body(toks, p):
            # (a town named as its countryside, "في ريف حلب", is no town a later "البلدة" means)
            referents.append((p.first, _feature_class(p.place.feature), p.place))
    # the last named in the text is what a later "المدينة" refers to
    for _, value, place in sorted(referents, key=lambda r: r[0]):
        known["feature:" + value] = place
    if new:
        sent.places = sorted(sent.places + new, key=lambda p: p.first)


_DISTANCE = frozenset(normalize_key(w) for w in (
    "كم", "كلم", "كيلومتر", "كيلومترا", "كيلومترات", "ميل", "ميلا", "أميال", "على", "بعد", "نحو",
    "حوالي", "قرابة", "مسافة"))
_DIRECTIONS = frozenset(normalize_key(w) for w in (
    "شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي"))


def _at_a_distance(gap: list[str]) -> bool:
    """"مدينة مونستر، 300 ميل غربي برلين": a distance and a direction between an unknown town
    and a place: the place only locates the town."""
    keys = [normalize_key(w) for w in gap]
    return any(k in _DIRECTIONS for k in keys) and any(k in _DISTANCE for k in keys) and all(
        k in _DISTANCE or k in _DIRECTIONS or k in (",", "،") or k.isdigit() for k in keys)


def _seat_of_a_body(toks: list, p: PlaceMention) -> bool:
    """"المرصد السوري ومقره لندن", "يتخذ من لندن مقرا له": where a body sits, not where the
    story is, nor what a later "المدينة" refers to."""
    before = normalize_key(toks[p.first - 1].text) if p.first > 0 else ""
    after = normalize_key(toks[p.last + 1].text) if p.last + 1 < len(toks) else ""
    return before in SEAT_WORDS or after in SEAT_WORDS


_FACILITIES = frozenset({"airport", "military_base", "landmark", "camp", "crossing", "junction"})
_SETTLEMENTS = frozenset({"city", "village", "camp"})


def _has_article(tok: str) -> bool:
    return tok.startswith(("ال", "وال", "بال", "لل", "فال"))


def _unresolved(cue, name_end: int, sent: Sentence, norm: Normalized) -> PlaceMention:
    """A named place the gazetteer does not know: kept as its text, with no point."""
    start, end = norm.span(sent.tokens[cue.last + 1].start, sent.tokens[name_end].end)
    text = norm.original[start:end]
    pm = PlaceMention(cue.first, name_end)
    pm.place = Place(name=text, name_ar=text, precision=None, feature=cue.record.value,
                     start=start, end=end, text=text)
    return pm


# universities and colleges, whose names hold their town's ("جامعة صنعاء")
_CAMPUSES = frozenset(normalize_key(w) for w in ("جامعة", "كلية"))
ACADEMIC_REACH = {"academic": 3, "degree": 8}  # tokens before a university, by kind of word


def _academic(toks: list, first: int) -> bool:
    """A word of teaching a few words before a university, or of a degree in the same clause
    (place_name_parts.tsv): the university is someone's employer or school, not a place of the
    story ("أستاذ العلوم السياسية بجامعة القاهرة")."""
    parts = name_parts()
    for k in range(first, max(-1, first - max(ACADEMIC_REACH.values()) - 1), -1):
        text = toks[k].text
        if text in (",", "،", ".", ";", ":"):
            return False
        words = {text, *(a.stem for a in analyses(text))}
        if any(first - k <= reach and not words.isdisjoint(parts[kind])
               for kind, reach in ACADEMIC_REACH.items()):
            return True
    return False


def _facility_of(sent: Sentence, cue, nxt: int, norm: Normalized,
                 campus: bool = False) -> PlaceMention | None:
    """"مطار الفاشر" with no gazetteer entry of its own: the city's airport, within 25 km of
    the city's point (precision 2), named as the text names it."""
    if cue.record.value not in _FACILITIES and not campus:
        return None
    pm = next(p for p in sent.places if p.first == nxt)
    if pm.place is None or pm.place.feature not in ("city", "town", "village"):
        return None
    pm.landmark = " ".join(t.text for t in sent.tokens[cue.first:pm.last + 1])
    start, end = norm.span(sent.tokens[cue.first].start, sent.tokens[pm.last].end)
    text = norm.original[start:end]
    pm.place = pm.place.model_copy(update={
        "name_ar": text, "precision": max(2, pm.place.precision), "feature": "landmark",
        "start": start, "end": end, "text": text})
    pm.first = cue.first
    return pm


def _feature_class(feature: str | None) -> str:
    """The feature word a later "المدينة"/"المطار" would use for a place of this feature."""
    return {"town": "city", "city": "city", "village": "village", "airport": "airport"}.get(
        feature or "", "")


# Words that end an unknown name: function words ("حي الفرسان مما أسفر", "حي منار حيث").
_NAME_STOPS = FUNCTION_WORDS | frozenset(normalize_key(w) for w in (
    "قرب", "مما", "كما", "بينما", "وهو", "وهي", "فيما", "اذ", "إذ", "بعدما", "عندما",
    # verbs that locate what was named ("ساحة تقع وسط موسكو"): no part of a name
    "تقع", "يقع", "تبعد", "يبعد", "تتبع", "يتبع", "تطل", "يطل", "تمتد", "يمتد"))


def _name_end(sent: Sentence, j: int, common: frozenset[str] = frozenset()) -> int:
    """Last token of an unknown landmark's name: up to two words, stopping at places and
    function words; ``common``: the corpus's common words, of which an indefinite adjective
    ("سكني") names nothing."""
    toks = sent.tokens
    end = j - 1
    starts = {p.first for p in sent.places}
    # a feature word is not a name ("27 قرية وبلدة"), nor a locator ("مدينة X شمال Y")
    feature_words = {c.first for c in sent.cues if c.category in (
        "feature", "direction", "vicinity", "countryside")}
    if j >= 1 and _has_article(toks[j - 1].text) and j < len(toks) \
            and not _has_article(toks[j].text) and j not in starts:
        return end  # "دخل المسجد وحاول": a definite noun takes no name after it, only an
        # adjective ("المسجد الأقصى")
    if j < len(toks) and not _has_article(toks[j].text) and j not in starts \
            and toks[j].text.endswith(("ي", "يه")) and toks[j].text in common:
        return end  # "حي سكني بالكامل", "موقع عسكري": an adjective of the corpus, no name
    for k in range(j, min(j + 2, len(toks))):
        if k in starts or not toks[k].is_word or toks[k].text in _NAME_STOPS or \
                k in feature_words:
            break
        if k > j and toks[k].text.startswith("و"):
            break  # "حي المنار وتمنع": a name of two words does not open its second with و
        if any(t.first <= k <= t.last for t in sent.triggers) or sent.actor_at(k):
            break
        if any(m.category == "nisba" and m.first == k for m in sent.entities):
            break  # "استعادة مدينة ليبية": an adjective of nationality, not a name
        end = k
    return end


def _road(sent: Sentence, cue, norm: Normalized) -> PlaceMention | None:
    """A road named by its two ends: "طريق خناصر أثريا", "الطريق بين دمشق وحلب"."""
    ends = [p for p in sent.places if p.place is not None and 0 < p.first - cue.last <= 6
            and p.place.feature != "road"][:2]
    if len(ends) < 2 or ends[1].first - ends[0].last > 2:
        return None
    a, b = ends
    start, end = norm.span(sent.tokens[cue.first].start, sent.tokens[b.last].end)
    pm = PlaceMention(cue.first, b.last)
    pm.place = road_place(a.place, b.place, start, end, norm.original[start:end])
    for p in (a, b):
        p.place = None  # the ends name the road, they are not where the event happened
    return pm


# --- frames to events --------------------------------------------------------------------------

def _span(sent: Sentence, norm: Normalized, first: int, last: int) -> Span:
    s, e = norm.span(sent.tokens[first].start, sent.tokens[last].end)
    return Span(start=s, end=e, text=norm.original[s:e])


STORY_DAY_REACH = 3  # sentences: how far into the article its opening day is looked for
NEWS_DAYS = 7  # how old a day given in the opening may be and still be the story's


def _day_given(sent: Sentence, pub: dt.date | None) -> dt.date | None:
    """The first past day a sentence gives ("الأربعاء", "أمس"), within the last week, that is
    not the bound of a period."""
    if pub is None:
        return None
    for d in sent.dates or find_dates(sent.tokens, pub):
        bound = d.first > 0 and sent.tokens[d.first - 1].text in _BOUNDS
        if d.precision == "day" and not d.future and not bound \
                and not counted_apart(sent.tokens[d.first].text) \
                and 0 < (pub - d.value).days <= NEWS_DAYS:
            return d.value
    return None


# a day after these bounds a period ("منذ الأحد") or lies ahead ("أرجأ التصويت إلى السبت")
_BOUNDS = frozenset({"منذ", "الى", "الي", "حتى", "حتي", "لغايه"})


def _story_day(events: list[Event], pub: dt.date | None, day: dt.date | None) -> list[Event]:
    """A lede that gives no day ("اعتقلت الشرطة العشرات خلال الاحتفالات") is dated by the day
    the article's opening gives ("وأقيمت الاحتفالات الأربعاء"), as a day given goes on into
    the sentences after it (``carried``): a report published the day after. Events after the
    first one dated in its own words keep what they carried."""
    if day is None:
        return events
    own = [e.evidence[0].start for e in events if "date" in e.spans]
    stop = min(own) if own else None
    return [e.model_copy(update={"date": day}) if "date" not in e.spans and e.date == pub
            and (stop is None or e.evidence[0].start < stop) else e for e in events]


def _event(f: Frame, norm: Normalized, doc_id: str | None, pub: dt.date | None,
           source: str | None, lex: Lexicon, carried: dt.date | None = None) -> Event:
    """An event from a frame; with no date of its own it takes the day the article's last
    dated news sentence gave (``carried``), else the publication day."""
    sent = f.sentence
    ev_span = _span(sent, norm, 0, len(sent.tokens) - 1)
    spans: dict[str, list[Span]] = {
        "trigger": [_span(sent, norm, t.first, t.last) for t in f.triggers]}
    if f.actor1_span:
        spans["actor1"] = [_span(sent, norm, *f.actor1_span)]
    if f.actor2_span:
        spans["actor2"] = [_span(sent, norm, *f.actor2_span)]
    if f.fatalities_span:
        spans["fatalities"] = [_span(sent, norm, *f.fatalities_span)]
    date, precision = carried or pub, "day" if carried or pub else None
    if f.date_index is not None:
        d = sent.dates[f.date_index]
        date, precision = d.value, d.precision
        spans["date"] = [_span(sent, norm, d.first, d.last)]
    place = f.place.place if f.place else None
    if place is not None and place.start is not None:
        spans["place"] = [Span(start=place.start, end=place.end or place.start, text=place.text or "")]
    claims = _dedupe([_claim(c, f, sent, norm) for c in f.claims]) or [
        Claim(source=source or "article", stance="reports", start=ev_span.start,
              end=ev_span.end, text=ev_span.text)]
    if f.negated:
        claims = [c.model_copy(update={"stance": "denies"}) for c in claims]
    target = _target_type(f)
    tax = lex.taxonomy(f.kind, target)
    return Event(
        id="", doc_id=doc_id, kind=f.kind, disorder_type=tax["disorder_type"],
        event_type=tax["event_type"], sub_event_type=f.subtype or tax["sub_event_type"],
        plover=tax["plover"], plover_mode=tax["plover_mode"] or None,
        actor1=_name(f.actor1), actor1_code=_code(f.actor1), actor1_type=_type(f.actor1),
        actor1_hedged=f.actor1_hedged, assoc_actor1=[a.name for a in f.assoc],
        actor2=_name(f.actor2), actor2_code=_code(f.actor2), actor2_type=_type(f.actor2),
        place=place, date=date, date_precision=precision, fatalities=f.fatalities,
        claims=claims, status="reported", evidence=[Evidence(**ev_span.model_dump())],
        spans=spans)


def _dedupe(claims: list[Claim]) -> list[Claim]:
    """One claim per source and stance; the one naming its channel (via) wins."""
    best: dict[tuple[str, str], Claim] = {}
    for c in claims:
        key = (c.source, c.stance)
        if key not in best or (c.via and not best[key].via):
            best[key] = c
    return list(best.values())


def _target_type(f: Frame) -> str:
    if f.kind == "territory_control":
        return "state_actor" if f.actor1 and f.actor1.type in ("state_forces", "government") else "any"
    return f.actor2.type if f.actor2 else "any"


def _name(r: ActorRecord | None) -> str | None:
    return r.name if r else None


def _code(r: ActorRecord | None) -> str | None:
    return r.code if r else None


def _type(r: ActorRecord | None) -> str | None:
    return r.type if r else None


def _claim(a: Attribution, f: Frame, sent: Sentence, norm: Normalized) -> Claim:
    span = _span(sent, norm, a.first, a.last)
    stance = a.stance
    agent, target = (_side_of(a, x) for x in (f.actor1, f.actor2))
    # a side that confirms its own loss (its withdrawal, its dead) admits it: confirmed
    admits = stance == "confirms" and (f.kind == "withdrawal" and agent or target and not agent)
    if (agent or target
            or f.actor1 is None and a.source_code in _GENERIC_FORCES and f.kind in _CAPTURES) \
            and stance in PARTY_STANCES and not admits:
        stance = PARTY_STANCES[stance]
    elif stance == "claims" and _announces(sent, a) and not _may_be_party(a.source_record, f):
        stance = "reports"  # "أعلنت وزارة الصحة مقتل خمسة": an announcement by no party to it
    hedged = any(m.category == "hedge" and sent.clause[m.first] in
                 {sent.clause[t.first] for t in f.triggers} for m in sent.cues)
    return Claim(source=a.source, source_code=a.source_code, stance=stance,
                 hedged=hedged or f.actor1_hedged and False, via=a.via, start=span.start,
                 end=span.end, text=span.text)


def _side_of(a: Attribution, actor: ActorRecord | None) -> bool:
    """The source is that actor, its bloc or its state's other arm."""
    return _is_party(a.source_record, actor) or (
        actor is not None and _one_state(a.source_code, actor.code))


def _announces(sent: Sentence, a: Attribution) -> bool:
    word = sent.tokens[a.marker].text.lstrip("وف")
    return word.startswith(("اعلن", "يعلن", "تعلن", "معلن"))


def _may_be_party(source: ActorRecord | None, f: Frame) -> bool:
    """A source that is, or may be, a side of the event: the agent itself, or an armed side
    announcing an act whose agent the sentence leaves unnamed."""
    if source is None:
        return False
    if f.actor1 is None:
        return source.type in FIGHTERS  # a ministry counting the dead takes no side in it
    return _is_party(source, f.actor1) or _is_party(source, f.actor2)


def _is_party(source: ActorRecord | None, actor: ActorRecord | None) -> bool:
    """A source speaking of its own action (or its bloc's, or its state's: "مصادر أمنية
    مصرية" of the Egyptian army) claims rather than confirms."""
    if source is None or actor is None:
        return False
    if source.code in _GENERIC_FORCES and actor.type in ("state_forces", "government"):
        return True  # "نقلت سانا عن مصدر عسكري": a military source speaks for the forces
    return source.name == actor.name or bool(source.bloc and source.bloc == actor.bloc) \
        or _one_state(source.code, actor.code)


_GENERIC_FORCES = frozenset({"---MIL", "---COP"})  # military or security sources of no named side
# what forces win and then tell of themselves: a military source confirming a capture whose
# agent the sentence leaves unnamed speaks of its own side's
_CAPTURES = frozenset({"territory_control", "withdrawal"})


_STATE_ROLES = ("MIL", "COP", "GOV", "SPY")


def _one_state(a: str | None, b: str | None) -> bool:
    """Two actor codes of one state's forces or government (EGYCOP, EGYMIL)."""
    return bool(a and b and len(a) == len(b) == 6 and a[:3] == b[:3] and a[:3] != "---"
                and a[3:] in _STATE_ROLES and b[3:] in _STATE_ROLES)


def _toll(sent: Sentence, number, trigs, attributions: list[Attribution], norm: Normalized,
          doc_id: str | None, pub: dt.date | None) -> Toll:
    first = min(t.first for t in trigs)
    span = _span(sent, norm, first, number.last)
    places = [p.place for p in sent.places if p.place is not None and first <= p.first <= number.last]
    src = next((a.source for a in reversed(attributions) if a.marker <= first), None) or (
        attributions[0].source if attributions else None)
    injured = any(sent.cue_at(k, "injury") for k in range(first, number.first))
    return Toll(doc_id=doc_id, value=number.value, category="injured" if injured else "killed",
                approx=number.approx or number.vague, places=places, source=src, date=pub,
                start=span.start, end=span.end, text=span.text)


# --- merging within the article ----------------------------------------------------------------

def _compatible(a: Event, b: Event, blocs: dict[str, str]) -> bool:
    shared = {s.start for s in a.spans.get("trigger", [])} & {
        s.start for s in b.spans.get("trigger", [])}
    anaphora = (a.kind == b.kind or {a.kind, b.kind} == BOMBARDMENT) \
        and FAMILY.get(a.kind) == "violent" and _told_before(b) \
        and not _only_denied(b) and not shared  # (a denial has its own rule, below)
    if {e.start for e in a.evidence} & {e.start for e in b.evidence} and not anaphora:
        return False  # one sentence's events were told apart on purpose (a list of places)
    same_family = FAMILY.get(a.kind) == FAMILY.get(b.kind)
    if a.kind != b.kind and not anaphora and not (same_family and ("killing" in (a.kind, b.kind)
                                                  or "attack" in (a.kind, b.kind)
                                                  or _only_denied(a) or _only_denied(b)
                                                  or FAMILY.get(a.kind) == "protest"
                                                  or _impact({a.kind, b.kind}, a, b)
                                                  or _lede_and_detail(a, b))):
        return False  # "الهجمات على كنائس" and "تفجير الكنائس" are one act; an attack is generic
    if a.place and b.place and _place_key(a.place) != _place_key(b.place) \
            and not _contains(a.place, b.place) and not _contains(b.place, a.place) \
            and not (anaphora and _place_referred(b.place) and _near(a.place, b.place)):
        return False
    if a.kind == b.kind == "armed_clash":
        if not _shared_side(a, b, blocs):
            return False
    elif not _same_actor(a.actor1, a.actor1_type, b.actor1, b.actor1_type, blocs):
        return False
    if a.date and b.date and a.date != b.date and (
            ("date" in a.spans and "date" in b.spans) or _apart(a) or _apart(b)):
        return False
    return True


_SEPARATE = ("منفصل", "منفصله", "منفصلين", "منفصلتين")


def _told_as_separate(ev: Event) -> bool:
    """The text calls the act separate ("في حادث منفصل", "في هجوم منفصل")."""
    return any(w.removeprefix("و") in _SEPARATE
               for e in ev.evidence for w in normalize_key(e.text).split())


def _apart(ev: Event) -> bool:
    """The event is dated by days counted from another act ("بعد ثلاثة أيام من مقتل 14"):
    told as apart from the news of the day, so it is no repeat of an event of another day."""
    return any(counted_apart(s.text.split()[0]) for s in ev.spans.get("date", []) if s.text)


def _denies_any(ev: Event, text: str) -> bool:
    """"نفى وقوع أي غارة" with no one in the article reporting one: a statement that nothing
    happened, not an event (a denial of a reported act stays, and makes it contested)."""
    if ev.status != "denied":
        return False
    return all(text[max(0, s.start - 4):s.start].strip().endswith(("أي", "اي", "أية", "اية"))
               for s in ev.spans.get("trigger", []))


def _only_denied(ev: Event) -> bool:
    """"ونفت قصفها للمستشفى": a denial names the act in its own words; it is about the act
    reported at that place, whatever kind the other source gave it."""
    return bool(ev.claims) and all(c.stance == "denies" for c in ev.claims)


def _impact(kinds: set[str], a: Event, b: Event) -> bool:
    """An explosion at the place a strike or shelling hit is that strike's impact, whether a
    source reports it so or puts it down to an accident."""
    return "explosion" in kinds and bool(kinds & BOMBARDMENT) \
        and a.place is not None and b.place is not None


def _lede_and_detail(a: Event, b: Event) -> bool:
    """A strike told at a country's level ("غارة في جنوب ليبيا") and a bombardment told at a
    town of it ("القصف الذي استهدف منزلا بأوباري"): the lede and its detail, whichever of
    "غارة" and "قصف" each uses."""
    if {a.kind, b.kind} - BOMBARDMENT or a.place is None or b.place is None:
        return False
    return (a.place.precision == 6) != (b.place.precision == 6)


ANAPHORA_KM = 15.0  # how far apart the article may place an act and its mention as "the act"


def _told_before(ev: Event) -> bool:
    """A violent act named only with the article ("الانفجار أحدث تلفا", "والقصف الذي
    استهدف"): the act the article has told already, not a new one. (A change of control is
    written with the article whenever it is told: "السيطرة على".)"""
    spans = sorted(ev.spans.get("trigger", []), key=lambda s: s.start)
    # "القصف الذي استهدف"; "وقتل جراء القصف أيضا 4 مدنيين": past the death word, the act
    act = spans[1:2] if spans and _death_word(spans[0].text) else spans[:1]
    if not act:
        return False
    word = act[0].text.lstrip("وفب")
    # "واصل الجيش قصفه": an act with its owner's pronoun is as known as one with the article
    return word.startswith("ال") or (word.endswith(("ه", "ها", "هم", "هما")) and len(word) >= 4)


def _death_word(text: str) -> bool:
    """A word of the dead ("قتل", "مقتل", "قتلى"), which may come before the act it ends."""
    return normalize_key(text).lstrip("وف").startswith(("قتل", "مقتل", "مصرع", "سقوط"))


_REFERRING = frozenset(normalize_key(w) for w in (
    "المدينة", "البلدة", "القرية", "المنطقة", "الحي", "المخيم", "البلاد"))


def _place_referred(p: Place) -> bool:
    """The place is named by a word that refers back ("سكان المدينة"), not by a name."""
    word = normalize_key(p.text or "").lstrip("وفبل")
    return word in _REFERRING or ("ال" + word) in _REFERRING


def _near(a: Place, b: Place) -> bool:
    return distance_km(a.lat, a.lon, b.lat, b.lon) <= ANAPHORA_KM


def _place_key(p: Place) -> tuple[str, str]:
    """Places are the same when the gazetteer entry (or road name) and any landmark agree."""
    if p.feature == "road":
        return (p.name, "")
    landmark = normalize_key(p.name_ar or "") if p.feature == "landmark" else ""
    return (p.gazetteer_id or p.name, landmark)


def _contains(coarse: Place, fine: Place) -> bool:
    """A town holds its quarters and landmarks (placed at it); a governorate or countryside
    (precision 3-4) holds the places of its admin area; a country named alone (precision 6:
    "في شمال العراق") holds the places of that country, so a lede told at country level and
    its detail told at a town are one event."""
    if coarse.precision is None or fine.precision is None:
        return False
    if fine.feature == "landmark" and fine.gazetteer_id and coarse.feature != "landmark" \
            and fine.gazetteer_id == coarse.gazetteer_id:
        return True  # "حي الفرسان" placed at أوباري is in أوباري
    if coarse.precision == 6:
        return fine.precision < 6 and bool(coarse.country) and coarse.country == fine.country
    if coarse.precision < 3 or coarse.precision > 4 or fine.precision >= coarse.precision:
        return False
    return bool(coarse.admin1 and coarse.admin1 == fine.admin1 and coarse.country == fine.country)


_GENERIC = ("Rebels (", "Unidentified Armed Group (")
_CROWDS = frozenset({"protesters", "rioters"})


def _same_actor(a: str | None, a_type: str | None, b: str | None, b_type: str | None,
                blocs: dict[str, str]) -> bool:
    """Equal, unknown on one side, of one bloc (an army and its government), or a generic armed
    group beside a named one of its kind."""
    if a is None or b is None or a == b:
        return True
    if blocs.get(a) and blocs.get(a) == blocs.get(b):
        return True
    if state_of(a) and state_of(a) == state_of(b):
        return True  # a state's army and its government are one side
    if {a_type, b_type} <= _CROWDS:
        return True  # the demonstrators of a protest are its rioters when it turns violent
    for x, y_type in ((a, b_type), (b, a_type)):
        if x.startswith(_GENERIC) and y_type in ("rebel_group", "militia"):
            return True
    return False


def _shared_side(a: Event, b: Event, blocs: dict[str, str]) -> bool:
    """A clash has two sides and either may be told first: two reports of clashes share a
    side, or one of them names none."""
    sides_a = [(x, t) for x, t in ((a.actor1, a.actor1_type), (a.actor2, a.actor2_type)) if x]
    sides_b = [(x, t) for x, t in ((b.actor1, b.actor1_type), (b.actor2, b.actor2_type)) if x]
    return not sides_a or not sides_b or any(
        _same_actor(x, xt, y, yt, blocs) for x, xt in sides_a for y, yt in sides_b)


# Bounds that keep merging linear in the article's length (far above what news articles need):
# a report is compared with the last MERGE_WINDOW events, an event keeps MAX_EVIDENCE spans.
MERGE_WINDOW = 64
MAX_EVIDENCE = 64


def merge_events(events: list[Event], blocs: dict[str, str] | None = None) -> list[Event]:
    """Merge repeated reports of one event within an article (latest compatible first).

    ``blocs`` maps actor names to their bloc (from actors.tsv): one bloc counts as one actor.
    """
    out: list[Event] = []
    for ev in events:
        if _told_as_separate(ev):
            out.append(ev)  # "وفي واقعة منفصلة في إقليم فارياب": another act, whatever it shares
            continue
        k = _merge_target(out, ev, blocs or {})
        if k is None:
            out.append(ev)
        else:
            out[k] = _merge(out[k], ev)
    return out


def _merge_target(out: list[Event], ev: Event, blocs: dict[str, str]) -> int | None:
    """The earlier event a report repeats: the latest compatible one, but one of the report's
    own kind before one of another ("الغارات الجوية" refers back to the strikes, not to
    shelling told since), and for a denial the one whose act struck what it names ("ونفت
    قصفها للمستشفى": the strike that hit the hospital)."""
    objs = _object_words(ev) if _only_denied(ev) else set()
    first = None
    same_kind = None
    for k in range(len(out) - 1, max(-1, len(out) - 1 - MERGE_WINDOW), -1):
        if not _compatible(out[k], ev, blocs):
            continue
        if objs and objs & _struck(out[k]):
            return k
        first = k if first is None else first
        if same_kind is None and out[k].kind == ev.kind:
            same_kind = k
            if not objs:
                break  # the latest of its own kind: nothing after it can be preferred
    return same_kind if same_kind is not None else first


def _object_words(ev: Event, reach: int = 1) -> set[str]:
    """The nouns right after the act's words ("قصفها للمستشفى", "أصابت الغارات الجوية
    المستشفى": مستشفى), within ``reach`` words, clitics and article peeled; words too short to
    tell acts apart are left out."""
    out = set()
    for e in ev.evidence:
        for t in ev.spans.get("trigger", []):
            after = e.text[t.end - e.start:].split()[:reach] if e.start <= t.start < e.end else []
            for w in after:
                word = "".join(c for c in normalize_key(w) if c.isalpha())
                for prefix in ("وال", "بال", "لل", "ال", "ل", "ب"):
                    if word.startswith(prefix) and len(word) - len(prefix) >= 4:
                        word = word[len(prefix):]
                        break
                if len(word) >= 4:
                    out.add(word)
    return out


def _struck(ev: Event) -> set[str]:
    """What the event's acts struck, as the words that follow them."""
    return _object_words(ev, reach=3)


def _merge(a: Event, b: Event) -> Event:
    kind = a.kind if a.kind not in ("killing", "attack") or b.kind == "killing" else b.kind
    if {a.kind, b.kind} & BOMBARDMENT and "explosion" in (a.kind, b.kind):
        kind = b.kind if a.kind == "explosion" else a.kind  # the strike named its impact
    if _only_denied(a) and not _only_denied(b):
        kind = b.kind  # the report names the act; the denial only denies it
    if "riot" in (a.kind, b.kind):
        kind = "riot"  # a protest reported as violent elsewhere in the article
    place = a.place
    if b.place and (place is None or (b.place.precision or 9) < (place.precision or 9)):
        place = b.place
    fats = [x for x in (a.fatalities, b.fatalities) if x is not None]
    spans = {k: list(v) for k, v in a.spans.items()}
    for k, v in b.spans.items():
        spans.setdefault(k, [])
        have = {(s.start, s.end) for s in spans[k]}  # a set: merging stays linear
        spans[k] = (spans[k] + [s for s in v if (s.start, s.end) not in have])[:MAX_EVIDENCE]
    date, prec = (a.date, a.date_precision) if "date" in a.spans or "date" not in b.spans else (
        b.date, b.date_precision)
    have = {(e.start, e.end) for e in a.evidence}
    evidence = (a.evidence + [e for e in b.evidence if (e.start, e.end) not in have])[:MAX_EVIDENCE]
    claims = a.claims + [c for c in b.claims
                         if not any(c.source == x.source and c.stance == x.stance for x in a.claims)]
    update = dict(kind=kind, place=place, spans=spans, date=date, date_precision=prec,
                  evidence=evidence, claims=claims,
                  fatalities=min(fats) if fats else None,
                  fatalities_high=max(fats) if len(set(fats)) > 1 else a.fatalities_high,
                  actor1=a.actor1 or b.actor1, actor1_code=a.actor1_code or b.actor1_code,
                  actor1_type=a.actor1_type or b.actor1_type,
                  actor1_hedged=a.actor1_hedged if a.actor1 else b.actor1_hedged,
                  assoc_actor1=a.assoc_actor1 + [x for x in b.assoc_actor1 if x not in a.assoc_actor1],
                  actor2=a.actor2 or b.actor2, actor2_code=a.actor2_code or b.actor2_code,
                  actor2_type=a.actor2_type or b.actor2_type)
    if update["actor2"] is not None and update["actor2"] == update["actor1"]:
        # one report's agent is the other's target: no actor is on both sides
        update.update(actor2=None, actor2_code=None, actor2_type=None)
    if kind != a.kind and kind == b.kind:
        update.update(disorder_type=b.disorder_type, event_type=b.event_type,
                      sub_event_type=b.sub_event_type, plover=b.plover, plover_mode=b.plover_mode)
    return a.model_copy(update=update)


def status_of(claims: list[Claim]) -> str:
    """contested if one source denies what another asserts; else the strongest stance."""
    return stances_status({c.stance for c in claims})


def stances_status(stances: set[str]) -> str:
    """``status_of`` from the set of the claims' stances."""
    if "denies" in stances:
        return "contested" if stances - {"denies"} else "denied"
    for stance, status in (("confirms", "confirmed"), ("claims", "claimed")):
        if stance in stances:
            return status
    return "reported"


def _finish(ev: Event) -> Event:
    trigger = ev.spans.get("trigger") or []
    key = "|".join(str(x) for x in (ev.doc_id, ev.kind, ev.place.gazetteer_id if ev.place else "",
                                    ev.place.name if ev.place else "", ev.actor1,
                                    ev.evidence[0].start if ev.evidence else "",
                                    trigger[0].start if trigger else ""))
    return ev.model_copy(update={"id": "ev-" + hashlib.sha1(key.encode()).hexdigest()[:12],
                                 "status": status_of(ev.claims)})
