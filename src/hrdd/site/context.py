"""What every page knows about the rest of the site: the ``Site`` (the scorecard, the project's
settings, the map of page paths) and links between generated pages, as MkDocs writes them.

The view models (hrdd.site.pages) and the page makers (hrdd.site.render) both need it; it sits
before them, so that neither goes in a circle through the other.
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass
from decimal import Decimal

from hrdd.models import Framework
from hrdd.site import Scorecard
from hrdd.site.changes import Publication
from hrdd.site.licence import DataLicence
from hrdd.site.pages.common import fw_token

# --- text and links ------------------------------------------------------------------------


def num(value: Decimal | None) -> str:
    return "n/a" if value is None else str(value)


def data_num(value: Decimal | None) -> str:
    """A number for a data attribute: empty when there is none."""
    return "" if value is None else str(value)


def page_url(path: str, directory_urls: bool) -> str:
    """The URL MkDocs gives a docs file, relative to the site root."""
    if not path.endswith(".md"):
        return path
    stem = path.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/" if stem.endswith("/index") else stem + "/"


@functools.lru_cache(maxsize=65536)  # a page links to the same few pages many times
def relative_url(from_path: str, to_path: str, directory_urls: bool, anchor: str = "") -> str:
    """A link from one docs file to another as a relative URL, as MkDocs would write it."""
    here = page_url(from_path, directory_urls)
    there = page_url(to_path, directory_urls)
    base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
    rel = _relpath(there.rstrip("/"), base.rstrip("/"))
    if there.endswith("/") or not there:
        rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{anchor}" if anchor else "")


def _relpath(path: str, start: str) -> str:
    """``posixpath.relpath`` for two paths from the same root without ``..`` in them: the same
    answer without asking the file system for the working directory (a page links to thousands)."""
    to = [part for part in path.split("/") if part and part != "."]
    base = [part for part in start.split("/") if part and part != "."]
    common = 0
    for a, b in zip(to, base, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(base) - common) + to[common:]) or "."


# --- the site's map ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Site:
    """What every page needs to know about the others."""

    card: Scorecard
    site_name: str = "Scorecard"
    directory_urls: bool = True
    publication: Publication | None = None
    """The record of a published edition (``hrdd publish``); None for a plain build."""
    repo_url: str = ""
    """``repo_url`` of mkdocs.yml: the scorecard's repository, where companies submit."""
    edit_uri: str = ""
    """``edit_uri`` of mkdocs.yml, relative to ``repo_url``: where a file of the repository is
    edited (``edit/main/`` on GitHub); company pages link their assessment's file with it."""
    theme_dir: str = ""
    """The project's ``theme.custom_dir`` (absolute), whose ``hrdd/`` templates override hrdd's;
    "" for none (``hrdd.site.templates``)."""
    theme_key: str = ""
    """The fingerprint of those templates' content (``hrdd.site.templates.fingerprint``)."""
    data_licence: DataLicence | None = None
    """``extra.data_licence`` of mkdocs.yml (``hrdd.site.licence``): the Downloads page names it."""
    site_url: str = ""
    """The full address of this site's root, ending in ``/``: ``site_url`` of mkdocs.yml, plus
    the edition's folder on a published edition (``hrdd.siteurl.edition_url``); "" without one."""

    def address(self, path: str) -> str:
        """The full address of a docs file (a page or a download), or "" without ``site_url``."""
        return self.site_url + page_url(path, self.directory_urls) if self.site_url else ""

    def edit_url(self, path: str) -> str:
        """The address where a file of the repository is edited, or "" when mkdocs.yml does not say."""
        if not self.repo_url or not self.edit_uri or self.edit_uri.startswith(("http://", "https://")):
            return ""
        return f"{self.repo_url.rstrip('/')}/{self.edit_uri.strip('/')}/{path}"

    @property
    def multi_framework(self) -> bool:
        return len(self.card.edition_frameworks()) > 1

    def indicator_page(self, fw: Framework, indicator_id: str) -> str | None:
        """The indicator's page; only the edition's frameworks have indicator pages."""
        if fw not in self.card.edition_frameworks():
            return None
        # "index" would collide with the index page of the folder.
        name = "index-indicator" if indicator_id == "index" else indicator_id
        return f"indicators/{fw_token(fw)}/{name}.md" if self.multi_framework else f"indicators/{name}.md"

    def link(self, here: str, there: str, anchor: str = "") -> str:
        return relative_url(here, there, self.directory_urls, anchor)
