"""Personal names: titles stripped, parts found, transliteration-folded keys.

The same person is written "Mohammad Baqeri", "Mohammad Bagheri" and "Mohammad
Hossein Baqeri"; "Sergei Shoigu", "Sergey Shoigu" and "Shoygu". :func:`name_key`
folds the spellings that transliteration makes differ (q/gh/k, y/j/i, e/a, o/u,
ou/u, ph/f, w/v, z/s, final -off/-ow/-ov, doubled letters, diacritics, a leading
al-/el-) into one key; given names are compared by their consonants only
(Yusuf, Youssef, Yusif, Jussuf), since the surname must match as well; and
:class:`PersonName` splits a name into given name, middle names and surname so
that a lone surname can join the full name and a shared first name never does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ..text import fold

# Words that come before a name and are not part of it: titles, ranks, offices,
# honorifics, in the languages the product reads. Lower-cased, diacritics folded.
TITLES = frozenset(
    """
    mr mrs ms miss dr prof his her their its ihre ihr sein seine
    mayor sir lord lady dame madam mister doctor professor
    president vice prime minister ministers secretary general chief staff head leader
    major brigadier lieutenant colonel captain sergeant admiral commander marshal
    lt col gen maj capt sgt adm cmdr sen rep gov pres st
    senator governor mayor ambassador envoy spokesman spokeswoman spokesperson
    king queen prince princess emir sheikh shaikh shaykh sheik cheikh crown
    ayatollah hojatoleslam imam sayyed sayyid seyed cardinal pope bishop
    defense defence foreign interior affairs state armed forces deputy acting former
    chancellor speaker director chairman chairwoman chair judge justice
    m mme mlle monsieur madame ministre president presidente general generale chef
    premier porte parole ambassadeur secretaire
    herr frau bundeskanzler kanzler kanzlerin prasident prasidentin minister ministerin
    aussenminister verteidigungsminister innenminister
    senor senora sr sra ministro ministra canciller
    """.split()
)

# Endings of compound German offices: "Handelsministerin", "Hafenchefin",
# "Provinzgouverneur", "Bürgermeister", "Seismologe".
TITLE_ENDINGS = (
    "minister", "ministerin", "chef", "chefin", "sprecher", "sprecherin", "gouverneur", "prasident",
    "prasidentin", "direktor", "direktorin", "leiter", "leiterin", "meister", "meisterin", "loge",
    "login", "kanzler", "kanzlerin", "sekretar", "sekretarin", "kommandeur", "botschafter",
    "botschafterin", "general", "experte", "expertin",
)


def is_title(word: str) -> bool:
    """A title, office or rank word, in any of the product's languages."""
    f = folded_word(word.rstrip("."))
    return f in TITLES or len(f) > 7 and f.endswith(TITLE_ENDINGS)


# Arabic article written before a surname: "Al Attiyah", "al-Assad", "el-Sisi".
_ARTICLES = frozenset({"al", "el", "ul", "ad", "ash", "as", "at", "an", "ar", "az"})
# Particles between name parts: "Khalid bin Mohamed", "Ursula von der Leyen".
PARTICLES = frozenset(
    {"bin", "ben", "ibn", "bint", "von", "van", "der", "den", "de", "da", "di", "du",
     "des", "del", "della", "la", "le", "dos", "das", "y"}
) | _ARTICLES

# Spelling variants, applied in order to a folded word.
_RULES = [
    (re.compile(r"[^a-z]"), ""),
    (re.compile(r"tch|tsch"), "ch"),
    (re.compile(r"sch"), "sh"),
    (re.compile(r"ch"), "sh"),
    (re.compile(r"kh|gh|q|ck"), "k"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"th"), "t"),
    (re.compile(r"dh"), "d"),
    (re.compile(r"dj"), "j"),
    (re.compile(r"j"), "i"),
    (re.compile(r"w"), "v"),
    (re.compile(r"z"), "s"),
    (re.compile(r"f+$"), "v"),
    (re.compile(r"y"), "i"),
    (re.compile(r"e"), "a"),
    (re.compile(r"o"), "u"),
    (re.compile(r"(.)\1+"), r"\1"),
    (re.compile(r"(?<=[aiu])h$"), ""),
]


@lru_cache(maxsize=65536)
def name_key(word: str) -> str:
    """Transliteration-folded key of one name word: 'Bagheri' and 'Baqeri' -> 'bakari'."""
    w = fold(word)
    w = re.sub(r"^(?:al|el)[-‐‑‒–]", "", w)
    for pattern, repl in _RULES:
        w = pattern.sub(repl, w)
    return w


