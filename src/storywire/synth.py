"""A deterministic generator of news-like articles, for benchmarks.

``generate(n, seed)`` yields ``n`` article records shaped like the JSONL that
storywire ingests (``id, title, text, url, date, source, lang``) plus the ground
truth a benchmark scores against:

* ``story`` — the planted story the article belongs to. Stories have a
  long-tailed size distribution (most are one article, a few are large); the
  articles of one story share names, a place and topic words but are written
  independently.
* ``copy_of`` — the id of the article this one republishes (``None`` for an
  original). Copies carry realistic edits: swapped words, cut or added
  sentences, reordered paragraphs, outlet boilerplate, respelled names and
  changed quote marks.

Words are pseudo-words drawn from per-language syllables with Zipf frequencies,
mixed with real function words, so that unrelated texts are not trivially
similar and the same seed always gives the same corpus. Generation streams
(memory stays bounded) and makes about 10k articles a second.
"""

from __future__ import annotations

import random
import zlib
from collections import deque
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Iterator, Sequence

import numpy as np

_FUNCTION_WORDS = {
    "en": "the of and to in a is that for on was with he it as at by from his has said were they have this are after which their been more its who also but not an".split(),
    "fr": "le la les de des du et en un une est que pour dans qui sur au par il a pas plus avec ont ce sont aux été selon mais son sa ses leur".split(),
    "de": "der die das und in den von zu mit sich des auf für ist im dem nicht ein eine als auch es an er hat aus bei nach wurde sind sagte".split(),
    "es": "el la de que y en los del se las por un para con una su al lo como más pero sus le ha fue este según dijo también sobre entre".split(),
}
_SYLLABLES = {
    "en": "ba be bi bo ca co da de di do fa fe ga go ha he ka ko la le li lo ma me mi mo na ne ni no pa pe po ra re ri ro sa se si so ta te ti to va ve wa we ya st th sh ch er an on en or ing ton ley ford".split(),
    "fr": "ba be bi bon ca ce che cha da de di do fa fe ge ga la le li lo ma me mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi eau oi ou ai eur ette ier ion".split(),
    "de": "ba be bi bo da de di do fa fe ga ge gi ha he hi ka ke ki la le li ma me mi na ne ni ra re ri sa se si ta te ti wa we wi ber burg dorf stein mann ung heit lich sch ei au".split(),
    "es": "ba be bi bo ca ce ci co da de di do fa fe ga ge go la le li lo ma me mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi ez ado ción ero illa ito".split(),
}
_BOILERPLATE = {
    "en": ["Follow us on Telegram for the latest news.", "All rights reserved.", "Read more:", "Share this article",
           "Subscribe to our newsletter.", "Reporting by staff; editing by the desk."],
    "fr": ["Suivez-nous sur Telegram.", "Tous droits réservés.", "Lire aussi :", "Partager cet article",
           "Abonnez-vous à notre lettre d'information."],
    "de": ["Folgen Sie uns auf Telegram.", "Alle Rechte vorbehalten.", "Lesen Sie auch:", "Artikel teilen",
           "Abonnieren Sie unseren Newsletter."],
    "es": ["Síguenos en Telegram.", "Todos los derechos reservados.", "Lea también:", "Compartir este artículo",
           "Suscríbase a nuestro boletín."],
}
_QUOTES = [("\"", "\""), ("“", "”"), ("‘", "’"), ("«", "»"), ("'", "'")]

VOCABULARY_SIZE = 20_000
OUTLETS = 400
ACTIVE_STORIES = 300


