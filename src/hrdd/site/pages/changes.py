"""The edition's "What changed" page (``changelog.md``), as a view model for ``hrdd/changes.html``.

What changed is computed by ``hrdd.site.changes`` (the Atom feed reads the same values); this
module only picks what the page prints: texts, numbers, flags and relative links.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from hrdd.history import Comparison
from hrdd.models import Framework
from hrdd.site.changes import EditionChanges
from hrdd.site.pages.common import CHANGELOG, METHODOLOGY, company_page, fw_name, fw_token
from hrdd.site.pages.company import history_change_cell

if TYPE_CHECKING:
    from hrdd.site.context import Site

FEED = "changelog.xml"
"""The Atom feed of the changelog page (written by ``hrdd.site.feed``)."""


@dataclass(frozen=True, slots=True)
class CompanyName:
    """A company's name linked to its page, with its tags."""

    slug: str
    href: str
    name: str
    fictional: bool
    is_self: bool = False


@dataclass(frozen=True, slots=True)
class CorrectionRow:
    date: str
    reason: str
    commit: str
    """The commit, shortened for reading."""


@dataclass(frozen=True, slots=True)
class PublicationView:
    published: str
    commit: str
    corrections: list[CorrectionRow]


@dataclass(frozen=True, slots=True)
class AdditionRow:
    date: str
    commit: str
    short_commit: str
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NewCompany:
    company: CompanyName
    total: Decimal | None
    framework: str


@dataclass(frozen=True, slots=True)
class ScoreChangeRow:
    """A company assessed again: its previous assessment of the same kind and the change since.
    ``before_cycle`` is None when there is no earlier assessment of that kind."""

    company: CompanyName
    total: Decimal | None
    kind: str
    before_cycle: int | None = None
    before_total: Decimal | None = None
    delta: Decimal | None = None
    text: str = ""
    measured: str = "none"
    compared: str = ""
    not_compared: str = ""
    same_version: bool = True
    framework: str = ""
    """The framework version now (all of it is compared when the version did not change)."""
    before_framework: str = ""
    compared_count: int = 0
    history_href: str = ""


@dataclass(frozen=True, slots=True)
class NotReassessed:
    company: CompanyName
    latest_cycle: int


@dataclass(frozen=True, slots=True)
class FrameworkChangeItem:
    key: str
    previous_key: str
    text: str
    changelog_href: str


@dataclass(frozen=True, slots=True)
class ChangesPage:
    edition: int | None
    previous: int | None
    feed_href: str
    publication: PublicationView | None
    additions: list[AdditionRow]
    new: list[NewCompany]
    scores: list[ScoreChangeRow]
    not_reassessed: list[NotReassessed]
    frameworks: list[FrameworkChangeItem]


def short(commit: str) -> str:
    return commit[:12]


def comparability_text(comparison: Comparison, old: Framework, new: Framework) -> str:
    """One sentence: what of ``old`` stays comparable in ``new``, from ``new``'s changelog."""
    renamed = [f"{i} (was {o})" for i, o in comparison.comparable.items() if i != o]
    top = {i.id for i in new.indicators}
    comparable = [i for i in comparison.comparable if i in top]
    not_comparable = [f"{i} ({why})" for i, why in comparison.not_comparable.items() if i in top]
    parts = [f"{len(comparable)} of {len(top)} indicators of {fw_name(new)} compare with {fw_name(old)}"]
    if renamed:
        parts.append(f"renamed: {', '.join(renamed)}")
    if not_comparable:
        parts.append(f"not comparable: {', '.join(not_comparable)}")
    old_top = {i.id for i in old.indicators}
    removed = [i for i in comparison.removed if i in old_top]
    if removed:
        parts.append(f"removed: {', '.join(removed)}")
    return "; ".join(parts) + "."


def changes_page(site: Site, changes: EditionChanges) -> ChangesPage:
    here = CHANGELOG
    pub = changes.publication

    def name(slug: str, company_name: str, fictional: bool, is_self: bool = False) -> CompanyName:
        return CompanyName(slug, site.link(here, company_page(slug)), company_name, fictional, is_self)

    publication = (
        None
        if pub is None
        else PublicationView(
            pub.published,
            short(pub.commit),
            [CorrectionRow(c.date, c.reason, short(c.commit)) for c in pub.corrections],
        )
    )
    new = [
        NewCompany(
            name(c.record.slug, c.record.company.name, c.record.company.fictional, c.entry.is_self),
            c.entry.score.total,
            fw_name(c.entry.framework),
        )
        for c in changes.new
    ]
    scores = []
    for c in changes.companies:
        if c.is_new:
            continue
        company = name(c.record.slug, c.record.company.name, c.record.company.fictional, c.entry.is_self)
        kind = "self-assessment" if c.entry.is_self else "independent assessment"
        since = c.since
        if since is None:
            scores.append(ScoreChangeRow(company, c.entry.score.total, kind))
            continue
        text, delta = history_change_cell(since)
        scores.append(
            ScoreChangeRow(
                company,
                c.entry.score.total,
                kind,
                before_cycle=since.before.cycle,
                before_total=since.before.score.total,
                delta=delta,
                text=text,
                measured="totals" if since.same_version else "comparable-indicators",
                compared=" ".join(since.compared),
                not_compared=" ".join(since.not_compared),
                same_version=since.same_version,
                framework=fw_name(since.after.framework),
                before_framework=fw_name(since.before.framework),
                compared_count=len(since.compared),
                history_href=site.link(here, company_page(c.record.slug), "history"),
            )
        )
    return ChangesPage(
        edition=changes.edition,
        previous=changes.previous_cycle,
        feed_href=site.link(here, FEED),
        publication=publication,
        additions=[AdditionRow(a.date, a.commit, short(a.commit), a.items) for a in changes.additions],
        new=new,
        scores=scores,
        not_reassessed=[
            NotReassessed(name(r.slug, r.company.name, r.company.fictional), r.latest_cycle)
            for r in changes.not_reassessed
        ],
        frameworks=[
            FrameworkChangeItem(
                fc.framework.key,
                fc.previous.key,
                comparability_text(fc.comparison, fc.previous, fc.framework),
                site.link(here, METHODOLOGY, f"{fw_token(fc.framework)}-changelog"),
            )
            for fc in changes.frameworks
        ],
    )
