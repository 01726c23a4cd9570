"""The hostile corpus (tests/hostile) is valid, so the site builds from it; and the links the schema
must refuse, because they would break out of an attribute or run script, are refused."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.browser.conftest import HOSTILE_PROJECT
from tests.conftest import MINI_FRAMEWORKS, REPO, Run

# The corpus file whose company website the rejection tests replace.
WEBSITE_LINE = "  website: https://x.example/'onmouseover='alert(`website`)'\n"


def test_every_corpus_file_is_valid(hrdd: Callable[..., Run]) -> None:
    """`hrdd validate` finds no problem in the corpus: it is valid hostile text, not broken data."""
    run = hrdd("validate", "--project", str(HOSTILE_PROJECT), "--frameworks", str(MINI_FRAMEWORKS))
    assert run.code == 0, run
    assert "8 files checked, no problems" in run.out, run


REFUSED = REPO / "tests" / "hostile" / "refused"
# The files of the refused corpus that are right in themselves: the framework the assessments
# answer, and the first folder of the company that is also under a second slug.
REFUSED_BUT_RIGHT = {"frameworks/mini/1.0.yaml", "assessments/same-company/2025.yaml"}


def test_every_refused_corpus_file_is_refused_with_its_place(hrdd: Callable[..., Run]) -> None:
    """Every file of tests/hostile/refused (one class of defect each: line breaks, control
    characters, surrogates, long numbers, far dates, framework paths, tags, one company under two
    slugs, numbers beyond their bounds, ids differing by case, names hrdd does not read, a linked
    folder) gets at least one problem with a line and column, and nothing else does."""
    run = hrdd("validate", "--project", str(REFUSED), "--no-cache")
    assert run.code == 1, run
    flagged = {line.split(":", 1)[0] for line in run.out.splitlines()[:-1]}
    found = {
        p.relative_to(REFUSED).as_posix()
        for folder in ("assessments", "frameworks")
        for p in (REFUSED / folder).rglob("*")
        if p.is_file() or p.is_symlink()
    }
    found = {f for f in found if not f.startswith("assessments/linked/")} | {"assessments/linked"}
    shown = {os.path.relpath(REFUSED / f) for f in found - REFUSED_BUT_RIGHT}
    assert flagged == shown, run
    assert all(re.match(r"^[^:]+:[0-9]+:[0-9]+: ", line) for line in run.out.splitlines()[:-1]), run


def test_the_refused_corpus_never_crashes_the_build(hrdd: Callable[..., Run], tmp_path: Path) -> None:
    """`hrdd build` of the refused corpus stops with exit 1 (the data's problems, every one listed),
    never 3 ("a bug in hrdd"), and builds nothing."""
    project = tmp_path / "refused"
    shutil.copytree(REFUSED, project, symlinks=True)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(REPO / "docs", project / "docs")
    run = hrdd("build", "--project", str(project))
    assert run.code == 1, run
    assert "the site was not built" in run.err, run
    assert not (project / "site").exists()


@pytest.mark.parametrize(
    "url",
    [
        'https://x.example/"onmouseover="alert(1)',
        "https://x.example/<script>alert(1)</script>",
        "https://x.example/ onmouseover=alert(1)",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "//x.example/protocol-relative",
        "HTTPS://X.EXAMPLE/upper-case-scheme",
    ],
)
def test_links_that_could_break_out_are_refused(hrdd: Callable[..., Run], tmp_path: Path, url: str) -> None:
    """A company website that is not a plain http(s) URL (a quote, angle bracket or space in it,
    another scheme, no scheme) fails validation at that field, so it never reaches a page."""
    project = tmp_path / "project"
    source = HOSTILE_PROJECT / "assessments" / "hostile-co" / "2025.yaml"
    target = project / "assessments" / "hostile-co" / "2025.yaml"
    target.parent.mkdir(parents=True)
    text = source.read_text(encoding="utf-8")
    assert WEBSITE_LINE in text
    # A JSON string is a YAML double-quoted string: any URL goes in verbatim.
    target.write_text(text.replace(WEBSITE_LINE, f"  website: {json.dumps(url)}\n"), encoding="utf-8")
    shutil.copytree(MINI_FRAMEWORKS, project / "frameworks")
    run = hrdd("validate", "--project", str(project), str(target))
    assert run.code == 1, run
    assert "company.website" in run.out, run
