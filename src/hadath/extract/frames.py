"""Event frames of one sentence: which triggers make events, and who, where, how many.

Rules, each a fact of Arabic or of conflict coding:
- A trigger under negation (لم، لن، عدم), a condition (في حال، إذا), a threat or plan, "أي",
  or a purpose (للسيطرة على, استعدادا لهجوم) makes no event.
- Weak triggers (دخل، استهدف، معارك، غادر...) need support: an armed actor, a place, a crowd.
- Violent words of one sentence and place are one event ("هجوم انتحاري بسيارة مفخخة"); deaths
  (مقتل، قتلى) are that event's outcome, not an event of their own unless alone. Violence in a
  protest sentence makes the protest a riot, as ACLED codes it.
- A running total (ارتفع عدد القتلى إلى، الحصيلة) is a toll, never an event's fatalities.
- A list of places is one event per place ("سيطرت على معرة النعمان وخان شيخون").
- A sentence that only says who an actor is ("وقوات سوريا الديمقراطية هي تحالف...") has no event.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..geo import PlaceMention
from ..lexicon import ActorRecord, Country, Lexicon, Match
from ..models import BOMBARDMENT, FAMILY
from ..text import Number, counted_apart, normalize_key
from .attribution import Attribution, scope
from .mentions import NOT_AGENTS, ActorMention, Sentence, actor_record, given_name_at

# Which kind names a group of violent words: the most specific wins.
PRIORITY = ["air_strike", "explosion", "shelling", "armed_clash", "abduction", "attack", "killing"]
PATIENT_KINDS = frozenset({"killing", "abduction", "arrest"})
MOVEMENT_KINDS = frozenset({"withdrawal", "displacement"})
_AGENT_MARKERS = frozenset({"يد", "ايدي", "قبل", "برصاص", "بنيران", "شنه", "شنها", "نفذه",
                            "نفذها", "تبناه", "تبنته", "اطلقه", "اطلقها", "اطلقته", "اطلقتها",
                            "اطلقوه", "اطلقوها"})
_TARGET_MARKERS = frozenset({"على", "ضد", "علي", "تجاه", "باتجاه"})
_WITH_MARKERS = frozenset({"مع", "بين"})
_SUFFIXES = ("ها", "ه", "هم", "هما", "نا")


@dataclass
class Frame:
    """An event found in one sentence, before article-level merging."""

    kind: str
    triggers: list[Match]
    sentence: Sentence
    subtype: str = ""
    actor1: ActorRecord | None = None
    actor1_span: tuple[int, int] | None = None
    actor1_hedged: bool = False
    assoc: list[ActorRecord] = field(default_factory=list)
    actor2: ActorRecord | None = None
    actor2_span: tuple[int, int] | None = None
    place: PlaceMention | None = None
    fatalities: int | None = None
    fatalities_span: tuple[int, int] | None = None
    date_index: int | None = None
    negated: bool = False
    claims: list[Attribution] = field(default_factory=list)


def frames(sent: Sentence, attributions: list[Attribution], context: Country | None,
           lex: Lexicon, forces: Country | None = None
           ) -> tuple[list[Frame], list[tuple[Number, list[Match]]]]:
    """Event frames and toll statements (number, toll triggers) of one sentence.

    ``forces`` is the country of the armed forces the article last named by nationality: an
    army, aircraft or artillery named without one ("الطائرات", "المدفعية") are theirs."""
    if _describes_actor(sent):
        return [], []
    tolls, toll_tokens = _tolls(sent)
    live = [t for t in sent.triggers if t.record.role != "toll"
            and not any(i in toll_tokens for i in range(t.first, t.last + 1))
            and (not _irrealis(sent, t) or _denied(sent, t, attributions))
            and _supported(sent, t) and not _protest_as_target(sent, t)
            and not _not_conflict(sent, t, attributions) and not _figurative(sent, t)
            and not _leaves_a_deal(sent, t) and not _mere_cause(sent, t)
            and not _title_of_a_person(sent, t)]
    known = [t for t in sent.triggers if t.record.role == "event" and _mere_cause(sent, t)]
    for t in sorted(sent.triggers, key=lambda x: x.first):
        if known and _instrument_of(sent, t, known):
            known.append(t)  # "بالصواريخ والقذائف": each weapon of the list is the act's
    live = [t for t in live if t not in known]
    groups = _group(sent, live)
    out: list[Frame] = []
    for kind, trigs, places in groups:
        if kind in ("shelling", "attack", "explosion") and _weapon_near(sent, trigs, "aerial"):
            kind = "air_strike"  # "قصفت طائرات", "استهدفت طائرة مسيرة": from the air
        elif kind == "attack" and _weapon_near(sent, trigs, "artillery"):
            kind = "shelling"  # "أطلقت النار من الدبابات": tank or artillery fire
        if kind == "territory_control" and all(_control_state(sent, t) for t in trigs
                                               if t.record.kind == "territory_control"):
            kind = "territory_held"  # who holds a place, not a change of hands
        base = Frame(kind, trigs, sent, subtype=_subtype(trigs))
        base.negated = any(_negated(sent, t) for t in trigs if t.record.role == "event") or (
            all(_negated(sent, t) for t in trigs)) or _benign_cause(sent, trigs)
        # As ACLED does, an army or civilians with no nationality belong to the event's country.
        where = next((p.chosen.country for p in places if p.chosen is not None), None)
        _fill_actors(base, attributions, lex.country(where) or context, lex, forces)
        if kind in ("shelling", "attack", "explosion") and _by_aircraft(sent, base.actor1_span):
            base.kind = "air_strike"  # "تمكنت القوات الجوية ... من قصف 60 وكرا": from the air
        _fill_fatalities(base)
        _fill_date(base, attributions)
        main = min(t.first for t in trigs)
        base.claims = scope(attributions, main)
        for t in trigs:  # a second source of the same act in the sentence: "فيما نفت الشرطة"
            base.claims += [a for a in scope(attributions, t.first) if a.stance == "denies"
                            and a not in base.claims and _denied(sent, t, attributions)]
        spots = places or [None]
        for k, pm in enumerate(spots):
            f = Frame(**{**base.__dict__})
            f.place = pm
            if base.fatalities is not None and len(spots) > 1:
                # "قتلت 100 عنصر في محافظتي صعدة والحديدة": one toll over several places is
                # divided among them (as ACLED does), never counted once at each
                share, extra = divmod(base.fatalities, len(spots))
                f.fatalities = share + (1 if k < extra else 0)
            out.append(f)
    return out, tolls


# --- filters -----------------------------------------------------------------------------------

def _protest_as_target(sent: Sentence, t: Match) -> bool:
    """"هجوم انتحاري استهدف مظاهرة": the demonstration is what was attacked."""
    if t.record.kind != "protest" or any(a.first == t.first and a.role is not None
                                          and a.role.type == "protesters" for a in sent.actors):
        return False  # protesters themselves ("مواجهات بين المتظاهرين والشرطة") still protest
    return any(v.record.kind in _TARGETING and v.last < t.first and t.first - v.last <= 3
               and sent.clause[v.last] == sent.clause[t.first] for v in sent.triggers)


_TARGETING = frozenset({"attack", "explosion", "air_strike", "shelling"})


def _describes_actor(sent: Sentence) -> bool:
    """"X هي/هو/تعد ...": a sentence that describes who an actor is."""
    if not sent.actors:
        return False
    a = sent.actors[0]
    if a.first > 1:
        return False
    return sent.cue_at(a.last + 1, "copula") is not None


def _negated(sent: Sentence, t: Match) -> bool:
    for back in (1, 2):
        j = t.first - back
        if j < 0:
            return False
        if sent.cue_at(j, "still"):
            return False
        neg = sent.cue_at(j, "negation")
        if neg is not None:
            return True
        if back == 1 and sent.tokens[j].text not in ("يتم", "تتم", "يكن", "تكن", "يجر", "تجر"):
            return False
    return False


def _irrealis(sent: Sentence, t: Match) -> bool:
    """Whether the trigger is hypothetical, planned, threatened, conditional or a purpose."""
    clause = sent.clause[t.first]
    if any(m.category == "negation" and sent.tokens[m.first].text in ("لن", "ولن")
           and 0 < t.first - m.last <= 3 for m in sent.cues):
        return True  # "لن تشن هجوما": a future that will not be
    for m in sent.cues:
        if m.category == "irrealis" and m.record.value == "pending" and m.first > t.last \
                and sent.clause[m.first] == clause and m.first - t.last <= 10:
            return True  # "السيطرة على الحديدة بالكامل مسألة وقت": said to come, after it
        if m.category != "irrealis" or m.last >= t.first or _in_a_name(sent, m):
            continue
        gap = t.first - m.last
        v = m.record.value
        if v in ("any", "modal") and gap <= 2:
            return True
        if v == "future" and gap <= 3:
            return True
        if v in ("condition", "purpose") and sent.clause[m.last] == clause and gap <= 6:
            return True
        if v == "bar" and gap <= 6 and t.first and sent.tokens[t.first - 1].text == "من":
            return True  # "منعها للمدنيين من المغادرة": the leaving was prevented
        if v == "responsible" and gap == 1:
            return True  # "مسؤول عن قتل آلاف": a charge of the act named right after عن
        if v == "foiled":
            return True  # "أحبطت قوات الجيش محاولة تفجير 4 عبوات ناسفة، وتم تفجيرها": foiled
        if v in ("threat", "warning", "intent", "demand", "prevent", "charge", "spared",
                 "rumour") and gap <= 5:
            return True
    if _subjunctive(sent, t) or _may(sent, t) or _reaching_sought(sent, t):
        return True
    tok = sent.tokens[t.first].text
    # Purpose lam on a verbal noun: "لإطلاق عملية للسيطرة عليها" — unless the thing was suffered
    # ("تعرض لهجوم") or caused ("نتيجة للقصف").
    if t.prefix.endswith("ل") and t.record.kind in (
            "territory_control", "withdrawal", "attack", "armed_clash", "air_strike", "shelling") \
            and t.record.role == "event":
        prev = sent.tokens[t.first - 1].text if t.first else ""
        suffered = _experiencer_before(sent, t, 4) is not None
        if not suffered and prev not in ("نتيجه", "جراء", "اثر"):
            return True  # (but "تعرضت بلدة كفرنبل للقصف": the town suffered it)
    # "ستسيطر", "سيهاجم", "ستتحرر": the future prefix س before an imperfective, where the
    # trigger's own pattern does not begin with س (سيطر، سقط، سحب)
    core = tok[1:] if tok[:1] in "وف" and len(tok) > 5 else tok
    if core[:1] == "س" and core[1:2] in "يتن" and len(core) > 4 \
            and not t.entry.text.startswith("س"):
        return True
    # "وستمثل السيطرة على المدينة": the act is the subject of a verb in the future
    prev = sent.tokens[t.first - 1].text if t.first else ""
    prev = prev[1:] if prev[:1] in "وف" and len(prev) > 5 else prev
    return prev[:1] == "س" and prev[1:2] in "يت" and len(prev) > 4 and not any(
        m.last == t.first - 1 for m in sent.triggers) and tok.startswith("ال")


def _in_a_name(sent: Sentence, m: Match) -> bool:
    """"طالبان" is Taliban, not "طالب" (demanded): a cue inside an actor's name is the name."""
    return any(a.how == "named" and a.first <= m.first and m.last <= a.last for a in sent.actors)


_THAT = frozenset({"ان", "بان", "لان"})


def _subjunctive(sent: Sentence, t: Match) -> bool:
    """"مخاوف بأن يتسبب هجوم عليها في نزوح مئات الآلاف": أن and an imperfective (يـ) open a
    clause of what may be, not of what was."""
    clause = sent.clause[t.first]
    for k in range(max(0, t.first - 8), t.first - 1):
        nxt = sent.tokens[k + 1].text
        if sent.tokens[k].text in _THAT and nxt.startswith("ي") and len(nxt) >= 4 \
                and sent.clause[k] == clause and not any(
                    m.first <= k + 1 <= m.last for m in sent.triggers):
            return True
    return False


_REACHED = frozenset(normalize_key(w) for w in (
    "تم", "وتم", "بعد", "عقب", "اعقاب", "أعقاب", "اثر", "إثر", "فور"))


def _reaching_sought(sent: Sentence, t: Match) -> bool:
    """"يحاول غريفيث التوصل إلى تسوية", "جهود التوصل إلى اتفاق": the noun التوصل names a deal
    sought, unless it was reached (تم التوصل، بعد التوصل) or announced (أعلن التوصل)."""
    toks = sent.tokens
    if t.record.kind != "agreement" or \
            normalize_key(toks[t.first].text).lstrip("لب") != normalize_key("التوصل"):
        return False
    prev = normalize_key(toks[t.first - 1].text) if t.first else ""
    announced = any(m.category == "attribution" and 0 < t.first - m.last <= 4
                    and sent.clause[m.last] == sent.clause[t.first] for m in sent.structure)
    return prev not in _REACHED and not announced


