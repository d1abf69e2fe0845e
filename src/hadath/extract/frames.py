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
from ..models import FAMILY
from ..text import Number, normalize_key
from .attribution import Attribution, scope
from .mentions import NOT_AGENTS, ActorMention, Sentence, actor_record

# Which kind names a group of violent words: the most specific wins.
PRIORITY = ["air_strike", "explosion", "shelling", "armed_clash", "abduction", "attack", "killing"]
PATIENT_KINDS = frozenset({"killing", "abduction", "arrest"})
MOVEMENT_KINDS = frozenset({"withdrawal", "displacement"})
_AGENT_MARKERS = frozenset({"يد", "ايدي", "قبل", "برصاص", "بنيران", "شنه", "شنها", "نفذه",
                            "نفذها", "تبناه", "تبنته"})
_TARGET_MARKERS = frozenset({"على", "ضد", "علي"})
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
           lex: Lexicon) -> tuple[list[Frame], list[tuple[Number, list[Match]]]]:
    """Event frames and toll statements (number, toll triggers) of one sentence."""
    if _describes_actor(sent):
        return [], []
    tolls, toll_tokens = _tolls(sent)
    live = [t for t in sent.triggers if t.record.role != "toll"
            and not any(i in toll_tokens for i in range(t.first, t.last + 1))
            and not _irrealis(sent, t) and _supported(sent, t) and not _protest_as_target(sent, t)]
    groups = _group(sent, live)
    out: list[Frame] = []
    for kind, trigs, places in groups:
        if kind in ("shelling", "attack", "explosion") and _aerial(sent, trigs):
            kind = "air_strike"  # "قصفت طائرات", "استهدفت طائرة مسيرة": from the air
        base = Frame(kind, trigs, sent, subtype=_subtype(trigs))
        base.negated = any(_negated(sent, t) for t in trigs if t.record.role == "event") or (
            all(_negated(sent, t) for t in trigs))
        # As ACLED does, an army or civilians with no nationality belong to the event's country.
        where = next((p.chosen.country for p in places if p.chosen is not None), None)
        _fill_actors(base, attributions, lex.country(where) or context, lex)
        _fill_fatalities(base)
        _fill_date(base)
        main = min(t.first for t in trigs)
        base.claims = scope(attributions, main)
        for pm in places or [None]:
            f = Frame(**{**base.__dict__})
            f.place = pm
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
    for m in sent.cues:
        if m.category != "irrealis" or m.last >= t.first:
            continue
        gap = t.first - m.last
        v = m.record.value
        if v in ("any", "modal") and gap <= 2:
            return True
        if v == "future" and gap <= 3:
            return True
        if v in ("condition", "purpose") and sent.clause[m.last] == clause and gap <= 6:
            return True
        if v in ("threat", "warning", "intent", "demand", "prevent", "charge") and gap <= 5:
            return True
    tok = sent.tokens[t.first].text
    # Purpose lam on a verbal noun: "لإطلاق عملية للسيطرة عليها" — unless the thing was suffered
    # ("تعرض لهجوم") or caused ("نتيجة للقصف").
    if t.prefix.endswith("ل") and t.record.kind in ("territory_control", "withdrawal", "attack") \
            and t.record.role == "event":
        prev = sent.tokens[t.first - 1].text if t.first else ""
        if not sent.cue_at(t.first - 1, "experiencer") and prev not in ("نتيجه", "جراء", "اثر"):
            return True
    return tok.startswith("ست") and tok[2:3] in "سق"  # "ستسيطر", "ستقصف": future


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
    if t.record.strength == "strong":
        return True
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
        return _has_kind(sent, "protest", "strong") or len(weak) >= 2 or crowd or any(
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
        victim = sent.cue_at(t.last + 1, "victims") or (t.first and sent.cue_at(t.first - 1, "victims"))
        return any(n.first > t.last and n.first - t.last <= 4 for n in sent.numbers) or any(
            n.last < t.first and t.first - n.last <= 2 for n in sent.numbers) or bool(victim) \
            or any(a.first > t.last and a.first - t.last <= 2 and a.role is not None for a in in_clause)
    if t.first and sent.cue_at(t.first - 1, "experiencer"):
        return True  # "تعرضت لهجوم": something was done to someone
    armed = any(a.armed for a in sent.actors) or any(
        a.how in ("nisba", "country") and (0 < a.first - t.last <= 2 or 0 < t.first - a.last <= 2)
        for a in sent.actors)  # "صاروخ إسرائيلي", "غارة روسية"
    place = any(sent.clause[p.first] == clause for p in sent.places)
    deaths = any(m.record.kind == "killing" and m.record.role == "outcome" and m is not t
                 for m in sent.triggers)
    return armed or (place and (deaths or _has_family(sent, "violent", exclude=t)))


def _aerial(sent: Sentence, trigs: list[Match]) -> bool:
    clauses = {sent.clause[t.first] for t in trigs}
    return any(m.category == "aerial" and sent.clause[m.first] in clauses
               and any(abs(m.first - t.first) <= 4 for t in trigs) for m in sent.cues)


def _has_kind(sent: Sentence, kind: str, strength: str) -> bool:
    return any(t.record.kind == kind and t.record.strength == strength for t in sent.triggers)


def _has_family(sent: Sentence, family: str, exclude: Match) -> bool:
    return any(FAMILY.get(t.record.kind) == family and t is not exclude
               and t.record.strength == "strong" for t in sent.triggers)


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
        # Violence by or against demonstrators is part of the demonstration (ACLED: riot,
        # excessive force); bombs, shells and air strikes on a crowd stay their own events.
        for fam in ("violent", "road"):
            items = by_family.pop(fam, [])
            keep = [(t, p) for t, p in items if t.record.kind in _NOT_ABSORBED]
            by_family["protest"] += [(t, p) for t, p in items if t.record.kind not in _NOT_ABSORBED]
            if keep:
                by_family[fam] = keep
    out = []
    for fam, items in by_family.items():
        groups: list[tuple[list[Match], list[PlaceMention]]] = []
        for t, places in items:
            for g in groups:
                if not places or not g[1] or _same_places(places, g[1]):
                    g[0].append(t)
                    if not g[1]:
                        g[1].extend(places)
                    break
            else:
                groups.append(([t], list(places)))
        # An outcome-only group (deaths with no violent act) joins the sentence's other group.
        events = [g for g in groups if any(t.record.role == "event" for t in g[0])]
        for g in groups:
            if g not in events and events and fam == "violent":
                events[0][0].extend(g[0])
            elif g not in events:
                events.append(g)
        for trigs, places in events:
            out.append((_kind(fam, trigs), sorted(trigs, key=lambda m: m.first), places))
    return out


_NOT_ABSORBED = frozenset({"explosion", "air_strike", "shelling"})


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


def _places_for(sent: Sentence, t: Match) -> list[PlaceMention]:
    """Places of a trigger: those of its clause (else of the sentence), minus containers, and
    minus destinations for movements (الانسحاب من حماة إلى حمص: Hama)."""
    kind = t.record.kind
    containers = {id(q.container) for q in sent.places if q.container is not None}
    usable = [p for p in sent.places if p.place is not None and id(p) not in containers]
    if any(p.place.precision is not None for p in usable):
        usable = [p for p in usable if p.place.precision is not None] or usable
    if kind in MOVEMENT_KINDS:
        origin = [p for p in usable if p.role == "from"]
        usable = origin or [p for p in usable if p.role != "to"]
    if kind == "road_closure":
        roads = [p for p in usable if p.place and p.place.feature == "road"]
        if roads:  # the road right after "إغلاق", else the nearest one before it
            after = [p for p in roads if p.first > t.last]
            return [min(after, key=lambda p: p.first)] if after else [roads[-1]]
    clause = sent.clause[t.first]
    near = [p for p in usable if sent.clause[p.first] == clause]
    if not near:
        near = [p for p in usable if abs(p.first - t.first) <= 12]
    if not near:
        return []
    after = [p for p in near if p.first > t.last]
    chosen = after or near
    # one event per place of a coordinated list; otherwise the first place
    head = chosen[0]
    group = [head]
    for p in chosen[1:]:
        if p.coordinated and p.first - group[-1].last <= 2:
            group.append(p)
        else:
            break
    return group


# --- slots ---------------------------------------------------------------------------------------

def _fill_actors(f: Frame, attributions: list[Attribution], context: Country | None,
                 lex: Lexicon) -> None:
    """actor1 (who acted), its associates, actor2 (the target or victims); speakers of the
    sentence are not agents by position, but stand for "its forces" and "its control"."""
    sent = f.sentence
    main = min((t for t in f.triggers if t.record.role == "event"), key=lambda t: t.first,
               default=f.triggers[0])
    speakers = {c.source_span for c in attributions if c.source_span}
    # a role word inside any of the event's words ("طائرة مسيرة") is its weapon, not an agent,
    # unless it says whose ("طائرات إسرائيلية")
    inside = {i for t in f.triggers for i in range(t.first, t.last + 1)}
    actors = [a for a in sent.actors if a.how != "source" and (a.first, a.last) not in speakers
              and not (a.record is not None and a.record.type in NOT_AGENTS)
              and (a.country is not None or a.role is None or a.role.code != "MIL"
                   or not any(i in inside for i in range(a.first, a.last + 1)))]
    speaker = next((c.source_record for c in scope(attributions, main.first)
                    if c.source_record is not None and c.source_record.type not in NOT_AGENTS),
                   None)
    default_role = "GOV" if f.kind == "agreement" else "MIL"

    def rec(a: ActorMention) -> ActorRecord | None:
        return actor_record(a, context, default_role, lex.roles)

    # the trigger naming the event's kind first, then the others ("جنوده قتلوا ... في غارة")
    ordered = sorted(f.triggers, key=lambda t: (t.record.kind != f.kind, t.first))
    agent = patient = None
    for t in ordered:
        a, p = _agent_patient(sent, t, actors, t.record.kind)
        agent = agent or a
        patient = patient or (p if p is not agent else None)
    for t in f.triggers:
        if patient is None:
            patient = _after_marker(sent, t, actors, _TARGET_MARKERS | _WITH_MARKERS)
        if patient is None and t.record.role == "outcome":
            patient = _victims(sent, t, actors, agent)
    if patient is agent:
        patient = None
    if agent is not None:
        agent = _chain_head(sent, agent, actors)
        f.actor1, f.actor1_span = rec(agent), (agent.first, agent.last)
        if agent.how == "role" and _has_suffix(sent.tokens[agent.last].text) and speaker:
            f.actor1 = speaker  # "طائراته", "قواتنا": the speaker's own forces
        f.actor1_hedged = _hedged_near(sent, agent.last)
        f.assoc = [r for a in _coordinated(sent, agent, actors) if (r := rec(a)) is not None
                   and r != f.actor1]
    elif (_has_pronoun(sent, main) or _pronoun_subject(sent, main)) and speaker is not None:
        f.actor1 = speaker
    elif f.kind in _OWN_ACTIONS and speaker is not None and speaker.type in _PARTIES \
            and _right_after_speaker(sent, main, attributions):
        f.actor1 = speaker  # "أعلنت الشرطة اعتقال 15 شخصا": the police made the arrests
    if patient is not None:
        f.actor2 = (lex.roles["CVL"].actor(patient.country) if patient.how == "nisba"
                    and "CVL" in lex.roles else rec(patient))
        f.actor2_span = (patient.first, patient.last)
    if f.actor1 is None:
        inv = _involvement(sent, context, lex)
        if inv is not None:
            f.actor1, f.actor1_span, f.actor1_hedged = inv


_OWN_ACTIONS = frozenset({"arrest", "territory_control", "withdrawal", "agreement"})
_PARTIES = frozenset({"state_forces", "government", "rebel_group", "militia"})


def _right_after_speaker(sent: Sentence, t: Match, attributions: list[Attribution]) -> bool:
    """The event word is the object of the attribution verb, right after its speaker."""
    return any(a.source_span is not None and 0 < t.first - a.last <= 2 for a in attributions)


def _agent_patient(sent: Sentence, t: Match, actors: list[ActorMention], kind: str
                   ) -> tuple[ActorMention | None, ActorMention | None]:
    toks = sent.tokens
    agent = patient = None
    # "على يد مسلحين", "من قبل الشرطة", "شنه متمردون": an explicit agent anywhere after
    for a in actors:
        if a.first > t.last and a.first >= 1 and _core(toks[a.first - 1].text) in _AGENT_MARKERS:
            agent = a
            break
    after = [a for a in actors if a.first > t.last and a.first - t.last <= 4
             and sent.clause[a.first] == sent.clause[t.first]]
    before = [a for a in actors if a.last < t.first and t.first - a.last <= 6
              and sent.clause[a.last] == sent.clause[t.first]
              and not _separated(sent, a.last, t.first)]
    # targets: after على / ضد (within a few words), partners of a clash after مع / بين
    target = _after_marker(sent, t, actors, _TARGET_MARKERS)
    partner = _after_marker(sent, t, actors, _WITH_MARKERS)
    if kind in PATIENT_KINDS:
        verbal = _verbal(toks[t.first].text)
        if agent is None and before:
            agent = before[-1]
        if agent is None and len(after) >= 2 and after[0].armed and not after[1].armed:
            verbal = True  # "قتل مسلحون ثلاثة مدنيين": the armed one acts on the other
        for a in after:
            if a is agent:
                continue
            if agent is None and verbal and a.armed and a.how in ("named", "role", "country"):
                agent = a
            elif patient is None:
                patient = a
    else:
        if agent is None:
            close_after = [a for a in after if a is not target and a is not partner]
            if close_after and close_after[0].first - t.last <= 2:
                agent = close_after[0]
            elif before:
                agent = before[-1]
            elif close_after:
                agent = close_after[0]
        patient = target or partner
        if patient is agent:
            patient = None
    if patient is None and kind in ("attack", "killing", "air_strike", "shelling", "explosion"):
        victims = [a for a in after if a is not agent and a.role is not None and a.role.code == "CVL"]
        patient = victims[0] if victims else None
    return agent, patient


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


def _verbal(tok: str) -> bool:
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
    """"سيطرتها", "انسحابه", "قواته": the trigger carries a possessive pronoun."""
    return _has_suffix(sent.tokens[t.last].text)


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
                r = actor_record(a, context, "MIL", lex.roles)
                if r is not None:
                    hedged = any(h.category == "hedge" and 0 <= m.first - h.last <= 3
                                 for h in sent.cues)
                    return r, (a.first, a.last), hedged
    return None


def _fill_fatalities(f: Frame) -> None:
    """Deaths attached to the event's outcome words, as ACLED counts them (conservatively)."""
    sent = f.sentence
    total, span = 0, None
    found = False
    for t in f.triggers:
        if t.record.kind != "killing" or t.record.role != "outcome":
            continue
        value = _deaths_at(sent, t)
        if value is not None:
            n, first, last = value
            total += n
            found = True
            span = (min(first, span[0]) if span else first, max(last, span[1]) if span else last)
    if found:
        f.fatalities, f.fatalities_span = total, span


def _deaths_at(sent: Sentence, t: Match) -> tuple[int, int, int] | None:
    toks = sent.tokens
    # "مقتل وإصابة 50": killed and wounded together, no separate count
    nxt = t.last + 1
    if nxt < len(toks) and sent.cue_at(nxt, "injury"):
        return None
    for n in sent.numbers:
        if 0 < n.first - t.last <= 2 and not _injury_between(sent, t.last, n.first):
            return n.value, t.first, n.last
        if 0 < t.first - n.last <= 2 and not _injury_between(sent, n.last, t.first):
            return n.value, n.first, t.last
    # "مقتل شخصين": a dual noun is two; "مقتل جندي": a singular noun is one
    if nxt < len(toks):
        victim = sent.cue_at(nxt, "victims")
        if victim is not None:
            word = toks[nxt].text
            if word.endswith(("ين", "ان")) and _dual(word):
                return 2, t.first, nxt
            if word in _SINGULAR_VICTIMS:
                return 1, t.first, nxt
    return None


_SINGULAR_VICTIMS = frozenset(normalize_key(w) for w in (
    "شخص", "مدني", "جندي", "عنصر", "مقاتل", "مسلح", "طفل", "امرأة", "شرطي", "رجل", "مواطن",
    "ضابط", "فلسطيني", "إسرائيلي", "فرد", "صحفي", "متظاهر"))
_PLURAL_ENDINGS_NOT_DUAL = frozenset(normalize_key(w) for w in (
    "مدنيين", "مسلحين", "مقاتلين", "مواطنين", "فلسطينيين", "إسرائيليين", "متشددين", "عسكريين",
    "صحفيين", "متظاهرين"))


def _dual(word: str) -> bool:
    return word not in _PLURAL_ENDINGS_NOT_DUAL and word[:-2] in _SINGULAR_VICTIMS | {"شخص"}


def _injury_between(sent: Sentence, a: int, b: int) -> bool:
    return any(sent.cue_at(k, "injury") for k in range(a + 1, b))


def _fill_date(f: Frame) -> None:
    sent = f.sentence
    if not sent.dates:
        return
    t = f.triggers[0].first
    f.date_index = min(range(len(sent.dates)), key=lambda k: abs(sent.dates[k].first - t))
