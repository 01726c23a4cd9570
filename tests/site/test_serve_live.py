"""A real `hrdd serve` on the mini project: spliced pages, an edit shown, a bad file survived."""

from __future__ import annotations

import bz2
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

COMPANY = "companies/mini-telecom/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            text: str = response.read().decode("utf-8")
            return text
    except (urllib.error.URLError, OSError):
        return None


def _get_bz2(url: str) -> str | None:
    """A bzip2-compressed download (the full dataset), as its text."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return bz2.decompress(response.read()).decode("utf-8")
    except (urllib.error.URLError, OSError, EOFError):
        return None


def _until(probe: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not probe():
        if time.monotonic() > deadline:
            raise AssertionError(f"after {seconds} s: {what}")
        time.sleep(0.2)


@pytest.fixture
def served(project: Path, tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    with _serving(project, tmp_path) as found:
        yield found


@contextlib.contextmanager
def _serving(project: Path, tmp_path: Path, *options: str) -> Iterator[tuple[str, Path, Path]]:
    port = _free_port()
    log = tmp_path / "serve.log"
    hrdd = Path(sys.executable).with_name("hrdd")
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(hrdd), "serve", "--project", str(project), "--port", str(port), *options],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        _until(lambda: process.poll() is None and _get(url + COMPANY) is not None, 60, "the server answers")
        yield url, project, log
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@pytest.mark.slow
def test_serve_shows_spliced_pages_and_edits(served: tuple[str, Path, Path]) -> None:
    url, project, log = served
    page = _get(url + COMPANY + "answers/") or ""
    assert 'id="indicator-details"' in page and "We commit." in page, "the detached blocks are spliced in"
    assert "hrdd:splice" not in page and "livereload" in page
    # The evidence is in the full dataset (the company's file has its scores, not its answers).
    assert "We commit." in (_get_bz2(url + "data/scorecard.json.bz2") or ""), "the data files are in place"

    path = project / "assessments" / "mini-telecom" / "2025.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("We commit.", "We commit, edited."), encoding="utf-8")
    _until(lambda: "We commit, edited." in (_get(url + COMPANY + "answers/") or ""), 60, "the edit is shown")
    data = url + "data/scorecard.json.bz2"
    _until(lambda: "We commit, edited." in (_get_bz2(data) or ""), 60, "the edit is in the data files too")

    path.write_text("cycle: [\n", encoding="utf-8")
    _until(lambda: "keeping the last good pages" in log.read_text(encoding="utf-8"), 60, "the bad file is reported")
    assert "We commit, edited." in (_get(url + COMPANY + "answers/") or ""), "the last good pages stay up"


@pytest.mark.slow
def test_serve_without_cache_checks_every_file(project: Path, tmp_path: Path) -> None:
    """`hrdd serve --no-cache` keeps no check results, like `hrdd build --no-cache`."""
    with _serving(project, tmp_path, "--no-cache") as (url, _, _):
        assert "We commit." in (_get(url + COMPANY + "answers/") or "")
    assert not (project / ".hrdd-cache" / "checks").exists()