_MAY = frozenset({"قد", "وقد"})


def _may(sent: Sentence, t: Match) -> bool:
    """"قد ينسحب", "قد تشن هجوما": قد before an imperfective says what may be; before a
    perfective ("قد قتل"، "وقد تعرضت لقصف") what has been. A verb opening with ي is
    imperfective; one opening with ت only when it has three letters (تشن، تقع): a longer one
    may be a perfective of its own (تعرض، تقدم)."""
    toks = sent.tokens
    for k in (t.first, t.first - 1):  # the act's verb, or the verb that carries its noun
        if k < 1 or toks[k - 1].text not in _MAY:
            continue
        verb = toks[k].text
        if k < t.first and sent.in_trigger(k):
            return False
        return (verb[:1] == "ي" and len(verb) >= 4) or (verb[:1] == "ت" and len(verb) == 3)
    return False


def _supported(sent: Sentence, t: Match) -> bool:
    """Strong triggers always; weak ones with an armed actor, a place, a crowd or a count.

    Territory changes hands somewhere: control and withdrawal need a place, a feature word
    (مطار، قاعدة) or an area word (مناطق، قرى) in the sentence, whatever the trigger's strength
    ("سيطرت القضية على خطب الجمعة" is not a capture).
    """
    kind = t.record.kind
    clause = sent.clause[t.first]
    if kind in ("territory_control", "withdrawal") and not (sent.places or any(
            m.category in ("feature", "region", "countryside") for m in sent.cues)):
        return False
    if kind == "agreement" and t.record.strength == "strong" and not t.entry.text.startswith(
            ("هدن", "صفق")):
        # "إبرام الاتفاقية الدولية للقضاء على التمييز": a deal of war is made by armed sides
        return any(a.armed for a in sent.actors)
    if t.record.strength == "strong":
        return True
    if kind == "territory_control" and _entering(sent, t) and not any(
            sent.clause[p.first] == clause and 0 < p.first - t.last <= 8 for p in sent.places):
        return False  # "دخلوا إلى الطائرة": one enters a place to take it, not a plane or a room
    if kind == "territory_control" and _entering(sent, t) and any(
            m is not t and m.first == t.last + 1 for m in sent.triggers):
        return False  # "دخلت التظاهرات أسبوعها الثاني": an act that enters a time, not a force
    in_clause = [a for a in sent.actors if sent.clause[a.first] == clause]
    if kind == "protest":
        # gathering, chanting, a march: a protest beside protesters or a protest word, with a
        # crowd counted in the clause, or when several such words come together
        weak = {m.entry.text for m in sent.triggers
                if m.record.kind == "protest" and m.record.strength == "weak"}
        weak |= {"demand"} if any(m.category == "irrealis" and m.record.value == "demand"
                                  for m in sent.cues) else set()  # a march "demanding" X
        crowd = any(sent.clause[n.first] == clause and (n.vague or n.value >= 50)
                    for n in sent.numbers)
        if _has_kind(sent, "protest", "strong"):
            return True
        if any(m.category == "celebration" and sent.clause[m.first] == clause for m in sent.cues):
            return False  # "تجمع عشرات الآلاف من الحجاج للاحتفال": a feast, not a protest
        return len(weak) >= 2 or crowd or any(
            a.role is not None and a.role.type in ("protesters", "rioters") for a in sent.actors)
    if kind == "displacement":
        crowd = any(sent.clause[m.first] == clause and m.category == "crowd" for m in sent.cues)
        people = any(a.role is not None and a.role.code == "CVL" for a in in_clause)
        return crowd or people
    if kind == "road_closure":
        return any(m.category == "feature" and m.record.value in ("road", "crossing")
                   and sent.clause[m.first] == clause for m in sent.cues)
    if kind == "agreement":
        return sum(1 for a in sent.actors if a.how in ("named", "country", "role")) >= 2
    if t.record.role == "outcome":
        # "قتل 18", "18 قتيلا", "مقتل جندي": a weak death word needs a count or a victim
        victim = sent.cue_at(t.last + 1, "victims") or (
            t.first and sent.cue_at(_victim_before(sent, t.first)[0], "victims"))
        return any(n.first > t.last and n.first - t.last <= 4 for n in sent.numbers) or any(
            n.last < t.first and t.first - n.last <= 2 for n in sent.numbers) or bool(victim) \
            or any(a.first > t.last and a.first - t.last <= 2 and a.role is not None for a in in_clause) \
            or any(n.last < t.first and t.first - n.last <= 2 + _partitive(sent, n.last + 1, t.first)
                   for n in sent.numbers)  # "ستة أشخاص من حلفاء النظام قتلوا"
    if t.first and sent.cue_at(t.first - 1, "experiencer"):
        return True  # "تعرضت لهجوم": something was done to someone
    happened = t.first and sent.cue_at(t.first - 1, "occurrence") \
        or sent.cue_at(t.last + 1, "occurrence")
    if happened and any(sent.clause[p.first] == clause and p.first > t.last for p in sent.places):
        return True  # "ووقع الهجوم وسط محافظة كركوك", "أن الهجوم وقع قرب X": it happened, there
    armed = any(a.armed for a in sent.actors) or any(
        a.how in ("nisba", "country") and (0 < a.first - t.last <= 2 or 0 < t.first - a.last <= 2)
        for a in sent.actors)  # "صاروخ إسرائيلي", "غارة روسية"
    place = any(sent.clause[p.first] == clause for p in sent.places)
    deaths = any(m.record.kind == "killing" and m.record.role == "outcome" and m is not t
                 for m in sent.triggers)
    return armed or (place and (deaths or _has_family(sent, "violent", exclude=t)))


def _entering(sent: Sentence, t: Match) -> bool:
    return normalize_key(sent.tokens[t.first].text).lstrip("و").startswith(("دخل", "دخول"))


def _weapon_near(sent: Sentence, trigs: list[Match], category: str) -> bool:
    """A weapon cue ("aerial": طائرات، غارة; "artillery": دبابات، مدفعية) within four words of
    the act, in its clause."""
    clauses = {sent.clause[t.first] for t in trigs}
    return any(m.category == category and sent.clause[m.first] in clauses
               and any(abs(m.first - t.first) <= 4 for t in trigs) and not _air_defense(sent, m)
               for m in sent.cues)


def _suffers(sent: Sentence, a: ActorMention) -> bool:
    """The actor suffers the act, whatever its place in the sentence: "جنود قتلوا في انفجار
    عبوة ناسفة" (named as victims by another word of the act), "استهدف التحالف دار الرئاسة",
    "قصف مقر الشرطة" (its building was struck), "اعترضت الدفاعات الجوية صاروخا أطلقه
    الحوثيون", "الجيش تصدى لهجوم" (the subject of a verb of intercepting or repelling, right
    by it; not "صدوا هجوم قوات الأمن", whose attack's owner attacked)."""
    if a.first > 0 and sent.tokens[a.first - 1].text in _BUILDINGS:
        return True
    return any(m.category == "intercept" and (a.first == m.last + 1 or 0 < m.first - a.last <= 2)
               for m in sent.cues)


def _air_defense(sent: Sentence, m: Match) -> bool:
    """"الدفاعات الجوية": the aerial word of an air defence, which intercepts, not strikes."""
    return m.category == "aerial" and any(d.first <= m.first <= d.last for d in sent.cues
                                          if d.category == "air_defense")


def _by_aircraft(sent: Sentence, agent: tuple[int, int] | None) -> bool:
    """The agent is an air force or aircraft: an aerial cue in its words or right next to
    them ("القوات الجوية", "طائرات التحالف", "مقاتلات الجيش")."""
    return agent is not None and any(
        m.category == "aerial" and agent[0] - 1 <= m.first <= agent[1] + 1
        and not _air_defense(sent, m) for m in sent.cues)


def _has_kind(sent: Sentence, kind: str, strength: str) -> bool:
    return any(t.record.kind == kind and t.record.strength == strength for t in sent.triggers)


def _has_family(sent: Sentence, family: str, exclude: Match) -> bool:
    return any(FAMILY.get(t.record.kind) == family and t is not exclude
               and t.record.strength == "strong" for t in sent.triggers)


_CAUSAL = frozenset({"نتيجه", "بسبب", "جراء", "اثر", "إثر", "بفعل"})
_GOING_ON = frozenset({"استمرار", "تواصل", "مواصله"})
_AMID = frozenset({"مع", "ومع", "جراء", "ظل", "وسط", "بسبب", "رغم", "نتيجه", "اثر"})
_TEMPORAL = frozenset({"بعد", "عقب", "قبل", "منذ", "وبعد", "وعقب", "وقبل", "ومنذ"})
_DEMONSTRATIVES = frozenset({"هذه", "تلك", "هذا", "ذلك", "هاتين", "هذين"})


def _instrument_of(sent: Sentence, t: Match, known: list[Match]) -> bool:
    """"لبحث الهجمات الفلسطينية بالصواريخ": the weapon (ب) right after a known act is that
    act's, not a new one."""
    word = sent.tokens[t.first].text
    if word.startswith("و") and any(m.last == t.first - 1 for m in known):
        return True  # "بالصواريخ والقذائف": the next weapon of a list of the act's weapons
    return word.startswith("ب") and any(
        m.last < t.first <= m.last + 3 and sent.clause[m.first] == sent.clause[t.first]
        for m in known)


_KILLED_ONE = frozenset(normalize_key(w) for w in ("المقتول", "المقتولة", "المغتال", "المغدور"))
_ONE_OF_A_CROWD = frozenset(normalize_key(w) for w in (
    "متظاهر", "المتظاهر", "محتج", "المحتج", "معتصم", "المعتصم", "والمتظاهر", "والمحتج"))


def _title_of_a_person(sent: Sentence, t: Match) -> bool:
    """"يقول المتظاهر حسين غازي": one protester named by his given name is a person quoted,
    not a protest."""
    return t.first == t.last and sent.tokens[t.first].text in _ONE_OF_A_CROWD \
        and given_name_at(sent.norm, sent.tokens, t.last + 1)


def _responsibility_for(sent: Sentence, t: Match) -> bool:
    """"وأعلن التنظيم مسؤوليته عن ذلك الهجوم": a claim of the act told before, which names its
    agent (kept, to join that act)."""
    return any(m.category == "involvement" and m.last < t.first and t.first - m.last <= 4
               for m in sent.cues)


def _mere_cause(sent: Sentence, t: Match) -> bool:
    """"لم تحدد نقاط تمركزها نتيجة الغارات الجوية": strikes named only as the cause of
    something else, with nothing of their own (no deaths, agent, count or place after them),
    refer to known violence rather than report a new event; so does a definite act named as a
    time reference ("بعد الاعتداءات", "منذ الهجوم")."""
    clause = sent.clause[t.first]
    if any(x.first > 0 and sent.tokens[x.first - 1].text in _DEMONSTRATIVES
           and sent.tokens[x.first].text.startswith("ال") and sent.clause[x.first] == clause
           for x in sent.triggers) and not _responsibility_for(sent, t):
        return True  # "قتل الجيش في هذه التظاهرات 148": acts told before, or a series
    if FAMILY.get(t.record.kind) in ("territory", "withdrawal") and t.prefix.endswith("ب") \
            and t.first <= 1 and t.record.role == "event":
        return True  # "وباستعادة القلمون الشرقي، لم يتبق للمعارضة": with a known capture
    if t.first == 0:
        return False
    prev = sent.tokens[t.first - 1].text
    definite = sent.tokens[t.first].text.startswith("ال")
    construct = t.last + 1 < len(sent.tokens) and sent.tokens[t.last + 1].text.startswith("ال")
    # "بعد سيطرتها": after a preposition the word is a noun; its pronoun makes it definite
    own = sent.tokens[t.last].text.endswith(("ها", "هم", "هما", "ه"))
    if prev in _TEMPORAL and (definite or construct or own) \
            and FAMILY.get(t.record.kind) in ("territory", "withdrawal"):
        return True  # "بعد السيطرة على الغوطة", "بعد سيطرة الميليشيات", "بعد سيطرتها على"
    if t.first >= 2 and normalize_key(prev).removeprefix("ال") == "اعلان" \
            and sent.tokens[t.first - 2].text in _TEMPORAL:
        return True  # "عقب إعلان مقتل الصماد": the act whose announcement dates another
    if prev.removeprefix("و") in _KILLED_ONE:
        return True  # "صالح الصماد ... والمقتول بغارة للتحالف": a known death describes the man
    if any(m.category in ("retaliation", "inquiry") and m.last == t.first - 1 for m in sent.cues):
        # "ضربات جوية ردا على هجوم دوما", "ردا على دخول قوات النظام إلى عفرين", "فتحت تحقيقا
        # في الانفجار": the act answered or looked into, of any kind, is told as known
        return True
    if FAMILY.get(t.record.kind) != "violent":
        return False
    if definite and any(m.category == "framing" and (m.last == t.first - 1 or
                                                     0 < m.first - t.last <= 1) for m in sent.cues):
        return True  # "وجاء القصف بعد يوم من ...", "احتدام المعارك جاء بعد": a known act framed
    if _describes_who(sent, t, definite):
        return True  # "الخلية التي نفذت اعتداءات باريس": the act tells who the actor is
    if _blamed(sent, t):
        return True  # "تحمل هولندا موسكو مسؤولية نشر الصاروخ ومقتل مواطنيها": blame for a known act
    if any(m.category == "grievance" and m.last < t.first for m in sent.cues) and any(
            x.record.kind == "protest" and x.first < t.first for x in sent.triggers):
        return True  # "تظاهروا احتجاجا على مقتل الفتى": the killing is the protest's motive
    if prev in _TEMPORAL and sent.tokens[t.first].text.startswith("ال"):
        return True  # "بعد الاعتداءات التي أوقعت 130 قتيلا": an act the reader already knows
    if definite and prev in _GOING_ON and t.first >= 2 and sent.tokens[t.first - 2].text in _AMID:
        return True  # "مع استمرار المعارك", "جراء استمرار القصف": fighting that goes on, no event
    if prev not in _CAUSAL:
        return False
    clause = sent.clause[t.first]
    own = any(x.record.role == "outcome" and sent.clause[x.first] == clause for x in sent.triggers)
    own = own or any(0 < a.first - t.last <= 3 for a in sent.actors)
    # "جراء القصف الذي تقوم به القوات": a relative clause naming who carries the act out
    own = own or any(0 < a.first - t.last <= 5 and sent.tokens[t.last + 1].text in ("الذي", "التي")
                     for a in sent.actors)
    own = own or any(p.first > t.last and sent.clause[p.first] == clause for p in sent.places)
    own = own or any(sent.clause[n.first] == clause for n in sent.numbers)
    return not own


