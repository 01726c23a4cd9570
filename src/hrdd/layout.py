"""Which files a scorecard project holds: the one place that names them.

Every file under ``assessments/`` and ``frameworks/`` is either read or reported; none is skipped
in silence. The names hrdd reads, all lower case and ending in ``.yaml`` (``.yml``, ``.YAML`` and
any other spelling are reported, by ``hrdd validate``, ``hrdd build`` and ``hrdd check-submission``
alike, with the name to use):

* ``frameworks/<id>/<version>.yaml``: a framework (``<id>`` like ``ungp-core``, ``<version>``
  like ``1.0``);
* ``assessments/<slug>/<cycle>.yaml``: an independent assessment;
* ``assessments/<slug>/<cycle>-self.yaml``: a self-assessment;
* ``assessments/<slug>/<cycle>-feedback.yaml``: a company's feedback on an assessment, read by the
  feedback checks, not as an assessment.

Symbolic links (to files or folders) are never followed: they are reported. A few files that
operating systems drop into folders by themselves (``IGNORED``) are passed over.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal

SUFFIX = ".yaml"
"""The one file extension hrdd reads, in lower case."""

FRAMEWORK_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""A framework id; also its folder name under ``frameworks/`` (use ``fullmatch``)."""

FRAMEWORK_VERSION = re.compile(r"[0-9]+(\.[0-9]+)?")
"""A framework version; also its file name under ``frameworks/<id>/`` (use ``fullmatch``)."""

ASSESSMENT_NAME = re.compile(r"^(?P<cycle>[0-9]{4})(?P<self>-self)?\.yaml$")
"""An assessment's file name: ``<cycle>.yaml`` or ``<cycle>-self.yaml``."""

FEEDBACK_NAME = re.compile(r"^(?P<cycle>[0-9]{4})-feedback\.yaml$")
"""A feedback file's name: ``<cycle>-feedback.yaml`` beside the assessment it answers."""

IGNORED = frozenset({".DS_Store", "Thumbs.db", "desktop.ini", ".gitkeep"})
"""Files that file managers and git users leave in folders; never data."""

Kind = Literal["framework", "assessment", "feedback"]


def is_framework_id(text: str) -> bool:
    """Whether ``text`` is a framework id (never a path: no ``/``, ``..`` or upper case)."""
    return FRAMEWORK_ID.fullmatch(text) is not None


def is_framework_version(text: str) -> bool:
    return FRAMEWORK_VERSION.fullmatch(text) is not None


def kind_of(path: Path, frameworks_dir: Path | None = None) -> Kind:
    """What a file is read as: a framework when it is under ``frameworks_dir`` (or, without one, under
    any folder named ``frameworks``), a feedback file by its name, else an assessment."""
    if frameworks_dir is not None and inside(path, frameworks_dir):
        return "framework"
    if "frameworks" in path.parts:
        return "framework"
    if FEEDBACK_NAME.match(path.name):
        return "feedback"
    return "assessment"


def name_problem(path: Path) -> str | None:
    """Why a file found in a project folder is not read, or None when it is: the same rule for
    every command. Only the extension and links are judged here; whether the rest of the name
    fits the content is for the checks that read it."""
    if path.is_symlink():
        what = "folder" if path.is_dir() else "file"
        return f"symbolic links are not read; replace it with the {what} itself"
    return suffix_problem(path.name)


def suffix_problem(name: str) -> str | None:
    """Why a file of this name is not read (its extension), or None; for files in git too
    (``hrdd check-submission``)."""
    suffix = os.path.splitext(name)[1]
    if suffix == SUFFIX:
        return None
    stem = name[: -len(suffix)] if suffix else name
    if suffix.lower() in (".yaml", ".yml"):
        return f"hrdd reads only files ending in {SUFFIX} (lower case); rename it to {stem}{SUFFIX}"
    return (
        f"not a {SUFFIX} file: hrdd reads only {SUFFIX} files under assessments/ and frameworks/; "
        "remove it or move it out of the folder"
    )


def iter_files(paths: list[Path], *, report_all: Callable[[Path], bool]) -> Iterator[Path]:
    """Every file named, and every file found under a named folder, sorted, each once.

    Folders are walked without following symbolic links; a linked folder is given as itself (for
    ``name_problem`` to report). For a folder ``report_all`` says yes to, every file found is given (for a project's
    own ``assessments/`` and ``frameworks/``, where nothing may be skipped in silence); without,
    only files whose extension is some spelling of ``.yaml`` or ``.yml`` (a folder given to
    ``hrdd validate`` may hold anything)."""
    seen: set[Path] = set()
    for given in paths:
        if given.is_dir() and not given.is_symlink():
            found = sorted(_walk(given, report_all(given)), key=_order)
        else:
            found = [given]
        for item in found:
            if item not in seen:
                seen.add(item)
                yield item


def _walk(folder: Path, report_all: bool) -> Iterator[Path]:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name in IGNORED:
                continue
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(path, report_all)
                continue
            linked_folder = entry.is_symlink() and entry.is_dir()
            if report_all or linked_folder or path.suffix.lower() in (".yaml", ".yml"):
                yield path


def _order(path: Path) -> tuple[str, ...]:
    return path.parts


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or inside it (without resolving links)."""
    try:
        Path(os.path.abspath(path)).relative_to(os.path.abspath(folder))
    except ValueError:
        return False
    return True
