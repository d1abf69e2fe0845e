"""The gazetteer as the extractor sees it: an index of Arabic names over a store, and a
transliteration lookup that lets an Arabic mention find a place known only by Latin names."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..lexicon import PhraseIndex, read_table
from ..text.normalize import normalize_key
from ..errors import GazetteerError
from .store import GazetteerStore, PlaceRow, builtin_digest, default_path
from .translit import arabic_keys, similarity

MIN_NAME = 3  # normalised letters: shorter names are too often common words
MIN_SKELETON = 2  # consonants an Arabic name needs before Latin-only names are tried
MAX_SKELETON_SET = 300_000  # places; above this, skeleton lookups go to the database only


@dataclass(frozen=True, slots=True)
class LatinHit:
    """A place reached through its Latin name: the place, that name, and how well it fits."""

    place: PlaceRow
    name: str
    score: float


class Gazetteer:
    """Places with Arabic names indexed for running text; the store for everything else."""

    def __init__(self, store: GazetteerStore) -> None:
        self.store = store
        self.by_gid: dict[str, PlaceRow] = {}
        self._latin_cache: dict[tuple[str, float, int], list[LatinHit]] = {}
        # every skeleton of the store, to skip the database for words no place name fits
        # (left out for very large stores, where the database index does the work alone)
        self._skeletons: frozenset[str] | None = None
        if store.count() <= MAX_SKELETON_SET:
            self._skeletons = frozenset(r[0] for r in store.db.execute(
                "SELECT DISTINCT skel FROM skeletons"))
        self.index = PhraseIndex(strict_article=True)
        self.rules = stopword_rules()
        for row in store.with_arabic_names():
            self.by_gid[row.gid] = row
            usable = [f for f in row.names_ar if len(normalize_key(f).replace(" ", "")) >= MIN_NAME
                      and self.rules.get(normalize_key(f)) != "never"]
            plain = [f for f in usable if normalize_key(f) not in self.rules]
            cued = [f for f in usable if self.rules.get(normalize_key(f)) == "cue"]
            if plain:
                self.index.add("place", row, "|".join(plain))
            if cued:
                self.index.add("place_cue", row, "|".join(cued))

    @classmethod
    def load(cls, path: str | Path | None = None) -> Gazetteer:
        """The store at ``path``, or the user's default store if it exists, else the built-in
        places (kept in a cache file so that the next start is quick, or in memory)."""
        target = Path(path) if path else default_path()
        if path or target.is_file():
            return cls(GazetteerStore(target))
        return cls(_builtin_store())

    def get(self, gid: str) -> PlaceRow | None:
        row = self.by_gid.get(gid)
        if row is None:
            row = self.store.get(gid)
            if row is not None:
                self.by_gid[gid] = row
        return row

    def latin(self, arabic: str, min_score: float = 0.0, min_skeleton: int = MIN_SKELETON
              ) -> list[LatinHit]:
        """Places whose Latin names fit an Arabic name, best first (same consonant skeleton,
        ranked by vowel-aware similarity)."""
        cache_key = (arabic, min_score, min_skeleton)
        cached = self._latin_cache.get(cache_key)
        if cached is not None:
            return cached
        keys = [k for k in arabic_keys(arabic) if len(k) >= min_skeleton]
        if self._skeletons is not None:
            keys = [k for k in keys if k in self._skeletons]
        best: dict[str, LatinHit] = {}
        for row, name in _cached_lookup(self.store, tuple(keys)):
            if any("\u0600" <= ch <= "\u06ff" for ch in name):
                continue  # reached by an Arabic name: the Arabic index already had its chance
            score = similarity(arabic, name)
            if score >= min_score and (row.gid not in best or score > best[row.gid].score):
                best[row.gid] = LatinHit(row, name, score)
        hits = sorted(best.values(), key=lambda h: -h.score)
        if len(self._latin_cache) > 200_000:
            self._latin_cache.clear()
        self._latin_cache[cache_key] = hits
        return hits


_CACHE: dict[tuple[int, tuple[str, ...]], list[tuple[PlaceRow, str]]] = {}


def _cached_lookup(store: GazetteerStore, keys: tuple[str, ...]) -> list[tuple[PlaceRow, str]]:
    if not keys:
        return []
    key = (id(store), keys)
    hit = _CACHE.get(key)
    if hit is None:
        if len(_CACHE) > 100_000:
            _CACHE.clear()
        hit = _CACHE[key] = store.by_skeleton(keys)
    return hit


def _builtin_store() -> GazetteerStore:
    """The built-in places as a store: a cache file named by the data's digest, else memory."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hadath"
    path = cache / f"builtin-{builtin_digest()[:16]}.sqlite"
    try:
        if path.is_file():
            return GazetteerStore(path)
        cache.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        GazetteerStore(tmp).close()
        os.replace(tmp, path)
        return GazetteerStore(path)
    except (OSError, GazetteerError):
        return GazetteerStore(":memory:")


def stopword_rules() -> dict[str, str]:
    """Normalised name -> rule ("never" or "cue") from place_stopwords.tsv."""
    return {normalize_key(r["word"]): r["rule"] for r in read_table("place_stopwords.tsv")}


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The user's store (HADATH_GAZETTEER or the default path) if any, else the built-ins."""
    return Gazetteer.load()
