"""The sections of a company's overview (``companies/<slug>/index.md``, template
``hrdd/company.html``) and of its answers pages, as view models; earlier cycles are
hrdd.site.pages.earlier's."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from markupsafe import Markup

from hrdd.feedback import feedback_for, overview
from hrdd.models import Assessment, Framework, Incident, Indicator, Source
from hrdd.sectors import competition_ranks, indicators_for, sector_name
from hrdd.site import CompanyRecord, Entry
from hrdd.site.changes import ScoreChange, change_since_previous, score_change
from hrdd.site.charts import Bar, Series, bar_chart
from hrdd.site.data import SCORECARD_JSON, badge_entry, badge_path, company_json_path
from hrdd.site.pages.answers import AnswerRow as AnswerRow  # the answer views live there; named here too
from hrdd.site.pages.answers import Answers, ElementView, answers_of, element_view
from hrdd.site.pages.answers import FeedbackView as FeedbackView
from hrdd.site.pages.common import (
    ASSESSOR_LABEL,
    METHODOLOGY,
    RANKING,
    SUBMIT,
    _answer_label,
    _categories_for,
    _modules_text,
    _quantized,
    _ranked_on,
    _sector_value,
    _total_label,
    company_page,
    fw_name,
    fw_token,
)
from hrdd.site.pages.earlier import cycle_anchor

if TYPE_CHECKING:
    from hrdd.site.context import Site


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
class Standing:
    """A company of a framework with sectors: core and sector scores, the sector's average, its place."""

    cycle: int
    sector: str
    name: str
    core: Decimal | None
    sector_score: Decimal | None
    modules: str
    average: Decimal | None
    count: int
    place: int | None
    place_text: str
    ranking_href: str


@dataclass(frozen=True, slots=True)
class ScoreRow:
    attr: str
    """data-category for a category, data-kind for the total and the core score."""
    key: str
    label: str
    mine: Decimal | None
    theirs: Decimal | None
    diff: Decimal | None


@dataclass(frozen=True, slots=True)
class Scores:
    cycle: int
    total: Decimal | None
    scale_max: Decimal | int
    assessor_label: str
    comparable: bool
    """The self-assessment answers the same framework version: its scores stand beside."""
    other_version: bool
    """There is a self-assessment, on another framework version."""
    rows: list[ScoreRow]
    chart: Markup
    """The SVG bar chart, drawn (and escaped) by hrdd.site.charts."""


@dataclass(frozen=True, slots=True)
class Disagreement:
    element: str
    level: str
    level_name: str
    mine: str
    theirs: str


@dataclass(frozen=True, slots=True)
class CompanyData:
    json_href: str
    """The company's file: its scores (``hrdd.site.data.company_assessment_dict``)."""
    dataset_href: str
    """The full dataset, which has every answer with its evidence."""
    badge_href: str
    badge_alt: str
    page_url: str = ""
    """The page's full address, for the badge's embed code; "" without ``site_url``."""
    badge_url: str = ""
    """The badge's full address; "" without ``site_url``."""


@dataclass(frozen=True, slots=True)
class Share:
    """What a link to the page shows where it is shared: the Open Graph and Twitter card tags
    the theme's main.html writes from the page's front matter (``description``, ``share``)."""

    description: str
    """The total score in a sentence, then the first key finding (or the assessor's summary)."""
    score: str
    """The total score, e.g. "62.5 out of 100"."""


@dataclass(frozen=True, slots=True)
class IncidentView:
    incident: Incident
    is_self: bool
    sources: list[tuple[str, Source | None]]
    response_sources: list[tuple[str, Source | None]]
    related: list[tuple[str, str]]
    """(href, indicator id) of the indicators the incident concerns."""
    rating_label: str


@dataclass(frozen=True, slots=True)
class IndicatorView:
    id: str
    title: str
    score: Decimal | None
    has_self: bool
    self_score: Decimal | None
    href: str
    is_family: bool
    subindicators: list[IndicatorView]
    levels: list[tuple[str, Decimal | None]]
    """(level name, score) for each level scored."""
    sides: list[str]
    elements: list[ElementView]