def _describes_who(sent: Sentence, t: Match, definite: bool) -> bool:
    """A known act (with the article, or named by its place: "اعتداءات باريس") right after
    a relative pronoun and a verb of carrying out: a description of the actor, not news."""
    verb = sent.cue_at(t.first - 1, "perpetrate") if t.first else None
    if verb is None or verb.first == 0 or not sent.cue_at(verb.first - 1, "relative"):
        return False
    return definite or any(p.first == t.last + 1 for p in sent.places)


def _denied(sent: Sentence, t: Match, attributions: list[Attribution]) -> bool:
    """"نفى الجيش وقوع أي غارة": the act a source denies is kept, as that source's denial,
    so that another source's report of it becomes contested rather than unopposed."""
    return any(a.stance == "denies" and a.marker < t.first and t.first - a.marker <= 8
               and sent.clause[a.marker] == sent.clause[t.first] for a in attributions)


def _benign_cause(sent: Sentence, trigs: list[Match]) -> bool:
    """"الانفجار ناجم عن خلل فني": an explosion put down to an accident denies an attack."""
    main = min(trigs, key=lambda t: t.first)
    return main.record.kind == "explosion" and any(
        m.category == "benign" and sent.clause[m.first] == sent.clause[main.first]
        for m in sent.cues)


def _not_conflict(sent: Sentence, t: Match, attributions: list[Attribution] = ()) -> bool:
    """A trial or verdict, an accident, a disaster or an industrial blast is not political
    violence: the sentence reports the court or the mishap ("قضت محكمة بإعدام امرأة قتلت
    زوجها", "مقتل 20 في حادث سير", "انفجار في مصفاة نفط")."""
    if FAMILY.get(t.record.kind) not in ("violent", "arrest"):
        return False
    cats = {m.category for m in sent.cues}
    if "court" in cats:
        return True
    if t.record.kind == "arrest":  # an arrest for a common crime is not a political event
        return "crime" in cats and not any(a.armed and _type_of(a) != "state_forces"
                                           for a in sent.actors)
    if any(m.category == "tally" and m.last < t.first for m in sent.cues):
        return True  # "وثق التحالف اغتيال 157 ناشطا": a tally of many acts, not one event
    # an armed actor who only tells of it ("حسبما ذكرت شرطة الولاية") takes no part in it
    speakers = {c.source_span for c in attributions if c.source_span}
    armed = any(a.armed and a.how != "source" and (a.first, a.last) not in speakers
                for a in sent.actors)
    if "crime" in cats and not armed:
        return True  # "طعن طليقته": a crime with no political actor
    wrecks = {i for m in sent.cues if m.category == "accident" for i in range(m.first, m.last + 1)}
    crew = any(a.armed and a.how != "source" and (a.first, a.last) not in speakers
               and a.first not in wrecks for a in sent.actors)  # "تحطم طائرة": the aircraft crashed
    if "accident" in cats and not crew and (t.record.kind in ("killing", "explosion") or (
            t.record.kind == "attack" and t.record.strength == "weak")):
        # (a landslide that "destroyed" homes is no attack; a strike that set off a fire is)
        return not any(x is not t and x.record.kind in _WEAPON_KINDS and x.record.role == "event"
                       and x.record.kind != "explosion" and x.record.strength == "strong"
                       for x in sent.triggers)
    return "industrial" in cats and t.record.kind == "explosion" and not armed


def _type_of(a: ActorMention) -> str | None:
    return a.record.type if a.record is not None else a.role.type if a.role is not None else None


_WEAPON_KINDS = frozenset({"air_strike", "shelling", "attack", "armed_clash", "explosion"})


def _figurative(sent: Sentence, t: Match) -> bool:
    """"الاعتداءات المتكررة على حقوق الشعب": a habit, or an attack on an abstraction, is
    rhetoric unless something physical anchors it (a casualty, a number, a place after it);
    a battle or an attack of another kind ("المعارك السياسية", "هجوم إعلامي") always is."""
    if FAMILY.get(t.record.kind) == "violent" and sent.cue_at(t.last + 1, "figurative"):
        return True
    if _out_of_control(sent, t):
        return True
    if t.record.kind != "attack":
        return False
    window = range(t.last + 1, min(t.last + 6, len(sent.tokens)))
    habitual = any(sent.cue_at(k, "generic") for k in window)
    abstract = any(sent.cue_at(k, "abstract") for k in range(t.last + 1, min(t.last + 4,
                                                                            len(sent.tokens))))
    if not (habitual or abstract):
        return False
    clause = sent.clause[t.first]
    casualty = any(x.record.role == "outcome" and sent.clause[x.first] == clause
                   for x in sent.triggers)
    return habitual or not casualty


def _out_of_control(sent: Sentence, t: Match) -> bool:
    """"تجنب خروج الوضع عن السيطرة": "عن السيطرة" with the article and nothing taken after it
    is the idiom "out of control" ("أسفر الهجوم عن سيطرة التنظيم على المنطقة" is a capture)."""
    toks = sent.tokens
    if t.record.kind != "territory_control" or t.first == 0 or toks[t.first - 1].text != "عن":
        return False
    nxt = toks[t.last + 1].text if t.last + 1 < len(toks) else ""
    return toks[t.first].text.startswith("ال") and nxt not in ("على", "علي")


def _control_state(sent: Sentence, t: Match) -> bool:
    """"تسيطر على معظم المحافظة", "لا تزال تحت سيطرة دمشق", "مناطق سيطرة": who holds a place,
    not a change of hands. The imperfective of سيطر, and its noun after تحت/مناطق/رقعة/خاضعة,
    state; the perfective (سيطرت) and the noun after a verb of taking (بسطت سيطرتها) change."""
    if t.record.kind != "territory_control":
        return False
    word = sent.tokens[t.first].text
    core = word[1:] if word[:1] in "وف" else word
    if core[:1] in "يتن" and core[1:].startswith("سيطر"):
        return True
    if t.first and sent.cue_at(t.first - 1, "control_state"):
        return True
    return any(sent.cue_at(k, "still") for k in range(max(0, t.first - 4), t.first))


def _leaves_a_deal(sent: Sentence, t: Match) -> bool:
    """"انسحاب واشنطن من الاتفاق النووي": leaving a deal, a race or a body is no withdrawal
    of forces; "الإرهابيين الرافضين للتسوية": refusing a deal is no agreement."""
    if t.record.kind == "agreement":
        return any(sent.cue_at(k, "refusal") for k in range(max(0, t.first - 2), t.first))
    if t.record.kind != "withdrawal":
        return False
    toks = sent.tokens
    for k in range(t.last + 1, min(t.last + 6, len(toks))):
        if toks[k].text in ("من", "عن"):
            nxt = toks[k + 1].text if k + 1 < len(toks) else ""
            return nxt.removeprefix("ال").startswith(_DEALS) or nxt.startswith(_DEALS)
    return False


_DEALS = ("اتفاق", "معاهد", "مفاوضات", "السباق", "انتخابات", "حكوم", "برلمان", "تحالف",
          "منافس", "بطول", "مجلس", "منظم", "عضوي", "اللجن", "لجن", "محادثات", "الحوار", "حوار")


# --- grouping ------------------------------------------------------------------------------------

def _tolls(sent: Sentence) -> tuple[list[tuple[Number, list[Match]]], set[int]]:
    """Toll statements: a toll trigger and the number it leads to; the tokens they cover."""
    out, covered = [], set()
    for t in sent.triggers:
        if t.record.role != "toll":
            continue
        nums = [n for n in sent.numbers if n.first > t.last and n.first - t.last <= 12]
        if not nums and t.record.strength == "weak":
            continue
        if nums and not _counts_casualties(sent, t, nums[0]):
            continue  # "بلغ عدد المستوطنين 435159": a count, but not of victims
        if nums:
            n = nums[0]
            out.append((n, [t]))
            end = n.last + 1 if sent.cue_at(n.last + 1, "victims") else n.last
            covered.update(range(t.first, end + 1))
    return out, covered


def _counts_casualties(sent: Sentence, t: Match, n: Number) -> bool:
    """Whether a toll counts people killed or hurt: a generic count (ارتفع عدد، بلغ عدد) needs
    a victim noun (قتلى، مدنيين، ضحايا), a death or injury word, between it and just after its
    number; a toll word of its own (حصيلة، عدد القتلى) needs nothing more."""
    words = {sent.tokens[k].text for k in range(t.first, t.last + 1)}
    if not any(w.startswith("عدد") or w == "العدد" for w in words):
        return True
    window = range(t.first, min(len(sent.tokens), n.last + 3))
    return any(sent.cue_at(k, "victims") or sent.cue_at(k, "injury") for k in window) or any(
        tr.record.role == "outcome" and tr.first in window for tr in sent.triggers)


def _group(sent: Sentence, live: list[Match]
           ) -> list[tuple[str, list[Match], list[PlaceMention]]]:
    """Group triggers into events: one per family and set of places in the sentence."""
    by_family: dict[str, list[tuple[Match, list[PlaceMention]]]] = {}
    for t in live:
        fam = FAMILY.get(t.record.kind, t.record.kind)
        by_family.setdefault(fam, []).append((t, _places_for(sent, t)))
    _riots_without_protest(sent, by_family)
    if "protest" in by_family:
        # Violence between demonstrators and forces is part of the demonstration (a riot);
        # bombs, shells and air strikes on a crowd stay their own events, and so do
        # demonstrators shot dead when no clash is told (docs/coding.md: a killing).
        violent = by_family.get("violent", [])
        shot_dead = any(t.record.kind == "killing" and t.record.role == "outcome"
                        for t, _ in violent) and any(t.record.kind == "attack"
                                                     for t, _ in violent) and not any(
            t.record.kind in ("armed_clash", "riot") for t, _ in violent)
        for fam in ("violent", "road"):
            items = by_family.pop(fam, [])
            keep = [(t, p) for t, p in items if t.record.kind in _NOT_ABSORBED
                    or shot_dead and t.record.kind in ("killing", "attack")
                    or t.record.kind == "attack" and _weapon_near(sent, [t], "artillery")]
            by_family["protest"] += [(t, p) for t, p in items if (t, p) not in keep]
            if keep:
                by_family[fam] = keep
        crowd = [t for t, _ in by_family["protest"] if t.record.kind == "protest"]
        if "violent" in by_family and crowd and all(_crowd_as_target(sent, t) for t in crowd):
            # "أطلقت النار من الدبابات تجاه المتظاهرين": the crowd is only the target of an act
            # told as its own event; the demonstration is not told here
            by_family["protest"] = [(t, p) for t, p in by_family["protest"]
                                    if t.record.kind != "protest"]
            if not by_family["protest"]:
                del by_family["protest"]
            else:
                by_family["violent"] += by_family.pop("protest")
    out = []
    for fam, items in by_family.items():
        groups: list[tuple[list[Match], list[PlaceMention]]] = []
        for t, places in items:
            for g in groups:
                if (not places or not g[1] or _same_places(places, g[1])) \
                        and _one_clause(sent, g[0], [t]):
                    g[0].append(t)
                    if not g[1]:
                        g[1].extend(places)
                    break
            else:
                groups.append(([t], list(places)))
        # An outcome-only group (deaths with no violent act) joins the sentence's other group.
        events = [g for g in groups if any(t.record.role == "event" for t in g[0])]
        for g in groups:
            host = next((e for e in events if _one_clause(sent, e[0], g[0])), None) \
                if fam == "violent" and g not in events else None
            if host is not None:
                host[0].extend(g[0])
            elif g not in events:
                events.append(g)
        for trigs, places in events:
            out.append((_kind(fam, trigs), sorted(trigs, key=lambda m: m.first), places))
    return out


