"""``site_url``: the demo sets a marked placeholder; without one ``hrdd build`` warns once and
``hrdd publish`` refuses; with one the sitemap lists every page (company pages too, though they
are out of the navigation) and the Atom feed names its own address (rel="self")."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from hrdd.errors import UsageError
from hrdd.site.feed import feed_url
from hrdd.siteurl import PLACEHOLDER
from tests.conftest import REPO
from tests.publish.conftest import commit_all, make_repo, run_publish
from tests.site.conftest import make_project

ATOM = "{http://www.w3.org/2005/Atom}"


def _without_site_url(project: Path) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    stripped = re.sub(r"^site_url:.*\n", "", text, flags=re.MULTILINE)
    assert stripped != text
    config.write_text(stripped, encoding="utf-8")


def test_the_demo_sets_a_marked_placeholder() -> None:
    """The demo's mkdocs.yml has the placeholder, on a line that says it is one."""
    line = next(
        li for li in (REPO / "mkdocs.yml").read_text(encoding="utf-8").splitlines() if li.startswith("site_url")
    )
    assert line.split()[1] == PLACEHOLDER and "PLACEHOLDER" in line


def test_with_site_url_sitemap_is_full_and_feed_has_self(hrdd, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Every built page is in sitemap.xml, company pages included; the feed's rel="self" is
    site_url + changelog.xml; no warning; docs/screenshots/ is not published."""
    project = make_project(tmp_path / "p")
    run = hrdd("build", "--project", str(project))
    assert run.code == 0, run
    assert "site_url" not in run.err
    site = project / "site"
    # Not the small files an earlier cycle's old address keeps to send readers on (a meta
    # refresh to the overview): they are not pages, and stay out of the sitemap.
    built = [p for p in site.rglob("index.html") if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]
    pages = {p.parent.relative_to(site).as_posix() for p in built}
    pages = {"" if p == "." else f"{p}/" for p in pages if not p.startswith(("assets", "search"))}
    redirects = {p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")} - pages - {"./"}
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    listed = {loc.text.removeprefix(PLACEHOLDER) for loc in sitemap.iter() if loc.tag.endswith("loc") and loc.text}
    assert any(p.startswith("companies/") and p != "companies/" for p in listed)
    assert pages <= listed
    assert redirects and not redirects & listed, redirects
    feed = ET.parse(site / "changelog.xml").getroot()
    selfs = [link.get("href") for link in feed.iter(f"{ATOM}link") if link.get("rel") == "self"]
    assert selfs == [PLACEHOLDER + "changelog.xml"]
    # The README's screenshots are in docs/ (so its links work) but never published.
    assert (project / "docs" / "screenshots").is_dir()
    assert not (site / "screenshots").exists()
    assert not [p for p in listed if "screenshots" in p]


def test_readme_screenshot_links_resolve() -> None:
    """Every image the README links under docs/screenshots/ exists."""
    links = re.findall(r"docs/screenshots/[^)\s\"']+", (REPO / "README.md").read_text(encoding="utf-8"))
    assert links
    assert [link for link in links if not (REPO / link).is_file()] == []


def test_without_site_url_build_warns_once(hrdd, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The build succeeds, warns once naming mkdocs.yml and site_url, and the feed has no rel=self."""
    project = make_project(tmp_path / "p")
    _without_site_url(project)
    run = hrdd("build", "--project", str(project))
    assert run.code == 0, run
    assert run.err.count("site_url") >= 1 and run.err.count("warning:") == 1
    assert "mkdocs.yml: warning: no site_url" in run.err
    feed = ET.parse(project / "site" / "changelog.xml").getroot()
    assert not [link for link in feed.iter(f"{ATOM}link") if link.get("rel") == "self"]


def test_publish_refuses_without_site_url(tmp_path: Path) -> None:
    """Nothing is published; the message says where to set it."""
    repo = make_repo(tmp_path / "repo")
    _without_site_url(repo)
    commit_all(repo, "no site_url")
    with pytest.raises(UsageError, match=r"mkdocs\.yml: no site_url.*set site_url in mkdocs\.yml"):
        run_publish(repo, 2025)


def test_feed_url_of_an_edition() -> None:
    assert feed_url("https://x.example/s", "2026/") == "https://x.example/s/2026/changelog.xml"
    assert feed_url("", "2026/") == ""
