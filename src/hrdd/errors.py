"""Exceptions raised by the library. Only ``hrdd.cli`` turns them into messages and exit codes."""

from __future__ import annotations

from pathlib import Path


class HrddError(Exception):
    """Base class of every error the library raises on purpose."""


class UsageError(HrddError):
    """Raised by commands when the user asked for something impossible (no such file,
    a file that would be overwritten, an unknown framework version)."""


class YamlError(HrddError):
    """Raised by ``hrdd.yamlio`` when a file cannot be read as the restricted YAML we accept.

    Carries the position so the caller can report ``path:line:col: message``.
    """

    def __init__(self, path: Path, line: int, col: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{col}: {message}")
        self.path = path
        self.line = line
        self.col = col
        self.message = message


class ImportFormatError(HrddError):
    """Raised by importers when an input file is not in the format they read."""


class BuildError(HrddError):
    """Raised by the site build when it cannot produce a site. ``details`` is printed as is
    (for example every validation problem, one per line); the previous site is left intact."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details
