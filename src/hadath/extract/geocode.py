"""``hadath geocode``: every place mention of a text, with its candidates and the reasons for
the choice — the view an analyst needs to see why an event landed where it did."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ..geo import DocContext, Gazetteer, PlaceMention, default_gazetteer
from ..lexicon import Lexicon, default_lexicon
from ..text import normalize, sentence_spans
from .article import _add_landmarks_and_roads
from .mentions import analyse


class Candidate(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    name_ar: str | None = None
    lat: float | None = None
    lon: float | None = None
    feature: str
    country: str | None = None
    admin1: str | None = None
    gazetteer_id: str
    score: float
    why: list[str] = Field(default_factory=list)


class GeocodedMention(BaseModel):
    """One place mention: where it is in the text, what it resolved to, and the candidates."""

    model_config = ConfigDict(frozen=True)

    line: int | None = None
    mention: str
    start: int
    end: int
    name: str | None = None
    name_ar: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: int | None = Field(None, description="UCDP where_prec; null when unresolved")
    feature: str | None = None
    gazetteer_id: str | None = None
    via: str = Field("arabic", description="arabic name, latin name (transliteration), context")
    why: list[str] = Field(default_factory=list)
    candidates: list[Candidate] = Field(default_factory=list)


def geocode(text: str, line: int | None = None, lexicon: Lexicon | None = None,
            gazetteer: Gazetteer | None = None, max_candidates: int = 5) -> list[GeocodedMention]:
    """Every place mention of ``text`` (all sentences, not only those with an event)."""
    lex, gaz = lexicon or default_lexicon(), gazetteer or default_gazetteer()
    norm = normalize(text)
    ctx = DocContext()
    landmarks: dict = {}
    out: list[GeocodedMention] = []
    for k, (s, e) in enumerate(sentence_spans(norm.text)):
        sent = analyse(norm, s, e, k, lex, gaz, ctx, None, places=True)
        _add_landmarks_and_roads(sent, norm, landmarks)
        for pm in sent.places:
            out.append(_describe(pm, sent, norm, line, max_candidates))
    return out


def _describe(pm: PlaceMention, sent, norm, line: int | None, n: int) -> GeocodedMention:
    start, end = norm.span(sent.tokens[pm.first].start, sent.tokens[pm.last].end)
    mention = norm.original[start:end]
    cands = [Candidate(name=c.name, name_ar=c.name_ar or None, lat=c.lat, lon=c.lon,
                       feature=c.feature, country=c.country or None, admin1=c.admin1 or None,
                       gazetteer_id=c.gid, score=score, why=why)
             for c, score, why in pm.scored[:n]]
    why: list[str] = []
    if pm.modifier:
        why.append(f"modifier: {pm.modifier}")
    if pm.feature_cue:
        why.append(f"feature word before it: {pm.feature_cue}")
    if pm.container is not None and pm.container.chosen is not None:
        why.append(f"inside {pm.container.chosen.name}, named next to it")
    if pm.landmark:
        why.append("a landmark the gazetteer does not know: placed at its town, precision 2")
    if pm.role == "to":
        why.append("a destination (إلى، نحو)")
    place = pm.place
    if place is None or place.precision is None:
        return GeocodedMention(line=line, mention=mention, start=start, end=end,
                               why=why + ["no gazetteer entry fits: kept as text, no point"],
                               candidates=cands, via="none")
    via = "latin" if pm.latin and place.gazetteer_id in pm.latin else (
        "context" if pm.landmark else "arabic")
    if pm.country is not None:
        why.append("a country: no single point")
    if place.feature == "road":
        why.append("a road between two places: a line, no single point")
    return GeocodedMention(line=line, mention=mention, start=start, end=end, name=place.name,
                           name_ar=place.name_ar, lat=place.lat, lon=place.lon,
                           precision=place.precision, feature=place.feature,
                           gazetteer_id=place.gazetteer_id, via=via, why=why, candidates=cands)
