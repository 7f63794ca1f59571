"""Who said what: direct quotes with their speaker, and clear indirect speech.

Direct quotes are text between quotation marks (“…”, "…", « … », „…“), at least
four words long (shorter ones are scare quotes: the "unjustifiable" silence). A
quote that runs over a paragraph break, where the next paragraph reopens the
quotation, is one quote. The speaker is found, in this order:

* after the quote: ``…," he said`` (the pronoun is the last person named before
  the quote), ``…," said X`` / ``…," X said`` / ``…», a déclaré X``;
* before it, in the same clause: ``X said: "…"``, ``X warned, "…"``, a colon
  introduction; the person named just before the last speech verb, else the
  last person named in the clause, else (a pronoun) the last person named
  before the clause.

A quote with neither a speech verb nor a colon next to it is not kept.
Indirect speech is kept where the pattern is clear: a person (or a pronoun)
directly followed by a speech verb and "that"/"que"/"dass"/a comma, e.g.
"X said that …", "X a déclaré que …".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..actors.names import PersonName, name_key
from ..text import sentence_spans, words


@dataclass(frozen=True)
class Person:
    """A person mention of the article, resolved to an actor."""

    start: int
    end: int
    actor_id: str | None
    name: str


@dataclass(frozen=True)
class Quote:
    text: str
    start: int
    end: int
    kind: str  # direct | indirect
    speaker: Person | None


# Speech verbs, en/fr/de/es. Participles and -ing forms cover "warning, …".
_EN_VERBS = r"""
said|says|say|saying|told|tells|telling|added|adds|adding|stated|states|stating|noted|notes|noting
|warned|warns|warning|declared|declares|announced|announces|stressed|stresses|stressing|insisted
|insists|explained|explains|wrote|writes|asked|asks|replied|replies|urged|urges|argued|argues
|claimed|claims|continued|reported|emphasi[sz]ed|underlined|underscored|recalled|vowed|according\s+to
"""
_OTHER_VERBS = r"""
a\s+d[ée]clar[ée]|d[ée]clare|a\s+dit|dit|a\s+affirm[ée]|affirme|a\s+ajout[ée]|ajoute|a\s+soulign[ée]
|souligne|a\s+expliqu[ée]|explique|a\s+indiqu[ée]|indique|a\s+averti|avertit|a\s+estim[ée]|estime
|a\s+assur[ée]|assure|a\s+lanc[ée]|a\s+martel[ée]|a\s+insist[ée]|a\s+pr[ée]cis[ée]|pr[ée]cise
|a\s+[ée]crit|[ée]crit|selon|a\s+r[ée]pondu|r[ée]pond|a\s+pr[ée]venu|r[ée]sume|salu[ée]
|d[ée]clar[ée]|affirm[ée]|soulign[ée]|ajout[ée]|expliqu[ée]|indiqu[ée]|estim[ée]|assur[ée]|pr[ée]cis[ée]
|sagte|sagten|sagt|erkl[äa]rte|erkl[äa]rt|betonte|betont|warnte|warnt|meinte|meint|f[üu]gte|schrieb|laut
|dijo|dice|afirm[óo]|afirma|declar[óo]|se[ñn]al[óo]|a[ñn]adi[óo]|agreg[óo]|explic[óo]|asegur[óo]
|advirti[óo]|seg[úu]n|indic[óo]|subray[óo]|escribi[óo]|habl[óo]|sprach
"""
_EN = re.sub(r"\s+", "", _EN_VERBS)
_ALL = _EN + "|" + re.sub(r"\s+", "", _OTHER_VERBS)
_VERB = re.compile(rf"(?<!\w)(?:{_ALL})(?!\w)", re.I)
_PRONOUN = r"(?:he|she|il|elle|er|sie|él|ella)"
_POST_PRONOUN = re.compile(
    rf"^[\s,.–—-]*(?:{_PRONOUN}\s+(?:{_ALL})|(?:{_ALL})[\s,]+{_PRONOUN}|a-t-(?:il|elle)\s+\w+)(?!\w)", re.I
)
_PRE_PRONOUN = re.compile(rf"(?<!\w){_PRONOUN}(?!\w)", re.I)
_OPENERS = {"“": "”“", "«": "»", "„": "“”", '"': '"', "‘": "’", "'": "'"}
# Quotation marks; a single quote only where it is not an apostrophe (not between letters).
_MARKS = re.compile(r"[“”«»„\"]|(?<!\w)['‘’](?=\w)|(?<=[\w.,!?;:])['’](?!\w)")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»]?\s")
_REOPEN = re.compile(r"\s*\n\s*\n\s*[“«„\"‘']\s*")


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text inside each pair of quotation marks."""
    spans: list[tuple[int, int]] = []
    open_at, opener, seen = -1, "", -1
    for m in _MARKS.finditer(text):
        pos, ch = m.start(), m.group()
        if open_at >= 0 and re.search(r"\n\s*\n", text[seen:pos]):
            # A paragraph break inside an open quote: it goes on only if the new
            # paragraph reopens it right at its start.
            if ch == opener and re.search(r"\n\s*\n\s*$", text[seen:pos]):
                seen = pos + 1
                continue
            open_at = -1
        if open_at < 0:
            after = text[pos + 1 : pos + 2]
            if ch in _OPENERS and (ch == "«" or after and not after.isspace()):
                open_at, opener, seen = pos, ch, pos
        elif (ch in _OPENERS[opener] or opener == "‘" and ch == "'") and (opener == "«" or not text[pos - 1 : pos].isspace()):
            spans.append((open_at + 1, pos))
            open_at = -1
    return spans


