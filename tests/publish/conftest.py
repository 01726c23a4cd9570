"""Scorecard repositories for the publishing tests: real git repositories in temporary folders,
no remote unless a test adds a local one, no network. ``published`` is one repository with the
2024 and 2025 editions on gh-pages, its branch extracted with ``git archive`` and served over
HTTP on 127.0.0.1, as a static host such as GitHub Pages serves it."""

from __future__ import annotations

import contextlib
import functools
import io
import os
import subprocess
import tarfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.request import ProxyHandler, build_opener

import pytest

from hrdd.publish import PublishResult, publish
from tests.site.conftest import make_project

# Git reads no configuration of the machine it runs on; source commits carry a fixed date.
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}
SOURCE_DATE = "2025-06-10T12:00:00+00:00"


def git(repo: Path, *args: str, date: str = SOURCE_DATE) -> str:
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True, env=env)
    return done.stdout.strip()


def commit_all(repo: Path, message: str, date: str = SOURCE_DATE) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)
    return git(repo, "rev-parse", "HEAD")


def make_repo(dest: Path) -> Path:
    """The site tests' project (mini framework; cycles 2024 and 2025) committed on main."""
    repo = make_project(dest)
    (repo / ".gitignore").write_text("/site/\n/.hrdd-cache/\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "Scorecard data")
    return repo


def run_publish(repo: Path, edition: int, **options: Any) -> PublishResult:
    return publish(
        repo,
        edition=edition,
        latest=options.pop("latest", False),
        reason=options.pop("reason", None),
        republish=options.pop("republish", False),
        frameworks_dir=repo / "frameworks",
        **options,
    )


def extract(repo: Path, branch: str, dest: Path) -> Path:
    """The branch's files, as a static host serves them."""
    archive = subprocess.run(["git", "archive", "--format=tar", branch], cwd=repo, capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return dest


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (a free port); yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def fetch(url: str) -> bytes:
    # Never through a proxy from the environment: the server is on this machine.
    with build_opener(ProxyHandler({})).open(url, timeout=10) as response:
        body: bytes = response.read()
        return body


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@dataclass(frozen=True)
class Published:
    repo: Path
    first: PublishResult
    second: PublishResult
    tree: Path
    """The gh-pages branch extracted."""
    url: str
    """Where ``tree`` is served."""


@pytest.fixture(scope="package")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Published]:
    """Edition 2024 published first (so it gets ``latest``), then 2025 with ``--latest``."""
    base = tmp_path_factory.mktemp("published")
    with pytest.MonkeyPatch.context() as mp:
        for name, value in GIT_ENV.items():
            mp.setenv(name, value)
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        repo = make_repo(base / "scorecard")
        first = run_publish(repo, 2024)
        second = run_publish(repo, 2025, latest=True)
    tree = extract(repo, "gh-pages", base / "gh-pages")
    with serve(tree) as url:
        yield Published(repo=repo, first=first, second=second, tree=tree, url=url)