class _Language:
    """Pseudo-words of one language with Zipf weights, and name material."""

    def __init__(self, lang: str, nrng: np.random.Generator):
        syl = np.array(_SYLLABLES[lang], dtype=object)
        seen: set[str] = set(_FUNCTION_WORDS[lang])
        vocab: list[str] = []
        while len(vocab) < VOCABULARY_SIZE:
            lengths = nrng.choice([2, 2, 3, 3, 4], size=VOCABULARY_SIZE)
            picks = nrng.integers(0, len(syl), size=(VOCABULARY_SIZE, 4))
            for n, row in zip(lengths.tolist(), syl[picks].tolist()):
                word = "".join(row[:n])
                if word not in seen and len(vocab) < VOCABULARY_SIZE:
                    seen.add(word)
                    vocab.append(word)
        self.lang = lang
        self.vocab = np.array(vocab, dtype=object)
        zipf = 1.0 / (np.arange(len(vocab)) + 10)
        self.cdf = np.cumsum(zipf) / zipf.sum()
        self.function = np.array(_FUNCTION_WORDS[lang], dtype=object)
        self.boilerplate = _BOILERPLATE[lang]

    def words(self, nrng: np.random.Generator, k: int) -> np.ndarray:
        return self.vocab[np.searchsorted(self.cdf, nrng.random(k))]


@lru_cache(maxsize=16)
def _language(lang: str, seed: int) -> _Language:
    """The vocabulary of ``lang`` for ``seed`` (built once; it is never changed)."""
    return _Language(lang, np.random.default_rng([seed, zlib.crc32(lang.encode())]))


class _Story:
    def __init__(self, sid: str, lang: _Language, nrng: np.random.Generator):
        self.id = sid
        self.lang = lang
        names = [" ".join(w.capitalize() for w in lang.words(nrng, 2)) for _ in range(4)]
        place = str(lang.words(nrng, 1)[0]).capitalize()
        # Topic words, the story's names and its place, drawn together.
        self.pool = np.array(list(lang.words(nrng, 40)) + names * 3 + [place], dtype=object)
        # Long tail: most stories get one article, a few get hundreds.
        self.size = min(int(nrng.pareto(1.1)) + 1, 500)
        self.written = 0


# Share of words that are function words, story words (topic, names, place), others.
_MIX_CDF = np.cumsum([0.40, 0.17, 0.43])


def _sentences(rng: random.Random, nrng: np.random.Generator, story: _Story, count: int) -> list[str]:
    """``count`` sentences of 12 to 30 words in the story's language and vocabulary."""
    lang = story.lang
    lengths = nrng.integers(12, 31, size=count)
    total = int(lengths.sum())
    kind = np.searchsorted(_MIX_CDF, nrng.random(total))
    words = lang.words(nrng, total)
    func = kind == 0
    words[func] = lang.function[nrng.integers(0, len(lang.function), size=int(func.sum()))]
    topical = kind == 1
    words[topical] = story.pool[nrng.integers(0, len(story.pool), size=int(topical.sum()))]
    out, pos = [], 0
    for n in lengths.tolist():
        ws = words[pos : pos + n].tolist()
        pos += n
        if rng.random() < 0.15:  # a quoted phrase
            q0, q1 = rng.choice(_QUOTES[:4])
            i = rng.randrange(n)
            j = min(n, i + rng.randint(1, 6))
            ws[i] = q0 + ws[i]
            ws[j - 1] = ws[j - 1] + q1
        if rng.random() < 0.3:
            ws[1] = ws[1] + ","
        text = " ".join(ws)
        out.append(text[0].upper() + text[1:] + rng.choice((".", ".", ".", ".", "?")))
    return out


def _article(rng: random.Random, nrng: np.random.Generator, story: _Story) -> tuple[str, list[list[str]]]:
    """(title, paragraphs) of a new article of ``story``."""
    sizes = [rng.randint(1, 4) for _ in range(rng.randint(4, 12))]
    flat = _sentences(rng, nrng, story, sum(sizes) + 1)
    out, pos = [], 1
    for k in sizes:
        out.append(flat[pos : pos + k])
        pos += k
    return flat[0].rstrip(".?")[:90], out


def _render(paragraphs: Sequence[Sequence[str]]) -> str:
    return "\n\n".join(" ".join(p) for p in paragraphs if p)


