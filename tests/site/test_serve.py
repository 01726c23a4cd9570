"""`hrdd serve` regenerates the staged pages when a data file changes (no server started here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hrdd.errors import BuildError
from hrdd.project import Project
from hrdd.site.build import generate, read_settings, sync_tree
from hrdd.site.serve import Regenerator


def _regenerator(project: Path, messages: list[str]) -> tuple[Regenerator, Path]:
    p = Project.at(project)
    stage = p.cache / "serve" / "docs"
    settings = read_settings(p, stage)
    sync_tree(stage, generate(p, settings).tree)
    return Regenerator(p, settings, stage, report=messages.append), stage


def test_editing_an_assessment_regenerates_the_pages(project: Path) -> None:
    messages: list[str] = []
    regenerator, stage = _regenerator(project, messages)
    assert regenerator.check() == []  # nothing changed yet
    path = project / "assessments" / "mini-telecom" / "2025.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Mini Telecom (fictional)", "Mini Renamed"), "utf-8")
    assert "companies/mini-telecom/index.md" in regenerator.check()
    assert "Mini Renamed" in (stage / "companies" / "mini-telecom" / "index.md").read_text(encoding="utf-8")
    assert messages[-1].startswith("hrdd: regenerated the pages")


def test_an_invalid_file_keeps_the_last_good_pages(project: Path) -> None:
    messages: list[str] = []
    regenerator, stage = _regenerator(project, messages)
    before = {p: p.read_bytes() for p in stage.rglob("*") if p.is_file()}
    (project / "assessments" / "mini-telecom" / "2026.yaml").write_text("cycle: [\n", encoding="utf-8")
    assert regenerator.check() == []
    assert "mini-telecom/2026.yaml" in messages[-1]
    assert "keeping the last good pages" in messages[-1]
    assert {p: p.read_bytes() for p in stage.rglob("*") if p.is_file()} == before


def test_sync_writes_only_changed_files_and_removes_stale_ones(tmp_path: Path) -> None:
    """Unchanged files keep their mtime, so the live server rebuilds only for real changes."""
    stage = tmp_path / "stage"
    assert sync_tree(stage, {"a.md": b"a", "x/b.md": b"b"}) == ["a.md", "x/b.md"]
    mtime = (stage / "a.md").stat().st_mtime_ns
    assert sync_tree(stage, {"a.md": b"a", "c.md": b"c"}) == ["x/b.md", "c.md"]  # c written, x/b removed
    assert (stage / "a.md").stat().st_mtime_ns == mtime
    assert sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*")) == ["a.md", "c.md"]


def test_rebuilds_run_in_a_forked_child_that_keeps_its_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's rebuilds run in a child forked before its threads start, so they may use
    worker processes; the child keeps the builder's state, and a failure reaches the server."""
    import multiprocessing
    import os

    import hrdd.site.serve as serve

    monkeypatch.setattr(serve, "fork_context", lambda: multiprocessing.get_context("fork"))
    record = tmp_path / "builds"
    calls: list[int] = []

    def build() -> None:
        calls.append(os.getpid())
        if len(calls) == 3:
            raise ValueError("third time")
        with record.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {len(calls)}\n")

    forked = serve.ForkedBuilder(build)
    try:
        forked()
        forked()
        with pytest.raises(BuildError, match="ValueError: third time"):
            forked()
    finally:
        forked.close()
    assert forked.process is not None and not forked.process.is_alive()
    lines = record.read_text(encoding="utf-8").splitlines()
    child = lines[0].split()[0]
    assert lines == [f"{child} 1", f"{child} 2"] and int(child) != os.getpid()
    assert calls == []  # none of it ran in this process
