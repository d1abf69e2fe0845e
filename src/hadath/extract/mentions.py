"""Mentions of one sentence: what the lexicon, the gazetteer and the text layer find in it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from ..geo import (LOCATIVE, DocContext, Gazetteer, GazetteerEntry, PlaceMention,
                   find_place_mentions, group_place_matches, resolve_mentions)
from ..geo.context import sport_words
from ..geo.resolve import FUNCTION_WORDS, POPULATED, cues_by_last, latin_mentions
from ..text.tokens import analyses
from ..lexicon import (QUOTES, ActorRecord, Country, Lexicon, Match, Role, best_matches,
                       read_table)
from ..text import (DateMention, Normalized, Number, Token, clause_ids, find_dates, find_numbers,
                    normalize_key, normalize_spelling, tokenize)

ENTITY = frozenset({"actor", "source", "role", "country", "country_word", "nisba"})
NOT_AGENTS = frozenset({"monitor", "media", "source", "ngo"})
STRUCTURE = frozenset({"trigger", "attribution", "not_trigger"})
STORY_FLAGS = frozenset({"accident", "industrial", "court", "crime", "control_state"})
ARMED_TYPES = frozenset({"state_forces", "rebel_group", "militia"})


@dataclass
class ActorMention:
    """An actor named in a sentence: tokens [first, last], the actor, and how it was named."""

    first: int
    last: int
    record: ActorRecord | None
    how: str  # named | role | nisba | country | capital | source
    role: Role | None = None
    country: Country | None = None
    prefix: str = ""  # proclitics on its first word (و ف ب ل ك), as the lexicon peeled them

    @property
    def armed(self) -> bool:
        rec = self.record
        if rec is not None and rec.type in ARMED_TYPES:
            return True
        return self.role is not None and self.role.type in ARMED_TYPES | {"state_forces"}


@dataclass
class Sentence:
    """Everything found in one sentence; token positions are sentence-local."""

    index: int
    start: int  # normalised offsets
    end: int
    tokens: list[Token]
    norm: Normalized
    clause: list[int]
    structure: list[Match] = field(default_factory=list)
    cues: list[Match] = field(default_factory=list)
    entities: list[Match] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    numbers: list[Number] = field(default_factory=list)

    def source_text(self, start: int, end: int) -> str:
        """Original text of the normalised span [start, end)."""
        s, e = self.norm.span(start, end)
        return self.norm.original[s:e]

    def cue_at(self, i: int, category: str) -> Match | None:
        for m in self.cues:
            if m.category == category and m.first <= i <= m.last:
                return m
        return None

    def in_trigger(self, i: int) -> bool:
        """Whether token i is a word of an event trigger."""
        return any(m.first <= i <= m.last for m in self.triggers)

    def actor_at(self, i: int) -> ActorMention | None:
        for a in self.actors:
            if a.first == i:
                return a
        return None

    def actor_ending(self, i: int) -> ActorMention | None:
        for a in self.actors:
            if a.last == i:
                return a
        return None

    @property
    def triggers(self) -> list[Match]:
        return [m for m in self.structure if m.category == "trigger"]


def analyse(norm: Normalized, start: int, end: int, index: int, lex: Lexicon, gaz: Gazetteer,
            ctx: DocContext, pub: dt.date | None, places: bool = False) -> Sentence:
    """Find every mention in the sentence [start, end) of the normalised text.

    Places, dates and numbers are looked for only in sentences with an event word, unless
    ``places`` asks for them everywhere (``hadath geocode``).
    """
    tokens = tokenize(norm.text[start:end], start)
    sent = Sentence(index, start, end, tokens, norm, clause_ids(tokens))
    structure, cues, capitals, entities = _by_kind(lex.index.find(tokens))
    sent.cues = best_matches(cues)
    # words that say what kind of story this is ("مصفاة" is a landmark and an industrial site)
    # or that a place is held ("مناطق سيطرة") count whatever else their span was read as
    kept = {id(m) for m in sent.cues}
    sent.cues += [m for m in cues if m.category in STORY_FLAGS and id(m) not in kept]
    needs_detail = places or any(m.category == "trigger" for m in structure)
    if needs_detail:
        sent.dates = find_dates(tokens, pub)
        place_matches, candidates = group_place_matches(gaz.index.find(tokens))
        entities = best_matches(entities + place_matches)
    else:
        candidates = {}
        entities = best_matches(entities)
    dated = {i for d in sent.dates for i in range(d.first, d.last + 1)}
    if dated:
        sent.clause = clause_ids(tokens, dated)
    sent.entities = entities
    # Triggers inside a longer entity (قوات مكافحة الشغب) or a date (فجر أمس) do not count.
    covered = {i for m in entities for i in range(m.first, m.last + 1) if m.size > 1} | dated
    # ... nor does a word listed as "not a trigger" (فجرا: at dawn; ضربة جزاء: a penalty kick).
    covered |= {i for m in structure if m.category == "not_trigger"
                for i in range(m.first, m.last + 1)}
    # (filtered before choosing among overlaps, so that "قصفت" survives when the longer
    # trigger "قصفت طائرات" runs into the actor "طائرات روسية")
    structure = best_matches(x for x in structure if x.category != "not_trigger"
                             and not any(i in covered for i in range(x.first, x.last + 1)))
    sent.structure = structure
    # "نفت أنقرة", "قالت دمشق": the tokens that end a verb of saying, whose subject speaks
    speech = {m.last for m in structure if m.category == "attribution" and m.record.form == "verb"}
    sent.actors = _actors(sent, entities, capitals, speech)
    if needs_detail:
        sent.numbers = find_numbers(tokens)
        place_like = [m for m in entities if m.category in ("place", "place_cue", "country",
                                                             "country_word")
                      and not _is_actor_slot(sent, m) and not _after_given_name(norm, tokens, m)
                      and not _pronoun_suffix(norm, tokens, m, candidates, gaz.common_words)
                      and not _quantified(tokens, m) and not _among_mishaps(sent, m)
                      and not _with_tanween(norm, tokens, m)
                      and not _seized(sent, m) and not _theophoric(sent, m)
                      and not any(a.how == "role" and a.first < m.first <= a.last
                                  for a in sent.actors)]  # "جنديا تركيا": an adjective
        after_trigger = {t.last + 1 for t in structure if t.category == "trigger"}
        whole = not norm.text[:start].strip() and not norm.text[end:].strip()  # a bare name
        sent.places = find_place_mentions(tokens, place_like, candidates, sent.cues, after_trigger,
                                          whole)
        if any(p.cue in ("name", "preposition") for p in sent.places) and ctx.is_sport(norm):
            # "تأهل برشلونة" in a sports report: a club, named by its city ("في برشلونة" stays)
            sent.places = [p for p in sent.places if not _a_club(tokens, p)]
        # "ميلان الإيطالي": a town's name is feminine, so a masculine nisba after it agrees
        # with a club or a team (النادي، الفريق), not with the town
        sent.places = [p for p in sent.places if not _masculine_nisba(sent, p)]
        taken = {i for group in (entities, structure, sent.cues, sent.places) for m in group
                 for i in range(m.first, m.last + 1)} | dated | {
                     i for num in sent.numbers for i in range(num.first, num.last + 1)} | {
                     k for k in _after_given_keys(tokens) if _follows_given_name(norm, tokens, k)}
        near = ctx.points[-10:] + [c for p in sent.places for c in p.candidates[:1]]
        linked = latin_mentions(tokens, norm, taken, cues_by_last(sent.cues), gaz, near,
                                whole=whole)
        if linked:
            sent.places = sorted(sent.places + linked, key=lambda p: p.first)
            _reannotate(sent)
        # a place that is the subject of a verb of saying is its government speaking, not
        # where anything happened
        sent.places = [p for p in sent.places if not _affiliation(tokens, p.first)
                       and p.first - 1 not in speech]
        resolve_mentions(sent.places, norm, tokens, ctx, lex)
    return sent


def _by_kind(found: list[Match]) -> tuple[list[Match], list[Match], list[Match], list[Match]]:
    """Matches split, in order, into structure (triggers, attribution), cues, capitals and
    entities."""
    structure: list[Match] = []
    cues: list[Match] = []
    capitals: list[Match] = []
    entities: list[Match] = []
    for m in found:
        c = m.category
        if c in STRUCTURE:
            structure.append(m)
        elif c in ENTITY:
            entities.append(m)
        elif c == "capital":
            capitals.append(m)
        else:
            cues.append(m)
    return structure, cues, capitals, entities


_BACKERS = ("مدعوم", "المدعوم", "الموالي", "موالي", "الموالين", "موالين", "التابع", "تابع",
            "المقرب", "مقرب", "الحليف", "حليف")


def _affiliation(tokens: list[Token], i: int) -> bool:
    """"الميليشيات الموالية لإيران", "المدعومة من تركيا": a country backing an actor is an
    affiliation, not where anything happened; nor is the seat of an organisation ("منظمة
    مقرها بريطانيا", "ومقره في لندن")."""
    for j in (i - 1, i - 2):
        if j >= 0 and tokens[j].text in SEAT_WORDS:
            return j == i - 1 or tokens[i - 1].text == "في"
        if j >= 0 and tokens[j].text.startswith(_BACKERS):
            if j > 0 and tokens[j - 1].text in ("على", "علي"):
                return False  # "على مقربة من الموصل": near it, not close to it
            return j == i - 1 or tokens[i - 1].text in ("من", "ل", "الى")
    return False


def _reannotate(sent: Sentence) -> None:
    """Modifiers and containers again, now that names found by transliteration are in."""
    from ..geo.resolve import _annotate

    for p in sent.places:
        p.container = None
    _annotate(sent.tokens, sent.places, cues_by_last(sent.cues))


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    """given_names.tsv, spelled as normalised but with ى kept (على is not the name علي)."""
    return frozenset(normalize_spelling(n) for row in read_table("given_names.tsv")
                     for n in row["names"].split("|") if n)


def _after_given_name(norm: Normalized, tokens: list[Token], m: Match) -> bool:
    """A place name right after a given name is a family name ("علي الصلخدي")."""
    return m.category != "country" and _follows_given_name(norm, tokens, m.first)


def _among_mishaps(sent: Sentence, m: Match) -> bool:
    """"انهيارات أرضية وسيول وفيضانات": a word of disasters in a list of them (torrents, not
    Seoul)."""
    own = [c for c in sent.cues if c.category == "accident" and c.first <= m.first <= c.last]
    return bool(own) and any(c.category == "accident" and c not in own and (
        0 < m.first - c.last <= 3 or 0 < c.first - m.last <= 3) for c in sent.cues)


def _theophoric(sent: Sentence, m: Match) -> bool:
    """"عبد الحسن الجابري": a name of "عبد" and a name of God or of an imam is a person's,
    unless a feature word calls it a place (قرية عبد الحسن)."""
    if m.category not in ("place", "place_cue") or m.last == m.first:
        return False
    return sent.tokens[m.first].text in ("عبد", "وعبد") and not (
        m.first > 0 and sent.cue_at(m.first - 1, "feature"))


# nouns of seizing a person: the name right after one is the person's ("اعتقال جوس")
_SEIZING = frozenset(normalize_key(w) for w in (
    "اعتقال", "توقيف", "احتجاز", "اختطاف", "خطف", "اغتيال", "إعدام", "أسر", "تسليم"))


def _seized(sent: Sentence, m: Match) -> bool:
    """"اعتقال جوس": a name right after a noun of arrest, abduction, assassination or
    execution, with no preposition, is the person seized, not a place (a country stays)."""
    if m.category not in ("place", "place_cue") or m.prefix or m.first == 0:
        return False
    prev = sent.tokens[m.first - 1].text
    return any(a.stem in _SEIZING for a in analyses(prev))


_QUANTIFIERS = frozenset(normalize_key(w) for w in (
    "كافة", "جميع", "كل", "مختلف", "شتى", "سائر", "بقية", "معظم", "أغلب", "بعض"))


def _quantified(tokens: list[Token], m: Match) -> bool:
    """"في الميادين كافة", "في جميع الميادين": a noun with the article quantified by كافة or
    جميع is a common plural, not Al Mayadin (a country stays: "في كل العراق")."""
    if m.category not in ("place", "place_cue") or not tokens[m.first].text.startswith("ال"):
        return False
    before = normalize_key(tokens[m.first - 1].text) if m.first else ""
    after = normalize_key(tokens[m.last + 1].text) if m.last + 1 < len(tokens) else ""
    return before in _QUANTIFIERS or after in ("كافه", "جميعا", "جميعها", "كلها")


_TANWEEN = ("\u064b", "\u064c", "\u064d")  # ً ٌ ٍ


def _with_tanween(norm: Normalized, tokens: list[Token], m: Match) -> bool:
    """"لا يمكنهم دوماً": a word written with tanween is indefinite, an adverb or a common
    noun, never a place's name (Douma is دوما)."""
    if m.category not in ("place", "place_cue"):
        return False
    start, end = norm.span(tokens[m.last].start, tokens[m.last].end)
    return norm.original[start:end].rstrip("ا").endswith(_TANWEEN)  # دوماً، دومًا


def _pronoun_suffix(norm: Normalized, tokens: list[Token], m: Match,
                    candidates: dict, common: frozenset[str]) -> bool:
    """"في حديثه" (in his speech) is not Haditha (حديثة): where the text writes ه after a
    common word and every name of the place ends in ة, the ه is a pronoun."""
    if m.size != 1 or m.category not in ("place", "place_cue"):
        return False
    s, e = norm.span(tokens[m.first].start, tokens[m.first].end)
    if not norm.original[s:e].endswith("ه"):
        return False
    rows = candidates.get((m.first, m.last), [m.record])
    if any(n.endswith("ه") for r in rows for n in (r.name_ar, *r.names_ar) if n):
        return False
    stem = tokens[m.first].text[len(m.prefix):]
    return stem.removeprefix("ال")[:-1] in common


@lru_cache(maxsize=1)
def _given_keys() -> frozenset[str]:
    """The last word of each given name, as the normalised text writes it (a quick filter)."""
    return frozenset(normalize_key(n.split()[-1]) for n in _given_names()) | frozenset(
        "و" + normalize_key(n.split()[-1]) for n in _given_names())


def _after_given_keys(tokens: list[Token]) -> list[int]:
    """Positions right after a word that may end a given name (a quick filter)."""
    keys = _given_keys()
    return [k for k in range(1, len(tokens)) if tokens[k - 1].text in keys]


def given_name_at(norm: Normalized, tokens: list[Token], k: int) -> bool:
    """Whether a given name (one word, or two: "عبد الله") begins at token k."""
    return k + 1 < len(tokens) and (_follows_given_name(norm, tokens, k + 1)
                                    or k + 2 < len(tokens) and _follows_given_name(norm, tokens, k + 2)
                                    and tokens[k].text in ("عبد", "ابو", "أبو"))


def _follows_given_name(norm: Normalized, tokens: list[Token], first: int) -> bool:
    if first == 0 or tokens[first - 1].text not in _given_keys():
        return False
    names = _given_names()
    for size in (2, 1):  # "عبد الله X", "علي X"
        if first - size < 0:
            continue
        start, _ = norm.span(tokens[first - size].start, tokens[first - size].end)
        _, end = norm.span(tokens[first - 1].start, tokens[first - 1].end)
        word = normalize_spelling(norm.original[start:end])
        if word in names or (word.startswith("و") and word[1:] in names):
            return True
    return False


def _is_actor_slot(sent: Sentence, m: Match) -> bool:
    """A country or capital name used as an actor rather than a place ("تحت سيطرة دمشق")."""
    return any(a.first <= m.first <= a.last and a.how in ("capital", "country")
               for a in sent.actors)


_PLACE_PREPS = LOCATIVE - {"على", "بين"}  # "الهجوم على إسرائيل": Israel is the target
# where a sports report names a venue: not an opponent (فاز على برشلونة، بفارق نقطتين عن
# برشلونة); "وسط باريس" is the city's centre
_OPPONENT_PREPS = frozenset(normalize_key(w) for w in ("على", "عن", "بين"))
TEAM_REACH = 3  # tokens before the preposition in which a word of a player's team counts


def _a_club(tokens: list[Token], p: PlaceMention) -> bool:
    """In a sports report, a city named without a word of place is a club ("تأهل برشلونة"),
    and so is one after a preposition of an opponent (فاز على برشلونة) or after a preposition
    a few words after a word of a player's team or move ("زميله السابق في برشلونة"، "قادما من
    روما"); "أقيمت المباراة في برشلونة" stays the city."""
    if p.cue not in ("name", "preposition") or p.country is not None:
        return False
    prev = tokens[p.first - 1].text if p.first > 0 else ""
    stems = {prev, *(a.stem for a in analyses(prev))} if prev else set()
    if stems.isdisjoint(_PLACE_PREPS | _OPPONENT_PREPS):
        if p.cue == "name":
            return True  # no preposition at all: "تأهل برشلونة"
        prep = p.first  # the clitic's: "ببرشلونة"
    elif not stems.isdisjoint(_OPPONENT_PREPS):
        return True
    else:
        prep = p.first - 1
    team = sport_words("team")
    return any(t.text in team for t in tokens[max(0, prep - TEAM_REACH):prep])


# words after which a name heads its own phrase (no noun before it that a nisba could agree with)
_NAME_LEADS = LOCATIVE | FUNCTION_WORDS | frozenset(normalize_key(w) for w in (
    "أن", "إن", "ان", "بأن", "لأن", "كما", "أمام", "امام", "ضد", "مع"))


def _masculine_nisba(sent: Sentence, p: PlaceMention) -> bool:
    """"ميلان الإيطالي"، "قادما من برشلونة الإسباني": a country's masculine nisba right after a
    town's name that heads its own phrase (after a preposition or a particle, or with ب or ل; not
    "ميناء يوكوهاما الياباني" or "معبر نصيب الأردني", where it agrees with the noun before the
    name) agrees with a club or a team, not with the town."""
    j = p.last + 1
    if p.country is not None or p.feature_cue or p.modifier or j >= len(sent.tokens) or \
            not any(c.feature in POPULATED for c in p.candidates) or \
            any(c.feature not in POPULATED for c in p.candidates):
        return False
    prev = sent.tokens[p.first - 1] if p.first > 0 else None
    if prev is not None and prev.is_word and not sent.tokens[p.first].text.startswith(
            ("ب", "ل")) and normalize_key(prev.text) not in _NAME_LEADS:
        return False  # "مينائي يوكوهاما الياباني": the nisba agrees with the noun before it
    word = sent.tokens[j].text
    return word.startswith("ال") and word.endswith("ي") and any(
        m.category == "nisba" and m.first == j for m in sent.entities)


_CONTROL_HEADS = frozenset({"سيطره", "قبضه", "يد", "ايدي", "حكم"})


def _model_name(tok: str) -> bool:
    """A quotation mark or a number, as in a weapon's model ("أف 16"، "سو-24")."""
    return tok in QUOTES or tok.isdigit() or tok == "-"


def _actors(sent: Sentence, entities: list[Match], capitals: list[Match],
            speech: set[int]) -> list[ActorMention]:
    """Actor mentions: named actors, role nouns with their nisba, bare nisbas, countries used
    as actors, and capitals that stand for their government (``speech``: the last tokens of
    the sentence's verbs of saying)."""
    toks = sent.tokens
    out: list[ActorMention] = []
    nisba_at = {m.first: m for m in entities if m.category == "nisba"}
    # a country right after a role noun is whose it is: the construct "شرطة تركيا", and the
    # indefinite accusative of a nisba, spelt as the country ("12 جنديا تركيا")
    nisba_at.update({m.first: m for m in entities if m.category == "country"
                     and m.first not in nisba_at and not m.prefix
                     and any(r.category == "role" and r.last == m.first - 1 for r in entities)})
    act_words = {m.first for m in sent.structure if m.category == "trigger"}
    used_nisba: set[int] = set()
    for m in entities:
        if m.category == "actor":
            out.append(ActorMention(m.first, m.last, m.record, "named", prefix=m.prefix))
        elif m.category == "source":
            out.append(ActorMention(m.first, m.last, m.record, "source"))
        elif m.category == "role":
            country, last = None, m.last
            j, words = m.last + 1, 0
            while j < len(toks) and words < 3:
                if j in nisba_at:
                    country, last = nisba_at[j].record, nisba_at[j].last
                    used_nisba.add(j)
                    break
                if _model_name(toks[j].text):
                    j += 1  # 'طائرات "أف 16" عراقية': a model's quotes and number, no word
                    continue
                if not toks[j].is_word or toks[j].text in _PHRASE_BREAKS or j in act_words:
                    break  # "مدنيين في غارة إسرائيلية": the nisba is the strike's
                j, words = j + 1, words + 1
            out.append(ActorMention(m.first, last, None, "role", role=m.record, country=country,
                                    prefix=m.prefix))
    heads = {m.last for m in entities if m.category in ("place", "place_cue", "country")} | {
        m.last for m in sent.cues if m.category in _NOT_ACTOR_HEADS}
    for m in entities:
        if m.category == "nisba" and m.first not in used_nisba:
            if _modifies(toks, m.first, heads):
                continue  # "عفرين السورية", "مصادر أمنية عراقية": an adjective, not an actor
            out.append(ActorMention(m.first, m.last, None, "nisba", country=m.record))
        elif m.category == "country" and m.first not in used_nisba:
            prev = _prev_core(toks, m.first)
            if prev not in _PLACE_PREPS and not m.prefix.endswith(("ب", "ل")) \
                    and prev not in SEAT_WORDS:  # "منظمة مقرها بريطانيا": where it sits
                out.append(ActorMention(m.first, m.last, None, "country", country=m.record))
    # "تحت سيطرة دمشق", "محاولة طهران", "نفت موسكو": the government, not the city
    governed = {m.last for m in sent.cues if m.category == "government_of"} | speech
    governments: set[int] = set()
    for m in capitals:
        if not m.prefix and (_prev_core(toks, m.first) in _CONTROL_HEADS or m.first - 1 in governed) \
                or m.prefix == "و" and m.first - 1 in governments:  # "إخفاء دمشق وموسكو"
            out.append(ActorMention(m.first, m.last, None, "capital", country=m.record))
            governments.add(m.last)
    return _members(sorted(out, key=lambda a: a.first), toks)


# "مقرها", "ومقره": the seat of an organisation, not a party to anything nor a place of it
SEAT_WORDS = frozenset(p + w for p in ("", "و") for w in ("مقر", "مقرها", "مقره", "مقرهم", "مقرا"))
_PHRASE_BREAKS = frozenset({"في", "على", "علي", "الى", "عن", "ضد", "مع", "بين"})
_NOT_ACTOR_HEADS = frozenset({"feature", "region", "admin", "countryside", "speaker_noun"})


def _modifies(toks: list[Token], i: int, heads: set[int]) -> bool:
    """Whether the nisba at ``i`` agrees with a place, a feature word or a speaker noun just
    before it, with at most two other adjectives between ("مصادر أمنية وطبية عراقية")."""
    j = i - 1
    for _ in range(3):
        if j < 0:
            return False
        if j in heads:
            return True
        word = toks[j].text
        if not (word.endswith(("ية", "يه", "ي")) or word.startswith("و")):
            return False
        j -= 1
    return False


def _members(actors: list[ActorMention], toks: list[Token]) -> list[ActorMention]:
    """"مهاجم انتحاري من حركة طالبان", "عناصر من حماس": a role noun followed by من and a named
    actor stands for that actor."""
    out: list[ActorMention] = []
    skip: set[int] = set()
    for k, a in enumerate(actors):
        if k in skip:
            continue
        nxt = actors[k + 1] if k + 1 < len(actors) else None
        if a.how == "role" and nxt is not None and nxt.how == "named" and (
                nxt.first == a.last + 2 and toks[a.last + 1].text == "من"
                or nxt.first == a.last + 1 and a.country is None):
            # "عناصر من حماس", and the construct "طائرات التحالف", "مدفعية الاحتلال"
            out.append(ActorMention(a.first, nxt.last, nxt.record, "named", prefix=a.prefix))
            skip.add(k + 1)
            continue
        out.append(a)
    return out


def _prev_core(toks: list[Token], i: int) -> str:
    prev = toks[i - 1].text if i > 0 else ""
    return prev[2:] if prev.startswith("ال") and len(prev) > 4 else prev


def actor_record(a: ActorMention, context: Country | None, default_role: str = "MIL",
                 roles: dict[str, Role] | None = None,
                 theatres: dict[str, dict[str, ActorRecord]] | None = None) -> ActorRecord | None:
    """The actor a mention stands for; roles and nisbas take the context country if none, and
    a generic name the actor it means in the context's country (``theatres``)."""
    if a.record is not None:
        by_country = (theatres or {}).get(a.record.name)
        if by_country:
            return by_country.get(context.iso3 if context else "", by_country.get("*", a.record))
        return a.record
    country = a.country or context
    if a.role is not None:
        return a.role.actor(country)
    role = (roles or {}).get("GOV" if a.how == "capital" else default_role)
    if role is None:
        return None
    return role.actor(country)


__all__ = ["ActorMention", "Sentence", "analyse", "actor_record", "GazetteerEntry", "SEAT_WORDS"]
