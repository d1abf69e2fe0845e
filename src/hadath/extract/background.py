"""News or background: whether an event frame reports what just happened, or recalls history.

An event is background (kept with the article as context, not stored as news) when its own
sentence places it well before the article's date:
- the date nearest its trigger ends more than ``RECENT_DAYS`` before publication
  ("في 8 مايو الماضي", "الشهر الماضي", "العام الماضي");
- an earlier year stands in its clause ("في 2003", "عام 2014م", "(33 قتيلا في 2003)");
- "منذ" opens a long period before it ("منذ 2011", "منذ سنوات", "منذ بداية الحرب");
- a pluperfect governs it ("وكانت القوات قد شنت"), or "سبق أن"/"في السابق"/"سابقا" does, or
  it is what a source said in the pluperfect ("وكانت الحكومة قالت إن ...");
- a decade is named ("في التسعينيات"), a habit ("تنفذ تركيا بانتظام ضربات"), the act is
  dated only as recent ("مؤخرا"، "في الآونة الأخيرة"), or the sentence recalls ("يعيد إلى
  الأذهان معركة حلب");
- an aside that recalls a completed act opens the sentence ("يذكر أن ... قد");
- it is the headline of another story linked from this one ("اقرأ أيضا: ...");
- an adjective right after it says it came earlier ("غارات مماثلة سابقة").

A recent day-level date in the trigger's clause (أمس، الجمعة) keeps it news whatever else the
sentence recalls.
"""

from __future__ import annotations

import datetime as dt

from ..lexicon import Match
from ..text import normalize_key
from .frames import MAX_EVENT_DEATHS, Frame, after_an_earlier_act, finite_verb
from .mentions import Sentence

RECENT_DAYS = 7
_PLUPERFECT_REACH = 8


def is_background(f: Frame, pub: dt.date | None) -> bool:
    """Whether the frame recalls an event of the past rather than reporting news."""
    sent = f.sentence
    t = min(x.first for x in f.triggers)
    clause = sent.clause[t]
    if any(_cue(sent, m, "recall") for m in sent.cues):
        return True  # "يعيد ما يحصل اليوم إلى الأذهان معركة حلب": whatever today it names
    if any(_cue(sent, m, "elsewhere") and m.first <= 1 for m in sent.cues):
        return True  # "اقرأ أيضا: قتلى في تفجير ببغداد": a link to another story
    if _of_old_wounds(sent, t, pub):
        return True
    if any(n.vague and n.value >= MAX_EVENT_DEATHS and any(
            0 < n.first - x.last <= 2 for x in sent.triggers if x.record.kind == "killing")
           for n in sent.numbers):
        return True  # "اعترف بقتل آلاف المعتقلين": thousands killed are a campaign, not one act
    if f.kind == "territory_control" and any(
            m.category == "period" and normalize_key(m.entry.text) in _SO_FAR
            and sent.clause[m.first] == clause for m in sent.cues):
        return True  # "تمكنت القوات من السيطرة حتى الآن على 27 قرية": captures so far, a tally
    if pub is not None:
        if _recent_days(sent, clause, pub):
            return False
        if f.date_index is not None and _old(sent.dates[f.date_index], pub):
            return True
        if any(_old(d, pub) and after_an_earlier_act(sent, t, d.first) for d in sent.dates):
            return True  # "بعد أن سيطر عليها المسلحون العام الماضي": told from an act long gone
        if any(d.last < t and _old(d, pub) for d in sent.dates):
            return True  # "وفي أيار الماضي، قالت إسرائيل إنها هاجمت": said, and done, then
        if any(y < pub.year for k, y in _years(sent)
               if (sent.clause[k] == clause or 0 < k - t <= 8) and not _after_since(sent, k)):
            return True
        if any(_cue(sent, m, "since") and m.last < t and any(
                m.last < k <= m.last + 12 and y < pub.year for k, y in _years(sent))
               for m in sent.cues):
            return True  # "منذ الغزو الأمريكي للعراق في العام 2003، استولت ...": since long ago
    return _pluperfect(sent, t) or _said_before(f, t) or _since_long_ago(sent, t, clause) or any(
        _cue(sent, m, "decade") or _cue(sent, m, "recall")
        or _cue(sent, m, "habitual") and sent.clause[m.first] == clause
        # "قتلوا في معركة وقعت مؤخرا": an act the text dates only as "recently" is context
        or _cue(sent, m, "recently") and 0 < abs(m.first - t) <= 6
        and sent.clause[m.first] == clause
        # "دارت معارك خلال الأسابيع الماضية": acts over weeks or months are no one day's
        or _cue(sent, m, "weeks") and sent.clause[m.first] == clause
        # "غارات مماثلة سابقة", "الهجمات السابقة", "غارة مماثلة": acts the adjective says
        # came earlier (or another act like this one)
        # (after any of the frame's words: "الغارات ... ليست جديدة، إذ أعلن عن غارة مماثلة")
        or _cue(sent, m, "earlier") and any(0 < m.first - x.first <= 3 and sent.clause[m.first]
                                            == sent.clause[x.first] for x in f.triggers)
        for m in sent.cues) or _aside(sent, t)