_NOT_ABSORBED = frozenset({"explosion", "air_strike", "shelling"})


def _one_clause(sent: Sentence, a: list[Match], b: list[Match]) -> bool:
    """Deaths join an act of their sentence ("قتل 5، بينهم طفلان، في قصف"), never one told
    after a break between two reports ("قتل 11 مسلحا ...، فيما قتل اثنان في انفجار")."""
    ca = {sent.clause[t.first] for t in a}
    cb = {sent.clause[t.first] for t in b}
    toks = sent.tokens
    return bool(ca & cb) or not any(
        toks[k].text in _CLAUSE_BREAKS and (k + 1 >= len(toks) or toks[k + 1].text not in _NOT_BREAKS)
        for k in range(min(t.first for t in a + b), max(t.first for t in a + b)))


_CLAUSE_BREAKS = frozenset({"فيما", "بينما", "وفيما", "وبينما", "كما", "وكذلك", "في حين"})
_NOT_BREAKS = frozenset({"يبدو", "يبدوا", "بعد"})  # "فيما يبدو": apparently; "فيما بعد": later


def _crowd_as_target(sent: Sentence, t: Match) -> bool:
    """The demonstrators named as the object of an act ("النار تجاه المتظاهرين")."""
    if t.first == 0:
        return False
    return _core(sent.tokens[t.first - 1].text) in _TARGET_MARKERS


def _riots_without_protest(sent: Sentence, by_family: dict) -> None:
    """Stone-throwing or burning with no demonstrators in sight is an attack, not a riot."""
    protest_words = [t for t, _ in by_family.get("protest", []) if t.record.kind == "protest"]
    rioters = any(a.role is not None and a.role.type in ("protesters", "rioters")
                  for a in sent.actors)
    if protest_words or rioters or "protest" not in by_family:
        return
    if "violent" in by_family or any(a.armed for a in sent.actors):
        by_family.setdefault("violent", []).extend(by_family.pop("protest"))


def _same_places(a: list[PlaceMention], b: list[PlaceMention]) -> bool:
    ka = {_place_key(p) for p in a}
    kb = {_place_key(p) for p in b}
    return bool(ka & kb)


def _place_key(p: PlaceMention) -> str:
    if p.place is not None:
        return p.place.gazetteer_id or p.place.name
    return f"{p.first}"


def _kind(family: str, trigs: list[Match]) -> str:
    kinds = {t.record.kind for t in trigs}
    if family == "violent" and kinds <= {"riot"}:
        return "attack"
    if family == "protest":
        violent = kinds - {"protest", "riot"}
        return "riot" if "riot" in kinds or violent else "protest"
    if family == "violent":
        kinds.discard("riot")
        for k in PRIORITY:
            if k in kinds:
                if k == "killing" and any(t.record.role == "event" and t.record.kind == "attack"
                                          for t in trigs):
                    return "attack"
                return k
    return trigs[0].record.kind


def _subtype(trigs: list[Match]) -> str:
    subs = [t.record.subtype for t in trigs if t.record.subtype]
    if "Suicide bomb" in subs:
        return "Suicide bomb"
    return subs[0] if subs else ""


def _locator(sent: Sentence, p: PlaceMention) -> bool:
    """A place named to locate another ("شمال شرقي دمشق", "قرب حماة", "على بعد 10 كم من
    إدلب"), not one it lies in ("وسط مدينة أورم", "أطراف البلدة")."""
    if p.modifier == "km":
        return True
    for k in range(max(0, p.first - 3), p.first):
        cue = sent.cue_at(k, "direction")
        if cue is not None and cue.record.value != "C" \
                and not sent.tokens[cue.first].text.startswith("ال"):
            return True  # (not "الأطراف الشمالية للمطار": the airport's own edge)
        near = sent.cue_at(k, "vicinity")
        if near is not None and near.record.value == "near":
            return True
    return False


def _places_for(sent: Sentence, t: Match) -> list[PlaceMention]:
    """Places of a trigger: those of its clause (else of the sentence), minus containers, and
    minus destinations for movements (الانسحاب من حماة إلى حمص: Hama)."""
    kind = t.record.kind
    containers = {id(q.container) for q in sent.places if q.container is not None}
    usable = [p for p in sent.places if p.place is not None and id(p) not in containers
              and not _street_name(sent, p) and not _reporter_station(sent, p)
              and not _said_after(sent, t, p)]
    clause = sent.clause[t.first]
    own = [p for p in usable if sent.clause[p.first] == clause]
    if any(p.place.precision is not None for p in usable):
        if own and all(p.place.precision is None for p in own):
            # the names of the act's own clause, though the gazetteer does not know them, before
            # the known places of another clause ("سيطرت على مفرق X، وحاصرت ... في Y")
            usable = own + [p for p in usable if p.place.precision is not None]
        else:
            usable = [p for p in usable if p.place.precision is not None]
    if kind in MOVEMENT_KINDS or kind == "abduction":
        # (people are taken from where they were: "خطفهم من محافظة السويداء")
        origin = [p for p in usable if p.role == "from"]
        usable = origin or [p for p in usable if p.role != "to"]
    elif FAMILY.get(kind) == "protest":
        # "احتجاجات ضد ولي العهد على خلفية الحرب في اليمن": the grievance's place, after it
        usable = [p for p in usable if not any(
            m.category == "grievance" and t.last < m.first < p.first
            and sent.clause[m.first] == sent.clause[p.first] for m in sent.cues)]
    elif FAMILY.get(kind) == "violent":
        # "قذائف أطلقت من قطاع غزة على جنوب إسرائيل": where they fell, not where they came from;
        # "وصل 5 قتلى إلى مستشفى شهداء الأقصى بدير البلح": where the victims were taken
        # "انفجارات سمع صداها في عموم ريف إدلب": where it was heard
        usable = [p for p in usable if p.role != "from" and not _hospital_taken_to(sent, p)
                  and not _heard_at(sent, p)]
    if kind == "road_closure":
        roads = [p for p in usable if p.place and p.place.feature == "road"]
        if roads:  # the road right after "إغلاق", else the nearest one before it
            after = [p for p in roads if p.first > t.last]
            return [min(after, key=lambda p: p.first)] if after else [roads[-1]]
    near = [p for p in usable if sent.clause[p.first] == clause]
    if not near and kind not in MOVEMENT_KINDS:
        # (a withdrawal told with no place of its own, "مع استمرار تقدم القوات وانسحاب
        # الميليشيات", is not from the places the clause before names)
        near = [p for p in usable if abs(p.first - t.first) <= 12]
    if not near:
        return []
    after = [p for p in near if p.first > t.last]
    chosen = after or near
    # "جيب يقع شمال شرقي دمشق في منطقة القلمون الشرقي": a town named only to locate the place
    # ("شمال X", "قرب X") gives way to the place named plainly in the same clause
    plain = [p for p in chosen if not _locator(sent, p)]
    if plain and plain[0] is not chosen[0]:  # the first place only locates: the plain ones
        chosen = plain
    # a country named in the act's clause gives way to a town of it that the sentence names
    # ("المظاهرات في جنوب العراق ... حظر التجول في البصرة")
    if chosen[0].place.precision == 6:
        finer = [p for p in usable if p.place.precision is not None and p.place.precision < 6
                 and p.place.country and p.place.country == chosen[0].place.country
                 and not _of_another_act(sent, t, p)]
        if finer:
            chosen = finer
    # one event per place of a coordinated list; otherwise the first place
    head = chosen[0]
    group = [head]
    for p in chosen[1:]:
        if p.coordinated and p.first - group[-1].last <= 2:
            group.append(p)
        else:
            break
    return group


_RESPONSIBILITY = frozenset(normalize_key(w) for w in ("مسؤولية", "المسؤولية"))
_BLAME = ("حمل", "تحمل", "يحمل", "نحمل")


def _blamed(sent: Sentence, t: Match) -> bool:
    """One party holds another responsible ("حمّلت X Y مسؤولية ...", "تحمل X Y المسؤولية عن
    ..."): the act it names is one the reader knows, told as a charge, not as news."""
    toks = sent.tokens
    for k in range(max(0, t.first - 4), t.first):
        if normalize_key(toks[k].text).removeprefix("و") in _RESPONSIBILITY and any(
                normalize_key(x.text).removeprefix("و").startswith(_BLAME)
                for x in toks[max(0, k - 5):k]):
            return True
    return False


_WITNESSED = frozenset({"شهد", "شهدت", "تشهد", "يشهد", "شهدته", "شهدتها"})


def _witness(sent: Sentence, a: ActorMention) -> bool:
    """"وشهدت أفغانستان انفجارا ضخما": a country that witnessed the act is where it happened,
    not who did it."""
    return a.how in ("country", "capital") and a.first > 0 \
        and sent.tokens[a.first - 1].text.removeprefix("و") in _WITNESSED


_BUILDINGS = frozenset(normalize_key(w) for w in (
    "دار", "مقر", "مبنى", "قصر", "مقار", "مقرات", "مباني", "ودار", "ومقر", "ومبنى", "وقصر"))
_STREETS = frozenset(normalize_key(w) for w in ("شارع", "الشارع", "بشارع", "وشارع", "لشارع"))


_REPORTERS = frozenset(normalize_key(w) for w in (
    "مراسل", "مراسلة", "مراسلنا", "مراسلتنا", "مراسلو", "مراسلي", "مكتب", "موفد", "موفدنا"))


def _reporter_station(sent: Sentence, p: PlaceMention) -> bool:
    """"أكد مراسل فرانس24 في طرابلس أن الوضع في درنة متدهور": where the reporter or bureau is,
    not where the act is."""
    toks = sent.tokens
    return p.first >= 2 and toks[p.first - 1].text in ("في", "من") and any(
        normalize_key(toks[k].text).removeprefix("و") in _REPORTERS
        for k in range(max(0, p.first - 4), p.first - 1))


def _said_after(sent: Sentence, t: Match, p: PlaceMention) -> bool:
    """"اعتقلت رجلا تعتقد أنه كان مسؤولا في داعش في سوريا": a place told after the act in a
    clause of what is said or believed (أن، أنه), about someone or something else, is not where
    the act happened."""
    if p.first <= t.last:
        return False
    that = next((k for k in range(t.last + 1, p.first) if sent.cue_at(k, "complementizer")), None)
    # (a clause with a verb of its own: not "مهاجم يشتبه بأنه فلسطيني في القدس"; and not one
    # that tells the act itself: "غارة قالت مصادر إنها استهدفت بلدة X")
    return that is not None and any(finite_verb(sent.tokens[k].text) for k in range(that + 1, p.first)) \
        and not any(sent.in_trigger(k) for k in range(that + 1, p.first))


def _street_name(sent: Sentence, p: PlaceMention) -> bool:
    """"إغلاق شارع طهران في أنقرة", "في شارع بغداد": a city's name after "شارع" names the
    street, not the city."""
    return p.first > 0 and sent.tokens[p.first - 1].text in _STREETS


_HOSPITALS = frozenset(normalize_key(w) for w in (
    "مستشفى", "المستشفى", "مستشفيات", "المستشفيات", "مشفى", "المشفى"))
_TO = frozenset({"الى", "الي"})


def _hospital_taken_to(sent: Sentence, p: PlaceMention) -> bool:
    """The place is that of a hospital the dead or wounded were taken to ("نقلوا إلى مستشفى
    في X", "وصلوا إلى المستشفى الوطني بـX"), a few words after "إلى مستشفى"."""
    toks = sent.tokens
    for k in range(max(0, p.first - 5), p.first):
        if toks[k].text.removeprefix("ل") in _HOSPITALS and k > 0 and (
                toks[k - 1].text in _TO or toks[k].text.startswith("لل")):
            return True
    return False


