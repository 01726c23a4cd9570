"""``site_url``: the address the scorecard is published at, set in ``mkdocs.yml``.

Without it MkDocs writes an empty sitemap, the Atom feed cannot name its own address
(``rel="self"``) and nothing can give a page's full address (badge embed code, sharing). So
``hrdd build`` warns once, and ``hrdd publish`` refuses: a published edition is for good.
The demo's ``mkdocs.yml`` sets ``PLACEHOLDER`` (a reserved example.org address, marked as such).
"""

from __future__ import annotations

PLACEHOLDER = "https://scorecard.example.org/"
"""The demo's stand-in ``site_url``: replace it with the address the site is published at."""

HOW = (
    "set site_url in mkdocs.yml to the address the site is published at "
    "(e.g. site_url: https://OWNER.github.io/REPOSITORY/ on GitHub Pages)"
)


def edition_url(site_url: str, edition: int | None = None) -> str:
    """The address of a site's root: ``site_url`` ending in ``/``, plus the edition's folder
    (``2026/``) when the site is a published edition (mike puts each in a folder of its own);
    "" without a ``site_url``."""
    if not site_url:
        return ""
    return site_url.rstrip("/") + "/" + (f"{edition}/" if edition is not None else "")


def missing_message(*, publishing: bool = False) -> str:
    if publishing:
        return (
            f"no site_url, so the published edition would have an empty sitemap and a feed without its own "
            f"address; {HOW}, commit it, then publish"
        )
    return f'no site_url: the sitemap is empty and the feed has no rel="self" address; {HOW}'
