"""Framing comparison: for one story, how each outlet's telling differs.

See :mod:`storywire.compare.story` (the comparison) and
:mod:`storywire.compare.edits` (a copy's edits seen from its source).
"""

from .edits import Edit, Passage, changed_core, side_segments
from .story import CopyComparison, StoryComparison, compare_story, figure_table, quote_groups

__all__ = [
    "CopyComparison", "Edit", "Passage", "StoryComparison", "changed_core", "compare_story",
    "figure_table", "quote_groups", "side_segments",
]
