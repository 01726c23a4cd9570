"""scripts/compare_sites.py tells whether two builds are the same site, page by page: the main
content of every page, every other file byte for byte, and files on one side only."""

from __future__ import annotations

import functools
import importlib.util
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from hrdd.site.build import build_site
from tests.conftest import REPO

PAGE = "companies/mini-telecom/index.html"


@functools.cache
def _script() -> Any:
    spec = importlib.util.spec_from_file_location("compare_sites", REPO / "scripts" / "compare_sites.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["compare_sites"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.site.conftest import make_project

    project = make_project(tmp_path_factory.mktemp("compare") / "project")
    build_site(project)
    return project / "site"


def _copy(site: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    return copy


def test_a_copy_is_the_same_site(built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    compare = _script()
    result = compare.compare(built, _copy(built, tmp_path))
    assert result.same
    assert result.pages > 5 and result.files > 5
    assert compare.main([str(built), str(tmp_path / "copy")]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("identical: ")


def test_a_change_to_a_pages_article_is_listed_and_one_outside_it_is_not(built: Path, tmp_path: Path) -> None:
    compare = _script()
    copy = _copy(built, tmp_path)
    html = (copy / PAGE).read_text(encoding="utf-8")
    assert html.count("</article>") == 1
    (copy / PAGE).write_text(html.replace("</head>", "<!-- another asset -->\n</head>", 1), encoding="utf-8")
    assert compare.compare(built, copy).same
    head, article = html.split("<article", 1)
    assert "Mini Telecom" in article
    (copy / PAGE).write_text(head + "<article" + article.replace("Mini Telecom", "Mini Telecoms", 1), "utf-8")
    other = copy / "about" / "index.html"
    other.write_text(other.read_text(encoding="utf-8").replace("</article>", "<p>x</p></article>"), "utf-8")
    result = compare.compare(built, copy)
    assert result.pages_differ == sorted(["about/index.html", PAGE])
    assert not result.same


def test_data_files_and_files_on_one_side_are_listed(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    compare = _script()
    copy = _copy(built, tmp_path)
    data = next(p for p in sorted(copy.rglob("*.csv")))
    data.write_bytes(data.read_bytes() + b"x\n")
    (copy / PAGE).unlink()
    (copy / "extra.txt").write_text("more", encoding="utf-8")
    result = compare.compare(built, copy)
    assert result.files_differ == [data.relative_to(copy).as_posix()]
    assert result.only_a == [PAGE]
    assert result.only_b == ["extra.txt"]
    assert compare.main([str(built), str(copy)]) == 1
    out = capsys.readouterr().out
    assert f"only in {built}: {PAGE}" in out
    assert f"file differs: {data.relative_to(copy).as_posix()}" in out


def test_the_main_content_is_the_article_or_the_whole_page() -> None:
    compare = _script()
    page = b'<html><head>x</head><body><nav>n</nav><article class="md">A <b>b</b></article></body></html>'
    assert compare.main_content(page) == b"A <b>b</b>"
    assert compare.main_content(b"<html>no article</html>") == b"<html>no article</html>"


@pytest.mark.slow
def test_builds_at_a_revision_and_here_of_one_project_compare(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--project --base REV builds with REV's hrdd and with this one; the mini project built with
    the committed hrdd and with the working one is the same site (what changes a site is data)."""
    from tests.site.conftest import make_project

    project = make_project(tmp_path / "project")
    code = _script().main(["--project", str(project), "--base", "HEAD", "--keep", str(tmp_path / "work")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert (tmp_path / "work" / "site-base" / PAGE).is_file()
    assert (tmp_path / "work" / "site-head" / PAGE).is_file()