def _heard_at(sent: Sentence, p: PlaceMention) -> bool:
    """The place is where an act's echo or boom was heard ("سمع صداها في عموم ريفي إدلب
    وحلب", "سمع دويه في أرجاء المدينة"): a word of its sound a few words before it."""
    reach = 8 if p.coordinated else 4  # "في عموم ريفي إدلب وحلب": the list as one
    return any(m.category == "echo" and 0 < p.first - m.last <= reach
               and sent.clause[m.first] == sent.clause[p.first] for m in sent.cues)


def _of_another_act(sent: Sentence, t: Match, p: PlaceMention) -> bool:
    """"ضربات جوية على سوريا ردا على هجوم دوما": a place right after another act's word
    names where that act happened, not this one."""
    return any(m is not t and m.last == p.first - 1 and m.record.kind != t.record.kind
               for m in sent.triggers)


# --- slots ---------------------------------------------------------------------------------------

def _fill_actors(f: Frame, attributions: list[Attribution], context: Country | None,
                 lex: Lexicon, forces: Country | None = None) -> None:
    """actor1 (who acted), its associates, actor2 (the target or victims); speakers of the
    sentence are not agents by position, but stand for "its forces" and "its control"."""
    sent = f.sentence
    main = min((t for t in f.triggers if t.record.role == "event"), key=lambda t: t.first,
               default=f.triggers[0])
    speakers = {c.source_span for c in attributions if c.source_span}
    # the speaker named twice ("أدانت حركة المقاومة الإسلامية #حماس"): one speaker
    speakers |= {(a.first, a.last) for a in sent.actors for c in attributions if c.source_span
                 and a.record is not None and a.record == c.source_record
                 and 0 < a.first - c.source_span[1] <= 2}
    # a role word inside any of the event's words ("طائرة مسيرة") is its weapon, not an agent,
    # unless it says whose ("طائرات إسرائيلية")
    inside = {i for t in f.triggers for i in range(t.first, t.last + 1)}
    actors = [a for a in sent.actors if a.how != "source" and (a.first, a.last) not in speakers
              and not (a.first > 0 and sent.tokens[a.first - 1].text in _STREETS)  # شارع فلسطين
              and not _witness(sent, a)
              and not (a.record is not None and a.record.type in NOT_AGENTS)
              and (a.country is not None or a.role is None or a.role.code != "MIL"
                   or not any(i in inside for i in range(a.first, a.last + 1)))]
    speaker = next((c.source_record for c in scope(attributions, main.first)
                    if c.source_record is not None and c.source_record.type not in NOT_AGENTS),
                   None)
    default_role = "GOV" if f.kind == "agreement" else "MIL"

    def rec(a: ActorMention) -> ActorRecord | None:
        own = forces if forces is not None and a.role is not None and a.role.code == "MIL" \
            and a.country is None and not _own_government(sent, a) else context
        role = "UAF" if _a_person(sent, a, f.kind, lex) and "UAF" in lex.roles else default_role
        r = actor_record(a, own, role, lex.roles, lex.theatres)
        return lex.state_rows.get(r.code, r) if r is not None and a.record is None else r

    # the trigger naming the event's kind first, then the others ("جنوده قتلوا ... في غارة")
    ordered = sorted(f.triggers, key=lambda t: (t.record.kind != f.kind, t.first))
    agent = None
    losses = []  # who suffered the acts other than the event's own
    # "وقتل في الهجوم قائد الشرطة": killed (passive), whatever the other words make of him
    patient = next((a for t in sent.triggers if t.record.kind == "killing" for a in actors
                    if _passive_before_phrase(sent, t, a)), None)
    for t in ordered:
        a, p = _agent_patient(sent, t, actors, t.record.kind)
        if a is not None and (a is patient or _suffers(sent, a)):
            patient, a = patient or a, None
        agent = agent or a
        patient = patient or (p if p is not agent else None)
        if p is not None and t.record.kind != f.kind:
            losses.append(p)
    if f.kind == "armed_clash" and agent is None:
        # "قتل عنصر من الجيش إثر اشتباكات مع مسلحين": a clash has two sides, and the armed one
        # that lost men in it is the side facing the one named after مع
        agent = next((x for x in losses if x is not patient and x.armed), None)
    for t in f.triggers:
        if patient is None:
            patient = _after_marker(sent, t, actors, _TARGET_MARKERS | _WITH_MARKERS)
        if patient is None and t.record.role == "outcome":
            patient = _victims(sent, t, actors, agent)
    if patient is agent:
        patient = None
    if agent is not None and agent.first > main.last and speaker is not None \
            and _pronoun_subject(sent, main):
        # "قالت إسرائيل إنها هاجمت مواقع تابعة لحزب الله": the speaker acted on the other
        patient = patient or agent
        agent = None
    if agent is not None:
        agent = _owner(sent, _chain_head(sent, agent, actors), actors)
        f.actor1, f.actor1_span = rec(agent), (agent.first, agent.last)
        if agent.how == "role" and _has_pronoun(sent, agent) and speaker:
            f.actor1 = speaker  # "طائراته", "قواتنا": the speaker's own forces
        f.actor1_hedged = _hedged_near(sent, agent.last)
        f.assoc = [r for a in _coordinated(sent, agent, actors) if (r := rec(a)) is not None
                   and r != f.actor1]
    elif (_has_pronoun(sent, main) or _pronoun_subject(sent, main)
          or _we_did(sent, main)) and speaker is not None:
        f.actor1 = speaker
    elif f.kind in _OWN_ACTIONS and speaker is not None and speaker.type in _PARTIES \
            and (_right_after_speaker(sent, main, attributions)
                 or _announced(attributions, main, speaker)):
        if f.kind == "territory_control" and _denied_by_speaker(attributions, main):
            # "نفى المتحدث باسم طالبان تقارير استعادة السيطرة على المدينة": a side that denies
            # a place was taken denies its own loss
            patient = patient or next((a for a in sent.actors if a.record == speaker), None)
        else:
            f.actor1 = speaker  # "أعلنت الشرطة اعتقال 15 شخصا": the police made the arrests
    elif f.kind in BOMBARDMENT and speaker is not None and (speaker.code or "").endswith("MIL") \
            and speaker.type == "state_forces" and not _denied_by_speaker(attributions, main):
        f.actor1 = speaker  # "أعلن الجيش الأمريكي مقتل اثنين في غارة جوية": its own strike
    elif f.kind == "killing" and speaker is not None and speaker.type in FIGHTERS \
            and patient is not None and patient.armed and _other_side(speaker, rec(patient)) \
            and any(c.stance == "claims" for c in scope(attributions, main.first)):
        # "أعلنت قوات الدفاع الشعبي مقتل 12 جنديا تركيا": a fighting side announcing the dead
        # of the other side tells of its own act
        f.actor1 = speaker
    if patient is not None:
        f.actor2 = (lex.roles["CVL"].actor(patient.country) if patient.how == "nisba"
                    and "CVL" in lex.roles else rec(patient))
        f.actor2_span = (patient.first, patient.last)
    if f.actor1 is None:
        inv = _involvement(sent, context, lex)
        if inv is not None:
            f.actor1, f.actor1_span, f.actor1_hedged = inv
    if f.actor1 is None:
        op = _operations_of(sent, main, actors)
        if op is not None:
            f.actor1, f.actor1_span = rec(op), (op.first, op.last)
    if f.actor1 is None:
        f.actor1 = _claimant(sent, main, attributions)
    _settle_roles(f, context, lex)


_OPERATIONS = frozenset({"عمليه", "عمليات", "حمله", "حملات"})


def _operations_of(sent: Sentence, t: Match, actors: list[ActorMention]) -> ActorMention | None:
    """"قتل عشرات المسلحين جراء عمليات لقوات الجيش": the armed force whose operations (a
    possessive ل after عمليات/حملة) the act's clause names as its cause carried it out (not
    "خلال عمليات للجيش": a soldier killed during his army's operations)."""
    toks = sent.tokens
    for a in actors:
        if a.armed and a.prefix.endswith("ل") and a.first > 1 \
                and sent.clause[a.first] == sent.clause[t.first] \
                and toks[a.first - 1].text.lstrip("و") in _OPERATIONS | _BY_OPERATIONS \
                and (toks[a.first - 1].text.lstrip("و") in _BY_OPERATIONS
                     or toks[a.first - 2].text in _CAUSES_OF):
            return a
    return None


_BY_OPERATIONS = frozenset("ب" + w for w in _OPERATIONS)  # "بعمليات للجيش": by them
_CAUSES_OF = frozenset({"جراء", "اثر", "بسبب", "نتيجه", "في", "فى"})


def _a_person(sent: Sentence, a: ActorMention, kind: str, lex: Lexicon) -> bool:
    """"فلسطينيا دهس بسيارته جنودا": a nisba standing alone as a noun, not after the act or
    the weapon it describes ("غارة إسرائيلية", "صاروخ إسرائيلي"), names a person of that
    country: an armed act of his is an unidentified armed group's, not the state's forces'; so
    is a ramming or an attack told as a people's ("دهس فلسطيني") where that people's state has
    no army in the lexicon (a strike or a shelling stays its state's)."""
    if a.how != "nisba" or FAMILY.get(kind) != "violent" or a.first == 0:
        return False
    prev = a.first - 1
    if any(m.first <= prev <= m.last for m in sent.cues if m.category in _WEAPON_CUES):
        return False
    acts = [m for m in sent.triggers if m.first <= prev <= m.last]
    if not acts:
        return True
    return a.country is not None and a.country.iso3 + "MIL" not in lex.state_rows \
        and not any(m.record.kind in BOMBARDMENT for m in acts)


_WEAPON_CUES = frozenset({"aerial", "artillery", "weapon"})


def _own_government(sent: Sentence, a: ActorMention) -> bool:
    """"القوات الحكومية", "قوات الحكومة", "الجيش النظامي": the forces of the place's state."""
    nxt = sent.tokens[a.last + 1].text if a.last + 1 < len(sent.tokens) else ""
    return nxt.startswith(("الحكومي", "الحكومه", "النظامي", "حكومه"))


def _forced(f: Frame) -> bool:
    """A displacement with an agent: an expulsion or forced evacuation (تهجير، إجلاء، أجبر)."""
    return any(f.sentence.tokens[t.first].text.lstrip("وفب").removeprefix("ال").startswith(
        ("تهجير", "هجر", "اجلاء", "اجبر", "طرد", "ترحيل")) for t in f.triggers)


def _claimant(sent: Sentence, t: Match, attributions: list[Attribution]) -> ActorRecord | None:
    """"أعلن تنظيم داعش مسؤوليته عن التفجير": the armed group claiming the act is its agent."""
    for a in attributions:
        rec = a.source_record
        if a.stance == "denies" or rec is None or rec.type not in _PARTIES or a.marker >= t.first:
            continue
        if any(m.category == "involvement" and a.marker < m.first < t.first for m in sent.cues):
            return rec
    return None


def _settle_roles(f: Frame, context: Country | None, lex: Lexicon) -> None:
    """Roles that the event's kind fixes, as ACLED codes them: a demonstration's actor1 is its
    demonstrators (rioters in a riot) and the forces that met it are actor2; civilians never
    carry out a strike, a shelling, a bombing or an attack, they suffer it; no actor is on
    both sides."""
    if f.kind in ("protest", "riot"):
        kind_type = "rioters" if f.kind == "riot" else "protesters"
        if f.actor1 is None or f.actor1.type not in ("protesters", "rioters"):
            if f.actor1 is not None and f.actor1.type in ("state_forces", "militia") \
                    and f.actor2 is None:
                f.actor2, f.actor2_span = f.actor1, f.actor1_span
            role = lex.role_types.get(kind_type)
            country = context if f.actor1 is None or f.actor1.type not in ("civilians",) \
                else lex.country(f.actor1.country) or context
            f.actor1 = role.actor(country) if role is not None else None
            f.actor1_span = None
        elif f.kind == "riot" and f.actor1.type == "protesters":
            role = lex.role_types.get("rioters")
            if role is not None:
                f.actor1 = role.actor(lex.country(f.actor1.country) or context)
    elif f.kind == "displacement" and f.actor1 is not None and (
            f.actor1.type in ("civilians", "protesters") or not _forced(f)):
        # "نزوح المدنيين", "فر الآلاف": the people who flee are no agents; only an expulsion
        # ("تهجير"، "أجبر") has one
        if f.actor1.type in ("civilians", "protesters") and f.actor2 is None:
            f.actor2, f.actor2_span = f.actor1, f.actor1_span
        f.actor1, f.actor1_span = None, None
    elif FAMILY.get(f.kind) == "violent" and f.actor1 is not None \
            and f.actor1.type in ("civilians", "protesters"):
        if f.actor2 is None:
            f.actor2, f.actor2_span = f.actor1, f.actor1_span
        f.actor1, f.actor1_span = None, None
    if f.actor1 is not None and f.actor2 is not None and f.actor1.name == f.actor2.name:
        f.actor2, f.actor2_span = None, None


