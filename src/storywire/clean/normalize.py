"""Character-level normalisation of scraped text.

Decision on quotes: in the clean text, typographic quotes and apostrophes
(‘ ’ ‚ ‛ “ ” „ ‟) become ASCII ``'`` and ``"``, so that a copy that only swapped
quote styles compares equal to its source. Guillemets (« ») are kept: they are
the normal quotes of several languages, not a typographic variant. Titles and
outlet names are metadata and keep their characters (NFC only).

Also: mojibake repaired (ftfy), Unicode NFC, non-breaking and zero-width spaces
handled, line ends unified. Full-width punctuation is left alone because CJK
sentence splitting relies on it.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy
from ftfy.badness import is_bad

_FTFY = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    fix_character_width=False,
    fix_latin_ligatures=True,
    normalization="NFC",
    explain=False,
)
# HTML entities and Latin ligatures, which ftfy repairs but does not count as "bad".
_ENTITY = re.compile("&(?:#\\d+|#x[0-9a-f]+|[a-z]+\\d*);", re.I)
_LIGATURE = re.compile("[\ufb00-\ufb06]")
_MOJIBAKE = re.compile("[\u00c2-\u00f0][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2026\u2030\u2039\u203a\u20ac\u2122]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile("[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# What _SPACES would change: a space other than " ", or two in a row.
_ODD_SPACES = re.compile("[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]|  ")


_KEY_WORD = re.compile(r"[^\W_]+")
_QUOTES = (("‘", "'"), ("’", "'"), ("‚", "'"), ("‛", "'"), ("“", '"'), ("”", '"'), ("„", '"'), ("‟", '"'))


def fold_quotes(text: str) -> str:
    """Typographic quotes and apostrophes to ASCII (see the module docstring)."""
    # Eight scans and replaces are many times faster than str.translate on non-ASCII text.
    for curly, plain in _QUOTES:
        if curly in text:
            text = text.replace(curly, plain)
    return text


def normalize_text(text: str) -> str:
    """Repaired, NFC, one space between words, ``\\n`` line ends; quotes as written."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # ftfy is slow and most texts need nothing from it: call it only when UTF-8
    # decoded as latin-1/cp1252 (mojibake), an HTML entity or a ligature shows up.
    if (_MOJIBAKE.search(text) and is_bad(text)) or ("&" in text and _ENTITY.search(text)) \
            or _LIGATURE.search(text):
        text = ftfy.fix_text(text, _FTFY)
    else:
        text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH.sub("", text)
    if _ODD_SPACES.search(text):  # most texts have single spaces only: nothing to replace
        text = _SPACES.sub(" ", text)  # never across a line end
    return "\n".join(line.strip() for line in text.split("\n"))


def normalize_meta(value: str | None) -> str | None:
    """Metadata text (title, outlet): NFC and single spaces, characters otherwise kept."""
    if value is None:
        return None
    value = _SPACES.sub(" ", unicodedata.normalize("NFC", _ZERO_WIDTH.sub("", value))).strip()
    return value or None


def line_key(line: str) -> str:
    """A comparison key for lines: case, quotes, punctuation and spacing ignored."""
    return " ".join(_KEY_WORD.findall(line.casefold()))
