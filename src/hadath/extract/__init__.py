"""Events from Arabic news text: ``extract(text) -> Article``.

Stages: :mod:`.mentions` finds what the lexicon, the gazetteer and the text layer see in each
sentence; :mod:`.attribution` finds who says it; :mod:`.frames` turns triggers into event
frames with actors, places, dates and deaths; :mod:`.article` merges repeated reports within
the article and sets each event's status.
"""

from __future__ import annotations

import datetime as dt

from ..geo import Gazetteer, default_gazetteer
from ..lexicon import Lexicon, default_lexicon
from ..models import Article
from .article import extract_article, merge_events, stances_status, status_of


def extract(text: str, date: dt.date | None = None, doc_id: str | None = None,
            source: str | None = None, lexicon: Lexicon | None = None,
            gazetteer: Gazetteer | None = None) -> Article:
    """Extract the events of one article.

    Args:
        text: the article, as written (offsets in the result index this string).
        date: publication date; relative dates (أمس، الأحد) resolve against it.
        doc_id: an identifier carried into every event.
        source: the outlet, used as the source of unattributed statements.
        lexicon, gazetteer: override the built-in data (loaded once, lazily, by default).

    Returns:
        An :class:`~hadath.models.Article` with events and toll statements.
    """
    return extract_article(text, lexicon or default_lexicon(), gazetteer or default_gazetteer(),
                           date=date, doc_id=doc_id, source=source)


__all__ = ["extract", "extract_article", "merge_events", "stances_status", "status_of"]
