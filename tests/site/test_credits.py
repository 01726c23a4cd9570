"""Credits: every page's footer names the licence of the data (``extra.data_licence``) beside the
frameworks' required attributions (the RDR example credits RDR, CC BY, that way), and each file's
entry in datapackage.json carries the licence and the credits, so that a table read alone keeps
them (the JSON downloads carry them at their top: tests/site/test_datapackage.py)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from hrdd.site.build import build_site
from hrdd.site.data import DATAPACKAGE_JSON, data_files
from hrdd.site.licence import DataLicence
from tests.site.conftest import ATTRIBUTION, make_project, mini_card
from tests.site.sitecheck import elements

LICENCE = DataLicence(name="CC-BY-4.0", title="Creative Commons Attribution 4.0", path="https://example.org/by")


def test_every_resource_of_the_package_carries_the_licence_and_the_credits() -> None:
    """Each resource (every CSV table) has the package's licenses and sources;
    without a licence set, none has a licenses key."""
    card = mini_card()
    fw = dataclasses.replace(
        card.frameworks[0], attribution_text="Data: Someone, CC BY", attribution_url="https://x.example/"
    )
    card = dataclasses.replace(card, frameworks=(fw,))
    package = json.loads(data_files(card, licence=LICENCE)[DATAPACKAGE_JSON])
    credit = [{"title": "Data: Someone, CC BY", "path": "https://x.example/"}]
    assert package["licenses"] == [LICENCE.as_dict()] and package["sources"] == credit
    assert len(package["resources"]) > 3
    for resource in package["resources"]:
        assert resource["licenses"] == [LICENCE.as_dict()], resource["name"]
        assert resource["sources"] == credit, resource["name"]
    unlicensed = json.loads(data_files(card)[DATAPACKAGE_JSON])
    assert [r["name"] for r in unlicensed["resources"] if "licenses" in r] == []


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("credits") / "project")
    site = project / "site"
    build_site(project, site_dir=site)
    return site


def _footer(page: Path) -> list[tuple[str, dict[str, str], str]]:
    text = page.read_text(encoding="utf-8")
    footer = text[text.index('<div class="md-copyright">') :]
    footer = footer[: footer.index("</footer>")]
    return [(e.tag, e.attrs, " ".join(e.text.split())) for e in elements(footer)]


@pytest.mark.parametrize(
    "page", ["index.html", "ranking/index.html", "companies/mini-telecom/index.html", "about/index.html"]
)
def test_the_footer_names_the_data_licence_and_credits_the_framework(built: Path, page: str) -> None:
    """On generated and hand-written pages alike: the licence of mkdocs.yml (the demo's CC BY 4.0)
    linked with rel="license", and the framework's attribution linked to its address."""
    footer = _footer(built / page)
    licence = [(a, t) for tag, a, t in footer if tag == "a" and a.get("rel") == "license"]
    assert licence == [
        (
            {"href": "https://creativecommons.org/licenses/by/4.0/", "rel": "license"},
            "Creative Commons Attribution 4.0 International",
        )
    ]
    assert any(tag == "a" and t == ATTRIBUTION and a["href"] == "https://example.org/licence" for tag, a, t in footer)


def test_without_a_licence_the_footer_names_none(tmp_path: Path) -> None:
    """No extra.data_licence: no licence line (the footer test above can fail)."""
    project = make_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    start = text.index("  data_licence:\n")
    end = text.index("\n  generator:", start)
    config.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    build_site(project, site_dir=tmp_path / "site")
    footer = _footer(tmp_path / "site" / "index.html")
    assert [a for tag, a, _ in footer if a.get("rel") == "license"] == []
    assert any(t == ATTRIBUTION for _, _, t in footer)
