"""Who says what: attribution markers, their sources, and their scope in a sentence.

"أكد المرصد" and "المرصد أكد" name the source as the verb's subject; "بحسب المرصد" and "نقلا عن
رويترز" name it after a preposition; "مشيرا" and "مضيفا" keep the subject of the verb before
them, and a verb with no subject of its own ("وأضافت أن") keeps the article's last source. A
headline of the form "هيئة تحرير الشام : ..." is the named actor speaking.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..lexicon import ActorRecord, Country, Lexicon, Match
from .mentions import ActorMention, Sentence, actor_record

# Words that may stand between a verb and its subject: adverbs, time words, punctuation.
_SKIP_TEXT = frozenset({",", '"', "'", "(", ")", "-", ":", "قد", "كما", "ايضا", "فيما", "وقد"})


@dataclass
class Attribution:
    """A source's stance, where it is said, and whom it names."""

    stance: str
    form: str
    first: int  # token range of marker and named source
    last: int
    marker: int  # token index of the marker
    source: str
    source_code: str | None = None
    source_record: ActorRecord | None = None
    via: str | None = None
    inherited: bool = False
    source_span: tuple[int, int] | None = None  # tokens of the named source, if named here
    backward: bool = False  # "وهو ما نفاه الجيش": speaks of what was said before it


def find_attributions(sent: Sentence, previous: Attribution | None, context: Country | None,
                      lex: Lexicon) -> list[Attribution]:
    """The attributions of one sentence, in order."""
    out: list[Attribution] = []
    headline = _headline(sent, context, lex)
    if headline:
        out.append(headline)
    for m in sent.structure:
        if m.category != "attribution":
            continue
        stance, form = m.record.stance, m.record.form
        last_here = out[-1] if out else previous
        if form == "participle":
            if last_here is None:
                continue
            out.append(_inherit(last_here, stance, form, m))
            continue
        src = _source_after(sent, m) if form == "prep" else (
            _source_after(sent, m) or _source_before(sent, m))
        if src is not None and stance == "denies" and src.first > m.last \
                and _said(sent, src.first):
            # "المتحدث باسم طالبان نفى تقارير ...": the reports are what is denied
            src = _source_before(sent, m)
        if src is None:
            literal = _literal_source(sent, m, context, lex)
            if literal is not None:
                out.append(literal)
            elif last_here is not None:
                out.append(_inherit(last_here, stance, form, m))
            continue
        made = _make(sent, m, src, stance, form, context, lex)
        made.backward = _relative_before(sent, m.first)
        # "وفق ما أعلنت وزارة الصحة": one attribution, with the verb's stance
        if out and out[-1].form == "prep" and out[-1].source == made.source \
                and made.marker - out[-1].marker <= 3:
            made.first, made.form = out[-1].first, "prep"
            out[-1] = made
            continue
        out.append(made)
    return out


_FUNCTION_WORDS = frozenset({"ان", "انه", "انها", "في", "من", "الى", "الي", "على", "علي", "عن", "ما",
                             "لا", "لم", "حتي", "لدي", "لدى", "متي",
                             "قد", "كما", "بان", "الذي", "التي", "مع", "بعد", "قبل", "خلال",
                             # demonstratives, pronouns and quantifiers name no source
                             "ذلك", "هذا", "هذه", "تلك", "هولاء", "هو", "هي", "هم", "اكثر", "اقل",
                             "كل", "بعض", "جميع", "عدد", "ايضا", "حتى", "الان", "اليوم", "امس",
                             # "على حد قوله/تعبيرها": the speaker named before
                             "حد", "قوله", "قولها", "قولهم", "تعبيره", "تعبيرها", "تعبيرهم", "بل"})


