"""Shared fixtures: the built-in lexicon and gazetteer, example texts, the shared data folder."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from hadath import extract
from hadath.geo import default_gazetteer
from hadath.lexicon import default_lexicon

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = Path(os.environ.get("HADATH_SHARED", ROOT.parent / "shared"))
# A PostgreSQL server for the store tests: a URL whose user may create databases, e.g.
# postgresql+psycopg://hadath:hadath@127.0.0.1/hadath_test (.ci/run sets it up).
PG_URL = os.environ.get("HADATH_TEST_PG")


@pytest.fixture(scope="session")
def lex():
    return default_lexicon()


@pytest.fixture(scope="session")
def gaz():
    return default_gazetteer()


@pytest.fixture
def run():
    """Extract events from a short text published on 2024-12-01 (a Sunday)."""
    def _run(text: str, date: dt.date | None = dt.date(2024, 12, 1)):
        return extract(text, date=date)
    return _run


def shared_file(*parts: str) -> Path:
    """A file under ../shared, or skip the test with the reason."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared is only present where the project data is)")
    return path


# An article whose every field carries markup: the pages must show it as text.
HOSTILE = {
    "id": "markup-1", "source": "<b>Outlet</b>", "date": "2024-12-02",
    "url": "javascript:window.__xss=3", "title": '<img src=x onerror="window.__xss=1">',
    "text": "<script>window.__xss=2</script> قتل 12 مدنيا في غارة جوية روسية على مدينة سراقب أمس، "
            'بحسب المرصد السوري. <img src=x onerror="window.__xss=4"> وقال ناشطون إن الغارة '
            "استهدفت سوقا شعبيا.",
}


@pytest.fixture(scope="session")
def served_db(tmp_path_factory):
    """A store built from the bundled examples and one article full of markup."""
    import json

    from hadath.ingest import ingest
    from hadath.store import Store

    folder = tmp_path_factory.mktemp("served")
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE, ensure_ascii=False) + "\n", encoding="utf-8")
    db = folder / "served.db"
    store = Store(db)
    ingest([str(EXAMPLES), str(hostile)], store)
    return db


# A store as a real one is: many events in one region, one placed across the world (a namesake
# found in the gazetteer) and one dated years ahead (a misread year).
REGION_TOWNS = ("حلب", "إدلب", "حماة", "حمص", "دمشق", "دوما", "سراقب", "كفرنبل", "معرة النعمان",
                "خان شيخون", "درعا", "اللاذقية", "الرقة", "دير الزور", "منبج")
REGION_DAYS = ("2024-11-01", "2024-11-08", "2024-11-15", "2024-11-22")
REGION_WORDING = ("قصفت قوات النظام مدينة {} بالمدفعية اليوم.",
                  "قصفت قوات النظام مدينة {} بالمدفعية الثقيلة اليوم.",
                  "قصف الجيش السوري مدينة {} بالمدفعية اليوم.",
                  "قصفت قوات النظام أطراف مدينة {} بالمدفعية اليوم.")
OUTLIER_PLACE = {"id": "far", "date": "2024-11-10", "source": "Outlet",
                 "text": "قتل ثلاثة مدنيين في انفجار في مدينة سيدني اليوم."}
OUTLIER_DAY = {"id": "ahead", "date": "2031-05-01", "source": "Outlet",
               "text": "قصفت قوات النظام مدينة حلب بالصواريخ اليوم."}


@pytest.fixture(scope="session")
def regional_db(tmp_path_factory):
    """A store of 60 shelling events over 15 Syrian towns on four days of November 2024, one
    event in Sydney and one dated 2031 (see REGION_TOWNS)."""
    import json

    from hadath.ingest import InputOptions, ingest
    from hadath.store import Store

    folder = tmp_path_factory.mktemp("regional")
    rows = [{"id": f"{i}-{j}", "date": day, "source": "Outlet", "text": wording.format(town)}
            for i, town in enumerate(REGION_TOWNS)
            for j, (day, wording) in enumerate(zip(REGION_DAYS, REGION_WORDING, strict=True))]
    rows += [OUTLIER_PLACE, OUTLIER_DAY]
    path = folder / "regional.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    db = folder / "regional.db"
    ingest([str(path)], Store(db), InputOptions(), jobs=1)
    return db


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    """Each store test runs on SQLite and on PostgreSQL (where HADATH_TEST_PG names a server;
    skipped otherwise, unless HADATH_REQUIRE_PG=1 makes that a failure)."""
    if request.param == "postgresql" and not PG_URL:
        reason = "no PostgreSQL server: set HADATH_TEST_PG (see .ci/run)"
        if os.environ.get("HADATH_REQUIRE_PG") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return request.param


@pytest.fixture
def new_db(backend, tmp_path):
    """A factory of new, empty stores on the backend under test: ``new_db("name")`` gives a
    SQLite path or a PostgreSQL URL of a database made for the test (dropped afterwards)."""
    from uuid import uuid4

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    made: list[str] = []
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT") if backend == "postgresql" else None

    def make(name: str = "store") -> str:
        if admin is None:
            return str(tmp_path / f"{name}.db")
        db = f"hadath_t_{uuid4().hex[:12]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{db}"'))
        made.append(db)
        return make_url(PG_URL).set(database=db).render_as_string(hide_password=False)

    yield make
    if admin is not None:
        with admin.connect() as conn:
            for db in made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        admin.dispose()
