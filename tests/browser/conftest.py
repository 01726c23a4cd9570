"""Browser tests: built sites served on 127.0.0.1 and one headless Debian Chromium driven by Playwright.

Each site is built once per session and served by a ``ThreadingHTTPServer`` on a free port. One
Chromium runs for the whole session; every test gets fresh browser contexts (``tab``) that:

- abort any request to another origin and fail the test for it, so "no page loads anything from
  another host" is checked live, not only by the static scan in ``tests/site/sitecheck.py``;
- fail the test on a console error or an uncaught exception, on any page the test visited;
- record every ``alert``/``confirm``/``prompt``/``print`` call and every dialog, so the hostile
  tests can prove that no script from the data ran.

Chromium is Debian's (``/usr/bin/chromium``, installed by ``make test``); Playwright's own browser
download does not work on our machines. Without it the tests skip, except on CI (``CI`` set),
where they fail: CI must never pass with the browser tests silently left out.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Dialog,
    Error,
    Locator,
    Page,
    Playwright,
    Route,
    ViewportSize,
)

from hrdd.site.build import BuildResult, build_site
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.browser.expected import Key, cli_scores
from tests.conftest import MINI_FRAMEWORKS, REPO

EDITION = 2025
"""The default edition of the demo (the cycle most companies published; 2026 has only begun) and of
the hostile corpus (whose draft is of that cycle too, so only its status can keep it off the site)."""
HOSTILE_PROJECT = REPO / "tests" / "hostile" / "project"
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
Scheme = Literal["light", "dark"]

# Installed before any page script: the calls a successful injection would make, recorded.
TRAPS = """
(() => {
  const calls = [];
  Object.defineProperty(window, "__hrddCalls", { value: calls });
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = (...args) => { calls.push(name + "(" + args.map(String).join(", ") + ")"); };
  }
})();
"""


def require_chromium() -> None:
    """Skip without Debian's Chromium, but fail on CI, where the browser tests must run."""
    if CHROMIUM.is_file():
        return
    reason = f"{CHROMIUM} not found: install Debian's chromium package (`make test` does)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; on CI the browser tests must run, not skip")
    pytest.skip(reason)


# --- sites ---------------------------------------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass(frozen=True)
class Served:
    """A built site and the URL it is served at (ending in ``/``)."""

    root: Path
    url: str
    result: BuildResult

    def html(self, path: str) -> str:
        """The built HTML of a page given by its URL path (``""``, ``ranking/``, ``404.html``)."""
        file = self.root / path if path.endswith(".html") else self.root / path / "index.html"
        return file.read_text(encoding="utf-8")

    def pages(self) -> list[str]:
        """URL paths of every HTML page of the site; not the small files that send readers on
        from an earlier cycle's old address (``redirects``)."""
        return [path for path, redirect in self._html() if not redirect]

    def redirects(self) -> list[str]:
        """URL paths of the files that send readers on (hrdd.site.pages.earlier's stubs)."""
        return [path for path, redirect in self._html() if redirect]

    def _html(self) -> list[tuple[str, bool]]:
        found = []
        for file in sorted(self.root.rglob("*.html")):
            rel = file.relative_to(self.root).as_posix()
            redirect = 'http-equiv="refresh"' in file.read_text(encoding="utf-8")
            found.append((rel.removesuffix("index.html") if rel.endswith("index.html") else rel, redirect))
        return found


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that navigates on before a response is complete closes the connection; the
        # default handler prints a BrokenPipeError traceback for it. Other errors still print.
        if not isinstance(sys.exception(), ConnectionError):
            super().handle_error(request, client_address)


def _serve(root: Path) -> tuple[ThreadingHTTPServer, str]:
    server = _Server(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, name=f"serve {root.name}", daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[[Path, BuildResult], Served]]:
    """Serve a built site on 127.0.0.1 until the end of the session."""
    servers: list[ThreadingHTTPServer] = []

    def start(root: Path, result: BuildResult) -> Served:
        server, url = _serve(root)
        servers.append(server)
        return Served(root=root, url=url, result=result)

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path, BuildResult], Served]) -> Served:
    """The bundled demo data built into a site (the default edition, 2025) and served."""
    base = tmp_path_factory.mktemp("demo")
    project = copy_project(REPO, base / "project")
    site = base / "site"
    result = build_site(project, site_dir=site)
    assert result.card.edition == EDITION, result.summary()
    return serve(site, result)


@pytest.fixture(scope="session")
def scores() -> dict[Key, dict[str, Any]]:
    """`hrdd score --format json` for the demo project, by (company, cycle, assessor type)."""
    return cli_scores(REPO)


def copy_project(source: Path, dest: Path) -> Path:
    """``source``'s frameworks and assessments (those it has) with the repository's site
    configuration, in ``dest``. A build writes its cache into the project, so tests never build the
    repository in place: a concurrent ``hrdd build`` or ``hrdd serve`` would share the cache."""
    dest.mkdir(parents=True)
    for folder in ("frameworks", "assessments"):
        if (source / folder).is_dir():
            shutil.copytree(source / folder, dest / folder)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(REPO / "docs", dest / "docs")
    return dest


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path, BuildResult], Served]) -> Served:
    """The hostile corpus (tests/hostile/project) built against the mini framework and served."""
    base = tmp_path_factory.mktemp("hostile")
    project = copy_project(HOSTILE_PROJECT, base / "project")
    site = base / "site"
    result = build_site(project, site_dir=site, frameworks_dir=MINI_FRAMEWORKS)
    assert result.card.edition == EDITION, result.summary()
    return serve(site, result)


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One headless Chromium for the session. ``launch`` gives it a fresh temporary user data
    directory (Playwright creates one per launch and deletes it at close)."""
    require_chromium()
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield chromium
    chromium.close()


@dataclass
class Tab:
    """One page in its own browser context, on one served site, recording what must not happen."""

    site: Served
    context: BrowserContext
    page: Page
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)

    def goto(self, path: str) -> Page:
        """Open a page of the site by its URL path and wait until it has loaded."""
        self.visited.append(path)
        response = self.page.goto(self.site.url + path, wait_until="load")
        assert response is not None and response.ok, f"{path}: HTTP {response.status if response else 'no response'}"
        return self.page

    def trapped_calls(self) -> list[str]:
        """alert/confirm/prompt/print calls made on the current page (see TRAPS)."""
        calls: list[str] = self.page.evaluate("window.__hrddCalls ? [...window.__hrddCalls] : ['traps missing']")
        return calls

    def problems(self) -> list[str]:
        return (
            [f"console or page error: {e}" for e in self.errors]
            + [f"request to another host (blocked): {u}" for u in self.foreign]
            + [f"dialog opened: {d}" for d in self.dialogs]
        )


def open_tab(browser: Browser, site: Served, *, color_scheme: Scheme = "light", javascript: bool = True) -> Tab:
    """A page in a new context; ``Tab.problems()`` says what went wrong on it (see ``tab``)."""
    context = browser.new_context(
        viewport=VIEWPORT,
        color_scheme=color_scheme,
        java_script_enabled=javascript,
        reduced_motion="reduce",
    )
    context.add_init_script(TRAPS)
    page = context.new_page()
    tab = Tab(site=site, context=context, page=page)
    origin = urlsplit(site.url)

    def route(r: Route) -> None:
        url = urlsplit(r.request.url)
        if (url.scheme, url.netloc) == (origin.scheme, origin.netloc):
            r.continue_()
        else:
            tab.foreign.append(r.request.url)
            r.abort("blockedbyclient")

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            tab.errors.append(f"{page.url}: {message.text}")

    def page_error(error: Error) -> None:
        tab.errors.append(f"{page.url}: uncaught {error}")

    def dialog(d: Dialog) -> None:
        tab.dialogs.append(f"{page.url}: {d.type} {d.message!r}")
        d.dismiss()

    context.route("**/*", route)
    page.on("console", console)
    page.on("pageerror", page_error)
    page.on("dialog", dialog)
    return tab


@pytest.fixture
def tab(browser: Browser) -> Iterator[Callable[..., Tab]]:
    """``tab(site, color_scheme="light", javascript=True)`` opens a page in a fresh context. After
    the test, any console error, uncaught exception, dialog or request to another host on any page
    it visited fails the test."""
    opened: list[Tab] = []

    def new_tab(site: Served, *, color_scheme: Scheme = "light", javascript: bool = True) -> Tab:
        opened.append(open_tab(browser, site, color_scheme=color_scheme, javascript=javascript))
        return opened[-1]

    yield new_tab
    problems = [p for t in opened for p in t.problems()]
    for t in opened:
        t.context.close()
    if problems:
        pytest.fail("the browser saw:\n" + "\n".join(problems), pytrace=False)


# Material's search box shows its "type to start searching" text once the worker has built the
# index. A query typed before that is dropped (a person is slower than the worker; a test is not).
SEARCH_READY_JS = """() => {
  const words = JSON.parse(document.getElementById("__config").textContent).translations;
  return document.querySelector(".md-search-result__meta").textContent.trim() === words["search.result.placeholder"];
}"""


def search_for(page: Page, query: str) -> Locator:
    """Open the search box with its keyboard shortcut, type the query once the index is ready, and
    return the result links (best first) once the first is shown."""
    page.keyboard.press("s")
    box = page.locator("input.md-search__input")
    assert box.evaluate("el => el === document.activeElement"), "the shortcut did not focus the search box"
    page.wait_for_function(SEARCH_READY_JS)
    # Key by key, as a person types: Material searches on key events, so fill() finds nothing.
    box.press_sequentially(query)
    links = page.locator(".md-search-result__item > a.md-search-result__link")
    links.first.wait_for()
    return links
