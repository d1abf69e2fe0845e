"""Places: the gazetteer store, Arabic ↔ Latin linking, place mentions and their resolution.

- :mod:`.builtin`: the built-in places (GeoNames, OpenSyria, UCDP, Who's On First, curated
  regions and landmarks) compiled into one read-only SQLite file.
- :mod:`.store`: the user's SQLite gazetteer and its importers (GeoNames dumps, CSV lists).
- :mod:`.translit`: consonant skeletons that link Arabic names to Latin ones.
- :mod:`.gazetteer`: the index of Arabic names the extractor matches text against.
- :mod:`.context`: the countries an article names (for namesakes in several countries).
- :mod:`.resolve`: place mentions, context, candidate ranking and precision codes.
- :mod:`.search`: a bare name's candidates and a fuzzy search (``hadath gazetteer search``).
"""

from .builtin import BuiltinStore, open_builtin
from .gazetteer import Gazetteer, LatinHit, default_gazetteer
from .resolve import (LOCATIVE, DocContext, GazetteerEntry, PlaceMention, distance_km,
                      find_place_mentions, group_place_matches, landmark_place, resolve_mentions,
                      road_place, score_candidates)
from .search import NameHit, lookup, search
from .store import GazetteerStore, ImportReport, PlaceRow

__all__ = ["LOCATIVE", "BuiltinStore", "DocContext", "Gazetteer", "GazetteerEntry",
           "GazetteerStore", "ImportReport", "LatinHit", "NameHit", "PlaceMention", "PlaceRow",
           "default_gazetteer", "distance_km", "find_place_mentions", "group_place_matches",
           "landmark_place", "lookup", "open_builtin", "resolve_mentions", "road_place",
           "score_candidates", "search"]
