"""The third-party-host scan finds loads and lets links through (a scan that finds nothing
must be able to find something)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.site.sitecheck import broken_links, scan_site

GUARD = "<script>if(1){window.ResizeObserver=1}</script>"


def _site(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "html",
    [
        '<script src="https://cdn.example/x.js"></script>',
        '<link rel="stylesheet" href="//fonts.example/css">',
        '<link rel="preconnect" href="https://fonts.gstatic.com">',
        '<img src="https://tracker.example/p.gif">',
        '<img srcset="a.png 1x, https://cdn.example/b.png 2x">',
        '<iframe src="https://evil.example"></iframe>',
        '<div style="background: url(https://cdn.example/bg.png)"></div>',
        "<style>@import 'https://fonts.example/x.css';</style>",
        '<svg><use href="https://icons.example/s.svg#i"/></svg>',
        '<meta http-equiv="refresh" content="0; url=https://elsewhere.example/">',
        '<form action="https://collect.example/"></form>',
        "<script>fetch('https://api.example/track')</script>",
    ],
)
def test_loads_from_other_hosts_are_found(tmp_path: Path, html: str) -> None:
    site = _site(tmp_path, {"index.html": f"<html><head>{GUARD}</head><body>{html}</body></html>"})
    assert len(scan_site(site)) == 1


def test_links_data_uris_and_local_files_are_not_loads(tmp_path: Path) -> None:
    html = (
        f"<html><head>{GUARD}<link rel=stylesheet href=assets/x.css></head><body>"
        '<a href="https://evidence.example/doc" rel="nofollow noopener">evidence</a>'
        '<img src="data:image/png;base64,AAAA"><img src="../badges/a.svg">'
        '<svg xmlns="http://www.w3.org/2000/svg"></svg>'
        "<p>https://written.example/as/text</p></body></html>"
    )
    css = "a{background:url(img/x.png)} /* https://comment.example */"
    js = "// see https://comment.example\nvar a = 1; /* http://also.example */"
    index = json.dumps({"docs": [{"location": "companies/a/", "title": "https://t.example", "text": ""}]})
    files = {"index.html": html, "assets/x.css": css, "assets/x.js": js, "search/search_index.json": index}
    assert scan_site(_site(tmp_path, files)) == []


def test_css_and_js_files_are_scanned(tmp_path: Path) -> None:
    files = {
        "a.css": "@font-face{src:url('https://fonts.example/f.woff2')}",
        "b.js": "var s=document.createElement('script');s.src='https://cdn.example/x.js'",
        "data/datapackage.json": json.dumps({"resources": [{"path": "https://elsewhere.example/t.csv"}]}),
    }
    assert len(scan_site(_site(tmp_path, files))) == 3


def test_broken_internal_links_are_found(tmp_path: Path) -> None:
    files = {
        "index.html": '<a href="a/">a</a><a href="a/#here">here</a><a href="a/#nowhere">x</a><a href="b/">b</a>',
        "a/index.html": '<h2 id="here">Here</h2>',
    }
    assert broken_links(_site(tmp_path, files)) == [
        "index.html: href=a/#nowhere: no such anchor",
        "index.html: href=b/: no such file",
    ]
