"""Dates in Arabic news, absolute or relative to the publication date.

Handles weekday names (الأحد، يوم الأحد، صباح الأحد، الأحد الماضي), أمس / أول أمس / اليوم /
الليلة الماضية / منذ N أيام, the previous week or month, and explicit dates with Levantine
(كانون الثاني … كانون الأول) or Egyptian/Gulf (يناير … ديسمبر) and Maghrebi month names, written
"1 ديسمبر 2024", "1 كانون الأول/ديسمبر", "26 من يوليو (تموز)", "ديسمبر 2005", or 2024/12/01.
Weekday names refer to the most recent such day on or before publication, as in news copy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from .normalize import normalize_key
from .numbers import _word_value
from .tokens import Token, analyses


def _keys(words: dict[str, int]) -> dict[str, int]:
    return {normalize_key(k): v for k, v in words.items()}


MONTHS = _keys({
    "كانون الثاني": 1, "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5, "حزيران": 6, "تموز": 7,
    "آب": 8, "أيلول": 9, "تشرين الأول": 10, "تشرين الثاني": 11, "كانون الأول": 12,
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "إبريل": 4, "ابريل": 4, "مايو": 5,
    "يونيو": 6, "يونيه": 6, "يوليو": 7, "يوليه": 7, "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9,
    "أكتوبر": 10, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    "جانفي": 1, "فيفري": 2, "أفريل": 4, "ماي": 5, "جوان": 6, "جويلية": 7, "أوت": 8,
})
# Months whose names need a day or year next to them to count (also common words).
_AMBIGUOUS_MONTHS = frozenset(normalize_key(w) for w in ("آب", "ماي", "مارس", "أيار"))
WEEKDAYS = _keys({"الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الأربعاء": 2, "الخميس": 3,
                  "الجمعة": 4, "السبت": 5, "الأحد": 6})
_DAY_PARTS = frozenset(normalize_key(w) for w in
                       ("يوم", "صباح", "مساء", "ليلة", "ليل", "فجر", "ظهر", "عصر", "صبيحة", "ظهيرة"))
_PAST = frozenset(normalize_key(w) for w in ("الماضي", "الماضية", "المنصرم", "المنصرمة", "الفائت"))
_NEXT = frozenset(normalize_key(w) for w in ("المقبل", "المقبلة", "القادم", "القادمة"))


@dataclass(frozen=True, slots=True)
class DateMention:
    """A resolved date: value, precision (day, week, month, year) and token range."""

    value: dt.date
    precision: str
    first: int
    last: int
    future: bool = False


def _is(tok: str, vocab: frozenset[str] | set[str] | tuple[str, ...]) -> bool:
    """Whether ``tok``, as written or with a proclitic (و ف ب ل ك) peeled off, is in ``vocab``."""
    return any(a.stem in vocab and not a.definite for a in analyses(tok))


def _weekday(tok: str) -> int | None:
    for a in analyses(tok):
        if a.definite and a.prefix in ("", "و", "ف", "ب"):
            day = WEEKDAYS.get("ال" + a.stem)
            if day is not None:
                return day
    return None


def _month_at(tokens: list[Token], i: int) -> tuple[int, int] | None:
    """(month, last token index) of a month name starting at token ``i``."""
    if i >= len(tokens):
        return None
    two = " ".join(t.text for t in tokens[i:i + 2])
    if i + 1 < len(tokens) and two in MONTHS:
        return MONTHS[two], i + 1
    for a in analyses(tokens[i].text):
        if a.prefix in ("", "و", "ف", "ب", "ل") and not a.definite and a.stem in MONTHS:
            return MONTHS[a.stem], i
    return None


def _skip_alt_month(tokens: list[Token], j: int) -> int:
    """Skip "/ديسمبر" or "(تموز)" after a month name; return the last index consumed."""
    k = j + 1
    if k < len(tokens) and tokens[k].text in ("/", "("):
        m = _month_at(tokens, k + 1)
        if m:
            end = m[1]
            if tokens[k].text == "(" and end + 1 < len(tokens) and tokens[end + 1].text == ")":
                end += 1
            return end
    return j


def _year_at(tokens: list[Token], j: int) -> tuple[int, int] | None:
    if j < len(tokens) and tokens[j].text.isdecimal() and len(tokens[j].text) == 4:
        year = int(tokens[j].text)
        if 1900 <= year <= 2100:
            return year, j
    return None


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _infer_year(month: int, day: int, pub: dt.date | None) -> int | None:
    """Year of a day and month without a year: the latest one not after publication."""
    if pub is None:
        return None
    year = pub.year
    if (month, day) > (pub.month, pub.day) and month - pub.month > 1:
        year -= 1
    return year


def _start_words() -> frozenset[str]:
    """Every word that can begin a date expression (after clitics are peeled)."""
    words = set(_DAY_PARTS) | {w.split()[0] for w in MONTHS}
    words |= {w[2:] for w in WEEKDAYS}  # cores: "الأحد" -> "احد" as analyses() gives it
    words |= {k[0] for k in _REL_DAYS} | {k[0][2:] for k in _REL_DAYS if k[0].startswith("ال")}
    words |= {"منذ", "بعد", "قبل", "غداه", "اسبوع", "شهر", "عام", "سنه", "الاسبوع", "الشهر", "العام", "السنه"}
    words |= {*_ORDINAL_UNITS, *_ORDINAL_TENS}  # cores: "السابع" -> "سابع"
    return frozenset(words)


@lru_cache(maxsize=200_000)
def _may_start(tok: str) -> bool:
    return tok[0].isdecimal() or not _START.isdisjoint(_stems(tok))


@lru_cache(maxsize=200_000)
def _stems(tok: str) -> tuple[str, ...]:
    return (tok,) + tuple(a.stem for a in analyses(tok))


def find_dates(tokens: list[Token], pub: dt.date | None) -> list[DateMention]:
    """All date expressions in a sentence's tokens, resolved against the publication date."""
    out: list[DateMention] = []
    i, n = 0, len(tokens)
    while i < n:
        if not _may_start(tokens[i].text):
            i += 1
            continue
        try:
            found = _date_at(tokens, i, pub)
        except (OverflowError, ValueError):  # before 0001-01-01 or after 9999-12-31: no date
            found = None
        if found:
            out.append(_ahead(_day_after(found, tokens, out), tokens, pub))
            i = found.last + 1
        else:
            i += 1
    return out


