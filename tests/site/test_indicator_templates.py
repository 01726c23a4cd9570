"""The indicator and methodology pages from templates: a scorecard overrides them through its
theme.custom_dir, and the rows rendered once per content follow the override too."""

from __future__ import annotations

from pathlib import Path

from hrdd.site.build import build_site
from hrdd.site.render import Site, render_pages
from hrdd.site.templates import fingerprint
from hrdd.site.theme import PACKAGE_THEME
from tests.site.conftest import make_project, mini_card
from tests.site.test_templates import _with_override

FACTS = (
    '{% include "hrdd-default/indicator/header.html" %}{{ nl }}{{ nl }}'
    '<div class="org-note">Indicator {{ page.id }}: {{ page.title }}, weight {{ page.facts.weight }}</div>\n'
)


def _indicator_pages(theme_dir: str) -> dict[str, str]:
    site = Site(card=mini_card(), theme_dir=theme_dir, theme_key=fingerprint(theme_dir))
    return {p.path: p.text for p in render_pages(site) if p.path.startswith("indicators/")}


def test_overriding_the_indicator_header_changes_every_indicator_page(tmp_path: Path) -> None:
    """A file hrdd/indicator/header.html under the project's theme.custom_dir is used on every
    indicator page of a real build, beside the default it includes; other pages keep hrdd's."""
    project = make_project(tmp_path / "project")
    _with_override(project, "indicator/header.html", FACTS)
    site = tmp_path / "site"
    build_site(project, site_dir=site)
    a1 = (site / "indicators" / "A1" / "index.html").read_text(encoding="utf-8")
    assert '<div class="org-note">Indicator A1: ' in a1
    assert 'id="indicator"' in a1  # the included default header is still there
    assert '<div class="org-note">Indicator B2: ' in (site / "indicators" / "B2" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "org-note" not in (site / "methodology" / "index.html").read_text(encoding="utf-8")
    assert "org-note" not in (site / "indicators" / "index.html").read_text(encoding="utf-8")


def test_an_override_of_the_row_macros_applies_to_every_row(tmp_path: Path) -> None:
    """The start of a company's row on the scores table is rendered once per company and reused
    on every indicator page; an override of indicator/macros.html still decides it, and its values
    are escaped. Without the override the pages have hrdd's rows (so the test can fail)."""
    default = (PACKAGE_THEME / "hrdd" / "indicator" / "macros.html").read_text(encoding="utf-8")
    marked = default.replace("<tr><th><a href=", '<tr class="org-row"><th><a href=')
    assert marked != default
    target = tmp_path / "overrides" / "hrdd" / "indicator" / "macros.html"
    target.parent.mkdir(parents=True)
    target.write_text(marked, encoding="utf-8")
    plain = _indicator_pages("")
    overridden = _indicator_pages(str(tmp_path / "overrides"))
    assert set(plain) == set(overridden)
    for path, text in overridden.items():
        if path == "indicators/index.md":
            continue
        assert text.count('<tr class="org-row"><th>') == plain[path].count("<tr><th><a href=") > 0, path
        assert "org-row" not in plain[path]
