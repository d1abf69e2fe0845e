"""Event extraction rules, each on short made-up sentences (facts of Arabic or of coding)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hadath import extract
from hadath.models import VIOLENT_KINDS


def kinds(article):
    return [e.kind for e in article.events]


def test_attribution_stances(run):
    confirmed = run("أكد المرصد السوري انسحاب الجيش السوري من مدينة حماة.").events[0]
    assert confirmed.kind == "withdrawal" and confirmed.status == "confirmed"
    assert confirmed.claims[0].source.startswith("SOHR") and confirmed.claims[0].stance == "confirms"
    denied = run("نفى الجيش السوري انسحاب قواته من مدينة حماة.").events[0]
    assert denied.status == "denied"
    reported = run("قال ناشطون إن اشتباكات عنيفة دارت في مدينة إدلب.").events[0]
    assert reported.claims[0].stance == "reports" and reported.claims[0].source == "Activists"
    prep = run("اندلعت اشتباكات في مدينة درعا، بحسب المرصد السوري.").events[0]
    assert prep.claims[0].source.startswith("SOHR")


def test_a_party_speaking_of_its_own_action_claims(run):
    ev = run("أكدت هيئة تحرير الشام سيطرتها على مدينة سراقب.").events[0]
    assert ev.actor1 == "Hayat Tahrir al-Sham" and ev.claims[0].stance == "claims"
    assert ev.status == "claimed"


def test_confirm_and_deny_make_an_event_contested(run):
    art = run("أكد المرصد السوري انسحاب الجيش السوري من مدينة حماة. "
              "من جهته، نفى الجيش السوري الأنباء عن الانسحاب من حماة.")
    assert kinds(art) == ["withdrawal"]
    ev = art.events[0]
    assert ev.status == "contested"
    assert {c.stance for c in ev.claims} == {"confirms", "denies"}
    assert len(ev.evidence) == 2


def test_a_later_denial_of_what_was_just_said(run):
    ev = run("قالت قوات الدعم السريع إنها سيطرت على مدينة الفاشر، وهو ما نفاه الجيش السوداني.").events[0]
    assert ev.status == "contested"


def test_hedges_mark_likely_actors(run):
    ev = run("أسفرت غارة جوية روسية مرجحة على مدينة إدلب عن سقوط قتلى.").events[0]
    assert ev.kind == "air_strike" and ev.actor1 == "Military Forces of Russia" and ev.actor1_hedged


def test_deaths_are_the_outcome_of_the_violent_act(run):
    art = run("قتل 18 شخصا وأصيب عشرات في انفجار سيارة مفخخة في بغداد أمس.")
    assert kinds(art) == ["explosion"]
    ev = art.events[0]
    assert ev.fatalities == 18 and ev.date == dt.date(2024, 11, 30)
    assert ev.place.name == "Baghdad"


@pytest.mark.parametrize("text, deaths", [
    ("مقتل شخصين في قصف على مدينة حلب.", 2),
    ("مقتل جندي في هجوم على مدينة الموصل.", 1),
    ("مقتل ستة عشر مدنيا في غارة على مدينة إدلب.", 16),
    ("سقوط نحو 35 قتيلا في هجوم انتحاري في كابول.", 35),
    ("مقتل وإصابة 50 شخصا في انفجار في بغداد.", None),
    ("سقوط قتلى وجرحى في غارة على مدينة حلب.", None),
])
def test_fatalities(run, text, deaths):
    art = run(text)
    assert (art.events + art.unplaced)[0].fatalities == deaths  # placed or not


def test_a_running_toll_is_never_an_events_fatalities(run):
    art = run("قتل 5 أشخاص في قصف على مدينة إدلب. وأضاف المرصد أن عدد القتلى في إدلب وحلب ارتفع إلى 327.")
    assert [e.fatalities for e in art.events] == [5]
    assert [t.value for t in art.tolls] == [327]
    assert {p.name for p in art.tolls[0].places} == {"Idlib", "Aleppo"}


@pytest.mark.parametrize("text", [
    "بلغ عدد المستوطنين في الضفة الغربية 435159 مستوطنا.",
    "ارتفع عدد سكان إسرائيل بنسبة 1.8 بالمئة ليصل إلى 8.743 مليون نسمة.",
    "وارتفع عدد الطلاب في المدارس إلى 300 ألف.",
])
def test_a_count_that_is_not_of_victims_is_no_toll(run, text):
    assert run(text).tolls == []


def test_a_count_of_victims_is_a_toll(run):
    assert [t.value for t in run("ارتفع عدد الضحايا في حلب إلى 30 مدنيا.").tolls] == [30]
    assert [(t.value, t.category) for t in run("بلغ عدد المصابين 40 مصابا.").tolls] == [(40, "injured")]


def test_a_list_of_towns_is_one_event_per_town(run):
    art = run("أعلنت الفصائل سيطرتها على مدينة معرة النعمان وخان شيخون وسراقب.")
    assert kinds(art) == ["territory_control"] * 3
    assert [e.place.name for e in art.events] == ["Ma`arrat an Nu`man", "Khan Shaykhun", "Saraqib"]


def test_a_withdrawal_is_from_the_origin_not_the_destination(run):
    ev = run("انسحبت أرتال الجيش من حماة إلى حمص.").events[0]
    assert ev.place.name == "Hamah"


@pytest.mark.parametrize("text", [
    "قال الجيش إن قواته جاهزة لمواجهة أي هجوم.",
    "هدد الجيش بشن هجوم على المدينة.",
    "ستدافع القوات عن مناطقها في حال تعرضت لهجوم من الفصائل.",
    "أطلقت الفصائل عملية للسيطرة على المطار.",
    "لم تسيطر الفصائل على المدينة بعد.",
])
def test_hypothetical_or_negated_events(run, text):
    art = run(text)
    assert all(e.status == "denied" for e in art.events)


def test_a_sentence_describing_an_actor_yields_nothing(run):
    assert run("وقوات سوريا الديمقراطية هي تحالف متعدد الأعراق يضم ميليشيات كردية وعربية.").events == []


def test_violence_in_a_protest_is_a_riot(run):
    art = run("تظاهر مئات المحتجين في البصرة ورشقوا قوات الأمن بالحجارة.")
    assert kinds(art) == ["riot"]
    assert not any(k in VIOLENT_KINDS for k in kinds(art))


def test_repeated_reports_merge_within_an_article(run):
    art = run("غادرت آلاف العائلات مدينة حلب عبر الطريق الدولي. "
              "وقال سكان إن آلاف المركبات غادرت مدينة حلب.")
    assert kinds(art) == ["displacement"]
    assert len(art.events[0].evidence) == 2


def test_different_events_in_one_town_stay_apart(run):
    art = run("سيطرت الفصائل على مدينة سراقب. وقتل ثلاثة مدنيين في قصف على مدينة سراقب.")
    assert sorted(kinds(art)) == ["shelling", "territory_control"]


def test_capital_names_stand_for_governments(run):
    ev = run("وأضاف المرصد أن أحياء من حلب لا تزال تحت سيطرة دمشق.").events[0]
    assert ev.actor1 == "Government of Syria" and ev.status == "reported"


def test_an_unknown_landmark_takes_its_town_at_precision_2(run):
    ev = run("قتل 4 أشخاص في غارة على دوار الكرامة بحمص.").events[0]
    assert ev.place.name == "Homs" and ev.place.precision == 2
    assert "دوار الكرامة" in ev.place.name_ar


def test_a_road_has_no_single_point(run):
    ev = run("أغلقت السلطات الطريق الرئيسي بين دمشق وحلب.").events[0]
    assert ev.kind == "road_closure" and ev.place.precision == 5 and ev.place.lat is None


def test_taxonomy_follows_the_actors(run):
    gov = run("استعاد الجيش السوري السيطرة على مدينة سراقب.").events[0]
    assert gov.sub_event_type == "Government regains territory"
    reb = run("سيطرت هيئة تحرير الشام على مدينة سراقب.").events[0]
    assert reb.sub_event_type == "Non-state actor overtakes territory"
    civ = run("قتل مسلحون مجهولون ثلاثة مدنيين في مدينة الموصل.").events[0]
    assert civ.event_type == "Violence against civilians" and civ.actor2 == "Civilians (Iraq)"


def test_actor_codes_are_cameo_style(run):
    ev = run("قتلت القوات العراقية خمسة مسلحين في مدينة الموصل.").events[0]
    assert ev.actor1_code == "IRQMIL"


def test_without_a_publication_date_relative_dates_stay_open():
    ev = extract("قصفت الطائرات مدينة إدلب أمس.", date=None).events[0]
    assert ev.date is None and "date" not in ev.spans


# Property: whatever the text, every span an event carries slices the original exactly.
pieces = st.sampled_from([
    "قُتِلَ ١٦ شخصاً", " في غارةٍ جوية", " على مدينة إدلب", "، بحسب المرصد السوري", ". ",
    "وأكدت هيئة تحرير الشام سيطرتها على بلدة خناصر جنوب حلب", "ـــ", "«", "»", "\n",
    " وارتفع عدد القتلى إلى ٣٢٧", " ونفى الجيش السوري الانسحاب من حماة", "ﻻ", "ً",
])


@settings(max_examples=120, deadline=None)
@given(st.lists(pieces, min_size=1, max_size=12).map("".join))
def test_every_span_slices_the_original(text):
    art = extract(text, date=dt.date(2024, 12, 1))
    for ev in art.events:
        for e in ev.evidence:
            assert text[e.start:e.end] == e.text
        for c in ev.claims:
            assert text[c.start:c.end] == c.text
        for spans in ev.spans.values():
            for s in spans:
                assert text[s.start:s.end] == s.text
        if ev.place and ev.place.start is not None:
            assert text[ev.place.start:ev.place.end] == ev.place.text
    for t in art.tolls:
        assert text[t.start:t.end] == t.text