def _day_after(d: DateMention, tokens: list[Token], before: list[DateMention]) -> DateMention:
    """"أعلنت الحكومة السبت ... غداة مقتل شخصين": the act after غداة came the day before the
    day the sentence has named already (the publication day's eve when it names none)."""
    if normalize_key(tokens[d.first].text).removeprefix("و") != "غداه":
        return d
    day = next((b for b in reversed(before) if b.precision == "day" and not b.future), None)
    if day is None:
        return d
    return DateMention(day.value - dt.timedelta(days=1), "day", d.first, d.last)


def _ahead(d: DateMention, tokens: list[Token], pub: dt.date | None) -> DateMention:
    """A date after publication, or one followed by "المقبل" ("في ديسمبر 2018 المقبل"), lies
    ahead: it dates a plan, never a reported act."""
    nxt = tokens[d.last + 1].text if d.last + 1 < len(tokens) else ""
    if d.future or not (nxt in _NEXT or (pub is not None and d.value > pub)):
        return d
    value = d.value
    while pub is not None and value <= pub and d.precision in ("month", "year"):
        value = value.replace(year=value.year + 1)  # "في ديسمبر المقبل": the next December
    return DateMention(value, d.precision, d.first, d.last + (nxt in _NEXT), True)


def _date_at(tokens: list[Token], i: int, pub: dt.date | None) -> DateMention | None:
    tok = tokens[i].text
    if tok[0].isdecimal():
        return _explicit_date(tokens, i, pub)
    if _is(tok, _DAY_PARTS) and i + 1 < len(tokens):
        inner = _date_at(tokens, i + 1, pub)
        if inner and inner.first == i + 1:
            return DateMention(inner.value, inner.precision, i, inner.last, inner.future)
    wd = _weekday(tok)
    if wd is not None:
        return _weekday_date(tokens, i, wd, pub)
    return _ordinal_date(tokens, i, pub) or (_relative(tokens, i, pub) if pub else None) or \
        _month_only(tokens, i, pub)


# A day of the month as an ordinal word: "السابع من فبراير", "الحادي عشر من الشهر الجاري".
_ORDINAL_UNITS = _keys({"أول": 1, "حادي": 1, "ثاني": 2, "ثالث": 3, "رابع": 4, "خامس": 5,
                        "سادس": 6, "سابع": 7, "ثامن": 8, "تاسع": 9, "عاشر": 10})
