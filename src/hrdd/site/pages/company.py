"""The company pages: a company's latest cycle (``companies/<slug>/index.md``) and each earlier
cycle (``companies/<slug>/<cycle>.md``), as view models for ``hrdd/company.html`` and
``hrdd/company_cycle.html``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from hrdd.feedback import feedback_for, overview
from hrdd.sectors import sector_name
from hrdd.site import CompanyRecord, Entry
from hrdd.site.pages.common import ASSESSOR_LABEL, METHODOLOGY, SUBMIT, company_page, fw_name, fw_token

if TYPE_CHECKING:
    from hrdd.site.render import Site


@dataclass(frozen=True, slots=True)
class CompanyFacts:
    slug: str
    fictional: bool
    latest_cycle: int
    sector: str
    country: str
    type: str
    website: str
    description: str


@dataclass(frozen=True, slots=True)
class FeedbackOverview:
    commented: int
    changed: int
    text: str


@dataclass(frozen=True, slots=True)
class AssessmentFacts:
    """Who assessed, when, against which framework, how much was answered."""

    cycle: int
    is_self: bool
    assessor: str
    assessor_url: str
    assessor_type: str
    assessor_label: str
    contact: str
    research_start: str
    research_end: str
    published: str
    framework: str
    framework_href: str
    answered: int
    applicable: int
    with_evidence: int
    not_applicable: int
    summary: str
    feedback: FeedbackOverview | None


@dataclass(frozen=True, slots=True)
class Reply:
    """How the company answers (see docs/submit.md)."""

    reply_file: str
    self_file: str
    submit_href: str
    has_independent: bool
    edit_url: str
    self_exists: bool
    command: str


@dataclass(frozen=True, slots=True)
class Sections:
    """One cycle's sections. The blocks typed Markup are still written by hrdd.site.render's
    helpers (not yet templates)."""

    heading: str
    primary: AssessmentFacts
    other: AssessmentFacts | None
    standing: Markup
    scores: Markup
    indicators: Markup
    disagreements: Markup
    incidents: Markup


@dataclass(frozen=True, slots=True)
class CompanyPage:
    name: str
    title: str
    """The page's <h1>."""
    cycle: int
    latest_cycle: int
    latest_href: str
    fictional: bool
    company: CompanyFacts
    sections: Sections
    reply: Reply | None
    """Only on the latest cycle's page."""
    history: Markup
    data: Markup


def company_facts(record: CompanyRecord) -> CompanyFacts:
    c = record.company
    fw = record.primary(record.latest_cycle).framework
    ctype = next((t.label for t in fw.company_types if t.id == c.type), c.type or "")
    return CompanyFacts(
        slug=c.slug,
        fictional=c.fictional,
        latest_cycle=record.latest_cycle,
        sector=sector_name(fw, c.sector),
        country=c.country,
        type=ctype,
        website=c.website or "",
        description=c.description,
    )


def assessment_facts(site: Site, here: str, entry: Entry) -> AssessmentFacts:
    a = entry.facts
    d = a.dates
    c = entry.score.coverage
    fw = entry.framework
    feedback = feedback_for(entry.assessment)
    return AssessmentFacts(
        cycle=entry.cycle,
        is_self=entry.is_self,
        assessor=a.assessor.name,
        assessor_url=a.assessor.url or "",
        assessor_type=a.assessor.type,
        assessor_label=ASSESSOR_LABEL[a.assessor.type],
        contact=a.assessor.contact or "",
        research_start=d.research_start or "",
        research_end=d.research_end or "",
        published=d.published or "",
        framework=fw_name(fw),
        framework_href=site.link(here, METHODOLOGY, fw_token(fw)),
        answered=c.answered,
        applicable=c.applicable,
        with_evidence=c.with_evidence,
        not_applicable=c.not_applicable,
        summary=entry.assessment.summary,
        feedback=None
        if feedback is None or not feedback.items
        else FeedbackOverview(commented=feedback.commented, changed=feedback.changed, text=overview(feedback)),
    )


def reply(site: Site, here: str, record: CompanyRecord) -> Reply:
    cycle = record.latest_cycle
    slug = record.slug
    reply_file = f"assessments/{slug}/{cycle}.yaml"
    return Reply(
        reply_file=reply_file,
        self_file=f"assessments/{slug}/{cycle}-self.yaml",
        submit_href=site.link(here, SUBMIT),
        has_independent=record.independent(cycle) is not None,
        edit_url=site.edit_url(reply_file),
        self_exists=record.self_assessment(cycle) is not None,
        command=f"hrdd new --self --slug {slug} --year {cycle}",
    )


def page_title(record: CompanyRecord, cycle: int) -> str:
    name = record.company.name
    return name if cycle == record.latest_cycle else f"{name}: {cycle}"


def latest_href(site: Site, here: str, record: CompanyRecord) -> str:
    return site.link(here, company_page(record.slug))
