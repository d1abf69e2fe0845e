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