_ORDINAL_TENS = _keys({"عشرين": 20, "ثلاثين": 30})
_THIS = frozenset(normalize_key(w) for w in ("الجاري", "الحالي"))


def _ordinal_day(tokens: list[Token], i: int) -> tuple[int, int] | None:
    """(day, last token) of an ordinal day at token i ("السابع", "الثاني عشر", "الحادي
    والعشرين", "الثلاثين"), else None."""
    tok = tokens[i].text
    if not tok.startswith("ال"):
        return None
    core, nxt = tok[2:], tokens[i + 1].text if i + 1 < len(tokens) else ""
    if core in _ORDINAL_TENS:
        return _ORDINAL_TENS[core], i
    unit = _ORDINAL_UNITS.get(core)
    if unit is None:
        return None
    if nxt == "عشر" and unit < 10:
        return 10 + unit, i + 1
    if nxt[:1] == "و" and nxt[1:].startswith("ال") and nxt[3:] in _ORDINAL_TENS and unit < 10:
        return _ORDINAL_TENS[nxt[3:]] + unit, i + 1
    return (unit, i) if core != "حادي" else None


def _ordinal_date(tokens: list[Token], i: int, pub: dt.date | None) -> DateMention | None:
    """"في السابع من فبراير [2018]", "الثالث من الشهر الجاري/الماضي": the ordinal needs
    "من" and a month after it (an ordinal alone is a brigade, a round, a conference...)."""
    found = _ordinal_day(tokens, i)
    if found is None or found[1] + 2 >= len(tokens) or tokens[found[1] + 1].text != "من":
        return None
    day, j = found[0], found[1] + 2
    if tokens[j].text == "الشهر" and j + 1 < len(tokens) and pub is not None and (
            tokens[j + 1].text in _THIS or tokens[j + 1].text in _PAST):
        first = _last_month(pub) if tokens[j + 1].text in _PAST else pub.replace(day=1)
        d = _safe_date(first.year, first.month, day)
        return DateMention(d, "day", i, j + 1) if d else None
    return _day_of_month(tokens, i, day, j, pub)


def _day_of_month(tokens: list[Token], i: int, day: int, j: int, pub: dt.date | None
                  ) -> DateMention | None:
    """The date whose day (written from token i) is ``day`` and whose month is named at token
    j ("فبراير/شباط"), with its year if one follows, else the year that puts it nearest
    before publication. "شهر" may stand before the month ("في 8 من شهر يوليو")."""
    if j < len(tokens) and tokens[j].text == "شهر":
        j += 1
    month = _month_at(tokens, j)
    if not month or not 1 <= day <= 31:
        return None
    last = _skip_alt_month(tokens, month[1])
    year = _year_at(tokens, last + 1)
    if year:
        last = year[1]
    y = year[0] if year else _infer_year(month[0], day, pub)
    d = _safe_date(y, month[0], day) if y is not None else None
    return DateMention(d, "day", i, last) if d else None


def _explicit_date(tokens: list[Token], i: int, pub: dt.date | None) -> DateMention | None:
    tok = tokens[i].text
    if i + 2 < len(tokens) and tokens[i + 1].text == "/" and tokens[i + 2].text.isdecimal():
        parts = [tok, tokens[i + 2].text]
        j = i + 2
        if j + 2 < len(tokens) and tokens[j + 1].text == "/" and tokens[j + 2].text.isdecimal():
            parts.append(tokens[j + 2].text)
            j += 2
        if len(parts) == 3:
            a, b, c = (int(p) for p in parts)
            d = _safe_date(a, b, c) if len(parts[0]) == 4 else _safe_date(c, b, a)
            if d and 1900 <= d.year <= 2100:  # 12/2/1439 is a Hijri date, not a Gregorian one
                return DateMention(d, "day", i, j)
        return None
    if not tok.isdecimal() or len(tok) > 2:
        return None
    j = i + 1
    if j < len(tokens) and tokens[j].text == "من":
        j += 1  # "26 من يوليو"
    return _day_of_month(tokens, i, int(tok), j, pub)


def _weekday_date(tokens: list[Token], i: int, wd: int, pub: dt.date | None) -> DateMention | None:
    last = i
    # "الأحد 1 كانون الأول" — an explicit date right after the weekday wins.
    if i + 1 < len(tokens) and tokens[i + 1].text.isdecimal():
        explicit = _explicit_date(tokens, i + 1, pub)
        if explicit:
            return DateMention(explicit.value, "day", i, explicit.last)
    if pub is None:
        return None
    back = (pub.weekday() - wd) % 7
    future = False
    if i + 1 < len(tokens):
        nxt = tokens[i + 1].text
        if nxt in _PAST:
            back = back or 7
            last = i + 1
        elif nxt in _NEXT:
            back = -(((wd - pub.weekday()) % 7) or 7)
            last, future = i + 1, True
    return DateMention(pub - dt.timedelta(days=back), "day", i, last, future)


