"""Errors that say what went wrong and what to do about it."""

from __future__ import annotations


class StorywireError(Exception):
    """Base error. ``hint`` tells the user what to do next."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class ConfigError(StorywireError):
    """A setting with a value storywire cannot use."""


class InputError(StorywireError):
    """An input file, record or URL that cannot be read as an article."""


class StoreError(StorywireError):
    """The database cannot be opened, migrated or written."""


class NotFound(StorywireError):
    """An id that is not in the store."""


class LimitExceeded(InputError):
    """An input above a configured size limit."""