def _copy_edits(rng: random.Random, nrng: np.random.Generator, paragraphs: list[list[str]], story: _Story) -> list[list[str]]:
    """A republisher's version of ``paragraphs``: a few realistic edits."""
    paras = [list(p) for p in paragraphs]
    lang = story.lang
    for _ in range(rng.randint(0, 4)):  # word swaps and name respellings
        p = rng.randrange(len(paras))
        s = rng.randrange(len(paras[p]))
        words = paras[p][s].split(" ")
        i = rng.randrange(len(words))
        if rng.random() < 0.3 and len(words[i]) > 3:
            w = words[i]
            words[i] = w[:-2] + w[-1] + w[-2]  # respelling: Sergei -> Sergie
        else:
            words[i] = str(lang.words(nrng, 1)[0])
        paras[p][s] = " ".join(words)
    if rng.random() < 0.4 and len(paras) > 3:  # cut a sentence or a paragraph
        p = rng.randrange(len(paras))
        if len(paras[p]) > 1:
            paras[p].pop(rng.randrange(len(paras[p])))
        else:
            paras.pop(p)
    if rng.random() < 0.3:  # add a sentence of the outlet's own
        p = rng.randrange(len(paras))
        paras[p].insert(rng.randint(0, len(paras[p])), _sentences(rng, nrng, story, 1)[0])
    if rng.random() < 0.2 and len(paras) > 2:  # reorder two paragraphs
        i, j = rng.sample(range(len(paras)), 2)
        paras[i], paras[j] = paras[j], paras[i]
    if rng.random() < 0.3:  # change quote marks
        q0, q1 = rng.choice(_QUOTES)
        paras = [[s.replace("“", q0).replace("”", q1) for s in p] for p in paras]
    if rng.random() < 0.5:  # outlet boilerplate
        line = [rng.choice(lang.boilerplate)]
        if rng.random() < 0.5:
            paras.insert(0, line)
        else:
            paras.append(line)
    return paras


def generate(n: int, seed: int = 0, languages: Sequence[str] = ("en", "fr", "de", "es"),
             copy_rate: float = 0.12) -> Iterator[dict]:
    """Yield ``n`` synthetic articles; the same arguments always give the same records.

    Articles come in publication order. About ``copy_rate`` of them republish an
    earlier article (``copy_of``); the rest are originals of long-tailed stories.
    """
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    langs = [_language(lang, seed) for lang in languages]
    outlets = [f"outlet{i:03d}" for i in range(OUTLETS)]
    clock = datetime(2024, 1, 1, tzinfo=timezone.utc)
    active: list[_Story] = []
    recent: deque[tuple[str, _Story, list[list[str]], str]] = deque(maxlen=2000)
    story_count = 0
    for i in range(n):
        clock += timedelta(seconds=rng.randint(1, 60))
        aid = f"syn{seed}-{i:07d}"
        outlet = rng.choice(outlets)
        if recent and rng.random() < copy_rate:
            src_id, story, paras, title = rng.choice(recent)
            paras = _copy_edits(rng, nrng, paras, story)
            copy_of = src_id
        else:
            if not active or rng.random() < 0.3:
                story_count += 1
                active.append(_Story(f"story{seed}-{story_count:06d}", rng.choice(langs), nrng))
                if len(active) > ACTIVE_STORIES:  # old news: the oldest story stops
                    active.pop(0)
            story = rng.choice(active)
            story.written += 1
            if story.written >= story.size:
                active.remove(story)
            title, paras = _article(rng, nrng, story)
            copy_of = None
            recent.append((aid, story, paras, title))
        yield {
            "id": aid,
            "title": title,
            "text": _render(paras),
            "url": f"https://{outlet}.example/{story.lang.lang}/{i}",
            "date": clock.isoformat(timespec="seconds"),
            "source": outlet,
            "lang": story.lang.lang,
            "story": story.id,
            "copy_of": copy_of,
        }
