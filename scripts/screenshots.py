"""Take the README's screenshots of the scorecard site with Debian's Chromium.

    python scripts/screenshots.py                 # build the demo site, then shoot it
    python scripts/screenshots.py --site site/    # shoot a site already built

Writes into docs/screenshots/, from a 1280 x 800 viewport in the light palette (so the images
only change when the site does), each one viewport high, never a full page:

    home.png           the home page
    ranking.png        the ranking, at its table
    company.png        a company's overview: summary, key findings, recommendations
    compare.png        the ranking's compare view with three companies ticked
    company-phone.png  the same company's overview at phone width (390 x 844)

and shrinks them with Debian's `pngquant` and `optipng` when they are installed (apt-get install
pngquant optipng; optional). Needs Playwright for Python (the test extras) and the `chromium` Debian
package; Playwright's own browser download is never used. Nothing is fetched from other hosts:
the site is served on 127.0.0.1 and any other request is refused (and reported).
"""

from __future__ import annotations

import argparse
import functools
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Page, Route, ViewportSize, sync_playwright

from hrdd.site.build import build_site

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script: the repository's tests package is not on the path
from tests.browser.chromium import CHROMIUM  # noqa: E402
from tests.browser.chromium import CHROMIUM_ARGS as TEST_CHROMIUM_ARGS  # noqa: E402

# The browser tests' Chromium and flags (without them Chromium keeps calling home), plus the
# same text rendering on every machine: no subpixel colour fringes, no hinting differences.
CHROMIUM_ARGS = [*TEST_CHROMIUM_ARGS, "--disable-lcd-text", "--font-render-hinting=none"]
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
COMPANY = "companies/tessaline/"
"""The demo company with the most to show: a self-assessment beside the independent one."""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


PHONE: ViewportSize = {"width": 390, "height": 844}
COMPARED = 3
"""How many companies the compare view shows (the first in the ranking's own order)."""


def _scroll_to(page: Page, selector: str) -> None:
    """Put ``selector`` just below Material's header (which then shows the page's title)."""
    page.evaluate(
        "(sel) => { const h = document.querySelector(sel);"
        " window.scrollTo(0, h.getBoundingClientRect().top + window.scrollY - 64); }",
        selector,
    )
    page.wait_for_function("() => window.scrollY > 0")


# Material's "Back to top" button appears after scrolling up (as ticking boxes does): not the page.
SHOT_STYLE = ".md-top { display: none !important; }"


def _shot(page: Page, out: Path, name: str) -> Path:
    path = out / name
    # The pointer off the content: ticking boxes leaves it where a table row's hover shade shows.
    size = page.viewport_size or VIEWPORT
    page.mouse.move(size["width"] - 1, size["height"] - 1)
    page.screenshot(path=path, animations="disabled", caret="hide", style=SHOT_STYLE)
    return path


def _shoot(page: Page, base: str, out: Path) -> list[Path]:
    written = []
    page.goto(base, wait_until="load")
    written.append(_shot(page, out, "home.png"))
    page.goto(base + "ranking/", wait_until="load")
    _scroll_to(page, "#ranking-independent")
    written.append(_shot(page, out, "ranking.png"))
    # The compare view: tick the first companies of its form, as a reader would, and wait for the
    # table its script builds from the published JSON.
    boxes = page.locator("#compare-form input[type=checkbox]")
    for n in range(COMPARED):
        boxes.nth(n).check()
    page.locator("#compare-table").wait_for()
    page.wait_for_function(f"() => document.querySelectorAll('#compare-table thead th').length > {COMPARED}")
    _scroll_to(page, "#compare-form")
    written.append(_shot(page, out, "compare.png"))
    # The overview opens the company page: its summary, key findings and recommendations first.
    page.goto(base + COMPANY, wait_until="load")
    _scroll_to(page, "#overview")
    written.append(_shot(page, out, "company.png"))
    return written


def _shoot_phone(page: Page, base: str, out: Path) -> list[Path]:
    page.goto(base + COMPANY, wait_until="load")
    _scroll_to(page, "#overview")
    return [_shot(page, out, "company-phone.png")]


def _optimise(paths: list[Path]) -> None:
    """Shrink the PNGs with whichever of Debian's `pngquant` (to a palette: a flat page loses
    nothing visible and the file halves) and `optipng` (lossless) are installed; neither is
    required, the screenshots are only bigger without them."""
    pngquant, optipng = shutil.which("pngquant"), shutil.which("optipng")
    if pngquant is not None:
        for path in paths:
            quant = ["--quality=80-98", "--speed", "1", "--strip", "--force", "--output", str(path), str(path)]
            subprocess.run([pngquant, *quant], check=True)
    if optipng is not None:
        subprocess.run([optipng, "-quiet", "-o2", "-strip", "all", *map(str, paths)], check=True)


def take(site: Path, out: Path) -> list[Path]:
    """Serve ``site`` on 127.0.0.1, take the screenshots into ``out`` and return their paths."""
    if not CHROMIUM.is_file():
        raise SystemExit(f"{CHROMIUM} not found: install Debian's chromium package (apt-get install chromium)")
    out.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    refused: list[str] = []

    def local_only(route: Route) -> None:
        if urlsplit(route.request.url).netloc == urlsplit(base).netloc:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort("blockedbyclient")

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            written: list[Path] = []
            for viewport, shoot in ((VIEWPORT, _shoot), (PHONE, _shoot_phone)):
                context = browser.new_context(
                    viewport=viewport,
                    device_scale_factor=1,
                    color_scheme="light",
                    reduced_motion="reduce",
                    locale="en-GB",
                    timezone_id="UTC",
                )
                context.route("**/*", local_only)
                written += shoot(context.new_page(), base, out)
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    if refused:
        raise SystemExit("the site requested other hosts:\n" + "\n".join(refused))
    _optimise(written)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the demo site first)")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots", help="where to write the PNGs")
    args = parser.parse_args(argv)
    if args.site is not None:
        written = take(args.site, args.out)
    else:
        with tempfile.TemporaryDirectory(prefix="hrdd-screenshots-") as tmp:
            site = Path(tmp) / "site"
            print(build_site(REPO, site_dir=site).summary(), file=sys.stderr)
            written = take(site, args.out)
    for path in written:
        shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
        print(f"wrote {shown} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
