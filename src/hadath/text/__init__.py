"""The text layer: normalisation with offsets, tokens and clitics, numbers and dates."""

from .dates import DateMention, counted_apart, find_dates
from .normalize import (Normalized, OffsetMap, arabic_share, normalize, normalize_key,
                        normalize_spelling)
from .numbers import Number, find_numbers
from .tokens import Analysis, Token, analyses, clause_ids, cores, sentence_spans, strip_suffix, tokenize

__all__ = [
    "Analysis", "DateMention", "Normalized", "Number", "OffsetMap", "Token", "analyses",
    "arabic_share", "clause_ids", "cores", "counted_apart", "find_dates", "find_numbers", "normalize",
    "normalize_key", "normalize_spelling", "sentence_spans", "strip_suffix", "tokenize",
]
