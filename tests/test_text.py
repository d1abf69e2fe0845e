"""The text layer: normalisation with offsets, tokens, clitics, numbers and dates."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hadath.text import (analyses, arabic_share, clause_ids, find_dates, find_numbers, normalize,
                         normalize_key, sentence_spans, strip_suffix, tokenize)
from hadath.text.normalize import ARABIC_LETTER_RE, TABLE, fold
from hadath.text.tokens import _SENT_END_RE, _TOKEN_RE


@pytest.mark.parametrize("raw, folded", [
    ("أحمد", "احمد"), ("إدلب", "ادلب"), ("آلاف", "الاف"), ("حماة", "حماه"), ("مستشفى", "مستشفي"),
    ("مؤتمر", "موتمر"), ("رئيس", "رييس"), ("قتلـــى", "قتلي"), ("حاليًا", "حاليا"),
    ("مُدُنٌ", "مدن"), ("٣٢٧", "327"), ("۱۶", "16"), ("«نص»", '"نص"'), ("“نص”", '"نص"'),
    ("قال، ثم؛ هل؟", "قال, ثم; هل?"), ("ﻻ", "لا"), ("ABC", "abc"), ("ک", "ك"),
])
def test_normalisation_folds(raw, folded):
    assert normalize(raw).text == folded


def test_offsets_survive_deletions_and_expansions():
    text = "قُتِلَ ١٦ شخصاً فـــي ﻻذقية"
    n = normalize(text)
    for tok in tokenize(n.text):
        s, e = n.span(tok.start, tok.end)
        assert normalize(text[s:e]).text == tok.text
    # the span of a word stretches over its own diacritics
    s, e = n.span(0, 3)
    assert text[s:e] == "قُتِلَ"


arabic_chars = st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىة ـًٌٍَُِّْٰ٠١٩۱ﻻ،؛؟«»“”.\n") + ["ab", "12"])


@settings(max_examples=300, deadline=None)
@given(st.lists(arabic_chars, max_size=60).map("".join))
def test_every_token_maps_back_to_the_original(text):
    n = normalize(text)
    for tok in tokenize(n.text):
        s, e = n.span(tok.start, tok.end)
        assert 0 <= s <= e <= len(text)
        assert normalize(text[s:e]).text == tok.text


@settings(max_examples=300, deadline=None)
@given(st.lists(arabic_chars | st.sampled_from([" ", "  ", "\t", "_", "2.5", "x²"]), max_size=60)
       .map("".join), st.integers(min_value=0, max_value=50))
def test_tokens_are_the_token_pattern_matches(text, offset):
    # tokenize splits on the pattern; it must give what finditer gives
    assert [tuple(t) for t in tokenize(text, offset)] == [
        (m.group(), m.start() + offset, m.end() + offset, i)
        for i, m in enumerate(_TOKEN_RE.finditer(text))]


folded_chars = st.sampled_from(sorted(chr(c) for c in TABLE) + list("ابة ى.1a"))


@settings(max_examples=300, deadline=None)
@given(st.lists(folded_chars, max_size=80).map("".join))
def test_fold_is_the_translation(text):
    # fold replaces character by character: it must give what str.translate gives
    assert fold(text) == text.translate(TABLE)


def test_fold_replacements_hold_no_folded_character():
    assert not {ch for v in TABLE.values() for ch in v} & {chr(c) for c in TABLE}
    every = "".join(chr(c) for c in TABLE)
    assert fold(every * 2) == every.translate(TABLE) * 2


# The sentence end as first written (a look back at every character), the reference for the
# faster pattern of text/tokens.py.
_SENT_END_REFERENCE = re.compile(r"(?<!\d)[.!?]+(?=[\s\"')\]]|$)[\"')\]]*|\n+")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(list("اب1 .!?\"')]\n\u00a0") + ["2.5", "..."]), max_size=40)
       .map("".join))
def test_sentence_ends_as_the_reference_pattern(text):
    assert [m.span() for m in _SENT_END_RE.finditer(text)] == \
        [m.span() for m in _SENT_END_REFERENCE.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ابتة ى١1a²_.،ÀⅫ")), max_size=60),
       st.integers(min_value=1, max_value=70))
def test_arabic_share(text, sample):
    chunk = text[:sample]
    letters = sum(1 for ch in chunk if ch.isalpha())
    arabic = len(ARABIC_LETTER_RE.findall(chunk))
    assert arabic_share(text, sample) == (arabic / letters if letters else 0.0)


def test_sentences_and_clauses():
    text = normalize("قال المرصد إن 5 قتلوا. وأضاف: الوضع متوتر؟ نعم\nسطر جديد 2.5 كم")
    spans = sentence_spans(text.text)
    assert len(spans) == 4
    assert text.text[spans[-1][0]:spans[-1][1]] == "سطر جديد 2.5 كم"
    toks = tokenize(normalize("أ، ب؛ ج").text)
    assert clause_ids(toks) == [0, 1, 1, 2, 2]


@pytest.mark.parametrize("word, stem", [
    ("وبحلب", "حلب"), ("للجيش", "جيش"), ("والزهراء", "زهراء"), ("فالقوات", "قوات"),
    ("كالمعتاد", "معتاد"), ("بالرقة", "رقه"),
])
def test_proclitics_are_peeled(word, stem):
    assert stem in [a.stem for a in analyses(normalize_key(word))]


def test_article_is_remembered():
    a = {x.stem: x for x in analyses(normalize_key("والرقة"))}
    assert a["رقه"].definite and a["رقه"].prefix == "و"
    assert not any(x.stem == "رقه" and x.definite for x in analyses(normalize_key("ورقة")))


@pytest.mark.parametrize("word, base, suffix", [
    ("سيطرتها", "سيطره", "ها"), ("قواته", "قوات", "ه"), ("انسحابهم", "انسحاب", "هم"), ("قتل", "قتل", ""),
])
def test_pronoun_suffixes(word, base, suffix):
    assert strip_suffix(normalize_key(word)) == (base, suffix)


@pytest.mark.parametrize("text, value, approx, lower, vague", [
    ("مقتل ستة عشر شخصا", 16, False, False, False),
    ("نحو ٣٠٠ قتيل", 300, True, False, False),
    # vague plurals at the low end of the word, as docs/coding.md codes them
    ("عشرات الجرحى", 20, False, False, True),
    ("مئات العائلات", 200, False, False, True),
    ("عشرات الآلاف", 20000, False, False, True),
    ("خمسة وعشرون", 25, False, False, False),
    ("ثلاث مئة وخمسون", 350, False, False, False),
    ("3 آلاف", 3000, False, False, False),
    ("أكثر من عشرين قذيفة", 20, False, True, False),
    ("ما لا يقل عن 16 قتيلا", 16, False, True, False),
    ("قتل 18 شخصا على الأقل", 18, False, True, False),
    ("اثنا عشر", 12, False, False, False),
    ("1,200 نازح", 1200, False, False, False),
    ("8.743 مليون نسمة", 8743000, False, False, False),  # before a scale word, a decimal point
    ("1,5 مليون", 1500000, False, False, False),
])
def test_numbers(text, value, approx, lower, vague):
    nums = find_numbers(tokenize(normalize(text).text))
    assert len(nums) == 1
    n = nums[0]
    assert (n.value, n.approx, n.lower_bound, n.vague) == (value, approx, lower, vague)


def test_decimals_are_not_counts():
    assert find_numbers(tokenize(normalize("على بعد 2.5 كم").text)) == []


SUNDAY = dt.date(2024, 12, 1)


@pytest.mark.parametrize("text, expected, precision", [
    ("صباح الأحد", "2024-12-01", "day"),
    ("الأحد الماضي", "2024-11-24", "day"),
    ("يوم الجمعة", "2024-11-29", "day"),
    ("أمس", "2024-11-30", "day"),
    ("وبالأمس", "2024-11-30", "day"),
    ("بعد اشتباكات الأمس", "2024-11-30", "day"),
    ("أول من أمس", "2024-11-29", "day"),
    ("الليلة الماضية", "2024-11-30", "day"),
    ("فجر اليوم", "2024-12-01", "day"),
    ("منذ ثلاثة أيام", "2024-11-28", "day"),
    # the act after "بعد N أيام من" came N days before; "قبل N أيام" is N days ago
    ("جاء الانفجار بعد ثلاثة أيام من مقتل", "2024-11-28", "day"),
    ("وبعد يومين من الهجوم", "2024-11-29", "day"),
    ("قبل ثلاثة أيام", "2024-11-28", "day"),
    ("ويأتي القصف غداة مقتل 9 مدنيين", "2024-11-30", "day"),
    ("الأسبوع الماضي", "2024-11-24", "week"),
    ("الأسبوع قبل الماضي", "2024-11-17", "week"),
    ("الشهر قبل الماضي", "2024-10-01", "month"),
    ("الشهر الماضي", "2024-11-01", "month"),
    ("في 26 من يوليو (تموز)", "2024-07-26", "day"),
    ("في 8 من شهر يوليو الحالي", "2024-07-08", "day"),
    ("في الثامن من شهر تموز", "2024-07-08", "day"),
    ("1 كانون الأول/ديسمبر 2024", "2024-12-01", "day"),
    ("14 شباط 2018", "2018-02-14", "day"),
    ("ديسمبر (كانون الأول) 2005", "2005-12-01", "month"),
    ("في نوفمبر", "2024-11-01", "month"),
    ("2024/11/30", "2024-11-30", "day"),
    ("الخميس المقبل", "2024-12-05", "day"),
    # a day of the month as an ordinal word, before "من" and a month
    ("في السابع من فبراير/شباط", "2024-02-07", "day"),
    ("الحادي عشر من الشهر الجاري", "2024-12-11", "day"),
    ("الثالث والعشرين من الشهر الماضي", "2024-11-23", "day"),
    ("في الأول من كانون الثاني 2023", "2023-01-01", "day"),
])
def test_dates(text, expected, precision):
    dates = find_dates(tokenize(normalize(text).text), SUNDAY)
    assert [(d.value.isoformat(), d.precision) for d in dates] == [(expected, precision)]


@pytest.mark.parametrize("text", ["أحد عناصر الشرطة", "قال آب", "شهر", "بتاريخ 12/2/1439", "1439/12/4",
                                  "اللواء السابع من الجيش", "الجولة الثانية من المفاوضات",
                                  "بالأمس القريب", "بعد ثلاثة أيام", "قبل ثلاثة أيام من الانتخابات",
                                  "بعد يومين من المواجهات", "بعد ثلاثة أيام من القتال"])
def test_not_dates(text):
    # "أحد" without the article is "one of"; آب with no day or year may be "father"; 1439 is
    # a Hijri year; "بالأمس القريب" is the recent past
    assert find_dates(tokenize(normalize(text).text), SUNDAY) == []


def test_relative_dates_need_a_publication_date():
    assert find_dates(tokenize(normalize("أمس").text), None) == []
    assert find_dates(tokenize(normalize("14 شباط 2018").text), None)[0].value == dt.date(2018, 2, 14)


@pytest.mark.parametrize("text, expected", [
    ("في كانون الأول/ديسمبر 2025 المقبل", "2025-12-01"),
    ("في ديسمبر المقبل", "2024-12-01"),
    ("في مارس 2025", "2025-03-01"),  # after publication: ahead whatever follows
])
def test_dates_ahead_are_future(text, expected):
    (d,) = find_dates(tokenize(normalize(text).text), dt.date(2024, 11, 30))
    assert (d.value.isoformat(), d.future) == (expected, True)
