"""Lines an outlet repeats across its articles (slogans, menus, share bars, sign-offs).

Design: a per-outlet line-frequency table kept in the store (tables
``outlet_lines`` and ``outlet_articles``, migration 0010). After each batch of
new articles is stored, :func:`storywire.pipeline.ingest` counts every short line
of their raw text (at most ``MAX_WORDS`` words, so body sentences never qualify)
once per article. The cleaning of *later* articles drops a short line when it
occurs in at least ``min_articles`` of that outlet's articles and in at least
``min_share`` of them. The table is loaded once per run (only lines already
frequent enough) and updated in memory as the run goes, so a large first batch
benefits after its first few transactions. Outlet names met while cleaning are
remembered too, so that "Outlet - " prefixes of outlets without a tell-tale word
("El Eco del Valle - ...") are recognised once the outlet was seen. Results can
therefore depend on the order in which articles are read. Articles stored before their
outlet's furniture was learnt keep it until they are re-ingested with changes.
"""

from __future__ import annotations

from collections import Counter

from . import markdown as md
from .boilerplate import MAX_WORDS
from .normalize import line_key, normalize_text


def short_lines(raw_text: str) -> dict[str, str]:
    """{key: line} of the short text lines of a raw article, once each."""
    found: dict[str, str] = {}
    for ln in md.parse_lines(normalize_text(raw_text)):
        if ln.kind == md.TEXT and 0 < len(key := line_key(ln.text).split()) <= MAX_WORDS:
            found.setdefault(" ".join(key), ln.text)
    return found


class OutletLines:
    def __init__(self, min_articles: int = 3, min_share: float = 0.2):
        self.min_articles = min_articles
        self.min_share = min_share
        self.articles: Counter[str] = Counter()
        self.lines: dict[str, Counter[str]] = {}
        self.named: set[str] = set()
        self._pending: list[tuple[str, dict[str, str]]] = []

    @classmethod
    def load(cls, store, **kwargs) -> "OutletLines":
        table = cls(**kwargs)
        for row in store.query("SELECT outlet, articles FROM outlet_articles"):
            table.articles[row["outlet"]] = row["articles"]
        for row in store.query(
            "SELECT outlet, line_key, articles FROM outlet_lines WHERE articles >= ?", (table.min_articles,)
        ):
            table.lines.setdefault(row["outlet"], Counter())[row["line_key"]] = row["articles"]
        return table

    def __getstate__(self) -> dict:
        """What worker processes need: only the lines frequent enough to matter."""
        state = dict(self.__dict__)
        state["lines"] = {
            outlet: Counter({k: n for k, n in counts.items() if n >= self.min_articles})
            for outlet, counts in self.lines.items()
        }
        state["_pending"] = []
        return state

    def knows(self, outlet: str) -> bool:
        """True when articles of an outlet of this name were stored or cleaned before."""
        return outlet in self.articles or outlet in self.named

    def name(self, outlet: str | None) -> None:
        """Remember an outlet name met while cleaning, before its article is stored."""
        if outlet:
            self.named.add(outlet)

    def is_repeated(self, outlet: str | None, line: str) -> bool:
        if not outlet or outlet not in self.lines:
            return False
        n = self.lines[outlet].get(line_key(line), 0)
        return n >= self.min_articles and n >= self.min_share * self.articles[outlet]

    def observe(self, outlet: str | None, raw_text: str) -> None:
        """Count one new article's short lines (call once per stored article)."""
        if not outlet:
            return
        lines = short_lines(raw_text)
        self.articles[outlet] += 1
        counts = self.lines.setdefault(outlet, Counter())
        counts.update(lines.keys())
        self._pending.append((outlet, lines))

    def save(self, store) -> None:
        """Write what :meth:`observe` counted since the last save; call inside a transaction."""
        outlets = Counter(outlet for outlet, _ in self._pending)
        store.conn.executemany(
            "INSERT INTO outlet_articles (outlet, articles) VALUES (?, ?) "
            "ON CONFLICT(outlet) DO UPDATE SET articles = articles + excluded.articles",
            list(outlets.items()),
        )
        store.conn.executemany(
            "INSERT INTO outlet_lines (outlet, line_key, line, articles) VALUES (?, ?, ?, 1) "
            "ON CONFLICT(outlet, line_key) DO UPDATE SET articles = articles + 1",
            [(outlet, key, line) for outlet, lines in self._pending for key, line in lines.items()],
        )
        self._pending.clear()