@dataclass(frozen=True, slots=True)
class CategoryView:
    id: str
    title: str
    score: Decimal | None
    indicators: list[IndicatorView]


@dataclass(frozen=True, slots=True)
class Indicators:
    assessment: Assessment
    other_assessment: Assessment | None
    is_self: bool
    with_self: bool
    categories: list[CategoryView]


@dataclass(frozen=True, slots=True)
class Sections:
    """One cycle's sections. The blocks typed Markup are still written by hrdd.site.render's
    helpers (not yet templates)."""

    heading: str
    primary: AssessmentFacts
    other: AssessmentFacts | None
    standing: Standing | None
    scores: Scores
    indicators: Indicators
    disagreements: list[Disagreement] | None
    """None without a self-assessment to compare."""
    incidents: list[IncidentView]


@dataclass(frozen=True, slots=True)
class HistoryRow:
    cycle: int
    assessor_type: str
    framework_key: str
    total: Decimal | None
    change: Decimal | None
    measured: str
    href: str
    label: str
    is_self: bool
    assessor: str
    framework: str
    text: str


@dataclass(frozen=True, slots=True)
class ComparisonView:
    """Which indicators a change was measured on, and which were left out and why."""

    id: str
    before_cycle: int
    after_cycle: int
    before_key: str
    after_key: str
    before_name: str
    after_name: str
    before_total: Decimal | None
    after_total: Decimal | None
    same_version: bool
    total_before: Decimal | None
    total_after: Decimal | None
    delta: Decimal | None
    delta_text: str
    compared: list[str]
    compared_names: list[tuple[str, str]]
    """(indicator id, its id in the older version when renamed, else ""): not linked, the
    overview's indicator table links each indicator already."""
    not_compared: list[tuple[str, str, str]]
    """(indicator id, href, why)."""
    not_compared_ids: str
    removed: list[str]
    removed_text: str


@dataclass(frozen=True, slots=True)
class ChangeRow:
    id: str
    href: str
    title: str
    was: str
    before: Decimal | None
    after: Decimal | None
    delta_text: str


@dataclass(frozen=True, slots=True)
class IndicatorChanges:
    before_cycle: int
    after_cycle: int
    comparison: ComparisonView
    rows: list[ChangeRow]


@dataclass(frozen=True, slots=True)
class History:
    rows: list[HistoryRow]
    multi_version: bool
    methodology_href: str
    chart: Markup
    """The SVG chart of the totals by cycle (empty with one cycle), drawn by hrdd.site.charts."""
    changes: IndicatorChanges | None


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
    history: History | None
    data: CompanyData | None
    share: Share | None = None


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


def standing(site: Site, here: str, entry: Entry) -> Standing | None:
    """Its core and sector scores, what each compares, its sector's average and its place among
    the sector's independently assessed companies; None for a framework without sectors."""
    fw = entry.framework
    if not fw.sectors:
        return None
    sector = entry.facts.company.sector
    name = sector_name(fw, sector)
    peers = [
        e
        for e in site.card.entries
        if e.cycle == entry.cycle and e.framework.key == fw.key and not e.is_self and e.facts.company.sector == sector
    ]
    known = [v for e in peers if (v := e.score.sector_total) is not None]
    average = _quantized(fw, sum(known, Decimal(0)) / len(known)) if known else None
    ranked = _ranked_on(peers, _sector_value)
    places = dict(zip((e.slug for e in ranked), competition_ranks([e.score.sector_total for e in ranked]), strict=True))
    place = None if entry.is_self else places.get(entry.slug)
    if entry.is_self:
        place_text = "not ranked (self-assessment)"
    elif place is None:
        place_text = "not ranked (no sector score)"
    else:
        place_text = f"{place} of {len(peers)}"
    return Standing(
        cycle=entry.cycle,
        sector=sector,
        name=name,
        core=entry.score.core_total,
        sector_score=entry.score.sector_total,
        modules=_modules_text(fw, sector),
        average=average,
        count=len(peers),
        place=place,
        place_text=place_text,
        ranking_href=site.link(here, RANKING, f"sector-{sector}"),
    )


