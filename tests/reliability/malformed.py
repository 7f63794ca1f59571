"""A generated corpus of broken and hostile inputs, written at test time.

``write_corpus(folder, seed, scale)`` writes files of every kind a scraper can
produce when things go wrong (random bytes, truncated and deeply nested HTML,
HTML bombs, huge lines, mixed encodings, NUL bytes, zero-width and bidi
characters, malformed JSON/JSONL, broken WARC records, feeds with bad dates or
entity bombs) and returns one :class:`Case` per file. A case lists the ids of
the good records hidden in it (valid JSONL lines between broken ones, the intact
entries of a feed), which ingest must store. The same seed always gives the same
corpus. Nothing here is committed as data.
"""

from __future__ import annotations

import gzip
import io
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from storywire.ingest.ids import id_from_url
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

WORDS = (
    "harbour strike workers minister council river flood bridge election court ruling police "
    "village mayor budget hospital school storm coast ferry union talks wages contract port "
    "night morning officials residents reported said according statement government agency"
).split()
ZERO_WIDTH_BIDI = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202a", "\u202b", "\u202d",
                   "\u202e", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069", "\u061c", "\u00ad"]
BAD_DATES = ["2023-02-30", "9999-99-99", "0000-00-00", "-1", "1e400", "yesterday", "Mon, 99 Foo 2023 99:99:99 +9999",
             "2023-13-45T25:61:61Z", "\u0662\u0660\u0662\u0663", "", "T", "2023-01-01T00:00:00+99:00",
             "99999999999999999999", "NaN", "1" * 79, "2023/1/1 12:00 PM GMT+14", "Sun, 31 Dec 1899 00:00:00 GMT"]


@dataclass
class Case:
    name: str
    kind: str
    good_ids: list[str] = field(default_factory=list)
    records: int = 1  # inputs in this file (lines, entries, WARC records)


