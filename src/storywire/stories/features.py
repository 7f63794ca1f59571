"""What the story assigner sees of an article.

* **terms**: words of the title, lead and body, title and lead counted more
  (sublinear counts; the assigner weighs them by inverse document frequency);
  scripts written without spaces contribute character pairs.
* **anchors**: keys that survive translation: names (capitalised spans, folded
  and transliterated to a spelling-tolerant key, so Baqeri = Bagheri and
  Путин = Putin), numbers (3,500 = 3 500 = 3500) and day-month dates in several
  languages.
* **embed_text**: the title and lead, the only text the sentence encoder sees.
"""

from __future__ import annotations

import importlib
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from unidecode import unidecode

from ..model import Article
from ..text import fold, sentences, token_texts, tokens

# Body words read per article: the top of a news article says what it is about.
BODY_WORDS = 400
LEAD_CHARS = 300
_EPOCH = date(1970, 1, 1).toordinal()
TITLE_WEIGHT = 3.0
LEAD_WEIGHT = 2.0

_UNSPACED_CHAR = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_URLISH = re.compile(r"https?\s*:|www\s*\.|\.\s*(?:com|org|net|html?)\b|\s/\s.*\s/\s", re.I)
_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:[ ,.\u00a0\u202f']\d{3})+|\d+(?:[.,]\d+)?)(?![\d])")


@dataclass
class ArticleFeatures:
    article_id: str
    language: str | None
    day: int | None  # days since 1970-01-01, None when undated
    title: str
    embed_text: str
    terms: dict[str, float] = field(default_factory=dict)
    anchors: set[str] = field(default_factory=set)


def features(article: Article) -> ArticleFeatures:
    title, lead, body = split_article(article)
    stop = stop_words(article.language)
    terms: Counter[str] = Counter()
    for text, weight in ((title, TITLE_WEIGHT), (lead, LEAD_WEIGHT)):
        for term, n in term_counts(text, stop).items():
            terms[term] += weight * (1 + math.log(n))
    body_words = " ".join(body.split()[:BODY_WORDS])
    for term, n in term_counts(body_words, stop).items():
        terms[term] += 1 + math.log(n)
    head = f"{title}\n{lead}\n{body_words}"
    return ArticleFeatures(
        article_id=article.id,
        language=article.language,
        day=article_day(article.published),
        title=title,
        embed_text=f"{title}\n{lead}".strip()[: LEAD_CHARS + 200],
        terms=dict(terms),
        anchors=name_anchors(head) | number_anchors(head) | date_anchors(head),
    )


def article_day(published: str | None) -> int | None:
    """Days since 1970-01-01 of an ISO 8601 date or datetime, None if there is none."""
    if not published:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", published)
    return _day(int(m[1]), int(m[2]), int(m[3])) if m else None


def _day(year: int, month: int, day: int) -> int | None:
    try:
        return date(year, month, day).toordinal() - _EPOCH
    except ValueError:
        return None


def split_article(article: Article) -> tuple[str, str, str]:
    """(title, lead, rest): the stated title or else the first headline-like line;
    the lead is the first sentences after it, about ``LEAD_CHARS`` long."""
    lines = [ln.strip() for ln in article.text.splitlines() if ln.strip()]
    lines = [ln for ln in lines if not _URLISH.search(ln)] or lines
    title = (article.title or "").strip()
    if lines and title and _same_line(lines[0], title):
        lines = lines[1:]
    if not title:
        # Page chrome before the headline ("Please wait...", a site name) is a few
        # words; a headline has more, unless it is in a script written without spaces.
        while len(lines) > 1 and len(lines[0].split()) < 4 and not _UNSPACED_CHAR.search(lines[0]):
            lines = lines[1:]
    if not title and lines:
        first = lines[0]
        if len(first) <= 200 and len(first.split()) >= 2 or len(lines) == 1:
            title, lines = first, lines[1:]
        else:
            first_sentences = sentences(first)
            title = first_sentences[0] if first_sentences else first
    lead_parts: list[str] = []
    rest_lines = []
    size = 0
    for line in lines:
        if size >= LEAD_CHARS:
            rest_lines.append(line)
            continue
        if len(line.split()) < 5:
            # Datelines, bylines and captions; before the lead they name the outlet
            # or the author, not the event, and are left out (word counts say
            # nothing of the length of a line in a script written without spaces).
            if lead_parts or _UNSPACED_CHAR.search(line):
                rest_lines.append(line)
            continue
        for sentence in sentences(line):
            if size < LEAD_CHARS:
                lead_parts.append(sentence)
                size += len(sentence) + 1
            else:
                rest_lines.append(sentence)
    return title[:300], " ".join(lead_parts), "\n".join(rest_lines)


def _same_line(line: str, title: str) -> bool:
    return fold(line).strip(" .") == fold(title).strip(" .")


@lru_cache(maxsize=None)
def stop_words(language: str | None) -> frozenset[str]:
    """Function words of a language (spaCy's lists, folded); empty when unknown.

    Weights come from document frequencies counted as articles arrive, which
    know nothing yet at the start of a stream: without this list the first
    articles would be matched on "the" and "of".
    """
    if not language or not re.fullmatch(r"[a-z]{2,3}", language):
        return frozenset()
    try:
        module = importlib.import_module(f"spacy.lang.{language}.stop_words")
    except ImportError:
        return frozenset()
    return frozenset(fold(w) for w in module.STOP_WORDS)


def term_counts(text: str, stop: frozenset[str] = frozenset()) -> Counter[str]:
    """Word counts, function words and numbers left out (numbers are anchors);
    scripts without spaces give character pairs."""
    if not _UNSPACED_CHAR.search(text):
        folded = map(_fold_word, token_texts(text))
        return Counter(w for w in folded if len(w) >= 2 and w not in stop and not w.isdigit())
    out: Counter[str] = Counter()
    prev_char = ""
    for tok in tokens(text):
        word = _fold_word(tok.text)
        if _UNSPACED_CHAR.match(tok.text):
            if prev_char:
                out[prev_char + word] += 1
            prev_char = word
            continue
        prev_char = ""
        if word.isdigit() or len(word) < 2 or word in stop:
            continue
        out[word] += 1
    return out


# Folding is the cost of feature extraction; a news corpus repeats its words.
_fold_word = lru_cache(maxsize=1 << 18)(fold)


# -- anchors ------------------------------------------------------------------

# Lower-case words that may sit inside a name: "Khalid bin Mohamed Al Attiyah".
_NAME_JOINERS = {"bin", "ben", "ibn", "al", "el", "de", "del", "da", "di", "van", "von", "der", "la", "le", "du"}


def name_anchors(text: str) -> set[str]:
    """Spelling-tolerant keys of the capitalised words and spans of ``text``.

    A capitalised word that opens a sentence counts only inside a longer span, so
    "The" and "In" are not names. Every word of a span gives a key, so "Baqeri"
    alone matches "Mohammad Baqeri".
    """
    out: set[str] = set()
    for sentence in sentences(text) or [text]:
        words = token_texts(sentence)
        caps = [_capitalised(w) for w in words]
        n, end = len(words), 0
        for i, cap in enumerate(caps):
            if not cap or i < end:
                continue
            j = i + 1
            while j < n and (caps[j] or (j + 1 < n and caps[j + 1] and words[j].lower() in _NAME_JOINERS)):
                j += 1
            span = [w for w in words[i:j] if w.lower() not in _NAME_JOINERS]
            if i > 0 or len(span) > 1:
                for word in span if i > 0 else span[1:]:
                    key = name_key(word)
                    if len(key) >= 3:
                        out.add("e:" + key)
            end = j
    return out


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and not word.isdigit()


_CONSONANT_CLASSES = [
    (re.compile(pattern), repl)
    for pattern, repl in [
        (r"sch|sh|ch|zh|tch|tsch|tch", "s"),
        (r"ph", "f"),
        (r"th", "t"),
        (r"kh|gh|ck|q|c(?=[aou])|k|g", "k"),
        (r"c", "s"),
        (r"dj|j|dzh", "j"),
        (r"w|v", "v"),
        (r"z", "s"),
        (r"x", "ks"),
        (r"h", ""),
    ]
]
_NOT_LATIN = re.compile(r"[^a-z]")
_VOWELS = re.compile(r"[aeiouy]+")
_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=1 << 16)
def name_key(word: str) -> str:
    """A key equal for transliterations of one name: 'Bagheri', 'Baqeri' and
    'Багери' give the same key, as do 'Shoigu' and 'Shoygu'."""
    s = _NOT_LATIN.sub("", unidecode(fold(word)).lower())
    for pattern, repl in _CONSONANT_CLASSES:
        s = pattern.sub(repl, s)
    s = _VOWELS.sub("a", s)
    return _DOUBLED.sub(r"\1", s)


