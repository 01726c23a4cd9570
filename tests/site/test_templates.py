"""Pages from templates: a scorecard overrides hrdd's page templates through its theme.custom_dir."""

from __future__ import annotations

from pathlib import Path

import pytest

from hrdd.site.build import build_site
from hrdd.site.pages.common import GENERATED
from hrdd.site.templates import environment
from tests.site.conftest import HOSTILE_NAME, make_project

BANNER = (
    '{% include "hrdd-default/company/header.html" %}{{ nl }}{{ nl }}'
    '<div class="org-banner">Reviewed by {{ page.name }} for {{ page.cycle }}</div>\n'
)


def _with_override(project: Path, name: str, text: str) -> None:
    config = project / "mkdocs.yml"
    yml = config.read_text(encoding="utf-8")
    if "  custom_dir: overrides\n" not in yml:
        yml = yml.replace("theme:\n  name: material\n", "theme:\n  name: material\n  custom_dir: overrides\n", 1)
        config.write_text(yml, encoding="utf-8")
    target = project / "overrides" / "hrdd" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("split", [True, False], ids=["fast path", "no-split"])
def test_overriding_the_company_header_changes_the_company_pages(tmp_path: Path, split: bool) -> None:
    """A file hrdd/company/header.html under the project's theme.custom_dir replaces hrdd's on every
    company page (either build path), its values escaped; other pages keep hrdd's templates (an
    earlier cycle's address holds no company page, only a link to the overview)."""
    project = make_project(tmp_path / "project")
    _with_override(project, "company/header.html", BANNER)
    site = tmp_path / "site"
    build_site(project, site_dir=site, detach_blocks=split)
    latest = (site / "companies" / "mini-telecom" / "index.html").read_text(encoding="utf-8")
    assert '<div class="org-banner">Reviewed by Mini Telecom (fictional) for 2025</div>' in latest
    assert 'id="company"' in latest  # the included default header is still there
    hostile = (site / "companies" / "hostile-co" / "index.html").read_text(encoding="utf-8")
    banner = hostile.split('<div class="org-banner">', 1)[1].split("</div>", 1)[0]
    assert "<script>" not in banner and "&lt;script&gt;alert(1)&lt;/script&gt;" in banner
    assert HOSTILE_NAME not in hostile
    assert "org-banner" not in (site / "ranking" / "index.html").read_text(encoding="utf-8")


def test_without_an_override_the_company_page_has_hrdds_template(tmp_path: Path) -> None:
    """The same project without the override: no banner (the override test can fail)."""
    project = make_project(tmp_path / "project")
    site = tmp_path / "site"
    build_site(project, site_dir=site)
    assert "org-banner" not in (site / "companies" / "mini-telecom" / "index.html").read_text(encoding="utf-8")


def test_template_values_are_escaped_like_the_pages_always_were() -> None:
    """Every value a template prints is escaped, quotes as &quot; and &#x27;, whitespace folded."""
    env = environment("")
    out = env.from_string('<p title="{{ v }}">{{ v }}</p>').render(v="a \"b\"\n\n 'c' <d>")
    assert out == '<p title="a &quot;b&quot; &#x27;c&#x27; &lt;d&gt;">a &quot;b&quot; &#x27;c&#x27; &lt;d&gt;</p>'
    assert env.from_string("{{ generated }}").render() == GENERATED


def test_a_changed_override_is_used_by_the_next_build_in_the_same_process(tmp_path: Path) -> None:
    """Templates are cached per process by their content's fingerprint (hrdd serve builds again
    in one process): an edited override is read again, not served from the cache."""
    project = make_project(tmp_path / "project")
    _with_override(project, "company/header.html", BANNER)
    site = tmp_path / "site"
    build_site(project, site_dir=site, detach_blocks=False)
    page = site / "companies" / "mini-telecom" / "index.html"
    assert "Reviewed by Mini Telecom" in page.read_text(encoding="utf-8")
    _with_override(project, "company/header.html", BANNER.replace("Reviewed by", "Checked by"))
    build_site(project, site_dir=site, detach_blocks=False)
    text = page.read_text(encoding="utf-8")
    assert "Checked by Mini Telecom" in text and "Reviewed by" not in text


ROW_NOTE = (
    '{% include "hrdd-default/ranking/table.html" %}'
    '<p class="org-count">{{ t.rows|length }} listed: {% for row in t.rows %}{{ row.company.name }}; {% endfor %}</p>'
)


def test_overriding_the_ranking_table_changes_the_ranking_page(tmp_path: Path) -> None:
    """A file hrdd/ranking/table.html under the project's theme.custom_dir replaces hrdd's ranking
    table on the ranking page (here: the default table, then a note naming every company listed),
    its values escaped; the home page and the companies index keep hrdd's templates."""
    project = make_project(tmp_path / "project")
    _with_override(project, "ranking/table.html", ROW_NOTE)
    site = tmp_path / "site"
    build_site(project, site_dir=site)
    ranking = (site / "ranking" / "index.html").read_text(encoding="utf-8")
    notes = [part.split("</p>", 1)[0] for part in ranking.split('<p class="org-count">')[1:]]
    assert notes and any("Mini Telecom (fictional);" in note for note in notes)
    assert 'id="ranking-independent"' in ranking  # the included default table is still there
    hostile = next(note for note in notes if "alert(1)" in note)
    assert "<script>" not in hostile and "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile
    assert HOSTILE_NAME not in ranking
    for page in ("index.html", "companies/index.html"):
        assert "org-count" not in (site / page).read_text(encoding="utf-8")
