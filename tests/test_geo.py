"""Places: gazetteer matching, context, precision, and honesty about what is not known."""

from __future__ import annotations

import datetime as dt

from hadath.geo import distance_km
from hadath.extract.mentions import analyse
from hadath.geo import DocContext
from hadath.text import normalize


def places(text, lex, gaz, ctx=None):
    n = normalize(text)
    s = analyse(n, 0, len(n.text), 0, lex, gaz, ctx or DocContext(), dt.date(2024, 12, 1))
    return [p.place for p in s.places if p.place is not None]


def one(text, lex, gaz):
    # a trigger word makes the sentence worth locating
    return places("قصف " + text, lex, gaz)


def test_a_town_with_its_governorate(lex, gaz):
    ps = one("بلدة خناصر جنوب حلب", lex, gaz)
    assert ps[0].name == "Khanasir" and ps[0].precision == 1
    assert distance_km(ps[0].lat, ps[0].lon, 35.78, 37.50) < 5


def test_direction_and_vicinity_are_precision_2(lex, gaz):
    for text in ("جنوب حلب", "قرب مدينة سراقب", "أطراف معرة النعمان", "شمال وشرق حماة"):
        p = one(text, lex, gaz)[-1]
        assert p.precision == 2, text


def test_countryside_governorate_and_country(lex, gaz):
    assert one("ريف حماة الشمالي", lex, gaz)[0].precision == 3
    gov = one("محافظة إدلب", lex, gaz)[0]
    assert gov.precision == 4 and gov.feature == "admin1"
    country = one("في العراق", lex, gaz)[0]
    assert country.precision == 6 and country.lat is None and country.lon is None


def test_the_article_must_agree(lex, gaz):
    # "ورقة" (a paper) and "فرقة" (a division) are not الرقة
    assert not one("ورقة وفرقة", lex, gaz)
    assert one("والرقة", lex, gaz)[0].name == "Ar Raqqah"


def test_common_words_are_not_places(lex, gaz):
    assert not one("المدينة الجديدة حول السجن", lex, gaz)


def test_small_places_need_a_locative_cue(lex, gaz):
    assert not places("قال نبل إنه غادر", lex, gaz)
    assert one("في نبل", lex, gaz)[0].name == "Nubl"


def test_context_picks_among_namesakes(lex, gaz):
    # الزهراء is a town north of Aleppo, among other places of that name
    ps = one("على نبل والزهراء شمال حلب", lex, gaz)
    names = [p.name for p in ps]
    assert names[:2] == ["Nubl", "Zahraa"]
    assert distance_km(ps[1].lat, ps[1].lon, 36.36, 37.01) < 5


def test_airports_from_the_curated_list(lex, gaz):
    p = one("في مطار كويرس العسكري في ريف حلب", lex, gaz)[0]
    assert p.feature == "airport" and p.precision == 1


def test_place_spans_slice_the_original(lex, gaz):
    text = "قصفٌ على بلدةِ خَناصر جنوبَ حلب"
    n = normalize(text)
    s = analyse(n, 0, len(n.text), 0, lex, gaz, DocContext(), None)
    for p in s.places:
        assert text[p.place.start:p.place.end] == p.place.text


def test_a_city_is_not_an_unknown_place_of_another():
    """A capital is not a quarter of the capital named after it, and the second of a list
    ("والسليمانية") does not contain the first: each keeps its own point."""
    from hadath.extract.geocode import geocode
    seoul = [m for m in geocode("لم تتلق سيول أي رد من بيونغيانغ على العرض")
             if m.mention == "سيول"][0]
    assert distance_km(seoul.lat, seoul.lon, 37.57, 126.98) < 30, seoul
    erbil = [m for m in geocode("وبلغت المشاركة في محافظة أربيل 40 في المئة والسليمانية 35")
             if "أربيل" in m.mention][0]
    assert distance_km(erbil.lat, erbil.lon, 36.19, 44.01) < 30, erbil


def test_the_town_a_sentence_names_is_what_its_city_word_refers_to():
    """"المدينة" refers to the city its own sentence named, though it was named as a
    destination, before a city of an earlier sentence."""
    from hadath.extract.geocode import geocode
    found = geocode("وصل الوفد إلى بروكسل أمس. ويناقش الاجتماع تقدم القوات نحو الحديدة "
                    "وإعادة فتح مطار المدينة")
    city = [m for m in found if m.mention == "المدينة"][0]
    assert city.name_ar == "الحديدة" or distance_km(city.lat, city.lon, 14.8, 42.95) < 30, city


def test_a_dual_feature_word_names_both_places_of_its_list():
    """"بلدتي أوتايا والنشابية": two towns; the second is the town, not the district of its
    name."""
    from hadath.extract.geocode import geocode
    second = [m for m in geocode("سيطرت القوات على بلدتي أوتايا والنشابية في الغوطة الشرقية")
              if "النشابية" in m.mention][0]
    assert second.precision == 1 and distance_km(second.lat, second.lon, 33.51, 36.49) < 5