def _literal_source(sent: Sentence, m: Match, context: Country | None = None,
                    lex: Lexicon | None = None) -> Attribution | None:
    """A source the lexicon does not know ("بحسب نادي الأسرى"): named by its own words; one
    who speaks for an actor ("المتحدث باسم الجيش") or its office ("القيادة العامة للجيش
    السوري") speaks as that actor."""
    toks = sent.tokens
    j = m.last + 1
    if j < len(toks) and toks[j].text == "ما":
        return None  # "بحسب ما أفاد ...": the verb that follows names the source
    words = []
    while j < len(toks) and len(words) < 4:
        tok = toks[j].text
        if not toks[j].is_word or tok in _FUNCTION_WORDS or sent.cue_at(j, "complementizer") \
                or sent.in_trigger(j) or _is_attribution(sent, j) or sent.cue_at(j, "skip"):
            break
        words.append(j)
        j += 1
    if not words or (m.record.form != "prep" and len(words) < 2):
        return None
    head = toks[words[0]].text
    if m.record.form != "prep" and not (head.startswith(("ال", "وال")) or sent.cue_at(
            words[0], "speaker_noun")):
        return None  # after a verb, a source is a definite name or "مصادر/مسؤول/شهود ..."
    first, last = words[0], words[-1]
    s, e = sent.tokens[first].start, sent.tokens[last].end
    rec = None
    if lex is not None:
        side = next((sent.actor_at(k + 1) for k in words if toks[k].text in _ON_BEHALF), None)
        if side is None and sent.cue_at(first, "office"):
            # "القيادة العامة للجيش السوري": the command of a side speaks as that side
            side = next((a for a in sent.actors if first < a.first <= last + 2
                         and (a.armed or a.role is not None and a.role.code == "GOV")), None)
        rec = actor_record(side, context, "GOV", lex.roles, lex.theatres) if side else None
    # the side it speaks for is the speaker, not an agent of what it tells ("قال المتحدث باسم
    # الشرطة إن الثلاثة خطفوا": not kidnapped by the police)
    span = (side.first, side.last) if rec is not None and side is not None else None
    return Attribution(m.record.stance, m.record.form, min(m.first, first), last, m.first,
                       source=_original(sent, s, e), source_code=rec.code if rec else None,
                       source_record=rec, source_span=span)


_ON_BEHALF = frozenset({"باسم"})  # "المتحدث باسم الجيش": speaks for the army


def _original(sent: Sentence, start: int, end: int) -> str:
    return sent.source_text(start, end)


_RELATIVES = frozenset({"ما", "الذي", "التي", "وهو", "وهي", "الامر"})


def _relative_before(sent: Sentence, i: int) -> bool:
    """"وهو ما نفاه", "الأمر الذي نفته": the verb's object is the statement before it."""
    return i > 0 and sent.tokens[i - 1].text in _RELATIVES


def _headline(sent: Sentence, context: Country | None, lex: Lexicon) -> Attribution | None:
    toks = sent.tokens
    if not sent.actors or sent.actors[0].first != 0:
        return None
    a = sent.actors[0]
    if a.last + 1 < len(toks) and toks[a.last + 1].text == ":":
        rec = actor_record(a, context, "GOV", lex.roles, lex.theatres)
        if rec is None:
            return None
        return Attribution("reports", "headline", 0, a.last + 1, a.last + 1, rec.name, rec.code, rec)
    return None


def _inherit(prev: Attribution, stance: str, form: str, m: Match) -> Attribution:
    return Attribution(stance, form, m.first, m.last, m.first, prev.source, prev.source_code,
                       prev.source_record, prev.via, inherited=True)


def _skippable(sent: Sentence, j: int) -> bool:
    tok = sent.tokens[j].text
    if tok in _SKIP_TEXT:
        return True
    if sent.cue_at(j, "skip") or any(d.first <= j <= d.last for d in sent.dates):
        return True
    return False


def _source_after(sent: Sentence, m: Match) -> ActorMention | None:
    """The subject after a verb (VSO) or the source after a preposition."""
    j, reach = m.last + 1, 0
    while j < len(sent.tokens) and reach < 6:
        a = sent.actor_at(j)
        if a is not None:
            return a
        tok = sent.tokens[j].text
        if sent.cue_at(j, "complementizer") or sent.in_trigger(j):
            return None
        quantity = any(n.first <= j <= n.last for n in sent.numbers) or tok.isdigit()
        if not (_skippable(sent, j) or tok == "ما" or quantity or _is_attribution(sent, j)):
            return None
        j += 1
        reach += 1
    return None