def _announced(attributions: list[Attribution], t: Match, speaker: ActorRecord) -> bool:
    """"أعلن الجيش، الأحد، تحرير المديرية، وذلك بالسيطرة على ...", "قال الجيش إن ...
    وأحكمت السيطرة على المواقع": a side telling, in its own verb, of a capture, an arrest or a
    withdrawal with no other agent tells its own act."""
    return any(c.stance in ("claims", "reports") and c.form == "verb" and not c.inherited
               and c.source_record == speaker for c in scope(attributions, t.first))


def _denied_by_speaker(attributions: list[Attribution], t: Match) -> bool:
    return any(c.stance == "denies" for c in scope(attributions, t.first))


_OWN_ACTIONS = frozenset({"arrest", "territory_control", "withdrawal", "agreement"})
_PARTIES = frozenset({"state_forces", "government", "rebel_group", "militia"})


FIGHTERS = frozenset({"state_forces", "rebel_group", "militia"})  # the sides that fight


def _other_side(a: ActorRecord, b: ActorRecord | None) -> bool:
    """Two actors of different sides: not one name, bloc or state."""
    if b is None or a.name == b.name or (a.bloc and a.bloc == b.bloc) \
            or a.country in ("", "-") or a.name.endswith("Unknown"):
        return False  # "أعلن الجيش مقتل ضابط": an army of no known state may be the victims
    state = ("state_forces", "government")
    return not (a.type in state and b.type in state and a.country == b.country)


def _right_after_speaker(sent: Sentence, t: Match, attributions: list[Attribution]) -> bool:
    """The event word is the object of the attribution verb, right after its speaker: a day
    set off by commas ("أعلن الجيش، الأحد، السيطرة على") or the speaker's allies ("أعلنت
    الهيئة وفصائل متحالفة معها السيطرة") may stand between, not "أن" and a clause of its own."""
    dated = {k for d in sent.dates for k in range(d.first, d.last + 1)}
    for a in attributions:
        if a.source_span is None or t.first <= a.last:
            continue
        gap = [k for k in range(a.last + 1, t.first)
               if k not in dated and sent.tokens[k].text not in (",", "،")]
        if len(gap) <= 1 or len(gap) <= 4 and sent.tokens[gap[0]].text.startswith("و") and not any(
                sent.cue_at(k, "complementizer") or sent.in_trigger(k) for k in gap):
            return True
    return False


# words of the accusative form that are adverbs, not the verb's object ("استهدفت مجددا")
_ADVERBS = frozenset({"ايضا", "مجددا", "حاليا", "سابقا", "لاحقا", "اخيرا", "موخرا", "فجرا",
                      "صباحا", "مساء", "ليلا", "نهارا", "ظهرا", "عصرا", "جوا", "برا", "بحرا",
                      "معا", "جدا", "تقريبا", "مباشره", "عمدا", "مرارا", "كذلك"})


def _object_before(sent: Sentence, t: Match, a: ActorMention) -> bool:
    """"استهدفت الغارة منزلا يأوي مسلحين": an indefinite accusative noun ("منزلا", "موقعا")
    right after the verb is its object; an actor after it belongs to the object's phrase,
    not the subject, which comes before the object in Arabic."""
    verb = sent.tokens[t.first].text
    if not finite_verb(verb) or verb.endswith("ا") and not verb.endswith("وا") \
            or verb.lstrip("وفب").startswith("ال"):
        return False  # "صاروخا باليستيا أطلقه", "الهجمات التي": a noun, not a verb
    for k in range(t.last + 1, min(a.first, t.last + 3)):
        w = sent.tokens[k].text
        if len(w) >= 4 and w.endswith("ا") and not w.startswith(("ال", "وال")) \
                and not w.endswith(("ها", "نا")) and w not in _ADVERBS and not w[:-1].isdecimal():
            return True
    return False


def _experiencer_before(sent: Sentence, t: Match, reach: int) -> Match | None:
    """"تعرضت لهجوم": a verb of undergoing at most ``reach`` words before the act, in its
    clause."""
    return next((m for m in sent.cues if m.category == "experiencer"
                 and 0 < t.first - m.last <= reach and sent.clause[m.first] == sent.clause[t.first]),
                None)


def _subjected(sent: Sentence, t: Match, actors: list[ActorMention]) -> list[ActorMention]:
    """The actors who "تعرض" (were subjected to) the act: the subject of the verb, before it
    or between it and the act, in the act's clause."""
    clause = sent.clause[t.first]
    exp = _experiencer_before(sent, t, 5)
    if exp is None:
        return []
    return [a for a in actors if a.last < t.first and sent.clause[a.first] == clause
            and (a.first > exp.last or 0 < exp.first - a.last <= 6)]


_KILLED = frozenset({"قتل", "قتلت", "قتلوا", "قتلا", "قتلتا", "اغتيل", "اغتيلت"})
_PHRASE_OPENERS = frozenset({"في", "جراء", "خلال", "اثر", "بعد", "عقب", "اثناء", "اليوم", "امس"})


def _passive_before_phrase(sent: Sentence, t: Match, a: ActorMention) -> bool:
    """"وقتل في الهجوم قائد الشرطة": a verb of killing, then a phrase of place, cause or time,
    then the one named: the passive (قُتل), whose subject was killed."""
    verb = sent.tokens[t.first].text
    verb = verb[1:] if verb[:1] in "وف" and len(verb) > 3 else verb
    if a.first <= t.last + 1 or a.first - t.last > 6 or verb not in _KILLED \
            or any(x.first < a.first and x.last > t.last for x in sent.actors if x is not a) \
            or any(0 <= t.first - x.last <= 2 for x in sent.actors) \
            or _core(sent.tokens[a.first - 1].text) in _AGENT_MARKERS:
        return False  # "جنديا قتل في هجوم شنه مسلحو الحزب": the subject came first
    first = sent.tokens[t.last + 1].text
    return first in _PHRASE_OPENERS or (first.startswith("ب") and sent.in_trigger(t.last + 1))


def _out_of_hands(sent: Sentence, k: int) -> bool:
    """"تحرير المدينة من أيدي الميليشيات": out of the hands of the side that held it, not by
    them (as "على أيدي" is); "من قبل" stays "by"."""
    return _core(sent.tokens[k].text) in ("يد", "ايدي") and k > 0 \
        and sent.tokens[k - 1].text in ("من", "ومن")


def _agent_patient(sent: Sentence, t: Match, actors: list[ActorMention], kind: str
                   ) -> tuple[ActorMention | None, ActorMention | None]:
    toks = sent.tokens
    agent = patient = None
    # "على يد مسلحين", "من قبل الشرطة", "شنه متمردون": an explicit agent anywhere after
    for a in actors:
        if a.first > t.last and a.first >= 1 and _core(toks[a.first - 1].text) in _AGENT_MARKERS \
                and not _out_of_hands(sent, a.first - 1):
            agent = a
            break
    agent = agent or _able_subject(sent, t, actors)
    owners = [a for a in actors if a.first > t.last and _holder_of_target(sent, a)
              and kind not in ("territory_control", "withdrawal")]  # there the holder acts
    # (an actor may begin inside a trigger that ran into it: "قصفت طائرات روسيا")
    after = [a for a in actors if (a.first > t.last or t.first < a.first <= t.last < a.last)
             and a.first - t.last <= 4 and sent.clause[a.first] == sent.clause[t.first]
             and a not in owners]
    before = [a for a in actors if a.last < t.first and t.first - a.last <= 6
              and sent.clause[a.last] == sent.clause[t.first]
              and not _separated(sent, a.last, t.first)]
    if _circumstance(sent, t):
        # "خمسة فلسطينيين قتلوا في انفجار", "أصيب جنديان جراء قصف": whoever stands before an
        # act named in a phrase of cause or circumstance suffered it, or is another verb's
        # subject; the agent, if any, follows the act ("في غارة لمقاتلات التحالف")
        sufferers = [a for a in before if _suffered(sent, a, t)]
        before = []
        if sufferers and patient_slot_free(kind):
            patient = sufferers[-1]
    sufferers = _subjected(sent, t, actors)
    if sufferers:
        # "القوات الأميركية تعرضت لهجوم", "تعرضت دورية للجيش لهجوم": they suffered it
        patient = patient or sufferers[-1]
        before = [a for a in before if a not in sufferers]
    # targets: after على / ضد (within a few words), partners of a clash after مع / بين
    target = _after_marker(sent, t, actors, _TARGET_MARKERS)
    partner = _after_marker(sent, t, actors, _WITH_MARKERS)
    if kind == "armed_clash" and agent is None and partner is not None \
            and any(toks[k].text in ("بين", "وبين") for k in range(t.last + 1, partner.first)):
        # "اشتباكات بين قوات الوفاق ومسلحين": the first side, then the one joined by و
        second = next((a for a in actors if a.first > partner.last
                       and toks[a.first].text.startswith("و") and a.first - partner.last <= 4), None)
        return partner, second
    if kind in PATIENT_KINDS:
        verbal = finite_verb(toks[t.first].text)
        if agent is None and before and _passive_here(sent, t, before[-1]):
            patient = before[-1]  # "خمسة فلسطينيين قتلوا في انفجار": they were killed
        elif agent is None and before:
            agent = before[-1]
        if agent is None and len(after) >= 2 and after[0].armed and not after[1].armed:
            verbal = True  # "قتل مسلحون ثلاثة مدنيين": the armed one acts on the other
        if agent is None and after and after[0].armed and after[0].first == t.last + 1 \
                and (after[0].how == "named" or toks[after[0].first].text.startswith("ال")) \
                and (len(after) >= 2 or any(0 < n.first - after[0].last <= 5 for n in sent.numbers)):
            verbal = True  # "قتل الجيش الفرنسي عشرات الإرهابيين": a definite force, then its object
        for a in after:
            if a is agent:
                continue
            if agent is None and verbal and (a.armed or (kind == "arrest" and _authority(a))) \
                    and a.how in ("named", "role", "country") and not _object_before(sent, t, a):
                agent = a  # "اعتقلت السلطات المصرية 4 عناصر": authorities arrest, unarmed
            elif patient is None:
                patient = a
    else:
        if agent is None and not _intransitive(sent, t):
            # an actor past another event verb is that verb's ("الغارة استهدفت منزلا يأوي مسلحين")
            close_after = [a for a in after if a is not target and a is not partner
                           and not _verb_between(sent, t, a)]
            if close_after and close_after[0].first - t.last <= 4 and (
                    _act_subject(sent, t) or _act_subject(sent, t, before=True)):
                # "استهدف الهجوم رجال الأمن": the act is the subject, the actor its object
                patient = patient or close_after[0]
            elif close_after and close_after[0].first - t.last <= 2:
                agent = close_after[0]
            elif before:
                agent = before[-1]
            elif close_after and not _object_before(sent, t, close_after[0]):
                agent = close_after[0]
        # "استهدفت طائرة منزلا يأوي مسلحين": an actor in the verb's object phrase is its target
        in_object = next((a for a in after if a is not agent and _object_before(sent, t, a)),
                         None)
        patient = target or partner or patient or in_object or (owners[0] if owners else None)
        if patient is agent:
            patient = None
    if patient is None and kind in ("attack", "killing", "air_strike", "shelling", "explosion"):
        victims = [a for a in after if a is not agent and a.role is not None and a.role.code == "CVL"]
        patient = victims[0] if victims else None
    return agent, patient


def _verb_between(sent: Sentence, t: Match, a: ActorMention) -> bool:
    """Another event's finite verb stands between the act ``t`` and the actor ``a``."""
    return any(m is not t and t.last < m.first and m.last < a.first and m.record.role == "event"
               and finite_verb(sent.tokens[m.first].text) for m in sent.triggers)


def _act_subject(sent: Sentence, t: Match, before: bool = False) -> bool:
    """A verb whose subject is an act named right after or right before it ("استهدف الهجوم",
    "أصاب القصف", "الغارة استهدفت"); with ``before``, the act itself, right after such a verb."""
    if before:
        return any(m is not t and m.last == t.first - 1 and _act_subject(sent, m)
                   and not sent.tokens[m.first].text.lstrip("وف").startswith("ال")
                   for m in sent.triggers)
    if any(m is not t and m.last == t.first - 1 and m.record.role == "event"
           and sent.tokens[m.first].text.lstrip("وف").startswith("ال")
           and finite_verb(sent.tokens[t.first].text) for m in sent.triggers):
        return True  # "الغارة استهدفت منزلا": the act, then its verb, then the object
    return any(m is not t and m.first == t.last + 1 and m.record.role == "event"
               and sent.tokens[m.first].text.lstrip("و").startswith("ال") for m in sent.triggers)


