"""Publication dates in whatever form sources give them, to ISO 8601."""

from __future__ import annotations

import re
import time
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime

from dateutil import parser as dateutil_parser

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DOTTED = re.compile(r"^\s*\d{1,2}\.\d{1,2}\.\d{2,4}")
_TIME = re.compile(r"\d{1,2}[:h]\d{2}|\d\s*[ap]\.?m\b", re.I)
# French, German and Spanish month names, for dateutil, which reads English ones only.
_MONTHS = {
    **dict.fromkeys(["janvier", "januar", "jänner", "enero"], "january"),
    **dict.fromkeys(["février", "februar", "febrero"], "february"),
    **dict.fromkeys(["mars", "märz", "marzo"], "march"),
    **dict.fromkeys(["avril", "abril"], "april"),
    **dict.fromkeys(["mai", "mayo"], "may"),
    **dict.fromkeys(["juin", "juni", "junio"], "june"),
    **dict.fromkeys(["juillet", "juli", "julio"], "july"),
    **dict.fromkeys(["août", "agosto"], "august"),
    **dict.fromkeys(["septembre", "septiembre"], "september"),
    **dict.fromkeys(["octobre", "oktober", "octubre"], "october"),
    **dict.fromkeys(["novembre", "noviembre"], "november"),
    **dict.fromkeys(["décembre", "dezember", "diciembre"], "december"),
}
_MONTH_WORD = re.compile(r"\b(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b")


def to_iso(value) -> str | None:
    """ISO 8601 for a date given as text, epoch seconds/milliseconds, datetime or struct_time.

    A date without a time stays a date (``2023-10-20``); a datetime keeps its
    offset when it has one. Returns ``None`` for values that are not dates.
    """
    if value is None or value == "":
        return None
    if isinstance(value, time.struct_time):  # feedparser's *_parsed fields are UTC
        try:
            return datetime(*value[:6], tzinfo=timezone.utc).isoformat()
        except ValueError:  # year -1, month 13: feedparser passes them through
            return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc).isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    if not text or len(text) > 80 or not any(c.isdigit() for c in text):
        return None
    if _DATE_ONLY.match(text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    for parse in (datetime.fromisoformat, parsedate_to_datetime):
        try:
            return parse(text).isoformat()
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    words = re.sub(r"\b(de|del|le|den|der)\b", " ", text.lower())  # "11 de marzo de 2025"
    words = _MONTH_WORD.sub(lambda m: _MONTHS[m.group()], words)
    try:
        # Dotted numeric dates are day first (13.03.2025, the German/Central European form).
        parsed = dateutil_parser.parse(words, fuzzy=False, dayfirst=bool(_DOTTED.match(text)))
    except (ValueError, OverflowError, TypeError):
        return None
    try:
        return parsed.isoformat() if _TIME.search(text) else parsed.date().isoformat()
    except ValueError:  # an impossible UTC offset (+99:00)
        return None