@lru_cache(maxsize=65536)
def given_key(word: str) -> str:
    key = name_key(word)
    return re.sub(r"[aiu]", "", key) or key


@lru_cache(maxsize=65536)
def folded_word(word: str) -> str:
    """A word casefolded, diacritics stripped, letters a-z only."""
    return re.sub(r"[^a-z]", "", fold(word))


def strip_title(words: list[str]) -> int:
    """How many leading words of ``words`` are titles, offices or nationality words.

    Everything up to the last title word goes ("Russian Defense Minister Sergei
    Shoigu" -> "Sergei Shoigu"), as long as a name is left after it.
    """
    last = -1
    for i, w in enumerate(words[:-1]):
        f = folded_word(w.rstrip("."))
        if is_title(w):
            last = i
        elif f in PARTICLES or f in {"of", "for", "the", "des", "du", "de", "and", "et"}:
            continue
        elif last >= 0 or i > 2:
            break
    return last + 1


@dataclass(frozen=True)
class PersonName:
    """A personal name split into parts (words as written). ``prefix`` holds the
    particles written before the surname that may also be glued to it
    ("Van Dam" / "Vandam")."""

    given: str | None
    middle: tuple[str, ...]
    surname: str
    prefix: str = ""

    @classmethod
    def parse(cls, name: str) -> "PersonName":
        return _parse(name)

    @classmethod
    def _parse(cls, name: str) -> "PersonName":
        words = [w for w in re.split(r"\s+", name.strip()) if w]
        core = [w for w in words if folded_word(w) not in PARTICLES]
        if not core:
            return cls(None, (), name.strip())
        surname = core[-1]
        before = words[: len(words) - 1 - words[::-1].index(surname)]
        prefix = ""
        while before and folded_word(before[-1]) in PARTICLES - _ARTICLES - {"bin", "ben", "ibn", "bint"}:
            prefix = before.pop() + prefix
        # A lone surname may carry its article: "Al Attiyah" is a surname, not a full name.
        if len(core) == 1:
            return cls(None, (), surname, prefix)
        return cls(core[0], tuple(core[1:-1]), surname, prefix)

    @property
    def is_full(self) -> bool:
        return self.given is not None

    @property
    def given_key(self) -> str | None:
        """Consonants of the given name's key: 'Yusuf', 'Youssef', 'Jussuf' -> 'sf'."""
        return given_key(self.given) if self.given else None

    def surname_keys(self) -> frozenset[str]:
        """Keys a lone surname may be written as: the surname, its hyphen parts,
        and the last middle name joined to it ("Amir Abdollahian" / "Amir-Abdollahian")."""
        return self._surname_keys

    @cached_property
    def _surname_keys(self) -> frozenset[str]:
        parts = [p for p in re.split(r"[-‐‑‒–]", self.surname) if p and folded_word(p) not in _ARTICLES]
        keys = {name_key(self.surname)}
        if self.prefix:
            keys.add(name_key(self.prefix + self.surname))
        if len(parts) > 1:
            keys.add(name_key(parts[-1]))
        if self.middle:
            keys.add(name_key(self.middle[-1] + self.surname))
        return frozenset(k for k in keys if k)

    @property
    def surname_key(self) -> str:
        return name_key(self.surname)

    def full_keys(self) -> set[str]:
        """Keys of the full name: given name with each surname key."""
        if not self.given:
            return set()
        return {f"{self.given_key} {s}" for s in self.surname_keys()}

    @property
    def key(self) -> str:
        """The main key: 'given surname' for a full name, 'surname' otherwise."""
        return f"{self.given_key} {self.surname_key}" if self.given else self.surname_key


# Names repeat across a corpus; a parsed name is immutable, so parses are shared.
_parse = lru_cache(maxsize=65536)(PersonName._parse)


@lru_cache(maxsize=262144)
def close_keys(a: str, b: str) -> bool:
    """Two name keys that are equal or one letter apart (for names of 5+ letters).

    Used only where context already suggests one person (same article or story),
    e.g. 'Meqdad' / 'Megdad'.
    """
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def org_key(name: str) -> str:
    """Key of an organisation or place: leading article dropped, each word folded
    like a name, so that exonyms one letter apart meet ("Vessaria" / "Vessarie")."""
    words = [folded_word(w) for w in re.split(r"[\s\-‐‑‒–’']+", name)]
    words = [w for w in words if w]
    while len(words) > 1 and words[0] in {"the", "le", "la", "les", "l", "der", "die", "das", "el", "los", "las"}:
        words = words[1:]
    return " ".join(name_key(w) for w in words)
