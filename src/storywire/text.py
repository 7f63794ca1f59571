"""Text primitives every stage uses: words in any script, sentences, folding.

Words are runs of letters and digits in any script; scripts written without
spaces (Chinese, Japanese, Thai) are split into single characters so that
shingles stay meaningful. Offsets always refer to the text passed in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterator

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Scripts without word spaces: CJK ideographs, kana, Thai, Lao, Khmer, Myanmar.
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
)


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def norm(self) -> str:
        return normalize_word(self.text)


def normalize_word(word: str) -> str:
    """Case- and apostrophe-insensitive form of a word, diacritics kept."""
    return word.casefold().replace("’", "'")


def fold(text: str) -> str:
    """Casefold and strip diacritics: 'Fayçal' -> 'faycal'. For matching names."""
    if text.isascii():
        return text.lower()  # the same result, without Unicode normalisation
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def token_texts(text: str) -> list[str]:
    """The texts of :func:`tokens`, cheaper where no offsets are needed."""
    if not _UNSPACED.search(text):
        return _WORD.findall(text)
    return [t.text for t in tokens(text)]


def tokens(text: str) -> list[Token]:
    """Word tokens with character offsets, in any script."""
    if not _UNSPACED.search(text):
        return [Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    out: list[Token] = []
    for m in _WORD.finditer(text):
        word, start = m.group(), m.start()
        if _UNSPACED.search(word):
            # Keep runs of spaced-script letters (e.g. Latin inside Chinese) whole.
            buf_start = None
            for i, ch in enumerate(word):
                if _UNSPACED.match(ch):
                    if buf_start is not None:
                        out.append(Token(word[buf_start:i], start + buf_start, start + i))
                        buf_start = None
                    out.append(Token(ch, start + i, start + i + 1))
                elif buf_start is None:
                    buf_start = i
            if buf_start is not None:
                out.append(Token(word[buf_start:], start + buf_start, start + len(word)))
        else:
            out.append(Token(word, start, m.end()))
    return out


def words(text: str) -> list[str]:
    """Normalised words of ``text`` (see :func:`tokens`)."""
    if not _UNSPACED.search(text):
        return normalize_words(_WORD.findall(text))
    return normalize_words([t.text for t in tokens(text)])


def normalize_words(found: list[str]) -> list[str]:
    """:func:`normalize_word` of each word (no spaces in them), in one call: casefold
    maps each character on its own and never makes a space, so the joined words
    split back one to one."""
    return normalize_word(" ".join(found)).split(" ") if found else []


def shingles(text: str, size: int = 5) -> set[str]:
    """Word n-grams joined by spaces; the whole text when it is shorter than ``size``."""
    ws = words(text)
    if len(ws) < size:
        return {" ".join(ws)} if ws else set()
    if size == 5:  # the copies' shingle size: formatting five names beats slicing and joining
        return {f"{a} {b} {c} {d} {e}" for a, b, c, d, e in zip(ws, ws[1:], ws[2:], ws[3:], ws[4:])}
    return {" ".join(ws[i : i + size]) for i in range(len(ws) - size + 1)}


# Abbreviations after which a period does not end a sentence (lower-cased, no dot).
_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "capt", "sgt", "maj", "st",
    "sen", "rep", "gov", "pres", "jr", "sr", "inc", "ltd", "co", "corp", "no", "vs",
    "u.s", "u.k", "u.n", "e.g", "i.e", "etc", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "mme", "mlle", "m", "dr", "hr", "fr", "sr",
    "sra", "nr", "bzw", "z.b", "ca",
}
_SENT_END = re.compile(r"[.!?。！？]+[\"'”’»)\]]*")
_OPENERS = "\"'“‘«(["


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``, whitespace trimmed.

    A sentence ends at . ! ? (or their CJK forms), optionally followed by closing
    quotes, when the next character is a space and the word before a period is not
    a known abbreviation or an initial. A blank line always ends a sentence.
    """
    out: list[tuple[int, int]] = []
    for para in re.finditer(r"\S[^\n]*(?:\n(?![ \t]*\n)[^\n]*)*", text):
        base, ptext = para.start(), para.group()
        cuts = [0]
        for m in _SENT_END.finditer(ptext):
            end = m.end()
            nxt = ptext[end : end + 1]
            if m.group()[0] not in "。！？" and nxt and not nxt.isspace():
                continue
            if m.group() == ".":
                before = re.search(r"([\w.]+)$", ptext[cuts[-1] : m.start()])
                word = before.group(1).lower() if before else ""
                if word in _ABBREV or (len(word) == 1 and word.isalpha()):
                    continue
                rest = ptext[end:].lstrip()
                if rest and rest[0].islower():
                    continue
            cuts.append(end)
        cuts.append(len(ptext))
        for s, e in zip(cuts, cuts[1:]):
            seg = ptext[s:e]
            lead = len(seg) - len(seg.lstrip())
            trail = len(seg) - len(seg.rstrip())
            if e - trail > s + lead:
                out.append((base + s + lead, base + e - trail))
    return out


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def iter_paragraphs(text: str) -> Iterator[str]:
    """Non-empty paragraphs of a text whose paragraphs are separated by blank lines."""
    for block in re.split(r"\n\s*\n", text):
        block = block.strip()
        if block:
            yield block