def _clause_before(text: str, pos: int) -> int:
    """Where the clause that leads into ``pos`` starts (sentence or paragraph start)."""
    para = max(text.rfind("\n\n", 0, pos), -1) + 1
    last = para
    for m in _SENTENCE_END.finditer(text, para, pos):
        last = m.end()
    return last


def _post_window(text: str, end: int) -> str:
    """What follows a closing quotation mark, up to the end of its sentence (a
    period after a short capitalised abbreviation such as "Dr." or "M." is not one)."""
    tail = text[end + 1 : end + 160]
    for stop in re.finditer(r"[.!?…](?:\s|$)|[“«„\"]|\n", tail):
        if stop.group().startswith(".") and re.search(r"(?<!\w)[A-Z][a-z]{0,2}$", tail[: stop.start()]):
            continue
        return tail[: stop.start()]
    return tail


_PLACE_BEFORE = re.compile(r"(?<!\w)(?:à|au|in|at|en|im|nach|aus|from|de|of|du|von)\s+$", re.I)
_CAPITALISED = re.compile(r"(?<!\w)[A-ZÀ-ÖØ-Þ][\w'’-]+")


def _named_in(post: str, people: list[Person]) -> Person | None:
    """A person of the article whose surname is written in ``post`` although NER
    did not tag it there ('…," Feyn said'): the last one named with that surname."""
    keys = {name_key(m.group()) for m in _CAPITALISED.finditer(post)}
    found = [p for p in people if keys & PersonName.parse(p.name).surname_keys()]
    return max(found, key=lambda p: p.start) if found else None


def attribute(text: str, start: int, end: int, people: list[Person]) -> Person | None | bool:
    """The speaker of the quote at ``text[start:end]`` (between the marks at
    ``start - 1`` and ``end``) among ``people`` (mentions outside quotes); ``None``
    if a speech verb introduces it but names nobody; ``False`` if nothing marks
    it as speech."""

    def last_before(pos: int, floor: int = 0) -> Person | None:
        found = [p for p in people if floor <= p.start and p.end <= pos]
        return max(found, key=lambda p: p.start) if found else None

    post = _post_window(text, end)
    if _POST_PRONOUN.match(post):
        return last_before(start - 1)
    verb = _VERB.search(post)
    if verb:
        # "…", said X; not a place name in "…", said the minister in Khoresk.
        after = [p for p in people if end < p.start <= end + 1 + len(post)
                 and not _PLACE_BEFORE.search(text[max(0, p.start - 5) : p.start])]
        if after:
            return min(after, key=lambda p: p.start)
        named = _named_in(post, people)
        if named:
            return named
    clause = _clause_before(text, start - 1)
    pre = text[clause : start - 1]
    verbs = list(_VERB.finditer(pre))
    colon = pre.rstrip().endswith(":")
    if not verbs and not colon:
        return None if verb else False
    cut = clause + verbs[-1].start() if verbs else start - 1
    speaker = last_before(cut, clause) or last_before(start - 1, clause)
    if speaker:
        return speaker
    if _PRE_PRONOUN.search(pre):
        return last_before(clause)
    return None


