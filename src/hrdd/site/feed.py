"""The edition's "What changed" page as an Atom 1.0 feed (RFC 4287). Pure: values in, XML out.

The feed is built with ElementTree, so every text and attribute value is escaped; characters
that XML 1.0 cannot carry at all are dropped first, because assessment text is untrusted.
Timestamps come from the data (assessments' publication dates, corrections), never from the
clock, and ids are UUID URNs derived from the site name, the edition and what an entry is about,
so a rebuild gives the same feed and a feed reader sees an entry once. Links are relative to the
feed's own URL (``changelog.xml`` at the root of the edition), as RFC 4287 allows.

Each edition has its own feed; ``hrdd publish`` also puts the latest edition's feed at the root
of the published site (``base``), one address that follows the editions as they come out.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET

from hrdd.site.changes import CompanyChange, EditionChanges
from hrdd.site.render import CHANGELOG, FEED, Site, company_page, fw_name, num

ATOM = "http://www.w3.org/2005/Atom"
# Everything outside XML 1.0's Char production (control characters, surrogates, U+FFFE/FFFF).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Untrusted text as XML character data: illegal characters dropped, whitespace collapsed."""
    return " ".join(_NOT_XML.sub("", text).split())


def urn(site_name: str, *parts: object) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "hrdd:" + "/".join(str(p) for p in (site_name, *parts))))


def timestamp(date: str | None) -> str:
    return f"{date or '1970-01-01'}T00:00:00Z"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = xml_text(text)
    return element


def _entry(feed: ET.Element, *, id_: str, title: str, updated: str | None, href: str, summary: str) -> None:
    entry = _sub(feed, "entry")
    _sub(entry, "id", id_)
    _sub(entry, "title", title, type="text")
    _sub(entry, "updated", timestamp(updated))
    _sub(entry, "link", rel="alternate", type="text/html", href=href)
    _sub(entry, "summary", summary, type="text")


def _company_text(change: CompanyChange) -> tuple[str, str]:
    e = change.entry
    name = e.facts.company.name
    kind = "self-assessment" if e.is_self else "independent assessment"
    scored = f"{num(e.score.total)} on {fw_name(e.framework)} ({kind} by {e.facts.assessor.name})"
    if change.is_new:
        return f"{name}: first assessed in {e.cycle}", f"{name} was assessed for the first time: {scored}."
    since = change.since
    if since is None:
        return f"{name}: assessed in {e.cycle}", f"{name}: {scored}; no earlier {kind} to compare with."
    delta = since.delta
    signed = "no comparable change" if delta is None else (f"+{delta}" if delta > 0 else str(delta))
    how = since.describe()
    title = f"{name}: {signed} since {since.before.cycle}" + (f" ({how})" if how else "")
    summary = f"{name}: {scored}. Change since {since.before.cycle}: {signed}"
    if not since.same_version:
        summary += (
            f", measured on the {len(since.compared)} indicators comparable between "
            f"{fw_name(since.before.framework)} and {fw_name(since.after.framework)}"
        )
        if since.not_compared:
            summary += "; not compared: " + "; ".join(f"{i} ({why})" for i, why in since.not_compared.items())
    return title, summary + "."


def atom_feed(site: Site, changes: EditionChanges, base: str = "", self_url: str = "") -> str:
    """The feed: one entry per correction and per addition, one for the edition, one per company
    assessed in it.

    With ``base`` (the edition's folder, e.g. ``2026/``), the feed of the whole site served from
    its root: its links resolve through ``xml:base`` and its id stays the same across editions.
    ``self_url``: the feed's own absolute address (from ``site_url``), as ``rel="self"``, which
    feed readers and validators expect; left out when the site has no ``site_url``."""
    name = site.site_name
    edition = changes.edition
    # The namespace as a plain attribute: ElementTree would otherwise invent an ns0: prefix.
    feed = ET.Element("feed", {"xmlns": ATOM})
    if base:
        feed.set("{http://www.w3.org/XML/1998/namespace}base", base)
    _sub(feed, "id", urn(name, "changelog") if base else urn(name, "edition", edition, "changelog"))
    _sub(feed, "title", f"{name}: what changed in the {edition} edition" if edition else f"{name}: what changed")
    _sub(feed, "updated", timestamp(changes.updated))
    author = _sub(feed, "author")
    _sub(author, "name", name)
    changelog_url = site.link(FEED, CHANGELOG)
    _sub(feed, "link", rel="alternate", type="text/html", href=changelog_url)
    if self_url:
        _sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    for n, correction in reversed(list(enumerate(changes.corrections, start=1))):
        _entry(
            feed,
            id_=urn(name, "edition", edition, "correction", n, correction.date),
            title=f"Correction to the {edition} edition ({correction.date})",
            updated=correction.date,
            href=site.link(FEED, CHANGELOG, "corrections"),
            summary=correction.reason,
        )
    for n, addition in reversed(list(enumerate(changes.additions, start=1))):
        _entry(
            feed,
            id_=urn(name, "edition", edition, "addition", n, addition.date, addition.commit),
            title=f"Addition to the {edition} edition ({addition.date})",
            updated=addition.date,
            href=site.link(FEED, CHANGELOG, "additions"),
            summary=f"Added by the companies (commit {addition.commit[:12]}): {'; '.join(addition.items)}.",
        )
    if edition is not None:
        new, again = len(changes.new), len(changes.changed)
        pub = changes.publication
        _entry(
            feed,
            id_=urn(name, "edition", edition),
            title=f"The {edition} edition",
            updated=pub.published if pub is not None else changes.updated,
            href=changelog_url,
            summary=(
                f"{len(changes.companies)} companies assessed in {edition}: {new} for the first time, "
                f"{again} compared with an earlier assessment"
                + (f" (previous cycle {changes.previous_cycle})" if changes.previous_cycle else "")
                + "."
            ),
        )
    for change in changes.companies:
        title, summary = _company_text(change)
        _entry(
            feed,
            id_=urn(name, "edition", edition, "company", change.record.slug, change.entry.cycle),
            title=title,
            updated=change.entry.facts.dates.published or changes.updated,
            href=site.link(FEED, company_page(change.record.slug), "history" if change.since else ""),
            summary=summary,
        )
    ET.indent(feed)
    body = ET.tostring(feed, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


def feed_url(site_url: str, edition_folder: str = "") -> str:
    """The absolute address of a feed: ``site_url`` (ending in /), the edition's folder on a
    site published with mike (``2026/``), then the feed's file; empty without ``site_url``."""
    if not site_url:
        return ""
    return site_url.rstrip("/") + "/" + edition_folder + FEED
