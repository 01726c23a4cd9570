"""Where a scorecard project keeps things, and how a path is shown to the user.

The one description of a project's layout (frameworks, assessments, docs, mkdocs.yml, the
cache) that the command line, the site and publishing share, and where hrdd's JSON Schemas are.
It imports nothing of hrdd's, so every other module can use it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

CACHE = ".hrdd-cache"
"""The project's cache folder (checks, staged docs, built blocks), at the project's root."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Project:
    """Where a scorecard project keeps things."""

    root: Path
    frameworks: Path
    assessments: Path
    docs: Path
    config: Path
    cache: Path
    use_cache: bool = True
    """Whether checks replay the results of unchanged files from ``cache`` (see hrdd.cache)."""

    @classmethod
    def at(cls, root: Path, frameworks_dir: Path | None = None, *, use_cache: bool = True) -> Project:
        return cls(
            root=root,
            frameworks=frameworks_dir or root / "frameworks",
            assessments=root / "assessments",
            docs=root / "docs",
            config=root / "mkdocs.yml",
            cache=root / CACHE,
            use_cache=use_cache,
        )

    @property
    def check_cache(self) -> Path | None:
        """The cache folder for checks, or None when checks must not use it (``--no-cache``)."""
        return self.cache if self.use_cache else None

    def data_folders(self) -> list[Path]:
        """The folders whose files the site is generated from."""
        return [p for p in (self.frameworks, self.assessments, self.docs) if p.is_dir()]

    def default_paths(self) -> list[Path]:
        """What the commands check when given no path: the frameworks and assessments folders."""
        return [p for p in (self.frameworks, self.assessments) if p.exists()]


def display_path(path: Path) -> str:
    """Path as the user would type it: relative to the working directory when inside it."""
    # abspath, not resolve: a symbolic link must be named as itself, not as its target.
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def schema_dir() -> Path:
    """The JSON Schemas: inside the installed package, or ``schema/`` of a source checkout."""
    packaged = Path(__file__).parent / "schemas"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "schema"
