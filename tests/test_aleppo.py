"""The issue's acceptance checks on the canonical sample (../shared/examples)."""

from __future__ import annotations

import datetime as dt

import pytest

from hadath import extract
from hadath.geo import distance_km

from .conftest import shared_file


@pytest.fixture(scope="module")
def article():
    path = shared_file("examples", "aleppo_2024-12-01.ar.txt")
    text = path.read_text(encoding="utf-8")
    return text, extract(text, date=dt.date(2024, 12, 1))


def find(article, kind, place=None):
    _, art = article
    return [e for e in art.events if e.kind == kind
            and (place is None or (e.place and place in (e.place.name, e.place.name_ar)))]


def test_towns_taken(article):
    for name, lat, lon in (("Khanasir", 35.78, 37.50), ("Ma`arrat an Nu`man", 35.65, 36.68),
                           ("Khan Shaykhun", 35.44, 36.65), ("Aleppo International Airport", 36.18, 37.22)):
        evs = find(article, "territory_control", name)
        assert evs, name
        assert distance_km(evs[0].place.lat, evs[0].place.lon, lat, lon) < 5
    assert find(article, "territory_control", "Khanasir")[0].actor1 == "Hayat Tahrir al-Sham"


def test_the_hama_withdrawal_is_contested(article):
    ev = find(article, "withdrawal", "Hamah")[0]
    assert ev.status == "contested"
    stance = {c.source.split(":")[0]: c.stance for c in ev.claims}
    assert stance["SOHR"] == "confirms" and stance["Military Forces of Syria"] == "denies"


def test_the_airstrike_at_dawar_al_basel(article):
    ev = [e for e in find(article, "air_strike") if e.place and "دوار الباسل" in (e.place.name_ar or "")][0]
    assert ev.fatalities == 16
    assert ev.actor1 == "Military Forces of Russia" and ev.actor1_hedged
    assert ev.place.name == "Aleppo" and ev.place.precision == 2


def test_327_is_a_toll_not_fatalities(article):
    _, art = article
    assert [t.value for t in art.tolls] == [327]
    assert all(e.fatalities != 327 for e in art.events)


def test_the_repeated_exodus_is_one_event_with_two_spans(article):
    text, _ = article
    evs = find(article, "displacement")
    assert len(evs) == 1 and len(evs[0].evidence) == 2
    assert evs[0].place.name == "Aleppo"
    for e in evs[0].evidence:
        assert text[e.start:e.end] == e.text
    roads = find(article, "road_closure")
    assert len(roads) == 1 and len(roads[0].evidence) == 2 and roads[0].place.precision == 5


def test_the_sdf_holds_nubl_and_zahraa_and_the_background_sentence_yields_nothing(article):
    text, art = article
    for name in ("Nubl", "Zahraa"):
        ev = find(article, "territory_held", name)[0]  # a statement that SDF holds it, not a change
        assert ev.actor1 == "SDF: Syrian Democratic Forces" and ev.status == "confirmed"
    background = text.index("وقوات سوريا الديمقراطية هي")
    end = text.index("\n", background)
    assert not any(background <= e.start < end for ev in art.events for e in ev.evidence)


def test_every_field_traces_to_its_characters(article):
    text, art = article
    for ev in art.events:
        for spans in ev.spans.values():
            for s in spans:
                assert text[s.start:s.end] == s.text
        for c in ev.claims:
            assert text[c.start:c.end] == c.text


def test_one_air_strike_only_the_cause_named_by_the_army_is_not_another(article):
    """"لم تحدد نقاط تمركزها في حلب نتيجة الغارات الجوية" names the strikes as a cause."""
    assert len(find(article, "air_strike")) == 1