def _authority(a: ActorMention) -> bool:
    """A government or its security services ("السلطات", "الحكومة", "الأمن العام")."""
    return (a.role is not None and a.role.code in ("GOV", "POL")) or (
        a.record is not None and a.record.type in ("government", "state_forces"))


_CIRCUMSTANCE = frozenset({"في", "جراء", "اثر", "إثر", "بسبب", "نتيجه", "خلال", "عقب", "بعد",
                           "من", "اثناء", "بفعل"})


def _able_subject(sent: Sentence, t: Match, actors: list[ActorMention]) -> ActorMention | None:
    """"تمكنت القوات الجوية خلال الحملات من قصف 60 وكرا": the subject of تمكن، نجح، استطاع
    (right after the verb, or ending just before it) is the agent of the act it governs."""
    clause = sent.clause[t.first]
    for m in sent.cues:
        if m.category != "able" or m.last >= t.first or sent.clause[m.first] != clause \
                or t.first - m.last > 10:
            continue
        for a in actors:
            if a.first == m.last + 1 or m.first - 2 <= a.last < m.first:
                return a
    return None


_OWNED = ("تابع", "التابع", "مملوك", "المملوك")  # belonging to: "تابعة ل", "المملوكة ل"


def _holder_of_target(sent: Sentence, a: ActorMention) -> bool:
    """"منطقة تسيطر عليها المعارضة", "مواقع خاضعة لسيطرة النظام", "60 وكرا للمسلحين": the
    actor holds the target."""
    if sent.cue_at(a.first - 1, "target") and (sent.tokens[a.first].text.startswith("ل") or not any(
            m.first <= a.first - 1 <= m.last for m in sent.triggers)):
        return True  # "مواقع لحزب الله", and the construct "مواقع الحوثيين" (not "تجمع متظاهرون")
    words = [sent.tokens[k].text for k in range(max(0, a.first - 2), a.first)]
    if words and words[-1].startswith(_OWNED) and a.prefix.endswith("ل") and a.first >= 2 \
            and sent.cue_at(a.first - 2, "target"):
        return True  # "استهدف عربتين تابعتين لحرس الحدود": the target belongs to the actor
    return any(w.startswith(("سيطره", "لسيطره", "بسيطره")) for w in words[-1:]) or (
        len(words) == 2 and words[1] in ("عليها", "عليه", "عليهما") and (
            "سيطر" in words[0] or words[0].startswith(("يتمركز", "تتمركز"))))


def _intransitive(sent: Sentence, t: Match) -> bool:
    """"انفجار سيارة", "انفجر لغم": an explosion has no agent by position; its agent is named
    by a marker (على يد، تبناه) or is the subject of a transitive verb (فجر)."""
    word = sent.tokens[t.first].text
    for pre in ("وبال", "بال", "وال", "فال", "ال", "و", "ف", "ب"):
        if word.startswith(pre) and len(word) - len(pre) >= 5:
            word = word[len(pre):]
            break
    return t.record.kind == "explosion" and word.startswith(("انفجار", "انفجر", "ينفجر", "تنفجر"))


def _passive_here(sent: Sentence, t: Match, a: ActorMention) -> bool:
    """"X قتلوا في ...", "مدنيان قتلا": a death verb after civilians, or followed by a phrase of
    place or cause rather than an object, reads as passive (قُتلوا): X died."""
    if t.record.kind != "killing":
        return False
    if a.role is not None and a.role.code == "CVL":
        return True
    nxt = sent.tokens[t.last + 1].text if t.last + 1 < len(sent.tokens) else ""
    # (or by a time: "خمسة من مقاتلي الحشد قتلوا ليل الأربعاء في القرية")
    return nxt in _CIRCUMSTANCE or nxt in (".", "،", ",") \
        or any(d.first == t.last + 1 for d in sent.dates)


def _circumstance(sent: Sentence, t: Match) -> bool:
    """The act is named in a phrase of place, cause or time: "في انفجار", "جراء قصف", "بغارة"."""
    if t.prefix.endswith("ب") and t.record.kind != "killing" and not _carried_out(sent, t):
        return True
    prev = sent.tokens[t.first - 1].text if t.first else ""
    return prev in _CIRCUMSTANCE


_CARRY_OUT = frozenset({"قام", "قامت", "قاموا", "يقوم", "تقوم", "يقومون", "تقومان", "يقومان"})


def _carried_out(sent: Sentence, t: Match) -> bool:
    """"وقامت الشرطة التركية بإغلاق شارع طهران": قام and its subject, then ب and the act: the
    subject did it (قام ب is "carried out"), not a phrase of circumstance."""
    return any(sent.tokens[k].text.lstrip("وف") in _CARRY_OUT
               for k in range(max(0, t.first - 5), t.first))


def _suffered(sent: Sentence, a: ActorMention, t: Match) -> bool:
    """Between the actor and the act, a death or injury word: the actor is its victim."""
    return any(x.record.kind == "killing" and x.record.role == "outcome" and a.last < x.first < t.first
               for x in sent.triggers) or any(sent.cue_at(k, "injury")
                                              for k in range(a.last + 1, t.first))


def patient_slot_free(kind: str) -> bool:
    return kind not in ("armed_clash", "protest", "riot", "agreement")


def _victims(sent: Sentence, t: Match, actors: list[ActorMention],
             agent: ActorMention | None) -> ActorMention | None:
    """Who died: "مقتل خمسة مدنيين", "قتل سبعة فلسطينيين", "مقتل عنصرين من هيئة تحرير الشام"."""
    for a in actors:
        if a is agent:
            continue
        if 0 < a.first - t.last <= 4 or (0 < t.first - a.last <= 2 and a.how in ("role", "nisba")):
            return a
    return None


def _after_marker(sent: Sentence, t: Match, actors: list[ActorMention], markers: frozenset[str]
                  ) -> ActorMention | None:
    toks = sent.tokens
    for j in range(t.last + 1, min(t.last + 8, len(toks))):
        if _core(toks[j].text) in markers or toks[j].text in markers:
            for a in actors:
                if j < a.first <= j + 5:
                    return a
            return None
    return None


def _separated(sent: Sentence, a: int, b: int) -> bool:
    return any(sent.tokens[k].text in (".", ";", ":") for k in range(a + 1, b))


def finite_verb(tok: str) -> bool:
    """A rough test that a trigger word is a finite verb (قتلت، قتلوا، يقتل، اغتالوا)."""
    core = tok[1:] if tok[:1] in "وف" else tok
    return core.endswith(("ت", "وا", "ا")) or core[:1] in "يت" and len(core) >= 4


def _core(tok: str) -> str:
    for p in ("وب", "ب", "و", "ل"):
        if tok.startswith(p) and len(tok) - len(p) >= 2:
            return tok[len(p):]
    return tok


def _adjacent(sent: Sentence, last: int, first: int) -> bool:
    """Only quotes between two mentions: "“هيئة تحرير الشام” والفصائل"."""
    return first > last and all(sent.tokens[k].text in ('"', "'") for k in range(last + 1, first))


def _chain_head(sent: Sentence, a: ActorMention, actors: list[ActorMention]) -> ActorMention:
    """The first actor of a coordination the mention ends ("هيئة تحرير الشام والفصائل")."""
    head = a
    while sent.tokens[head.first].text.startswith("و"):
        prev = next((b for b in actors if _adjacent(sent, b.last, head.first)), None)
        if prev is None:
            break
        head = prev
    return head



def _owner(sent: Sentence, a: ActorMention, actors: list[ActorMention]) -> ActorMention:
    """"طائرات من طراز أباتشي تابعة للتحالف": a bare role word (no country) whose owner is
    named right after it acts as that owner."""
    if a.how != "role" or a.country is not None:
        return a
    for b in actors:
        if b.record is not None and a.last < b.first <= a.last + 4 and any(
                sent.tokens[k].text.startswith(_OWNED) for k in range(a.last + 1, b.first + 1)) \
                and not any(not sent.tokens[k].text[:1].isalnum() for k in range(a.last + 1, b.first)):
            return b
    return a


def _coordinated(sent: Sentence, first: ActorMention, actors: list[ActorMention]
                 ) -> list[ActorMention]:
    out, last = [], first.last
    for a in actors:
        if _adjacent(sent, last, a.first) and sent.tokens[a.first].text.startswith("و"):
            out.append(a)
            last = a.last
    return out


def _hedged_near(sent: Sentence, i: int) -> bool:
    return any(m.category == "hedge" and (0 < m.first - i <= 2 or 0 < i - m.last <= 3)
               for m in sent.cues)


def _has_suffix(tok: str) -> bool:
    return tok.endswith(_SUFFIXES) and len(tok) > 5


def _has_pronoun(sent: Sentence, t: Match) -> bool:
    """"سيطرتها", "انسحابه", "قواته": the trigger carries a possessive pronoun (a ta marbuta,
    "السيطرة", normalised to ه, is none)."""
    tok = sent.tokens[t.last]
    return _has_suffix(tok.text) and not sent.source_text(tok.start, tok.end).endswith("ة")


def _we_did(sent: Sentence, t: Match) -> bool:
    """"أحكمنا السيطرة على حلب", "شننا غارات": the verb before the act says "we"; the speaker
    acted."""
    prev = sent.tokens[t.first - 1].text if t.first else ""
    return len(prev) > 4 and prev.endswith("نا") and finite_verb(prev)


def _pronoun_subject(sent: Sentence, t: Match) -> bool:
    """"مشيرا إلى أنه شارك في اشتباكات": a pronoun subject just before the trigger."""
    for j in range(max(0, t.first - 4), t.first):
        if sent.tokens[j].text in ("انه", "انها", "انهم", "بانه", "بانها", "وانه", "وانها"):
            return True
    return False


def _involvement(sent: Sentence, context: Country | None, lex: Lexicon
                 ) -> tuple[ActorRecord, tuple[int, int], bool] | None:
    """"مرجحا تورط روسي": an actor said to be involved, hedged when a hedge is near."""
    for m in sent.cues:
        if m.category != "involvement":
            continue
        for a in sent.actors:
            if 0 < a.first - m.last <= 2:
                r = actor_record(a, context, "MIL", lex.roles, lex.theatres)
                if r is not None:
                    hedged = any(h.category == "hedge" and 0 <= m.first - h.last <= 3
                                 for h in sent.cues)
                    return r, (a.first, a.last), hedged
    return None


def _fill_fatalities(f: Frame) -> None:
    """Deaths attached to the event's outcome words, as ACLED counts them (conservatively).
    A count over a period ("خلال اليومين الماضيين", "منذ بدء الهجوم") is a toll, not one
    event's deaths."""
    sent = f.sentence
    total, span = 0, None
    found = False
    for t in f.triggers:
        if t.record.kind != "killing" or t.record.role != "outcome":
            continue
        if _over_a_period(sent, t) or _with_the_wounded(sent, t):
            continue
        value = _deaths_at(sent, t)
        if value is not None:
            n, first, last = value
            total += n
            found = True
            span = (min(first, span[0]) if span else first, max(last, span[1]) if span else last)
    if found:
        f.fatalities, f.fatalities_span = total, span


_WOUNDED_NOUNS = frozenset(normalize_key(w) for w in (
    "الجرحى", "جرحى", "جريحا", "جريح", "الجريح", "المصابين", "مصابين", "مصابا", "مصاب"))


def _with_the_wounded(sent: Sentence, t: Match) -> bool:
    """"عشرات القتلى والجرحى", "11 قتيلا وجريحا": one count of the dead and the wounded
    together says nothing of the dead alone."""
    if t.last + 1 >= len(sent.tokens):
        return False
    nxt = sent.tokens[t.last + 1].text
    return nxt.startswith("و") and nxt[1:] in _WOUNDED_NOUNS  # nouns; "وجرح عشرات" is a verb


def _over_a_period(sent: Sentence, t: Match) -> bool:
    """"خلال اليومين الماضيين", "في الحرب", "منذ سنوات": a count over a period (but "منذ ثلاثة
    أيام", three days ago, dates one event)."""
    clause = sent.clause[t.first]
    return any(m.category == "period" and sent.clause[m.first] == clause for m in sent.cues) or any(
        m.category == "background" and m.record.value == "since" and _long_after(sent, m.last)
        and (sent.clause[m.first] == clause or _next_to(sent, m.first, t.first))
        for m in sent.cues) or _counted_days(sent, t)


def _next_to(sent: Sentence, i: int, j: int) -> bool:
    """Tokens i and j stand in neighbouring clauses, close together ("منذ صيف 2014، من بينهم
    120 قتلوا")."""
    return abs(sent.clause[i] - sent.clause[j]) == 1 and abs(i - j) <= 15