def _source_before(sent: Sentence, m: Match) -> ActorMention | None:
    """The subject before a verb (SVO): "المرصد أكد", "قسد، من جهتها، أعلنت"."""
    j = m.first - 1
    while j >= 0 and m.first - j <= 4:
        a = sent.actor_ending(j)
        if a is not None:
            return a
        if not _skippable(sent, j):
            return None
        j -= 1
    return None


def _said(sent: Sentence, j: int) -> bool:
    """A document noun ("تقارير", "البيان"): what is said, which may also be said to speak."""
    cue = sent.cue_at(j, "speaker_noun")
    return cue is not None and cue.record.value == "said"


def _is_attribution(sent: Sentence, j: int) -> bool:
    return any(m.category == "attribution" and m.first <= j <= m.last for m in sent.structure)


def _make(sent: Sentence, m: Match, src: ActorMention, stance: str, form: str,
          context: Country | None, lex: Lexicon) -> Attribution:
    rec = actor_record(src, context, "GOV", lex.roles, lex.theatres)
    name = rec.name if rec else "Unknown"
    code = rec.code if rec else None
    last = max(m.last, src.last)
    # "مصدر أمني عراقي": a nisba after a generic source gives its country
    nisba = next((e for e in sent.entities if e.category in ("nisba", "country")
                  and e.first == src.last + 1), None)  # (an adjective: "سورية" is both)
    if src.how == "source" and nisba is not None:
        name = f"{name} ({nisba.record.name})"
        code = nisba.record.iso3 + (code or "---")[3:]
        last = max(last, nisba.last)
    # "مصدران من الفصائل": sources of a named side speak for that side
    after_src = src.last + 1
    if src.how == "source" and after_src < len(sent.tokens) and sent.tokens[after_src].text == "من":
        side = sent.actor_at(after_src + 1)
        side_rec = actor_record(side, context, "GOV", lex.roles, lex.theatres) \
            if side is not None else None
        if side_rec is not None:
            name, code, rec = f"{side_rec.name} sources", side_rec.code, side_rec
            last = max(last, side.last)
    via = _via(sent, src, context, lex)
    # "نقلت رويترز عن شهود": the witnesses speak, through Reuters
    after = src.last + 1
    if after < len(sent.tokens) and sent.tokens[after].text == "عن":
        origin = sent.actor_at(after + 1)
        if origin is not None:
            orec = actor_record(origin, context, "GOV", lex.roles, lex.theatres)
            if orec is not None:
                via, name, code, rec = name, orec.name, orec.code, orec
                last = max(last, origin.last)
    return Attribution(stance, form, min(m.first, src.first), last, m.first, name, code, rec, via,
                       source_span=(src.first, src.last))


def _via(sent: Sentence, src: ActorMention, context: Country | None, lex: Lexicon) -> str | None:
    """"قال ثلاثة سكان لرويترز": the outlet a source spoke to."""
    j = src.last + 1
    if j < len(sent.tokens) and sent.tokens[j].text.startswith("ل"):
        a = sent.actor_at(j)
        if a is not None and a.record is not None and a.record.type == "media":
            return a.record.name
    return None


def scope(attributions: list[Attribution], trigger_first: int) -> list[Attribution]:
    """The attributions that cover a trigger: the nearest before it, else the first after it,
    plus a trailing "بحسب X" after it."""
    before = [a for a in attributions if a.marker < trigger_first]
    after = [a for a in attributions if a.marker > trigger_first and not a.backward]
    # "وهو ما نفاه الجيش" speaks of the statement right before it, not of earlier ones
    chosen: list[Attribution] = [
        a for a in attributions if a.backward and a.marker > trigger_first
        and not any(trigger_first < b.marker < a.marker and not b.backward for b in attributions)][:1]
    if before:
        chosen.insert(0, before[-1])
        chosen += [a for a in after if a.form == "prep" and not a.inherited][:1]
    elif after:
        chosen.insert(0, after[0])
        if after[0].form != "prep":
            chosen += [a for a in after[1:] if a.form == "prep"][:1]
    return chosen
