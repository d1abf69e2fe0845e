"""The bundled examples: the events a careful reader would code."""

from __future__ import annotations

import datetime as dt

from hadath import extract

from .conftest import EXAMPLES


def events(name, date):
    return extract((EXAMPLES / name).read_text(encoding="utf-8"), date=date).events


def test_idlib_shelling():
    evs = events("idlib_shelling_2024-12-03.ar.txt", dt.date(2024, 12, 3))
    shelling = [e for e in evs if e.kind == "shelling" and e.place.name == "Kafranbel"][0]
    assert shelling.fatalities == 5 and shelling.actor1 == "Military Forces of Syria"
    assert shelling.status == "contested"  # the ministry denies it
    strike = [e for e in evs if e.kind == "air_strike"][0]
    assert strike.fatalities == 2 and strike.date == dt.date(2024, 12, 2)
    assert strike.actor2 == "Hayat Tahrir al-Sham" and strike.place.precision == 2
    assert any(e.kind == "displacement" for e in evs)
    assert all(e.fatalities != 42 for e in evs)  # a running toll


def test_gaza_strike():
    evs = events("gaza_strike_2024-01-15.ar.txt", dt.date(2024, 1, 15))
    strike = [e for e in evs if e.kind == "air_strike"][0]
    assert strike.actor1 == "Military Forces of Israel" and strike.fatalities == 7
    assert strike.place.name_ar == "خان يونس"
    arrest = [e for e in evs if e.kind == "arrest"][0]
    assert arrest.place.name_ar == "جنين" and arrest.claims[0].source == "Palestinian Prisoners' Society"
    assert [e.kind for e in evs if e.kind == "road_closure"]


def test_sudan_elfasher():
    evs = events("sudan_elfasher_2024-06-09.ar.txt", dt.date(2024, 6, 9))
    control = [e for e in evs if e.kind == "territory_control"][0]
    assert control.actor1 == "RSF: Rapid Support Forces" and control.status == "contested"
    assert control.place.precision == 2  # the city's airport, not in the gazetteer
    clash = [e for e in evs if e.kind == "armed_clash"][0]
    assert clash.actor2 == "Military Forces of Sudan"
    assert [e.fatalities for e in evs if e.kind == "shelling"] == [14]


def test_basra_protest():
    evs = events("basra_protest_2018-07-15.ar.txt", dt.date(2018, 7, 15))
    assert sorted(e.kind for e in evs) == ["arrest", "riot"]
    riot = [e for e in evs if e.kind == "riot"][0]
    assert riot.place.name == "Basrah" and riot.place.precision == 1 and len(riot.evidence) == 2


def test_hama_takeover():
    evs = events("hama_takeover_2024-12-05.ar.txt", dt.date(2024, 12, 5))
    taken = [e for e in evs if e.kind == "territory_control"][0]
    assert taken.actor1 == "Hayat Tahrir al-Sham" and taken.place.name_ar == "حماة"
    assert taken.date == dt.date(2024, 12, 5) and taken.status == "claimed"
    left = [e for e in evs if e.kind == "withdrawal"][0]
    assert left.actor1 == "Military Forces of Syria" and left.status == "confirmed"
    strike = [e for e in evs if e.kind == "air_strike"][0]
    assert strike.actor1 == "Military Forces of Russia" and strike.place.name == "Al Lataminah"
    # "جبل" (mountain) is a terrain word, not the town of Jablah
    assert all(e.place is None or e.place.name != "Jablah" for e in evs)