_OVER = frozenset(normalize_key(w) for w in ("خلال", "طيلة", "طوال", "مدى", "مدار"))
_UNITS = frozenset(normalize_key(w) for w in (
    "الأيام", "أيام", "يوما", "الساعات", "ساعات", "ساعة", "الأسابيع", "أسابيع", "أسبوعا",
    "الأشهر", "أشهر", "الشهور", "شهور", "شهرا", "الأسبوع", "الشهر", "العام", "السنة"))
_PAST_ADJ = frozenset(normalize_key(w) for w in (
    "الماضية", "الأخيرة", "المنصرمة", "الفائتة", "الماضي", "الأخير", "المنصرم", "الفائت"))


def _counted_days(sent: Sentence, t: Match) -> bool:
    """"خلال الستة الأيام الماضية", "على مدى 3 أيام", "خلال خمسة أيام": a count over
    several days, whatever number stands between the words (in the count's clause, or in one
    next to it: "مقتل 500 عنصر، خلال الأيام الستة الماضية")."""
    clause = sent.clause[t.first]
    toks = sent.tokens
    for i in range(max(0, t.first - 15), min(len(toks), t.last + 16)):
        if normalize_key(toks[i].text) not in _OVER or not (
                sent.clause[i] == clause or _next_to(sent, i, t.first)):
            continue
        window = [normalize_key(x.text) for x in toks[i + 1:i + 5]]
        counted = any(x.isdigit() for x in window) or any(
            i < n.first <= i + 4 for n in sent.numbers)  # "خلال خمسة أيام": a number word too
        if any(u in _UNITS for u in window) and (any(a in _PAST_ADJ for a in window) or counted):
            return True
    return False


def _long_after(sent: Sentence, i: int) -> bool:
    for k in range(i + 1, min(i + 4, len(sent.tokens))):
        cue = sent.cue_at(k, "background")
        word = sent.tokens[k].text.rstrip("م")
        if cue is not None and cue.record.value == "long_period" or (
                len(word) == 4 and word.isdigit()):
            return True
    return False


def _deaths_at(sent: Sentence, t: Match) -> tuple[int, int, int] | None:
    toks = sent.tokens
    # "مقتل وإصابة 50": killed and wounded together, no separate count after the death word
    # (but "16 شخصا لقوا مصرعهم وجرح عشرات" counts its dead before it)
    nxt = t.last + 1
    joint = nxt < len(toks) and sent.cue_at(nxt, "injury") is not None
    for n in sent.numbers:
        if joint and n.first > t.last:
            continue
        if sent.cue_at(n.last + 1, "injury") or sent.cue_at(n.last + 2, "injury") \
                and sent.tokens[n.last + 1].text in ("من", "اخرين", "آخرين"):
            continue  # "وعشرات الجرحى", "20 مصابا": a count of the wounded
        if sent.cue_at(n.last + 1, "age"):
            continue  # "(21 عاما)": an age
        if any(d.first <= n.first <= d.last for d in sent.dates):
            continue  # "بعد ثلاثة أيام من": a count of days
        if n.value >= MAX_EVENT_DEATHS:
            continue  # thousands dead is a war's or a campaign's toll, not one event's
        if n.first > 0 and toks[n.first - 1].text == "ال":
            continue  # "الضحايا الـ298": the number the reader knows, not a new count
        if n.first > 0 and normalize_key(toks[n.first - 1].text).removeprefix("و") in _NUMBERED:
            continue  # "قائد اللواء 405 مشاة", "الطريق رقم 5": a unit's or a road's number
        if 0 < n.first - t.last <= 2 + _fillers(sent, t.last + 1, n.first) \
                and not _injury_between(sent, t.last, n.first):
            return n.value, t.first, n.last
        if 0 < t.first - n.last <= 2 + _fillers(sent, n.last + 1, t.first) \
                + _partitive(sent, n.last + 1, t.first) and not _injury_between(sent, n.last, t.first):
            return n.value, n.first, t.last
    # "لقي مصرعه": his death, one; "مصرعهما": two; "أسفر عن قتيلين": two dead, "قتيل": one
    own = _OWN_COUNTS.get(_core(toks[t.last].text))
    if own is not None:
        return own, t.first, t.last
    # "مقتل شخصين": a dual noun is two; "مقتل جندي": a singular noun is one; so is a
    # singular victim just before a death verb ("شخصا قتل", "جنديا لقي حتفه")
    first, prev = _victim_before(sent, t.first)
    if prev in _SINGULAR_VICTIMS or prev.endswith("ا") and prev[:-1] in _SINGULAR_VICTIMS:
        return 1, first, t.last
    if prev.endswith(("ين", "ان")) and _dual(prev):
        return 2, first, t.last  # "جنديين تركيين قتلا": two
    if joint:
        return None
    if nxt < len(toks):
        victim = sent.cue_at(nxt, "victims")
        if victim is not None:
            word = toks[nxt].text
            if word.endswith(("ين", "ان")) and _dual(word):
                return 2, t.first, nxt
            if word in _SINGULAR_VICTIMS:
                if _and_others(sent, nxt + 1):
                    return None  # "مقتل قيادي بارز ومعه آخرون": one and others, uncounted
                # "قتلت امرأة وطفلها": two singular victims joined by و
                other = toks[nxt + 1].text if nxt + 1 < len(toks) else ""
                core = other[1:] if other.startswith("و") else ""
                for suffix in ("ها", "ه"):
                    core = core[:-len(suffix)] if core.endswith(suffix) else core
                return (2, t.first, nxt + 1) if core in _SINGULAR_VICTIMS else (1, t.first, nxt)
    return None


# the death words that count their dead themselves: a pronoun suffix ("لقي مصرعه": he died)
# or a dual / singular noun of the dead ("أسفر عن قتيلين"), proclitics peeled
_OWN_COUNTS = {**{w + s: 1 for w in ("مصرع", "حتف") for s in ("ه", "ها")},
               **{w + "هما": 2 for w in ("مصرع", "حتف")},
               "قتيلين": 2, "قتيلان": 2, "قتيل": 1, "قتيلا": 1}


def _partitive(sent: Sentence, a: int, b: int) -> int:
    """"ستة أشخاص من حلفاء النظام قتلوا": a victim noun and a phrase of من naming whose they
    were, up to five words, may stand between a count and its death verb."""
    toks = sent.tokens
    if 2 <= b - a <= 6 and toks[a].text == "من" and all(
            toks[k].is_word and not sent.in_trigger(k) for k in range(a, b)):
        return b - a  # "8 من عناصر الحرس الوطني قتلوا": the count, then whose they were
    if b - a < 3 or b - a > 8 or toks[a + 1].text != "من" \
            or not (sent.cue_at(a, "victims") or sent.cue_at(a, "crowd")):
        return 0
    if any(not toks[k].is_word or any(m.first == k for m in sent.triggers) for k in range(a, b)):
        return 0
    return b - a - 1


# The most deaths one event may be given from its own sentence: larger figures are tolls of a
# war, a campaign or a period ("قتل أكثر من 500 ألف في الحرب"), never one attack's outcome.
MAX_EVENT_DEATHS = 1000

_SINGULAR_VICTIMS = frozenset(normalize_key(w) for w in (
    "شخص", "مدني", "جندي", "عنصر", "مقاتل", "مسلح", "طفل", "امرأة", "شرطي", "رجل", "مواطن",
    "ضابط", "فلسطيني", "إسرائيلي", "فرد", "صحفي", "متظاهر", "قيادي", "قائد", "زعيم", "صحافي",
    "ناشط"))
_OTHERS = frozenset(normalize_key(w) for w in ("آخرون", "آخرين", "اخرون", "اخرين", "رفاقه",
                                                 "مرافقيه", "مرافقوه", "عدة", "عدد"))
_NUMBERED = frozenset(normalize_key(w) for w in (
    "اللواء", "لواء", "للواء", "الفرقة", "فرقة", "للفرقة", "الكتيبة", "كتيبة", "الفوج", "فوج",
    "رقم", "الرقم", "برقم", "القطاع", "المحور", "الطريق", "طريق", "الحافلة", "الرحلة", "المادة"))


def _and_others(sent: Sentence, k: int) -> bool:
    """"... ومعه آخرون", "مع عدد من مرافقيه": others named with the one, before the clause
    ends or the wounded are counted ("قتل شخص وأصيب 4 آخرون": the others are the wounded)."""
    toks = sent.tokens
    for j in range(k, min(k + 8, len(toks))):
        if toks[j].text in (",", "،", ".", "؛") or sent.cue_at(j, "injury"):
            return False
        if normalize_key(toks[j].text).removeprefix("و") in _OTHERS:
            return True
    return False


_PLURAL_ENDINGS_NOT_DUAL = frozenset(normalize_key(w) for w in (
    "مدنيين", "مسلحين", "مقاتلين", "مواطنين", "فلسطينيين", "إسرائيليين", "متشددين", "عسكريين",
    "صحفيين", "متظاهرين"))


def _victim_before(sent: Sentence, i: int) -> tuple[int, str]:
    """The noun just before token ``i``, past one adjective of nationality ("حارس أمن إسرائيليا
    توفي", "جنديين تركيين قتلا"): its index and text."""
    k = i - 1
    if k >= 1 and any(m.category == "nisba" and m.first <= k <= m.last for m in sent.entities):
        k -= 1
    return (k, sent.tokens[k].text) if k >= 0 else (i, "")


def _fillers(sent: Sentence, a: int, b: int) -> int:
    """Words that may stand between a death word and its count without breaking the link:
    quotes, a victim noun, "قد", a day and its commas ("16 شخصا قد لقوا مصرعهم", "قتلت
    "إرهابيين اثنين"", "قتل، الأحد، 3 من المحتجين")."""
    dated = {k for d in sent.dates for k in range(d.first, d.last + 1)}
    return sum(1 for k in range(a, b) if sent.tokens[k].text in ('"', "'", "قد")
               or sent.cue_at(k, "victims") or k in dated  # "قتل، الأحد، 3 من المحتجين"
               or sent.tokens[k].text == "," and (k - 1 in dated or k + 1 in dated)
               ) + _subject_after_verb(sent, a, b)


def _subject_after_verb(sent: Sentence, a: int, b: int) -> int:
    """"قتلت قوات الأمن 3 مسلحين": the armed subject right after a death verb (verb, subject,
    object) stands between the verb and its count; its words do not break the link."""
    subject = next((x for x in sent.actors if x.first == a and x.armed and x.last < b), None)
    if subject is None or any(sent.tokens[k].text not in ('"', "'") for k in range(subject.last + 1, b)):
        return 0  # "قتلت قوات الأمن وأصابت 12": the count is another verb's
    return subject.last - subject.first + 1


def _dual(word: str) -> bool:
    return word not in _PLURAL_ENDINGS_NOT_DUAL and word[:-2] in _SINGULAR_VICTIMS | {"شخص"}


def _injury_between(sent: Sentence, a: int, b: int) -> bool:
    return any(sent.cue_at(k, "injury") for k in range(a + 1, b))


_AFTER = frozenset({"بعدما", "وبعدما"})


def after_an_earlier_act(sent: Sentence, t: int, d: int) -> bool:
    """"استعادت القوات السيطرة على المدينة بعد أن سيطر عليها المسلحون الأسبوع الماضي": a day
    in a بعد أن clause after the act dates the earlier act that clause tells, not this one."""
    toks = sent.tokens
    return any((toks[k].text in _AFTER or toks[k].text in ("بعد", "وبعد") and k + 1 < d
                and toks[k + 1].text == "ان") and any(k < m.first < d for m in sent.triggers)
               for k in range(t + 1, d))


def _counted_from_afar(sent: Sentence, t: int, d) -> bool:
    """"قبل أسبوع", "غداة": a day counted from today or from another act dates the act it
    stands by, not one told far from it ("تجمعوا أمام الشركة ... حادثة اقتحام منشآت قبل
    أسبوع")."""
    return counted_apart(sent.tokens[d.first].text) and min(abs(d.first - t), abs(d.last - t)) > 8


def _fill_date(f: Frame, attributions: list[Attribution] = ()) -> None:
    """The date nearest the event's words; a date that belongs to a statement ("قال الوزير،
    الأربعاء،", "في بيان، الأحد") dates the saying, not the event, unless it is the only
    date of a sentence whose event has no other."""
    sent = f.sentence
    if not sent.dates:
        return
    said = {k for k, d in enumerate(sent.dates) for a in attributions
            if not a.inherited and a.first - 1 <= d.first <= a.last + 4
            and not counted_apart(sent.tokens[d.first].text)}  # "غداة مقتل": the act's own day
    t = min(x.first for x in f.triggers)
    usable = [k for k in range(len(sent.dates)) if k not in said
              and not after_an_earlier_act(sent, t, sent.dates[k].first)
              and not _counted_from_afar(sent, t, sent.dates[k])]
    if not usable:
        return
    f.date_index = min(usable, key=lambda k: abs(sent.dates[k].first - t))
