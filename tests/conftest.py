"""Shared fixtures: the repository's paths and a way to run the ``hrdd`` command in-process."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from hrdd.cli import main

# Property tests check behaviour, not speed (speed lives in scripts/benchmark.py): on a busy
# 2-core CI machine Hypothesis's default 200 ms deadline failed examples that were merely slow.
settings.register_profile("hrdd", deadline=None)
settings.load_profile("hrdd")

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
MINI_PROJECT = FIXTURES / "project"
MINI_FRAMEWORKS = MINI_PROJECT / "frameworks"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def __str__(self) -> str:
        # Shown by pytest when an assertion on a Run fails.
        return f"exit {self.code}\n--- stdout ---\n{self.out}--- stderr ---\n{self.err}"


@pytest.fixture
def hrdd(capsys: pytest.CaptureFixture[str]) -> Iterator[object]:
    """Call ``hrdd(*args, cwd=...)`` to run the CLI; returns a ``Run``."""

    def run(*args: str, cwd: Path | None = None) -> Run:
        before = Path.cwd()
        capsys.readouterr()
        try:
            if cwd is not None:
                os.chdir(cwd)
            code = main(list(args))
        finally:
            os.chdir(before)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    yield run


@pytest.fixture(scope="session")
def playwright() -> Iterator[object]:
    """One Playwright for the whole run: a second ``sync_playwright()`` started while another is
    open fails ("Sync API inside the asyncio loop"), so every browser test shares this one."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver
