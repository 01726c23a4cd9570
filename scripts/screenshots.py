"""Take the README's screenshots of the scorecard site with Debian's Chromium.

    python scripts/screenshots.py                 # build the demo site, then shoot it
    python scripts/screenshots.py --site site/    # shoot a site already built

Writes docs/screenshots/home.png (the home page) and docs/screenshots/company.png (a company
page at its scores) from a 1280 x 800 viewport in the light palette, so the images only change
when the site does. Needs Playwright for Python (the test extras) and the `chromium` Debian
package; Playwright's own browser download is never used. Nothing is fetched from other hosts:
the site is served on 127.0.0.1 and any other request is refused (and reported).
"""

from __future__ import annotations

import argparse
import functools
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


def _shoot(page: Page, base: str, out: Path) -> list[Path]:
    page.goto(base, wait_until="load")
    home = out / "home.png"
    page.screenshot(path=home, animations="disabled", caret="hide")
    page.goto(base + COMPANY, wait_until="load")
    # The scores, independent beside self-assessed, with their heading just below Material's header
    # (which then shows the company's name).
    page.evaluate(
        "() => { const h = document.getElementById('scores');"
        " window.scrollTo(0, h.getBoundingClientRect().top + window.scrollY - 64); }"
    )
    page.wait_for_function("() => window.scrollY > 0")
    company = out / "company.png"
    page.screenshot(path=company, animations="disabled", caret="hide")
    return [home, company]


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
            context = browser.new_context(
                viewport=VIEWPORT,
                device_scale_factor=1,
                color_scheme="light",
                reduced_motion="reduce",
                locale="en-GB",
                timezone_id="UTC",
            )
            context.route("**/*", local_only)
            written = _shoot(context.new_page(), base, out)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    if refused:
        raise SystemExit("the site requested other hosts:\n" + "\n".join(refused))
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
