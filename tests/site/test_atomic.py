"""Builds are atomic and isolated (hrdd.site.atomic): ``hrdd build`` killed with SIGKILL at any
moment leaves the previous site byte for byte (or, killed after the swap, the whole new one), and
the next build leaves no stray folder; two builds of one project never run at once; an output
folder that cannot be written, or an old site that cannot be removed, is a usage error that leaves
the old site as it was."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hrdd.site.atomic import PAUSE_ENV
from tests.site.conftest import make_project

pytestmark = pytest.mark.slow


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of ``folder`` (path -> SHA-256), and every folder (path -> "dir")."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        found[rel] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def hrdd_process(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "hrdd.cli", "build", "--project", str(project), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1750000000", **(env or {})},
    )


def build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hrdd.cli", "build", "--project", str(project), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1750000000"},
        check=False,
    )


def strays(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith((".site", "..site")))


def edit(project: Path, n: int) -> None:
    """Change the data, so that the next site differs from the last."""
    path = project / "assessments" / "mini-telecom" / "2025.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"sector: Telecommunications[^,]*", f"sector: Telecommunications {n}", text, count=1))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A project with a built site."""
    root = make_project(tmp_path_factory.mktemp("atomic") / "project")
    run = build(root)
    assert run.returncode == 0, run.stderr
    yield root


def kill_at(project: Path, point: str, env: dict[str, str] | None = None) -> None:
    """Start a build that stops at ``point`` (the test hook), and kill it there with SIGKILL."""
    process = hrdd_process(project, env={PAUSE_ENV: point, **(env or {})})
    assert process.stderr is not None
    line = process.stderr.readline()
    assert f"paused at {point}" in line, line + process.stderr.read()
    process.send_signal(signal.SIGKILL)
    process.communicate()


@pytest.mark.parametrize("point", ["built", "exchanged"])
def test_a_kill_at_the_swap_leaves_a_whole_site(project: Path, point: str) -> None:
    """Killed just before the swap, the old site is there byte for byte; killed just after the
    exchange (before the old one is deleted), the new one is there whole. The next build removes
    what the killed one left and leaves no stray folder."""
    before = snapshot(project / "site")
    edit(project, 1 if point == "built" else 2)
    kill_at(project, point)
    after = snapshot(project / "site")
    if point == "built":
        assert after == before
    else:
        assert after != before and "index.html" in after
    assert strays(project)  # what the kill left behind
    run = build(project)
    assert run.returncode == 0, run.stderr
    assert strays(project) == []


def test_a_kill_between_two_renames_is_repaired(project: Path) -> None:
    """Where no atomic exchange exists (HRDD_NO_EXCHANGE), a kill between the two renames of the
    swap leaves no site folder for a moment: the next build puts the old site back first, then
    replaces it, and leaves no stray folder."""
    before = snapshot(project / "site")
    edit(project, 3)
    kill_at(project, "renamed", {"HRDD_NO_EXCHANGE": "1"})
    assert not (project / "site").exists()
    old = [p for p in project.iterdir() if p.name.startswith(".site-old-")]
    assert len(old) == 1 and snapshot(old[0]) == before
    run = build(project)
    assert run.returncode == 0, run.stderr
    assert strays(project) == []
    assert snapshot(project / "site") != before


def test_kills_at_many_moments_never_damage_the_site(project: Path) -> None:
    """SIGKILL at eight moments spread over a whole build: after each, the site folder is the
    previous site byte for byte or the complete new one, never a mixture or nothing; the next
    build succeeds and leaves no stray folder."""
    assert build(project).returncode == 0
    started = time.monotonic()
    assert build(project).returncode == 0
    duration = time.monotonic() - started
    for n in range(8):
        previous = snapshot(project / "site")
        edit(project, 4 + n)
        process = hrdd_process(project)
        time.sleep(duration * n / 7)
        process.send_signal(signal.SIGKILL)
        process.communicate()
        now = snapshot(project / "site")
        if now != previous:
            # Killed after the swap: the new site, whole (the same as a build of the same data).
            fresh = project.parent / f"fresh-{n}"
            shutil.rmtree(fresh, ignore_errors=True)
            assert build(project, "--site-dir", str(fresh)).returncode == 0
            assert now == snapshot(fresh)
            shutil.rmtree(fresh)
        assert build(project).returncode == 0
        assert strays(project) == []


def test_a_second_build_of_the_same_project_is_refused(project: Path) -> None:
    """While one build runs (here: held at a point), a second build of the same project, even into
    another folder, is refused with exit 2 and a message saying why; the first one's site is
    untouched by it."""
    process = hrdd_process(project, env={PAUSE_ENV: "built"})
    assert process.stderr is not None
    assert "paused at built" in process.stderr.readline()
    try:
        run = build(project, "--site-dir", str(project.parent / "other-site"))
        assert run.returncode == 2, run.stderr
        assert "another hrdd build or publish is running on this project" in run.stderr
        assert not (project.parent / "other-site").exists()
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate()
    assert build(project).returncode == 0
    assert strays(project) == []


def test_an_unwritable_output_folder_is_a_usage_error(project: Path, tmp_path: Path) -> None:
    """An output folder that cannot be made (its parent is read-only, or a file) is a usage error
    (exit 2) naming the folder, not an internal error."""
    if os.geteuid() == 0:  # root writes into read-only folders: a file in the way instead
        locked = tmp_path / "a-file"
        locked.write_text("not a folder")
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o555)
    try:
        run = build(project, "--site-dir", str(locked / "site"))
    finally:
        locked.chmod(0o755)
    assert run.returncode == 2, run.stderr
    assert "cannot write the site into" in run.stderr and str(locked) in run.stderr


def test_an_old_site_that_cannot_be_removed_is_left_as_it_was(project: Path) -> None:
    """An old site holding a file that cannot be removed (immutable where chattr works, else in a
    read-only folder) fails the build with exit 2 before anything is replaced: the old site stays
    byte for byte, and no stray folder is left."""
    assert build(project).returncode == 0
    before = snapshot(project / "site")
    stuck = project / "site" / "about" / "index.html"
    immutable = shutil.which("chattr") is not None and os.geteuid() == 0
    if immutable:
        immutable = subprocess.run(["chattr", "+i", str(stuck)], capture_output=True, check=False).returncode == 0
    if not immutable:
        if os.geteuid() == 0:
            pytest.skip("root without chattr: no file it cannot remove")
        stuck.parent.chmod(0o555)
    edit(project, 20)
    try:
        run = build(project)
        after = snapshot(project / "site")
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(stuck)], check=True)
        else:
            stuck.parent.chmod(0o755)
    assert run.returncode == 2, run.stderr
    assert "cannot be removed" in run.stderr and "about" in run.stderr
    assert after == before
    assert strays(project) == []
