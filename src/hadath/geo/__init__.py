"""Places: the gazetteer store, Arabic ↔ Latin linking, place mentions and their resolution.

- :mod:`.store`: the SQLite gazetteer and its importers (GeoNames dumps, CSV lists).
- :mod:`.translit`: consonant skeletons that link Arabic names to Latin ones.
- :mod:`.gazetteer`: the index of Arabic names the extractor matches text against.
- :mod:`.resolve`: place mentions, context, candidate ranking and precision codes.
"""

from .gazetteer import Gazetteer, LatinHit, default_gazetteer
from .resolve import (LOCATIVE, DocContext, GazetteerEntry, PlaceMention, distance_km,
                      find_place_mentions, group_place_matches, landmark_place, resolve_mentions,
                      road_place, score_candidates)
from .store import GazetteerStore, ImportReport, PlaceRow

__all__ = ["LOCATIVE", "DocContext", "Gazetteer", "GazetteerEntry", "GazetteerStore",
           "ImportReport", "LatinHit", "PlaceMention", "PlaceRow", "default_gazetteer",
           "distance_km", "find_place_mentions", "group_place_matches", "landmark_place",
           "resolve_mentions", "road_place", "score_candidates"]