def scores(primary: Entry, other: Entry | None) -> Scores:
    fw = primary.framework
    # Categories of other sectors' modules have no score for this company: not shown.
    categories = _categories_for(fw, primary.facts.company.sector)
    comparable = other is not None and other.framework.key == fw.key

    def row(
        label: str, key: str, mine: Decimal | None, theirs: Decimal | None, attr: str = "data-category"
    ) -> ScoreRow:
        diff = None if not comparable or mine is None or theirs is None else theirs - mine
        return ScoreRow(attr=attr, key=key, label=label, mine=mine, theirs=theirs, diff=diff)

    theirs_cats = other.score.categories if other is not None else {}
    rows = [row(_total_label(fw), "total", primary.score.total, other.score.total if other else None)]
    if fw.sectors:
        theirs_core = other.score.core_total if other else None
        # Not a category: marked apart, so that the rows with data-category stay the categories.
        rows.append(
            row("Core score (compares across sectors)", "core", primary.score.core_total, theirs_core, "data-kind")
        )
    rows += [row(c.title, c.id, primary.score.categories.get(c.id), theirs_cats.get(c.id)) for c in categories]
    label = ASSESSOR_LABEL[primary.facts.assessor.type]
    series = [Series(name=f"{label} assessment", tag="")]
    bars_values: list[tuple[str, tuple[Decimal | None, ...]]] = [("Total", (primary.score.total,))]
    bars_values += [(c.title, (primary.score.categories.get(c.id),)) for c in categories]
    if comparable and other is not None:
        series = [Series(name=f"{label} assessment", tag="(independent)"), Series(name="Self-assessment", tag="(self)")]
        bars_values = [("Total", (primary.score.total, other.score.total))]
        bars_values += [(c.title, (primary.score.categories.get(c.id), theirs_cats.get(c.id))) for c in categories]
    chart = bar_chart(
        chart_id=f"chart-scores-{primary.cycle}",
        title=f"{primary.facts.company.name}: total and category scores {primary.cycle}",
        series=series,
        bars=[Bar(label=label, values=values) for label, values in bars_values],
        scale_min=fw.scale_min,
        scale_max=fw.scale_max,
    )
    return Scores(
        cycle=primary.cycle,
        total=primary.score.total,
        scale_max=fw.scale_max,
        assessor_label=label,
        comparable=comparable,
        other_version=other is not None and not comparable,
        rows=rows,
        chart=Markup(chart),  # the one place the chart's SVG is marked safe: charts.py escapes its text
    )


def disagreements(found: list[tuple[str, str, str | None, str]], primary: Entry, other: Entry) -> list[Disagreement]:
    levels = {lv.id: lv for lv in primary.facts.levels}
    return [
        Disagreement(
            element=el,
            level=lv,
            level_name=levels[lv].name,
            mine=_answer_label(primary.framework, mine),
            theirs=_answer_label(other.framework, theirs),
        )
        for el, lv, mine, theirs in found
    ]


def company_data(site: Site, here: str, record: CompanyRecord) -> CompanyData:
    entry = badge_entry(record)
    return CompanyData(
        json_href=site.link(here, company_json_path(record.slug)),
        dataset_href=site.link(here, SCORECARD_JSON),
        badge_href=site.link(here, badge_path(record.slug)),
        badge_alt=f"{record.company.name}: {entry.framework.title} {entry.cycle} score",
        page_url=site.address(company_page(record.slug)),
        badge_url=site.address(badge_path(record.slug)),
    )


SHARE_LENGTH = 200
"""Longer descriptions are cut by the sites that show link previews anyway."""


