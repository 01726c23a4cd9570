"""A preliminary assessment is checked and scored like any other and appears nowhere in the
public build: the demo built with one is byte for byte the demo built without it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hrdd.site.build import build_site
from tests.feedback.demo import (
    PRELIM_SLUG,
    PRELIM_STRINGS,
    add_preliminary,
    add_preliminary_feedback,
    copy_demo,
    preliminary_text,
)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_preliminary_assessment_is_validated_and_scored(hrdd, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`hrdd validate` accepts a complete preliminary assessment and `hrdd score` scores it."""
    project = copy_demo(tmp_path / "demo")
    path = add_preliminary(project)
    run = hrdd("validate", str(path.relative_to(project)), cwd=project)
    assert run.code == 0, run
    run = hrdd("score", "--format", "json", str(path.relative_to(project)), cwd=project)
    assert run.code == 0, run
    [scored] = json.loads(run.out)
    assert scored["company"]["slug"] == PRELIM_SLUG
    assert scored["status"] == "preliminary"
    assert scored["total"] is not None


def test_incomplete_preliminary_assessment_is_refused(hrdd, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A preliminary assessment is what the company will be judged on: every element must be answered."""
    project = copy_demo(tmp_path / "demo")
    path = add_preliminary(project)
    text = path.read_text(encoding="utf-8")
    answers = text.index("\nanswers:\n") + len("\nanswers:\n")
    second = text.index("\n  ", text.index("\n", answers + 1))
    while text[second + 3] == " ":  # skip the first element's levels
        second = text.index("\n  ", second + 1)
    path.write_text(text[:answers] + text[second + 1 :], encoding="utf-8")
    run = hrdd("validate", str(path.relative_to(project)), cwd=project)
    assert run.code == 1, run
    assert "a preliminary assessment must answer every element that applies" in run.out


@pytest.mark.slow
def test_preliminary_assessment_is_absent_from_the_public_build(tmp_path: Path) -> None:
    """The built site, its data files, search index, feed, badges and history are the same
    bytes with and without a preliminary assessment (and the company's feedback on it), and
    no built file holds their distinctive strings."""
    without = copy_demo(tmp_path / "without")
    with_prelim = copy_demo(tmp_path / "with")
    add_preliminary(with_prelim)
    add_preliminary_feedback(with_prelim)
    build_site(without)
    build_site(with_prelim)
    plain, built = _tree(without / "site"), _tree(with_prelim / "site")
    needles = [s.lower().encode() for s in PRELIM_STRINGS]
    leaks = sorted(name for name, content in built.items() if any(n in content.lower() for n in needles))
    assert leaks == []
    assert sorted(built) == sorted(plain)
    assert [name for name in built if built[name] != plain[name]] == []


@pytest.mark.slow
def test_preliminary_assessment_of_a_published_company_changes_nothing(tmp_path: Path) -> None:
    """A company with published cycles and a preliminary one in the edition's cycle: its page,
    history, the ranking and the changelog of edition 2026 are the same bytes without it."""
    without = copy_demo(tmp_path / "without")
    with_prelim = copy_demo(tmp_path / "with")
    text = preliminary_text(with_prelim, slug="kettleby", name="Kettleby Apparel").replace("cycle: 2025", "cycle: 2026")
    (with_prelim / "assessments" / "kettleby" / "2026.yaml").write_text(text, encoding="utf-8")
    build_site(without, edition=2026)
    build_site(with_prelim, edition=2026)
    plain, built = _tree(without / "site"), _tree(with_prelim / "site")
    needles = [s.lower().encode() for s in PRELIM_STRINGS if s.lower() != PRELIM_SLUG]
    assert sorted(name for name, content in built.items() if any(n in content.lower() for n in needles)) == []
    assert sorted(built) == sorted(plain)
    assert [name for name in built if built[name] != plain[name]] == []