_REL_DAYS = {
    ("امس",): 1, ("الامس",): 1, ("بالامس",): 1, ("البارحه",): 1, ("اول", "امس"): 2,
    ("اول", "من", "امس"): 2,
    ("اليوم",): 0, ("الليله",): 0, ("الليله", "الماضيه"): 1, ("الليله", "قبل", "الماضيه"): 2,
    ("اليوم", "السابق"): 1, ("غدا",): -1,
}


_START: frozenset[str] = frozenset()


def _relative(tokens: list[Token], i: int, pub: dt.date) -> DateMention | None:
    words = [t.text for t in tokens[i:i + 3]]
    first = words[0]
    if first[:1] in ("و", "ف") and len(first) > 3:
        words[0] = first[1:]  # "واليوم" -> "اليوم"
    for key in sorted(_REL_DAYS, key=len, reverse=True):
        if tuple(words[:len(key)]) == key:
            if key[-1].endswith("امس") and words[len(key):len(key) + 1] == ["القريب"]:
                return None  # "بالأمس القريب": the recent past, not yesterday
            back = _REL_DAYS[key]
            return DateMention(pub - dt.timedelta(days=back), "day", i, i + len(key) - 1, back < 0)
    if words[0] == "منذ" and i + 2 < len(tokens):
        days = _days(tokens[i + 1].text, tokens[i + 2].text)
        if days is not None:
            return DateMention(pub - dt.timedelta(days=days), "day", i, i + 2)
    if words[0] in ("بعد", "قبل") and i + 1 < len(tokens):
        return _days_apart(tokens, i, words[0], pub)
    if words[0] == "غداه":
        # "ويأتي القصف غداة مقتل 9 مدنيين": the act after غداة came the day before
        return DateMention(pub - dt.timedelta(days=1), "day", i, i)
    if len(words) >= 3 and words[1] == "قبل" and words[2] in _PAST:
        # "الأسبوع قبل الماضي": the one before the last
        if words[0] == "الاسبوع":
            return DateMention(pub - dt.timedelta(days=14), "week", i, i + 2)
        if words[0] == "الشهر":
            return DateMention(_last_month(_last_month(pub)), "month", i, i + 2)
        if words[0] in ("العام", "السنه"):
            return DateMention(dt.date(pub.year - 2, 1, 1), "year", i, i + 2)
    if len(words) >= 2 and words[1] in _PAST:
        if words[0] == "الاسبوع":
            return DateMention(pub - dt.timedelta(days=7), "week", i, i + 1)
        if words[0] == "الشهر":
            return DateMention(_last_month(pub), "month", i, i + 1)
        if words[0] in ("العام", "السنه"):
            return DateMention(dt.date(pub.year - 1, 1, 1), "year", i, i + 1)
    return None


def counted_apart(first_word: str) -> bool:
    """Whether a date expression beginning with this word counts days from another act
    ("بعد ثلاثة أيام من", "قبل يومين", "غداة"): it dates its own event, not the article's
    story."""
    return normalize_key(first_word).removeprefix("و") in ("بعد", "قبل", "غداه")


def _days(num_tok: str, unit: str) -> int | None:
    """Days in "ثلاثة أيام", "يومين", "ساعات" (the same day); None if not a span of days."""
    if unit in ("يومين", "ساعات", "ساعه", "ساعتين"):
        return 2 if unit == "يومين" else 0
    num = _count(num_tok)
    return num if num is not None and unit in ("ايام", "يوما") else None