def number_anchors(text: str) -> set[str]:
    """Keys of the numbers of ``text`` of two digits or more: 3,500 = 3 500 = 3500,
    in any script's digits (２５ = ۲۵ = 25)."""
    out = set()
    for m in _NUMBER.finditer(text):
        raw = "".join(str(int(ch)) if ch.isdecimal() else ch for ch in m.group(1))
        if re.fullmatch(r"\d{1,3}(?:[ ,.\u00a0\u202f']\d{3})+", raw):
            value = raw
            for sep in " ,.\u00a0\u202f'":
                value = value.replace(sep, "")
        else:
            value = raw.replace(",", ".")
        value = value.lstrip("0") or "0"
        if len(value.replace(".", "")) >= 2:
            out.add("n:" + value)
    return out


# Month names (folded) in the languages most common in the news, by month number.
_MONTHS = {
    1: "january jan janvier januar enero gennaio janeiro januari styczen январь января январе",
    2: "february feb fevrier februar febrero febbraio fevereiro februari luty lutego февраль февраля",
    3: "march mar mars marz marzo marco maart marca март марта",
    4: "april apr avril abril aprile kwiecien kwietnia апрель апреля",
    5: "may mai mayo maggio maio mei maj maja май мая",
    6: "june jun juin juni junio giugno junho czerwiec czerwca июнь июня",
    7: "july jul juillet juli julio luglio julho lipiec lipca июль июля",
    8: "august aug aout agosto augustus sierpien sierpnia август августа",
    9: "september sep sept septembre septiembre settembre setembro wrzesien wrzesnia сентябрь сентября",
    10: "october oct octobre oktober octubre ottobre outubro pazdziernik pazdziernika октябрь октября",
    11: "november nov novembre noviembre novembro listopad listopada ноябрь ноября",
    12: "december dec decembre dezember diciembre dicembre dezembro grudzien grudnia декабрь декабря",
}
_MONTH_OF = {fold(name): num for num, names in _MONTHS.items() for name in names.split()}
_MONTH_WORD = "|".join(sorted(map(re.escape, _MONTH_OF), key=len, reverse=True))
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})\.?\s+(?:de\s+)?({_MONTH_WORD})\b|\b({_MONTH_WORD})\.?\s+(\d{{1,2}})\b")


def date_anchors(text: str) -> set[str]:
    """Keys of day-month dates: 'October 20', '20 octobre' and '20. Oktober' agree."""
    out = set()
    for m in _DAY_MONTH.finditer(fold(text)):
        day, month = (m[1], m[2]) if m[1] else (m[4], m[3])
        if 1 <= int(day) <= 31:
            out.add(f"d:{_MONTH_OF[month]:02d}-{int(day):02d}")
    return out