# After the subject: a speech verb, an optional listener, then "that"/"que"/"dass"/",".
_INDIRECT = re.compile(
    rf"\s*,?\s*(?P<verb>told\s+(?:the\s+)?\w+|{_ALL})"
    r"(?P<that>\s*,\s*(?:dass|que)|\s+that|\s+que|\s+qu['’]|\s+dass|\s*,)?\s*",
    re.I,
)
# English verbs that may go without "that": "X said the talks failed".
_BARE = re.compile(r"said|says|told\s+(?:the\s+)?\w+", re.I)


def indirect(text: str, people: list[Person], skip: list[tuple[int, int]]) -> list[Quote]:
    """'X said that …' sentences (not overlapping a direct quote)."""
    out = []
    for s, e in sentence_spans(text):
        if any(a < e and s < b for a, b in skip):
            continue
        sentence_people = [p for p in people if s <= p.start and p.end <= e]
        subjects = [(p.end, p) for p in sentence_people]
        for m in re.finditer(rf"(?<!\w){_PRONOUN}(?!\w)", text[s:e], re.I):
            if m.start() == 0 or text[s + m.start() - 2 : s + m.start()] == ", ":
                before = [p for p in people if p.end <= s]
                if before:
                    subjects.append((s + m.end(), max(before, key=lambda p: p.start)))
        for pos, person in sorted(subjects, key=lambda x: x[0]):
            m = _INDIRECT.match(text, pos, e)
            if not m or not (m.group("that") or _BARE.fullmatch(m.group("verb"))):
                continue
            if m.group("verb").lower() in ("according to", "selon", "laut", "según", "segun"):
                continue
            clause_start = m.end()
            clause = text[clause_start:e].rstrip()
            if len(words(clause)) < 5 or not clause[:1].isalpha():
                continue
            out.append(Quote(clause, clause_start, clause_start + len(clause), "indirect", person))
            break
    return out


def _continues(text: str, previous: Quote | None, start: int, people: list[Person]) -> bool:
    """Is the quote at ``start`` the next sentence of the previous quote's speaker:
    same paragraph, nothing but a short attribution and no other person between?"""
    if previous is None or previous.speaker is None:
        return False
    between = text[previous.end : start]
    return (
        "\n\n" not in between
        and len(between) < 120
        and not any(previous.end < p.start < start and p.actor_id != previous.speaker.actor_id for p in people)
    )


def find_quotes(text: str, people: list[Person]) -> list[Quote]:
    """Direct quotes with their speakers, then indirect speech, in text order.

    A quote with no attribution of its own right after an attributed one, in the
    same paragraph, continues that speaker ("…," he said. "…")."""
    direct: list[Quote] = []
    spans = quote_spans(text)
    # Names inside quotes are never speakers.
    people = [p for p in people if not any(s <= p.start < e for s, e in spans)]
    for start, end in spans:
        inner = text[start:end]
        if len(words(inner)) < 4:
            continue
        speaker = attribute(text, start, end, people)
        if speaker is False:
            previous = direct[-1] if direct else None
            if not _continues(text, previous, start, people):
                continue
            speaker = previous.speaker
        clean = _REOPEN.sub(" ", inner).strip()
        start, end = start + len(inner) - len(inner.lstrip()), end - (len(inner) - len(inner.rstrip()))
        direct.append(Quote(clean, start, end, "direct", speaker))
    taken = [(q.start - 1, q.end + 1) for q in direct]
    return sorted(direct + indirect(text, people, taken), key=lambda q: q.start)