def _days_apart(tokens: list[Token], i: int, word: str, pub: dt.date) -> DateMention | None:
    """"جاء الانفجار بعد ثلاثة أيام من مقتل 14": the act after "بعد N أيام من" came N days
    before the one told; "قبل ثلاثة أيام" (no "من": "قبل ثلاثة أيام من الانتخابات" looks
    ahead) is N days ago. Counted from publication, as "منذ ثلاثة أيام" is."""
    if word == "قبل":
        ago = _weeks_ago(tokens, i, pub)
        if ago is not None:
            return ago
    if tokens[i + 1].text in ("يومين", "ساعات", "ساعتين"):
        days, last = _days("", tokens[i + 1].text), i + 1
    elif i + 2 < len(tokens):
        days, last = _days(tokens[i + 1].text, tokens[i + 2].text), i + 2
    else:
        return None
    if days is None:
        return None
    nxt = tokens[last + 1].text if last + 1 < len(tokens) else ""
    if (word == "بعد") != (nxt == "من"):
        return None  # "بعد ثلاثة أيام" alone is ahead; "قبل ثلاثة أيام من" is before a thing
    if word == "بعد" and last + 2 < len(tokens) and _ongoing(tokens[last + 2].text):
        return None  # "بعد يومين من المواجهات": after two days of fighting, a duration
    return DateMention(pub - dt.timedelta(days=days), "day", i, last + (word == "بعد"))


_ABOUT = frozenset({"نحو", "حوالي", "حوالى", "قرابه", "زهاء", "اكثر", "اقل", "من"})
# weeks and months counted back: (days in one, how many the word itself says or None when a
# count stands before it, precision of the date)
_SPANS = {"اسبوع": (7, 1, "week"), "اسبوعين": (7, 2, "week"), "اسابيع": (7, None, "week"),
          "شهر": (30, 1, "month"), "شهرين": (30, 2, "month"), "اشهر": (30, None, "month"),
          "شهور": (30, None, "month")}


def _weeks_ago(tokens: list[Token], i: int, pub: dt.date) -> DateMention | None:
    """"قبل نحو ثلاثة أسابيع", "قبل شهرين": weeks or months ago (an approximate word may
    stand before the count), at the week's or month's precision."""
    j = i + 1
    while j < len(tokens) and tokens[j].text in _ABOUT and j - i <= 2:
        j += 1
    if j >= len(tokens):
        return None
    unit = tokens[j].text
    if unit in _SPANS and _SPANS[unit][1] is not None:
        last, n = j, _SPANS[unit][1]
    elif j + 1 < len(tokens) and tokens[j + 1].text in _SPANS and _SPANS[tokens[j + 1].text][1] \
            is None and _count(tokens[j].text) is not None:
        unit, last, n = tokens[j + 1].text, j + 1, _count(tokens[j].text)
    else:
        return None
    if last + 1 < len(tokens) and tokens[last + 1].text == "من":
        return None  # "قبل أسبوعين من الانتخابات" is before a thing, not before today
    size, _, precision = _SPANS[unit]
    return DateMention(pub - dt.timedelta(days=size * n), precision, i, last)


# acts that last (fighting, a siege, protests): "بعد يومين من X" is then two days of X
_ONGOING = frozenset({"معارك", "قتال", "حصار", "حرب", "مفاوضات", "محادثات", "اعتصام", "تظاهر",
                      "اضراب", "قصف", "عمليات", "تصعيد", "توتر", "هدوء", "بحث", "نزوح", "مواجهه"})


def _ongoing(tok: str) -> bool:
    """A noun of an act that lasts, or a plural of acts (ending in ات: اشتباكات، مواجهات)."""
    core = tok.removeprefix("ال")
    return core in _ONGOING or (core.endswith("ات") and len(core) > 4)


def _last_month(pub: dt.date) -> dt.date:
    """The first day of the month before publication's."""
    return (pub.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def _count(tok: str) -> int | None:
    if tok.isdecimal():
        return int(tok) if len(tok) <= 4 else None  # "منذ 999999999 أيام" is no date
    wv = _word_value(tok)
    return wv[1] if wv and wv[0] in ("unit", "ten", "tens") else None


def _month_only(tokens: list[Token], i: int, pub: dt.date | None) -> DateMention | None:
    month = _month_at(tokens, i)
    if not month:
        return None
    last = _skip_alt_month(tokens, month[1])
    year = _year_at(tokens, last + 1)
    after = tokens[last + 1].text if last + 1 < len(tokens) else ""
    if year is None and tokens[i].text in _AMBIGUOUS_MONTHS and after not in _PAST | _NEXT:
        return None  # "أيار" alone may be a name; "أيار الماضي" is the month
    if year is None and (i == 0 or not _is(tokens[i - 1].text, ("في", "خلال", "منذ", "شهر", "شهري"))):
        return None
    y = year[0] if year else (_infer_year(month[0], 1, pub) if pub else None)
    if y is None:
        return None
    return DateMention(dt.date(y, month[0], 1), "month", i, year[1] if year else last)


_START = _start_words()
