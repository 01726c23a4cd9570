"""The hostile corpus (tests/hostile) is valid, so the site builds from it; and the links the schema
must refuse, because they would break out of an attribute or run script, are refused."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.browser.conftest import HOSTILE_PROJECT
from tests.conftest import MINI_FRAMEWORKS, Run

# The corpus file whose company website the rejection tests replace.
WEBSITE_LINE = "  website: https://x.example/'onmouseover='alert(`website`)'\n"


def test_every_corpus_file_is_valid(hrdd: Callable[..., Run]) -> None:
    """`hrdd validate` finds no problem in the corpus: it is valid hostile text, not broken data."""
    run = hrdd("validate", "--project", str(HOSTILE_PROJECT), "--frameworks", str(MINI_FRAMEWORKS))
    assert run.code == 0, run
    assert "7 files checked, no problems" in run.out, run


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
