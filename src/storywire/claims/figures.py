"""Which numbers each article reports: tolls of killed, injured, arrested, displaced…

A figure is a number (or a vague amount such as "dozens", "des centaines",
"Tausende") that counts people something happened to. The event comes from a
keyword in the same sentence: the one right after the number when its phrase
carries one ("13,000 others have also been injured"), else the nearest one
before it ("Israël a tué plus de 9 220 Palestiniens, dont 3 820 enfants"). A
group noun right after the number ("children", "femmes", "Kinder") narrows the
quantity: "children killed". Dates, years, ages, money, percentages and
measures are not figures.

Values are normalised whatever the separators: "3,500", "9 220", "13.000",
"1.2 million", "2,5 millions". "more than 200" keeps 200 as the value and as the
low bound; "up to 200" as the high bound; vague amounts have no value, only a
low..high range.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import fold, sentence_spans

# Event keywords (folded: lower case, no accents), en/fr/de/es. Plural and
# feminine endings are added when matching ("deplace" finds "deplacees").
EVENTS: dict[str, tuple[str, ...]] = {
    "killed": (
        "killed", "kill", "kills", "killing", "dead", "deaths", "death toll", "toll", "died", "martyrs",
        "martyred", "lives", "fatalities", "bodies", "slain", "massacre", "massacred", "victims",
        "tue", "morts", "mort", "deces", "bilan", "ont peri", "victime", "martyrs",
        "getotet", "tote", "toten", "tot", "todesopfer", "ums leben", "starben", "gestorben",
        "muertos", "muertas", "murieron", "fallecidos", "fallecidas", "asesinados", "asesinadas", "mato",
        "mataron", "matado", "victimas mortales",
    ),
    "injured": (
        "injured", "injuring", "injures", "injure", "wounded", "wounding", "hurt", "injuries", "blesse",
        "verletzt", "verletzte", "verletzten", "verwundet", "verwundete", "heridos", "heridas", "herido",
        "lesionados",
    ),
    "arrested": (
        "arrested", "arresting", "detained", "arrests", "detentions", "arrete", "interpelle", "detenus",
        "interpellations", "arrestations", "festgenommen", "verhaftet", "festnahmen", "detenidos",
        "detenidas", "detuvo", "detuvieron", "arresto", "arrestaron", "arrestados", "arrestadas",
        "detenciones",
    ),
    "evacuated": (
        "evacuated", "evacuating", "evacuation", "evacue", "evakuiert", "evacuados", "evacuadas",
        "evacuamos", "evacuaron",
    ),
    "displaced": (
        "displaced", "fled", "refugees", "homeless", "lost their homes", "in tents", "shelters",
        "deplace", "refugie", "sans-abri", "perdu leur maison", "dans des tentes", "vertrieben",
        "vertriebene", "geflohen", "gefluchtet", "fluchtlinge", "obdachlos", "hauser verloren",
        "notunterkunften", "desplazados", "desplazadas", "refugiados", "refugiadas", "perdido su casa",
        "tiendas de campana",
    ),
    "affected": ("affected", "sinistre", "touche", "betroffen", "afectados", "afectadas", "damnificados"),
    "missing": ("missing", "disparus", "disparues", "vermisst", "vermisste", "desaparecidos", "desaparecidas"),
    "hostages": ("hostages", "hostage", "kidnapped", "abducted", "otages", "enleve", "geiseln", "entfuhrt", "rehenes", "secuestrados"),
}
# Group nouns that narrow a figure: "3 820 enfants" -> "children killed".
GROUPS: dict[str, tuple[str, ...]] = {
    "children": ("children", "child", "kids", "minors", "enfants", "mineurs", "kinder", "minderjahrige", "ninos", "menores"),
    "women": ("women", "femmes", "frauen", "mujeres"),
    "civilians": ("civilians", "civils", "zivilisten", "civiles"),
    "soldiers": ("soldiers", "troops", "soldats", "soldaten", "soldados"),
    "journalists": ("journalists", "journalistes", "journalisten", "periodistas"),
}
# Vague amounts as ranges.
VAGUE: dict[str, tuple[float, float]] = {
    "dozens": (24, 99), "des dizaines": (20, 99), "dizaines": (20, 99), "dutzende": (24, 99),
    "decenas": (20, 99), "scores of": (40, 99), "hundreds": (200, 999), "des centaines": (200, 999),
    "centaines": (200, 999), "hunderte": (200, 999), "cientos": (200, 999), "centenares": (200, 999),
    "thousands": (2000, 9999), "des milliers": (2000, 9999), "milliers": (2000, 9999),
    "tausende": (2000, 9999), "miles de": (2000, 9999), "tens of thousands": (20000, 99999),
    "des dizaines de milliers": (20000, 99999), "zehntausende": (20000, 99999),
    "decenas de miles": (20000, 99999), "a dozen": (12, 12), "une dizaine": (8, 12),
    "une centaine": (80, 120), "un millier": (800, 1200),
}
SCALES = {
    "million": 1e6, "millions": 1e6, "millionen": 1e6, "mio": 1e6, "millon": 1e6, "millones": 1e6,
    "billion": 1e9, "milliard": 1e9, "milliards": 1e9, "milliarden": 1e9, "mrd": 1e9,
    "thousand": 1e3, "mille": 1e3, "tausend": 1e3, "mil": 1e3,
}
# Number words per language (folded). Languages are kept apart because the words
# collide across them: Spanish "tres" is French "très", German "elf" is English.
WORDS: dict[str, dict[str, int]] = {
    "en": {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50},
    "fr": {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
           "dix": 10, "onze": 11, "douze": 12, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50,
           "soixante": 60},
    "de": {"zwei": 2, "drei": 3, "vier": 4, "funf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
           "zehn": 10, "elf": 11, "zwolf": 12, "zwanzig": 20, "dreissig": 30, "vierzig": 40, "funfzig": 50},
    "es": {"dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9,
           "diez": 10, "once": 11, "doce": 12, "veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50},
}
# "quarante et une", "treinta y dos": tens and units joined by "and".
_UNITS = {"en": {}, "fr": {"un": 1, "une": 1}, "de": {}, "es": {"uno": 1, "una": 1}}
_AND = {"en": "and", "fr": "et", "de": "und", "es": "y"}
_AT_LEAST = ("more than", "over", "at least", "upwards of", "plus de", "au moins", "mehr als", "uber",
             "mindestens", "mas de", "al menos", "por lo menos", "topped", "exceeded", "surpassed", "passes",
             "passed", "tops")
_AT_MOST = ("up to", "less than", "fewer than", "nearly", "almost", "jusqu'a", "moins de", "pres de",
            "bis zu", "weniger als", "fast", "hasta", "menos de", "casi")
# Words after a number that make it a date, an age, money or a measure.
_NOT_COUNT = re.compile(
    r"^\s*-?\s*(?:%|percent|per\s*cent|pour\s*cent|prozent|por\s*ciento|years?|year-old|ans|an|jahre?n?|años|anos|"
    r"months?|mois|monate?n?|meses|days?|jours?|tage?n?|días|dias|hours?|heures?|stunden?|horas|minutes?|"
    r"km|kilomet\w*|miles?|meters?|metres?|m|kg|tons?|tonnes?|dollars?|euros?|\$|€|£|usd|eur|"
    r"times|fois|mal|veces|o'clock|h\b|am\b|pm\b|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"janvier|fevrier|février|mars|avril|mai|juin|juillet|aout|août|septembre|octobre|novembre|decembre|décembre|"
    r"januar|februar|märz|marz|juni|juli|oktober|dezember|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\b",
    re.I,
)
_MONTH_BEFORE = re.compile(
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?\s*$|[$€£]\s*$|\b(?:no|nr|n°|number|page|art|article)\.?\s*$",
    re.I,
)

_NUMBER = re.compile(
    r"(?<![\w.,])(?P<num>\d{1,3}(?:(?:[,.]|\s|\u00a0|\u202f)\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?:\s*(?P<scale>million|millions|millionen|mio\.?|millón|millon|millones|billion|milliards?|milliarden|mrd\.?|thousand|mille|tausend))?"
    r"(?![\w%])",
    re.I,
)


def parse_number(num: str, scale: str | None = None) -> float:
    """'3,500' -> 3500, '9 220' -> 9220, '13.000' -> 13000, '1.2' + 'million' -> 1.2e6."""
    num = re.sub(r"[\s\u00a0\u202f]", " ", num)
    groups = re.split(r"[ ,.]", num)
    seps = re.findall(r"[ ,.]", num)
    if not seps:
        value = float(num)
    elif len(groups[-1]) == 3 and not scale and len(set(seps)) == 1:
        value = float("".join(groups))  # one kind of separator before 3 digits: thousands
    else:
        # The last separator is the decimal mark; the others group thousands.
        value = float("".join(groups[:-1]) + "." + groups[-1])
    if scale:
        value *= SCALES.get(fold(scale).rstrip("."), 1)
    return value


@dataclass(frozen=True)
class Figure:
    value: float | None
    low: float | None
    high: float | None
    what: str
    raw: str
    start: int
    end: int


def _compile(table: dict[str, tuple[str, ...]]) -> list[tuple[re.Pattern, str]]:
    # Plural and feminine endings: "deplace" finds "deplacees".
    return [
        (re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(k) for k in sorted(keys, key=len, reverse=True))})(?:e|s|es)?(?!\w)"), name)
        for name, keys in table.items()
    ]


_EVENT_RES = _compile(EVENTS)
# Every event keyword in one pattern: most sentences have none and are skipped at once.
_ANY_EVENT = _compile({"any": tuple(k for keys in EVENTS.values() for k in keys)})[0][0]
_GROUP_RES = _compile(GROUPS)
_VAGUE_RE = re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(k) for k in sorted(VAGUE, key=len, reverse=True))})(?!\w)")
_WORD_RES = {
    lang: re.compile(
        rf"(?<!\w)(?P<tens>{'|'.join(ws)})(?:[\s-]+{_AND[lang]}[\s-]+(?P<unit>{'|'.join({**ws, **_UNITS[lang]})}))?(?!\w)"
    )
    for lang, ws in WORDS.items()
}


def _keyword_spans(folded: str, patterns: list[tuple[re.Pattern, str]]) -> list[tuple[int, int, str]]:
    return sorted((m.start(), m.end(), name) for pattern, name in patterns for m in pattern.finditer(folded))


def _amounts(sentence: str, folded: str, lang: str | None) -> list[tuple[int, int, float | None, float | None, float | None]]:
    """(start, end, value, low, high) of every amount in a sentence."""
    out = []
    for m in _NUMBER.finditer(sentence):
        after = sentence[m.end() : m.end() + 16]
        before = sentence[max(0, m.start() - 12) : m.start()]
        raw = m.group("num")
        if _NOT_COUNT.match(after) or _MONTH_BEFORE.search(before) or re.match(r"\s*[-/:]\s*\d", after):
            continue
        if re.fullmatch(r"(?:1[89]|20)\d\d", raw):
            continue  # a year
        if re.search(r"\d\s*[-/:]\s*$", before):
            continue  # a range end, a date or a time: 10/12, 3-4, 12:30
        value = parse_number(raw, m.group("scale"))
        out.append((m.start(), m.end(), value, None, None))
    for m in _VAGUE_RE.finditer(folded):
        low, high = VAGUE[m.group()]
        out.append((m.start(), m.end(), None, float(low), float(high)))
    for code in [lang] if lang in WORDS else list(WORDS) if lang is None else []:
        table = WORDS[code]
        for m in _WORD_RES[code].finditer(folded):
            value = table[m.group("tens")]
            if m.group("unit"):
                value += {**table, **_UNITS[code]}[m.group("unit")]
            out.append((m.start(), m.end(), float(value), None, None))
    return sorted(out)


def _bounds(folded_before: str, value: float | None, low, high):
    if value is None:
        return low, high
    tail = folded_before.rstrip()
    if any(re.search(rf"(?<!\w){re.escape(q)}$", tail) for q in _AT_LEAST):
        return value, None
    if any(re.search(rf"(?<!\w){re.escape(q)}$", tail) for q in _AT_MOST):
        return None, value
    return None, None


_JOINED = re.compile(r"\s+(?:and|or|et|ou|und|oder|y|o)\s+")
# A clause boundary after a number: the next amount's phrase starts there.
_BOUNDARY = re.compile(r"[,;:()]|\s(?:and|et|und|y|e|while|alors|whereas|but|mais|aber|pero|dont|including|darunter|incluidos)\s")


def find_figures(text: str, lang: str | None = None) -> list[Figure]:
    """Every figure in ``text``, in order, with offsets in ``text``. ``lang`` picks
    the number words read ("trois", "elf"); ``None`` reads those of every language."""
    lang = (lang or "").split("-")[0].lower() or None
    out: list[Figure] = []
    for s, e in sentence_spans(text):
        sentence = text[s:e]
        folded = fold(sentence)
        if len(folded) != len(sentence):
            # Folded one character at a time, so that offsets stay those of the sentence.
            folded = "".join((fold(c) or " ")[:1] for c in sentence)
        if not _ANY_EVENT.search(folded):
            continue
        events = _keyword_spans(folded, _EVENT_RES)
        amounts = _amounts(sentence, folded, lang)
        for i, (a_start, a_end, value, low, high) in enumerate(amounts):
            nxt = amounts[i + 1][0] if i + 1 < len(amounts) else len(sentence)
            phrase_end = nxt
            boundary = _BOUNDARY.search(folded, a_end, nxt)
            if boundary:
                phrase_end = boundary.start()
            after = [ev for ev in events if a_end <= ev[0] < phrase_end]
            before = [ev for ev in events if ev[1] <= a_start]
            if after:
                event = after[0][2]
            elif before:
                event = before[-1][2]
                # "killed and injured scores of people": both events, one amount.
                pair = [ev for ev in before[:-1] if ev[2] != event and _JOINED.fullmatch(folded[ev[1] : before[-1][0]])]
                if pair:
                    event = f"{pair[-1][2]} or {event}"
            else:
                continue
            groups = [g for g in _keyword_spans(folded[a_end : a_end + 30], _GROUP_RES) if g[0] <= 12]
            what = f"{groups[0][2]} {event}" if groups else event
            raw_end = a_end
            if groups:
                raw_end = a_end + groups[0][1]
            elif after and after[0][0] - a_end <= 12:
                raw_end = after[0][1]
            low, high = _bounds(folded[max(0, a_start - 24) : a_start], value, low, high)
            out.append(Figure(value, low, high, what, " ".join(sentence[a_start:raw_end].split()),
                              s + a_start, s + raw_end))
    return out
