"""Files and folders: walking, size limits, and reading bytes with clear errors."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from ..config import Settings
from ..errors import InputError, LimitExceeded
from ..model import Rejected


def walk(folder: Path) -> Iterator[Path | Rejected]:
    """Files under ``folder``, recursively, in name order; hidden entries skipped.

    A folder that cannot be listed yields a :class:`Rejected` naming it, and the
    walk goes on.
    """
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except PermissionError:
        yield Rejected(str(folder), "permission denied: cannot list the folder")
        return
    except OSError as exc:
        yield Rejected(str(folder), f"cannot list the folder: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from walk(path)
        else:
            yield path


def check_size(path: Path, settings: Settings) -> int:
    """The file's size; :class:`LimitExceeded` above ``settings.max_file_bytes``, InputError if empty."""
    size = path.stat().st_size
    if size > settings.max_file_bytes:
        raise LimitExceeded(
            f"file too large: {size:,} bytes, over the limit of {settings.max_file_bytes:,} bytes",
            hint="raise the limit with --max-file-mb, or split the file (JSONL and WARC are read record by record)",
        )
    if size == 0:
        raise InputError("empty file", hint="nothing to read")
    return size


def read_bytes(path: Path, settings: Settings) -> bytes:
    """The whole file, for formats that are read at once (text, HTML, JSON, feeds)."""
    check_size(path, settings)
    with open(path, "rb") as f:
        data = f.read(settings.max_file_bytes + 1)
    if not data.strip():
        raise InputError("empty file (only whitespace)", hint="nothing to read")
    return data
