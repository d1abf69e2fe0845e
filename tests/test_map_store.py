"""Issue 13, the map on a real store: what the API tells the map to open on (the extent of the
located events trimmed of outliers, the latest day with events but for outlying dates) and the
place names it draws without a tile server. The pages themselves are in test_browser.py."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from hadath.serve import create_app
from hadath.serve.views import latest_day, main_extent, outlying_days

from .conftest import REGION_DAYS


@pytest.fixture(scope="module")
def regional(regional_db):
    return TestClient(create_app(regional_db))


def test_map_opens_on_the_extent_of_the_located_events_trimmed_of_outliers(regional):
    meta = regional.get("/api/meta").json()
    box = meta["extent"]
    # every Syrian town is inside, Sydney (-33.9, 151.2) is not
    assert 32 < box["south"] < 33 and 35 < box["west"] < 36
    assert 36 < box["north"] < 37 and 40 < box["east"] < 41
    assert box["outside"] == 1 and box["inside"] == meta["counts"]["events"] - 1
    # the points of a filter carry their own extent
    points = regional.get("/api/points", params={"place": "سراقب"}).json()
    assert 35.8 < points["extent"]["south"] == points["extent"]["north"] < 35.9


def test_map_opens_on_the_latest_day_with_events_not_an_outlier_date(regional):
    meta = regional.get("/api/meta").json()
    assert meta["last_date"] == "2031-05-01"  # the misread year is still in the store
    assert meta["latest_day"] == REGION_DAYS[-1]


def test_extent_trims_outliers_by_percentile():
    bulk = [(33 + i / 100, 36 + i / 100) for i in range(100)]
    assert main_extent(bulk) == {"south": 33.02, "west": 36.02, "north": 33.97, "east": 36.97,
                                 "share": 0.02, "inside": 96, "outside": 4}
    far = bulk[:98] + [(-33.9, 151.2), (55.7, -77.0)]
    box = main_extent(far)
    assert box["south"] > 33 and box["north"] < 34 and box["west"] > 36 and box["east"] < 37
    # a small store keeps every point: below 50 points, no 2% is a whole point
    small = [(33.5, 36.3), (35.1, 36.7), (-33.9, 151.2)]
    assert main_extent(small) | {"inside": 0, "share": 0} == {
        "south": -33.9, "west": 36.3, "north": 35.1, "east": 151.2, "share": 0, "inside": 0,
        "outside": 0}
    assert main_extent([])["south"] is None
    # more than 2% far away on either side (3% in the Americas, 4% in Indonesia): the 2nd to 98th
    # percentiles would span the world, the 5th to 95th are the region
    region = [(30 + i / 20, 35 + i / 10) for i in range(93)]
    spread = region + [(36.1, -114.0)] * 3 + [(-7.2, 112.7)] * 4
    box = main_extent(spread)
    assert box["share"] == 0.05 and box["west"] > 35 and box["east"] < 45 and box["south"] > 30
    assert box["outside"] == 7 + 4  # and the two outermost of the region on either side


@pytest.mark.parametrize("days, latest", [
    # a misread year, far after the rest: left out
    ({"2024-11-01": 30, "2024-11-20": 20, "2031-05-01": 1}, "2024-11-20"),
    # a genuine last day with few events, close to the rest: kept
    ({"2024-11-01": 30, "2024-11-20": 20, "2024-11-23": 1}, "2024-11-23"),
    # a quiet month before a later day that holds many events: kept
    ({"2024-01-01": 30, "2024-06-01": 30}, "2024-06-01"),
    # two outlying days, both left out
    ({"2018-07-20": 300, "2018-07-27": 2, "2019-01-01": 1, "2030-01-01": 1}, "2018-07-27"),
    ({"2024-11-01": 3}, "2024-11-01"),
])
def test_latest_day_leaves_out_outlier_dates(days, latest):
    per_day = [{"date": dt.date.fromisoformat(d), "kind": "shelling", "events": n}
               for d, n in days.items()]
    assert latest_day(per_day) == dt.date.fromisoformat(latest)
    assert latest_day([]) is None


def test_place_labels_offline_name_capitals_and_places_with_events(regional):
    labels = regional.get("/api/labels").json()
    by_name = {lb["name"]: lb for lb in labels}
    # governorate capitals and country capitals, from the gazetteer, in both scripts
    assert by_name["Damascus"]["rank"] == "country" and by_name["Damascus"]["name_ar"] == "دمشق"
    assert by_name["Hamah"]["rank"] == "admin1" and by_name["Hamah"]["name_ar"] == "حماة"
    assert by_name["Hamah"]["events"] >= 3
    assert by_name["Ar Raqqah"]["rank"] == "admin1"
    # the places of the events that are no capital, with their number of events
    assert by_name["Saraqib"]["rank"] == "events" and by_name["Saraqib"]["name_ar"] == "سراقب"
    assert by_name["Saraqib"]["events"] >= 3
    # most important first: country capitals, governorate capitals, then places by events
    ranks = [lb["rank"] for lb in labels]
    assert ranks == sorted(ranks, key=["country", "admin1", "events"].index)
    events = [lb["events"] for lb in labels if lb["rank"] == "events"]
    assert events == sorted(events, reverse=True)
    assert all(-90 <= lb["lat"] <= 90 and -180 <= lb["lon"] <= 180 for lb in labels)
    assert len({lb["key"] for lb in labels}) == len(labels)


def test_map_chart_leaves_out_outlier_dates_at_either_end(regional):
    meta = regional.get("/api/meta").json()
    assert meta["span"] == {"from": "2024-11-01", "to": REGION_DAYS[-1], "outside": 1}
    stats = regional.get("/api/stats").json()
    assert stats["span"] == meta["span"]
    per_day = [{"date": dt.date(1948, 5, 15), "kind": "killing", "events": 1},
               {"date": dt.date(2024, 11, 1), "kind": "shelling", "events": 30},
               {"date": dt.date(2024, 11, 9), "kind": "shelling", "events": 20}]
    assert outlying_days(per_day) == (dt.date(2024, 11, 1), dt.date(2024, 11, 9))
