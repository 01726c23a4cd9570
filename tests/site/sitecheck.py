"""Checks of a built site used by the site tests: what it loads from other hosts, whether its
internal links resolve, and a small HTML element collector for reading data attributes.

What counts as a third-party reference (a *load*): anything that makes a browser fetch from
another host while showing the site, without the visitor choosing to follow a link:

- HTML and SVG: ``src``, ``srcset``, ``poster``, ``data``, ``action``, ``formaction``,
  ``background``, ``manifest``, ``ping`` and ``archive`` attributes on any element, ``href`` on any
  element but ``<a>`` and ``<area>`` (``<link>`` of every rel, ``<base>``, SVG ``<use>`` and
  ``<image>``), ``xlink:href``, ``<meta http-equiv="refresh">`` targets, and CSS in ``style``
  attributes and ``<style>`` elements; ``<a href>`` to evidence is a link, not a load.
- CSS files: ``url(...)`` and ``@import``.
- JavaScript: any absolute http(s) URL outside comments, unless it is in ``JS_ALLOWED`` with the
  reason it cannot fire on this site (each reason is also asserted by ``scan_site``).
- JSON: data, never executed, so evidence URLs in the downloads are fine; but the search index's
  page locations and the datapackage's resource paths must be relative (consumers fetch them).
- XML (sitemap): ``<loc>`` must be on the site's own URL; ``xmlns`` values are identifiers.

"Another host" means an absolute URL (``scheme://`` or ``//host``) other than ``data:`` URIs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
LOAD_ATTRS = {"src", "srcset", "poster", "data", "action", "formaction", "background", "manifest", "ping", "archive"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)
JS_URL = re.compile(r"""https?://[^\s"'`)\\,;]+""")
JS_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
JS_LINE_COMMENT = re.compile(r"(?m)(^|[\s;{}(,])//[^\n]*")

# URLs in Material 9.8.1's JavaScript that never fire on this site, and why. scan_site asserts
# the conditions; a new URL in an upgraded Material fails the test until someone looks at it.
JS_ALLOWED = {
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js": "loaded only for mermaid diagrams; pages have none",
    "https://unpkg.com/resize-observer-polyfill": "loaded only without ResizeObserver; overrides/main.html "
    "defines a stand-in first",
    "https://api.github.com/repos/${e}/${t}": "repository facts, only with repo_url; none is set",
    "https://api.github.com/users/${e}": "repository facts, only with repo_url; none is set",
    "https://${e}/api/v4/projects/${encodeURIComponent(t": "GitLab facts, only with repo_url; none is set",
    "https://bit.ly/2s3ChXG": "text of a console warning in the search worker",
}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


@dataclass
class _Collector(HTMLParser):
    elements: list[Element] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    _open: list[Element] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag not in ("br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area", "base"):
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for n in range(len(self._open) - 1, -1, -1):
            if self._open[n].tag == tag:
                del self._open[n:]
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data
        if self._open and self._open[-1].tag == "style":
            self.styles.append(data)
        if self._open and self._open[-1].tag == "script":
            self.scripts.append(data)


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def elements(html: str) -> list[Element]:
    return parse(html).elements


def _remote(value: str) -> bool:
    return bool(REMOTE.match(value)) and not value.strip().lower().startswith("data:")


def _css_loads(css: str) -> Iterator[str]:
    for match in CSS_URL.finditer(css):
        url = match.group(1) or match.group(2)
        if _remote(url):
            yield url


def _html_loads(html: str) -> Iterator[str]:
    doc = parse(html)
    for el in doc.elements:
        for name, value in el.attrs.items():
            if name in LOAD_ATTRS or name == "xlink:href":
                urls = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
                yield from (f"<{el.tag} {name}={u}>" for u in urls if _remote(u))
            elif name == "href" and el.tag not in ("a", "area") and _remote(value):
                yield f"<{el.tag} href={value}>"
            elif name == "style":
                yield from (f"<{el.tag} style> {u}" for u in _css_loads(value))
        if el.tag == "meta" and el.attrs.get("http-equiv", "").lower() == "refresh":
            target = el.attrs.get("content", "").partition("url=")[2]
            if _remote(target):
                yield f"<meta refresh> {target}"
    for css in doc.styles:
        yield from (f"<style> {u}" for u in _css_loads(css))
    for js in doc.scripts:
        yield from (f"<script> {u}" for u in _js_urls(js) if u not in JS_ALLOWED)