def sentence(rng: random.Random, n: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def article_text(rng: random.Random, paragraphs: int = 3) -> str:
    return "\n\n".join(" ".join(sentence(rng) for _ in range(3)) for _ in range(paragraphs))


def html_page(rng: random.Random, title: str | None = None) -> str:
    body = "".join(f"<p>{p}</p>\n" for p in article_text(rng, 4).split("\n\n"))
    title = title or sentence(rng, 5)
    return (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>"
            f"<body><article><h1>{title}</h1>{body}</article></body></html>")


# -- one generator per kind: (rng, n) -> list[(suffix, bytes, good_ids, records)] ----------------

def random_bytes(rng, n):
    suffix = rng.choice([".txt", ".html", ".json", ".jsonl", ".rss", ".warc", ".warc.gz", ".md", ""])
    size = rng.choice([1, 7, 100, 4096, 70_000])
    data = rng.randbytes(size)
    if rng.random() < 0.4:  # looks like the format at first, then garbage
        data = rng.choice([b"<html><body><p>", b'{"text": "', b"WARC/1.0\r\n", b"<rss><channel>", b"\xef\xbb\xbf"]) + data
    return [(suffix, data, [], 1)]


def truncated_html(rng, n):
    page = html_page(rng).encode()
    return [(".html", page[: rng.randint(1, len(page) - 1)], [], 1)]


def deep_html(rng, n):
    depth = rng.choice([300, 1_000, 3_000, 10_000, 30_000])
    tag = rng.choice(["div", "span", "b", "section", "blockquote", "li", "table", "font"])
    closed = rng.random() < 0.5
    text = sentence(rng)
    html = "<html><body>" + f"<{tag}>" * depth + f"<p>{text}</p>" + (f"</{tag}>" * depth if closed else "")
    return [(".html", html.encode(), [], 1)]


def html_bomb(rng, n):
    kind = rng.choice(["paragraphs", "attribute", "entities", "comments", "table", "scripts"])
    para = sentence(rng)
    if kind == "paragraphs":
        body = f"<p>{para}</p>" * rng.choice([10_000, 60_000])
    elif kind == "attribute":
        body = '<p title="' + "A" * 2_000_000 + f'">{para}</p>'
    elif kind == "entities":
        body = "<p>" + "&amp;&#x110000;&#0;&#xD800;&nbsp;&bogus;&#99999999999;" * 30_000 + "</p>"
    elif kind == "comments":
        body = "<!--" * 50_000 + f"<p>{para}</p>"
    elif kind == "table":
        body = "<table>" + ("<tr>" + "<td>x</td>" * 200 + "</tr>") * 500 + "</table>"
    else:
        body = "<script>" + "var a=1;" * 100_000 + "</script>" + f"<p>{para}</p>"
    return [(".html", f"<html><body>{body}</body></html>".encode(), [], 1)]


def huge_line(rng, n):
    size = rng.choice([100_000, 1_000_000, 2_500_000])
    line = " ".join(rng.choice(WORDS) for _ in range(size // 6))[:size]
    return [(rng.choice([".txt", ".md", ""]), line.encode(), [], 1)]


def mixed_encodings(rng, n):
    text = article_text(rng).replace("harbour", "café").replace("river", "Straße")
    parts = [text.encode(rng.choice(["utf-8", "latin-1", "cp1252", "utf-16", "utf-16-le", "koi8-r"]),
                         errors="replace") for _ in range(3)]
    data = b"\n".join(parts)
    if rng.random() < 0.3:
        data = b'<html><head><meta charset="' + rng.choice([b"utf-8", b"shift_jis", b"no-such-charset", b"utf-7"]) \
            + b'"></head><body><p>' + data + b"</p></body></html>"
        return [(".html", data, [], 1)]
    return [(rng.choice([".txt", ".md"]), data, [], 1)]


def nul_bytes(rng, n):
    text = article_text(rng).encode()
    cut = rng.randint(0, len(text))
    data = text[:cut] + b"\x00" * rng.randint(1, 5) + text[cut:]
    return [(rng.choice([".txt", ".html", ".jsonl", ".json"]), data, [], 1)]


def zero_width_bidi(rng, n):
    words = article_text(rng).split(" ")
    text = " ".join(w + (rng.choice(ZERO_WIDTH_BIDI) if rng.random() < 0.3 else "") for w in words)
    if rng.random() < 0.5:
        return [(".txt", text.encode(), [], 1)]
    aid = f"zw-{n}"
    rec = {"id": aid, "title": "\u202e" + sentence(rng, 4) + "\u200b", "text": text,
           "source": "Out\u200blet\u202e", "url": "https://example.org/\u202egpj.exe"}
    return [(".jsonl", (json.dumps(rec, ensure_ascii=rng.random() < 0.5) + "\n").encode(), [aid], 1)]


def malformed_json(rng, n):
    good = {"id": f"mj-{n}", "title": sentence(rng, 4), "text": article_text(rng)}
    raw = json.dumps(good)
    variants = [
        raw[: rng.randint(1, len(raw) - 1)],                      # truncated
        raw.replace('",', '",,', 1),                              # double comma
        raw[:-1] + ",}",                                          # trailing comma
        "[" * 100_000 + "]" * 100_000,                            # deep nesting
        '{"text": ' + "[" * 50_000 + "]" * 50_000 + "}",          # deep nesting inside a record
        '{"text": "a", "date": 1e999}',                            # infinity
        '{"text": NaN}',
        '{"text": "' + "\\ud800" + ' lone surrogate", "id": "s1"}',
        '{"text": "bad escape \\x41"}',
        '{"text": 12345678901234567890123456789}',
        '{"text": null, "content": {"nested": true}}',
        '"just a string"',
        "42",
        "",
        '{"articles": [1, "two", null, {"text": ""}]}',
        '{"text": "' + "x" * 10 + '", "id": {"a": [1, 2]}, "date": [1, 2, 3]}',
        "\ufeff\ufeff" + raw,
    ]
    return [(".json", rng.choice(variants).encode("utf-8", "surrogatepass"), [], 1)]


def malformed_jsonl(rng, n):
    """Good records between broken lines: the good ones must all be stored."""
    lines, good = [], []
    count = rng.randint(3, 12)
    for i in range(count):
        roll = rng.random()
        aid = f"jl-{n}-{i}"
        rec = {"id": aid, "title": sentence(rng, 4), "text": article_text(rng, 2),
               "date": rng.choice(BAD_DATES + ["2024-03-01T10:00:00Z"]), "source": rng.choice(["Coast Post", "Eco"])}
        line = json.dumps(rec, ensure_ascii=False)
        if roll < 0.55:
            good.append(aid)
        elif roll < 0.65:
            line = line[: rng.randint(1, len(line) - 1)]
        elif roll < 0.72:
            line = "[" * 20_000 + "]" * 20_000
        elif roll < 0.78:
            line = json.dumps({"id": aid, "title": "no text"})
        elif roll < 0.84:
            line = rng.randbytes(rng.randint(1, 300)).replace(b"\n", b" ").decode("latin-1")
        elif roll < 0.88:
            line = json.dumps({"id": aid, "text": "lone \ud800 surrogate " + sentence(rng)}, ensure_ascii=True)
        elif roll < 0.92:
            line = json.dumps({"id": aid, "text": 3.5e300, "date": -1e300})
        elif roll < 0.96:
            line = line.replace('"text"', '"text\x00"')
        else:
            line = "\x00" * 10
        lines.append(line)
    data = "\n".join(lines).encode("utf-8", "surrogatepass") + rng.choice([b"\n", b"", b"\r\n", b"\n\n\n"])
    return [(".jsonl", data, good, count)]


def _warc_record(writer: WARCWriter, url: str, body: bytes, content_type: str = "text/html; charset=utf-8"):
    headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers,
                                       warc_headers_dict={"WARC-Date": "2024-05-01T10:00:00Z",
                                                          "WARC-Record-ID": f"<urn:uuid:{url}>"})
    writer.write_record(record)


def broken_warc(rng, n):
    buf = io.BytesIO()
    gz = rng.random() < 0.5
    writer = WARCWriter(buf, gzip=gz)
    count = rng.randint(1, 4)
    for i in range(count):
        _warc_record(writer, f"https://example.org/news/{n}-{i}.html", html_page(rng).encode())
    data = buf.getvalue()
    how = rng.choice(["truncate", "flip", "content-length", "garbage-tail", "bad-http", "no-http"])
    if how == "truncate":
        data = data[: rng.randint(1, len(data) - 1)]
    elif how == "flip":
        data = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        data = bytes(data)
    elif how == "content-length":
        raw = gzip.decompress(data) if gz else data
        raw = raw.replace(b"Content-Length: ", b"Content-Length: 9", 1)
        data = gzip.compress(raw) if gz and rng.random() < 0.5 else raw
    elif how == "garbage-tail":
        data += rng.randbytes(rng.randint(1, 5000))
    elif how == "bad-http":
        raw = gzip.decompress(data) if gz else data
        data = raw.replace(b"HTTP/1.1 200 OK", b"HTTP/1.1 \x00\xff nonsense", 1)
    else:
        raw = gzip.decompress(data) if gz else data
        data = raw.replace(b"HTTP/1.1 200 OK\r\n", b"", 1)
    suffix = ".warc.gz" if data[:2] == b"\x1f\x8b" else ".warc"
    return [(suffix, data, [], count)]


def bad_feed(rng, n):
    """A feed whose entries carry bad dates and odd fields; entries with text and a link are good."""
    atom = rng.random() < 0.4
    entries, good = [], []
    count = rng.randint(1, 6)
    for i in range(count):
        date = rng.choice(BAD_DATES)
        text = sentence(rng, 20)
        link = f"https://feed.example/{n}/{i}"
        if atom:
            entries.append(f"<entry><title>{sentence(rng, 4)}</title><link href=\"{link}\"/><id>{link}</id>"
                           f"<updated>{date}</updated><summary>{text}</summary></entry>")
        else:
            entries.append(f"<item><title>{sentence(rng, 4)}</title><link>{link}</link><guid>{link}</guid>"
                           f"<pubDate>{date}</pubDate><description><![CDATA[<p>{text}</p>]]></description></item>")
        good.append(id_from_url(link))
    if atom:
        doc = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
               f"<title>Feed {n}</title>{''.join(entries)}</feed>")
    else:
        doc = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {n}</title>{"".join(entries)}</channel></rss>'
    roll = rng.random()
    if roll < 0.2:  # entity expansion bomb in the DTD ("billion laughs")
        dtd = '<!DOCTYPE rss [<!ENTITY a "' + "x" * 100 + '">' + "".join(
            f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(8)) + "]>"
        doc = doc.replace("?>", "?>" + dtd, 1).replace("<title>Feed", "<title>&i; Feed", 1)
        good = []  # expanded or refused: either is fine, never a hang
    elif roll < 0.4:
        doc = doc[: rng.randint(10, len(doc) - 1)]
        good = []
    return [(rng.choice([".rss", ".xml", ".atom"]), doc.encode(), good, count)]


KINDS = {
    "random_bytes": (random_bytes, 0.16),
    "truncated_html": (truncated_html, 0.10),
    "deep_html": (deep_html, 0.04),
    "html_bomb": (html_bomb, 0.02),
    "huge_line": (huge_line, 0.02),
    "mixed_encodings": (mixed_encodings, 0.08),
    "nul_bytes": (nul_bytes, 0.08),
    "zero_width_bidi": (zero_width_bidi, 0.08),
    "malformed_json": (malformed_json, 0.12),
    "malformed_jsonl": (malformed_jsonl, 0.12),
    "broken_warc": (broken_warc, 0.10),
    "bad_feed": (bad_feed, 0.08),
}


def write_corpus(folder: Path, files: int, seed: int = 0) -> list[Case]:
    """Write ``files`` generated inputs into ``folder``; one :class:`Case` per file.

    Every kind appears at least once; the rest are drawn by weight.
    """
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    names = list(KINDS)
    order = names + rng.choices(names, weights=[KINDS[k][1] for k in names], k=max(0, files - len(names)))
    cases = []
    for n, kind in enumerate(order):
        for suffix, data, good, records in KINDS[kind][0](rng, n):
            name = f"{n:05d}-{kind}{suffix}"
            (folder / name).write_bytes(data)
            cases.append(Case(name, kind, good, records))
    return cases
