"""Bytes to text: UTF-8 first, then a detected legacy encoding; binary data refused.

Scraped files are often latin-1 or cp1252. Rather than rejecting them, the
encoding is detected with charset-normalizer and the text decoded; the name of
the encoding used is returned so that readers can record it.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from ..errors import InputError

# Bytes inspected to tell text from binary data.
SNIFF_BYTES = 8192
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control bytes that never occur in text files (NUL, and C0 controls except \t \n \f \r, ESC).
_BINARY_BYTES = frozenset(range(0, 32)) - {9, 10, 12, 13, 27}


def bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def looks_binary(head: bytes) -> bool:
    """True when the first bytes of a file contain bytes no text file has."""
    if not head or bom_encoding(head) in ("utf-16", "utf-32"):
        return False
    controls = sum(1 for b in head[:SNIFF_BYTES] if b in _BINARY_BYTES)
    return b"\x00" in head[:SNIFF_BYTES] or controls > len(head[:SNIFF_BYTES]) * 0.05


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data``; return (text, encoding).

    Order: byte-order mark, UTF-8, the ``declared`` charset (HTTP header or HTML
    meta), then detection. Raises :class:`InputError` for binary data.
    """
    if looks_binary(data[:SNIFF_BYTES]):
        raise InputError("binary file (not text)", hint="only text, HTML, JSON, feeds and WARC are read")
    bom = bom_encoding(data)
    if bom:
        try:
            return data.decode(bom), bom
        except UnicodeDecodeError:
            pass  # a BOM, then bytes in another encoding: detected below
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared), declared.lower()
        except (LookupError, UnicodeDecodeError):
            pass
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise InputError("binary file (no text encoding fits)", hint="convert the file to UTF-8 text")
    # Among equally clean guesses prefer cp1252, by far the most common legacy
    # encoding (browsers read latin-1 as cp1252 too); short texts often tie.
    western = next((m for m in matches if m.encoding == "cp1252" and m.chaos <= best.chaos), None)
    best = western or best
    return str(best), best.encoding


def content_type_charset(content_type: str) -> str | None:
    """The ``charset=`` parameter of an HTTP Content-Type header."""
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"'")
    return None