def share(record: CompanyRecord, cycle: int) -> Share:
    """The link preview of a company's page of ``cycle``: its total and what the assessment found."""
    entry = record.primary(cycle)
    fw = entry.framework
    total = entry.score.total
    score = "not scored" if total is None else f"{total} out of {fw.scale_max}"
    kind = "self-assessment" if entry.is_self else "independent assessment"
    lead = f"{record.company.name}: {score} in the {cycle} {kind} against {fw_name(fw)}."
    a = entry.assessment
    found = " ".join((a.key_findings[0] if a.key_findings else a.summary).split())
    text = f"{lead} {found}".strip()
    if len(text) > SHARE_LENGTH:
        text = text[: SHARE_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return Share(description=text, score=score)


RATING_LABEL = {
    "adequate": "Adequate",
    "partial": "Partial",
    "inadequate": "Inadequate",
    "no_response": "No response",
}


def indicator_href(site: Site, here: str, fw: Framework, indicator_id: str) -> str:
    """The indicator's page, or its entry in the methodology when it has none."""
    target = site.indicator_page(fw, indicator_id)
    if target is None:
        return site.link(here, METHODOLOGY, f"{fw_token(fw)}-{indicator_id}")
    return site.link(here, target)


def source_refs(assessment: Assessment, ids: Iterable[str]) -> list[tuple[str, Source | None]]:
    return [(source_id, assessment.source(source_id)) for source_id in ids]


def incidents(site: Site, here: str, found: Sequence[tuple[Entry, Incident]]) -> list[IncidentView]:
    return [
        IncidentView(
            incident=incident,
            is_self=entry.is_self,
            sources=source_refs(entry.assessment, incident.sources),
            response_sources=source_refs(entry.assessment, incident.response.sources) if incident.response else [],
            related=[(indicator_href(site, here, entry.framework, i), i) for i in incident.indicators],
            rating_label=RATING_LABEL[incident.assessment.rating] if incident.assessment else "",
        )
        for entry, incident in found
    ]


def _indicator(
    site: Site, here: str, entry: Entry, ind: Indicator, other: Entry | None, found: Answers
) -> IndicatorView:
    fw = entry.framework
    s = entry.score.indicators[ind.id]
    theirs = other.score.indicators.get(ind.id) if other is not None and other.framework.key == fw.key else None
    levels = {lv.id: lv for lv in entry.facts.levels}
    sides = []
    if ind.scope in ("company", "both"):
        sides.append(f"company side {'n/a' if s.company_side is None else s.company_side}")
    if ind.scope in ("units", "both"):
        sides.append(f"units {'n/a' if s.unit_side is None else s.unit_side}")
    return IndicatorView(
        id=ind.id,
        title=ind.title,
        score=s.score,
        has_self=theirs is not None,
        self_score=theirs.score if theirs is not None else None,
        href=indicator_href(site, here, fw, ind.id),
        is_family=ind.is_family,
        subindicators=[_indicator(site, here, entry, sub, other, found) for sub in ind.subindicators]
        if ind.is_family
        else [],
        levels=[(levels[k].name, v) for k, v in s.levels.items() if k in levels] if not ind.is_family else [],
        sides=sides,
        elements=[element_view(entry, el, other, found) for el in ind.elements] if not ind.is_family else [],
    )


def indicators(
    site: Site, here: str, entry: Entry, other: Entry | None, only: Collection[str] | None = None
) -> Indicators:
    """``only``: the ids of the top-level indicators to show (one answers page's), else all."""
    fw = entry.framework
    # Only what applies to the company's sector: other sectors' modules are not its indicators.
    applying = indicators_for(fw, entry.facts.company.sector)
    if only is not None:
        applying = [ind for ind in applying if ind.id in only]
    found = answers_of(entry, other)
    categories = []
    for cat in fw.categories:
        members = [ind for ind in applying if ind.category == cat.id]
        if members:
            categories.append(
                CategoryView(
                    id=cat.id,
                    title=cat.title,
                    score=entry.score.categories.get(cat.id),
                    indicators=[_indicator(site, here, entry, ind, other, found) for ind in members],
                )
            )
    return Indicators(
        assessment=entry.assessment,
        other_assessment=other.assessment if other is not None else None,
        is_self=entry.is_self,
        with_self=other is not None,
        categories=categories,
    )


def _signed(value: Decimal | None) -> str:
    if value is None:
        return "–"
    return f"+{value}" if value > 0 else str(value)


def history_change_cell(since: ScoreChange | None) -> tuple[str, Decimal | None]:
    """The text of a change from the previous cycle, and the change (None when not measured)."""
    if since is None:
        return "first", None
    delta, how = since.delta, since.describe()
    if delta is None:
        return how or "–", None
    return (_signed(delta) + (f" ({how})" if how else "")), delta


def comparison(site: Site, here: str, since: ScoreChange, id_: str = "") -> ComparisonView:
    before, now = since.before, since.after
    comparable = since.change.comparison.comparable
    compared = list(since.compared)
    fw = now.framework
    return ComparisonView(
        id=id_,
        before_cycle=before.cycle,
        after_cycle=now.cycle,
        before_key=before.framework.key,
        after_key=now.framework.key,
        before_name=fw_name(before.framework),
        after_name=fw_name(now.framework),
        before_total=before.score.total,
        after_total=now.score.total,
        same_version=since.same_version,
        total_before=since.change.total_before,
        total_after=since.change.total_after,
        delta=since.delta,
        delta_text=_signed(since.delta),
        compared=compared,
        compared_names=[(i, "" if comparable.get(i, i) == i else comparable[i]) for i in compared],
        not_compared=[(i, indicator_href(site, here, fw, i), why) for i, why in since.not_compared.items()],
        not_compared_ids=" ".join(since.not_compared),
        removed=list(since.removed),
        removed_text=", ".join(since.removed),
    )


def _indicator_changes(site: Site, here: str, independents: Sequence[Entry]) -> IndicatorChanges | None:
    if len(independents) < 2:
        return None
    since = score_change(independents[-2], independents[-1])
    now = since.after
    rows = []
    for ind_id, c in since.change.indicators.items():
        if c.delta == 0:
            continue
        ind = now.framework.indicator(ind_id)
        old_id = since.change.comparison.comparable[ind_id]
        rows.append(
            ChangeRow(
                id=ind_id,
                href=indicator_href(site, here, now.framework, ind_id),
                title=ind.title if ind else "",
                was=old_id if old_id != ind_id else "",
                before=c.before,
                after=c.after,
                delta_text=_signed(c.delta),
            )
        )
    return IndicatorChanges(
        before_cycle=since.before.cycle,
        after_cycle=now.cycle,
        comparison=comparison(site, here, since, id_="history-comparison"),
        rows=rows,
    )


def history(site: Site, here: str, record: CompanyRecord) -> History:
    rows = []
    for entry in sorted(record.entries, key=lambda e: (-e.cycle, e.is_self)):
        since = change_since_previous(record, entry)
        text, change = history_change_cell(since)
        rows.append(
            HistoryRow(
                cycle=entry.cycle,
                assessor_type=entry.facts.assessor.type,
                framework_key=entry.framework.key,
                total=entry.score.total,
                change=change,
                measured="none" if since is None else ("totals" if since.same_version else "comparable-indicators"),
                # An earlier cycle: its column of the overview's table of earlier answers.
                href=site.link(
                    here,
                    company_page(record.slug),
                    "assessment" if entry.cycle == record.latest_cycle else cycle_anchor(entry.cycle),
                ),
                label=f"{entry.cycle} {'self-assessment' if entry.is_self else 'assessment'}",
                is_self=entry.is_self,
                assessor=entry.facts.assessor.name,
                framework=fw_name(entry.framework),
                text=text,
            )
        )
    chart = ""
    if len(record.cycles) > 1:
        fw = record.entries[-1].framework
        has_self = any(e.is_self for e in record.entries)
        series = [Series(name="Independent assessment", tag="(independent)")]
        if has_self:
            series.append(Series(name="Self-assessment", tag="(self)"))
        bars = []
        for cycle in sorted(record.cycles):
            ind, own = record.independent(cycle), record.self_assessment(cycle)
            values = (ind.score.total if ind else None,) + ((own.score.total if own else None,) if has_self else ())
            bars.append(Bar(label=str(cycle), values=values))
        chart = bar_chart(
            chart_id="chart-history",
            title=f"{record.company.name}: total score by cycle",
            series=series,
            bars=bars,
            scale_min=fw.scale_min,
            scale_max=fw.scale_max,
        )
    return History(
        rows=rows,
        multi_version=len({e.framework.key for e in record.entries}) > 1,
        methodology_href=site.link(here, METHODOLOGY, "framework-versions"),
        chart=Markup(chart),  # the one place the history chart's SVG is marked safe: charts.py escapes its text
        changes=_indicator_changes(site, here, [e for e in record.entries if not e.is_self]),
    )
