"""Hostile input that reaches the build, not the checks: mkdocs.yml settings the theme prints as
HTML, a publication date in the future, and a field that used to be dropped (assessor.contact)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from hrdd.errors import BuildError
from hrdd.limits import markup_in_settings
from hrdd.site import Scorecard
from hrdd.site.build import build_site
from hrdd.site.data import assessment_dict
from hrdd.site.render import Site, render_pages
from tests.site.conftest import mini_card


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("site_name", "<img src=x onerror=alert(1)>"),
        ("site_description", '" onmouseover="alert(1)'),
        ("site_author", "&lt;script&gt;"),
    ],
)
def test_markup_in_mkdocs_settings_is_refused(project: Path, setting: str, value: str) -> None:
    """site_name, site_description and site_author holding markup stop the build with the file,
    line and setting named (Material prints them unescaped), before anything is built."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    lines, skipping = [], False
    for line in text.splitlines():  # the setting and its continuation lines (site_description: >-)
        skipping = line.startswith(f"{setting}:") or (skipping and line.startswith(" "))
        if not skipping:
            lines.append(line)
    lines.insert(1, f"{setting}: '{value}'")
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build_site(project)
    assert "would print as HTML" in str(caught.value)
    assert f"mkdocs.yml:2:1: {setting} holds markup" in caught.value.details
    assert not (project / "site").exists()


def test_plain_text_settings_with_an_ampersand_pass() -> None:
    """A lone & (Business & Human Rights) is text, not markup."""
    config: dict[str, Any] = {"site_name": "Business & Human Rights", "site_description": "It's fine: 1 < 2 is not."}
    assert [m for _, m in markup_in_settings(config, "")] == [
        "site_description holds markup ('<'), which the theme would print as HTML on every page; "
        "write it as plain text (a lone & followed by a space is fine)"
    ]
    assert list(markup_in_settings({"site_name": "Business & Human Rights"}, "")) == []


def test_a_future_publication_date_is_a_warning(hrdd: Any, project: Path) -> None:
    """A published assessment dated after today passes, with a warning on stderr naming it."""
    path = project / "assessments" / "mini-telecom" / "2025.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("published: 2025-06-01", "published: 2099-06-01"))
    run = hrdd("validate", "--project", str(project), "--frameworks", str(project / "frameworks"))
    assert run.code == 0, run
    assert "2025.yaml: warning: dates.published 2099-06-01 is after today" in run.err, run


def _with_contact(card: Scorecard, contact: str) -> Scorecard:
    entry = card.entries[0]
    assessment = entry.assessment
    changed = dataclasses.replace(assessment, assessor=dataclasses.replace(assessment.assessor, contact=contact))
    return dataclasses.replace(card, entries=(entry.with_assessment(changed), *card.entries[1:]))


def test_the_assessor_contact_is_shown_and_exported() -> None:
    """assessor.contact, once read and then dropped, is on the company page (escaped) and in the
    full dataset."""
    card = _with_contact(mini_card(), "<b>research@ngo.example</b>")
    pages = {p.path: p.text for p in render_pages(Site(card=card, site_name="Test"))}
    page = pages["companies/mini-telecom/index.md"]
    # The contact is kept out of the search index (data-search-exclude), not off the page.
    assert (
        "<dt data-search-exclude>Contact</dt><dd data-search-exclude>&lt;b&gt;research@ngo.example&lt;/b&gt;</dd>"
        in page
    )
    assert assessment_dict(card.entries[0])["assessor"]["contact"] == "<b>research@ngo.example</b>"


def test_a_mkdocs_yml_that_is_not_yaml_is_a_data_error(hrdd: Any, project: Path) -> None:
    """A mkdocs.yml MkDocs cannot parse stops the build with exit 1 and the file named, not with
    "a bug in hrdd"."""
    (project / "mkdocs.yml").write_text("site_name: a: b\n", encoding="utf-8")
    run = hrdd("build", "--project", str(project))
    assert run.code == 1, run
    assert "mkdocs.yml is not a valid MkDocs configuration" in run.err, run
