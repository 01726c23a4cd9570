"""Overrides of the templates of the What changed page, the Downloads page and the footer line:
a scorecard replaces one through its theme.custom_dir, its values still escaped."""

from __future__ import annotations

from pathlib import Path

from hrdd.site.build import build_site
from tests.site.conftest import HOSTILE_NAME, make_project

DATASET = (
    '{% include "hrdd-default/downloads/dataset.html" %}{{ nl }}{{ nl }}'
    '<div class="org-terms">{{ page.files|length }} files; terms of {{ page.companies[0].name }}</div>\n'
)
FOOTER = '<span class="org-footer">{% for a in credit.attributions %}{{ a.text }}{% endfor %} by Org</span>\n'
NEW = '<div id="changelog-new" class="org-new">{% for n in page.new %}<b>{{ n.company.name }}</b>{% endfor %}</div>\n'


def _with_overrides(project: Path, files: dict[str, str]) -> None:
    config = project / "mkdocs.yml"
    yml = config.read_text(encoding="utf-8")
    config.write_text(
        yml.replace("theme:\n  name: material\n", "theme:\n  name: material\n  custom_dir: overrides\n", 1),
        encoding="utf-8",
    )
    for name, text in files.items():
        target = project / "overrides" / "hrdd" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def _read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_overriding_downloads_changes_and_footer_templates(tmp_path: Path) -> None:
    """hrdd/downloads/dataset.html, hrdd/changes/new.html and hrdd/footer_credit.html under the
    project's custom_dir replace hrdd's: on the Downloads page, on the What changed page and in
    the footer of every page; the values they print are escaped."""
    project = make_project(tmp_path / "project")
    _with_overrides(project, {"downloads/dataset.html": DATASET, "changes/new.html": NEW, "footer_credit.html": FOOTER})
    site = tmp_path / "site"
    build_site(project, site_dir=site)
    downloads = _read(site, "downloads/index.html")
    assert 'id="downloads-table"' in downloads  # the included default is still there
    terms = downloads.split('<div class="org-terms">', 1)[1].split("</div>", 1)[0]
    assert terms.startswith(f"{downloads.count('<tr data-file=')} files; terms of ")
    changes = _read(site, "changelog/index.html")
    names = changes.split('class="org-new">', 1)[1].split("</div>", 1)[0]
    assert names.startswith("<b>&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img")  # the new hostile-co
    assert HOSTILE_NAME not in changes
    assert 'id="new-companies-list"' not in changes
    for page in ("index.html", "downloads/index.html", "companies/mini-telecom/index.html"):
        assert '<span class="org-footer">' in _read(site, page), page
        assert 'class="hrdd-attribution"' not in _read(site, page), page


def test_without_overrides_the_pages_have_hrdds_templates(tmp_path: Path) -> None:
    """The same project without the overrides (so that the test above can fail)."""
    project = make_project(tmp_path / "project")
    site = tmp_path / "site"
    build_site(project, site_dir=site)
    assert "org-terms" not in _read(site, "downloads/index.html")
    assert 'id="new-companies-list"' in _read(site, "changelog/index.html")
    assert "org-footer" not in _read(site, "index.html")