def _js_urls(js: str) -> Iterator[str]:
    code = JS_LINE_COMMENT.sub(r"\1", JS_BLOCK_COMMENT.sub("", js))
    for match in JS_URL.finditer(code):
        yield match.group()


def scan_site(site: Path, site_url: str = "") -> list[str]:
    """Every third-party load in the built site, as ``path: what``; empty when there is none."""
    found: list[str] = []
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        suffix = path.suffix
        if suffix in (".html", ".svg"):
            text = path.read_text(encoding="utf-8")
            # A <link> to the site's own address (the canonical link MkDocs writes with site_url)
            # is no third party.
            own = f"<link href={site_url}" if site_url else None
            found += [f"{rel}: {what}" for what in _html_loads(text) if not (own and what.startswith(own))]
            if suffix == ".html":
                # The conditions under which JS_ALLOWED's loads would fire.
                if 'class="mermaid"' in text:
                    found.append(f"{rel}: a mermaid diagram would load mermaid from unpkg.com")
                if 'data-md-component="source"' in text:
                    found.append(f"{rel}: repo_url makes Material call a code host's API")
                # Only a page that runs Material's bundle (not an earlier cycle's redirect stub).
                if "<html" in text and "javascripts/bundle." in text and "window.ResizeObserver=" not in text:
                    found.append(f"{rel}: no ResizeObserver stand-in, so old browsers would fetch a polyfill")
        elif suffix == ".css":
            found += [f"{rel}: {u}" for u in _css_loads(path.read_text(encoding="utf-8"))]
        elif suffix == ".js":
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [f"{rel}: {u}" for u in _js_urls(text) if u not in JS_ALLOWED]
        elif suffix == ".json":
            found += [f"{rel}: {u}" for u in _json_loads(rel, path)]
        elif suffix == ".xml":
            text = path.read_text(encoding="utf-8")
            for loc in re.findall(r"<loc>([^<]*)</loc>", text):
                if _remote(loc) and not (site_url and loc.startswith(site_url)):
                    found.append(f"{rel}: sitemap entry {loc}")
    return found


def _json_loads(rel: str, path: Path) -> Iterator[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if rel == "search/search_index.json":
        yield from (d["location"] for d in data["docs"] if _remote(d["location"]))
    if path.name == "datapackage.json":
        yield from (r["path"] for r in data["resources"] if _remote(r["path"]))


# --- internal links ------------------------------------------------------------------------


def _target(site: Path, page: Path, href: str) -> tuple[Path, str] | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
        return None
    if not parts.path:
        return page, parts.fragment
    # 404.html links from the site root, as it is served for any missing path.
    base = site.resolve() if parts.path.startswith("/") else page.parent
    target = (base / unquote(parts.path).lstrip("/")).resolve()
    if href.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, parts.fragment


def broken_links(site: Path) -> list[str]:
    """Relative links and resources that point at no file or no anchor in the built site."""
    ids: dict[Path, set[str]] = {}
    problems = []
    pages = sorted(site.rglob("*.html"))
    docs = {p.resolve(): elements(p.read_text(encoding="utf-8")) for p in pages}
    for page, els in docs.items():
        ids[page] = {e.attrs["id"] for e in els if "id" in e.attrs} | {
            e.attrs["name"] for e in els if "name" in e.attrs
        }
    root = site.resolve()
    for page, els in docs.items():
        for el in els:
            for name in ("href", "src"):
                value = el.attrs.get(name)
                if not value or value == "#" or (el.tag == "link" and el.attrs.get("rel") == "canonical"):
                    continue
                found = _target(site, page, value)
                if found is None:
                    continue
                target, anchor = found
                where = f"{page.relative_to(root)}: {name}={value}"
                if not target.is_file():
                    problems.append(f"{where}: no such file")
                # Material's own "#__" targets are labels and inputs handled by its script.
                elif anchor and not anchor.startswith("__") and target in ids and anchor not in ids[target]:
                    problems.append(f"{where}: no such anchor")
    return problems