_SO_FAR = frozenset(normalize_key(w) for w in ("حتى الآن", "حتى الان"))


def _of_old_wounds(sent: Sentence, t: int, pub: dt.date | None) -> bool:
    """"قضى الأربعاء متأثرا بجراح أصيب بها برصاص الجيش": the act the wounds came from, with no
    recent day of its own after them, came before the death that is the news (its day is the
    death's)."""
    cut = max((m.last for m in sent.cues if _cue(sent, m, "wounds") and m.last < t
               and sent.clause[m.first] == sent.clause[t]), default=None)
    return cut is not None and not any(
        d.first > cut and (pub is None or not _old(d, pub)) for d in sent.dates)


def news_date(f: Frame, pub: dt.date | None) -> None:
    """A frame kept as news by a recent day in its clause ("أعلنت الوزارة، الخميس، مقتل 10
    من المتورطين في استهداف موكب في 24 مارس الماضي") is dated that day, not by the older
    date its clause also names."""
    sent = f.sentence
    if pub is None or f.date_index is None or not _old(sent.dates[f.date_index], pub):
        return
    recent = _recent_days(sent, sent.clause[min(x.first for x in f.triggers)], pub)
    if recent:
        f.date_index = recent[0]


def _old(d, pub: dt.date) -> bool:
    """Whether a date mention ends more than RECENT_DAYS before publication."""
    end = d.value
    if d.precision == "week":
        end = d.value + dt.timedelta(days=6)
    elif d.precision == "month":
        if (d.value.year, d.value.month) < (pub.year, pub.month):
            return True  # "الشهر الماضي", "في أبريل": an earlier month is not the last few days
        nxt = (d.value.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        end = nxt - dt.timedelta(days=1)
    elif d.precision == "year":
        end = dt.date(d.value.year, 12, 31)
        if d.value.year == pub.year:
            return True  # "خلال العام": a year-long period is never one day's news
    return (pub - end).days > RECENT_DAYS


def _recent_days(sent: Sentence, clause: int, pub: dt.date) -> list[int]:
    """The dates of the clause that name a day of the last RECENT_DAYS (their indexes)."""
    return [k for k, d in enumerate(sent.dates) if d.precision == "day"
            and sent.clause[d.first] == clause and 0 <= (pub - d.value).days <= RECENT_DAYS]


def _years(sent: Sentence) -> list[tuple[int, int]]:
    """(token, year) of bare years: four digits from 1900, optionally with م ("2015م")."""
    out = []
    for k, tok in enumerate(sent.tokens):
        text = tok.text.rstrip("م")
        if len(text) == 4 and text.isdigit() and text.isascii() and 1900 <= int(text) <= 2100:
            out.append((k, int(text)))
    return out


def _after_since(sent: Sentence, k: int) -> bool:
    """A year right after "منذ" (or "منذ عام") is the since-rule's to judge."""
    return any(_cue(sent, m, "since") and 0 < k - m.last <= 2 for m in sent.cues)


def _cue(sent: Sentence, m: Match, value: str) -> bool:
    return m.category == "background" and m.record.value == value


def _pluperfect(sent: Sentence, t: int) -> bool:
    """"كانت القوات قد شنت": كان ... قد before the trigger, in one clause; or "سبق أن"."""
    aux = [m for m in sent.cues if _cue(sent, m, "pluperfect") and 0 < t - m.last <= _PLUPERFECT_REACH
           and sent.clause[m.first] == sent.clause[t]]
    for m in aux:
        if any(_cue(sent, q, "perfect") and m.last < q.first < t for q in sent.cues):
            return True
    # "وكان المحتجون قد نجحوا في ...": a sentence opened by the pluperfect is told as past
    opening = [m for m in sent.cues if _cue(sent, m, "pluperfect") and m.first <= 1]
    if opening and any(_cue(sent, q, "perfect") and 0 < q.first - opening[0].last <= 4
                       for q in sent.cues) and sent.clause[opening[0].first] == sent.clause[t]:
        return True
    # "وكانت هجمات نفذها متشددون ضد قواعد للجيش في مالي، قد أدت": a long subject between
    # كان and قد; the acts it names lie between them
    if opening and any(_cue(sent, q, "perfect") and opening[0].last < t < q.first
                       and q.first - opening[0].last <= 15 for q in sent.cues):
        return True
    return any(_cue(sent, m, "before") and 0 < t - m.last <= 6 for m in sent.cues)


def _said_before(f: Frame, t: int) -> bool:
    """"وكانت الحكومة قالت إن ...", "وكان مسلحون قتلوا": a sentence (or a clause after a
    comma) opened by كان, then its subject and a verb of saying or the act's own verb, tells
    what was said or done before today (a pluperfect)."""
    sent = f.sentence
    for m in sent.cues:
        if not _cue(sent, m, "pluperfect") or not (
                m.first <= 1 or sent.tokens[m.first - 1].text in (",", "،", "؛", ";")):
            continue
        if any(not a.inherited and 0 < a.marker - m.last <= 4 and a.marker < t
               and sent.clause[a.marker] == sent.clause[m.first] for a in f.claims):
            return True
        if 1 < t - m.last <= 4 and sent.clause[t] == sent.clause[m.first] \
                and finite_verb(sent.tokens[t].text):
            return True
    return False


def _since_long_ago(sent: Sentence, t: int, clause: int) -> bool:
    """"منذ 2011", "منذ سنوات", "منذ بداية الحرب": a period reaching back, in the clause."""
    for m in sent.cues:
        if m.category == "period" and m.entry.text.startswith("منذ") and (
                sent.clause[m.first] == clause or m.first <= 1):
            return True  # "منذ بداية الحرب", "ومنذ بدء الهجوم، وقع ..."
        # "منذ" in the clause, or opening the sentence
        if not _cue(sent, m, "since") or sent.clause[m.first] != clause and m.first > 1:
            continue
        if any(_cue(sent, q, "superlative") and 0 < m.first - q.last <= 4 for q in sent.cues):
            continue  # "أعنف هجوم منذ 2014": a comparison, not a date
        nxt = range(m.last + 1, min(m.last + 4, len(sent.tokens)))  # "منذ أكثر من شهرين"
        if any(sent.cue_at(k, "background") and sent.cue_at(k, "background").record.value
               == "long_period" for k in nxt) or any(k in nxt for k, _ in _years(sent)):
            return True
    return False


def _aside(sent: Sentence, t: int) -> bool:
    """"يذكر أن الجيش قد نشر": an aside opening the sentence, recalling a completed act."""
    opening = [m for m in sent.cues if _cue(sent, m, "aside") and m.first <= 1]
    return bool(opening) and any(_cue(sent, q, "perfect") and q.first < t for q in sent.cues)
