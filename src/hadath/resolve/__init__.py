"""Across reports: merging reports into events, control over time, and contradictions."""

from .contested import Contradiction, contradictions
from .control import Period, Timeline, control_at, find_place, held_at, kept_timelines, timelines
from .merge import attach, compatible, merged_row, same_actor

__all__ = ["Contradiction", "Period", "Timeline", "attach", "compatible", "contradictions",
           "control_at", "find_place", "held_at", "kept_timelines", "merged_row", "same_actor",
           "timelines"]
