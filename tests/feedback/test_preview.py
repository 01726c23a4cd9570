"""`hrdd preview`: one company's pages from its preliminary assessment, with the published
scorecard around it, marked on every page, and the public site left exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from hrdd.site.build import build_site
from tests.feedback.demo import (
    PRELIM_NAME,
    PRELIM_SLUG,
    PRELIM_SUMMARY,
    add_preliminary,
    add_preliminary_feedback,
    copy_demo,
    preliminary_text,
)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_preview_marks_every_page_and_leaves_the_public_site_alone(hrdd, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The preview holds the company's page from its preliminary assessment (with the feedback
    so far) beside the published companies; every page carries the notice and a noindex; no
    other unpublished assessment gets in; site/ is byte for byte what it was."""
    project = copy_demo(tmp_path / "demo")
    add_preliminary(project)
    add_preliminary_feedback(project)
    other = project / "assessments" / "zorbington" / "2025.yaml"
    other.parent.mkdir()
    other.write_text(preliminary_text(project, slug="zorbington", name="Zorbington Unrelated"), encoding="utf-8")
    build_site(project)
    public = _tree(project / "site")

    run = hrdd("preview", "--company", PRELIM_SLUG, "--out", "preview", cwd=project)
    assert run.code == 0, run
    out = project / "preview"
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 20
    unmarked = [
        p.relative_to(out).as_posix()
        for p in pages
        if "Preliminary: not for publication" not in (text := p.read_text(encoding="utf-8"))
        or '<meta name="robots" content="noindex, nofollow">' not in text
    ]
    assert unmarked == []
    company = (out / "companies" / PRELIM_SLUG / "index.html").read_text(encoding="utf-8")
    assert PRELIM_NAME in company and PRELIM_SUMMARY in company
    assert "the company commented on 2 answers; 0 were changed." in company
    assert (out / "companies" / "kettleby" / "index.html").is_file()  # the published scorecard around it
    assert not any(b"Zorbington" in content for content in _tree(out).values())
    assert _tree(project / "site") == public

    again = hrdd("preview", "--company", PRELIM_SLUG, "--out", "preview", cwd=project)
    assert again.code == 2 and "exists and is not empty" in again.err, again
    into_site = hrdd("preview", "--company", PRELIM_SLUG, "--out", "site", "--force", cwd=project)
    assert into_site.code == 2 and "public site" in into_site.err, into_site
    published = hrdd("preview", "--company", "kettleby", "--out", "other", cwd=project)
    assert published.code == 2 and "has no preliminary independent assessment" in published.err, published
    assert _tree(project / "site") == public
