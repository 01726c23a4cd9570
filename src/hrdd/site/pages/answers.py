"""The view of one answer on a company's answers page: the evidence it cites (sources resolved),
the comment and the reply, as plain data for ``hrdd/answers/indicators.html``.

A company page shows thousands of answers; everything a template would otherwise work out per
answer (which source an id names, the lines of a comment) is done here once, so that the
template's loop over the answers only prints."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from hrdd.feedback import Feedback, feedback_for
from hrdd.feedback import Response as FeedbackResponse
from hrdd.models import Answer, Assessment, Element, Evidence, Framework, Level, Source
from hrdd.site import Entry
from hrdd.site.pages.common import _answer_label


@dataclass(frozen=True, slots=True)
class EvidenceView:
    """One piece of evidence: the source it cites (None when the assessment has no source of
    that id), where in it, and the quote's lines (blank lines left out; None without a quote)."""

    source_id: str
    source: Source | None
    locator: str
    quote: list[str] | None


@dataclass(frozen=True, slots=True)
class ReplyView:
    date: str
    text: list[str]
    """The reply's lines, blank lines left out (one paragraph each)."""
    evidence: list[EvidenceView]


@dataclass(frozen=True, slots=True)
class AnswerDetail:
    """Evidence, comment and reply of one answer."""

    evidence: list[EvidenceView]
    comment: list[str] | None
    """The comment's lines, blank lines left out (one paragraph each); None without a comment."""
    reply: ReplyView | None


def lines(text: str) -> list[str]:
    """The lines of ``text`` that are not blank: one paragraph each."""
    return [line for line in text.splitlines() if line.strip()]


def _lines_or_none(text: str) -> list[str] | None:
    return lines(text) if text else None


def sources_by_id(assessment: Assessment) -> dict[str, Source]:
    """The assessment's sources by id (the first of an id, as ``Assessment.source``)."""
    found: dict[str, Source] = {}
    for source in assessment.sources:
        found.setdefault(source.id, source)
    return found


def evidence(sources: Mapping[str, Source], cited: Iterable[Evidence]) -> list[EvidenceView]:
    return [
        EvidenceView(
            source_id=ev.source, source=sources.get(ev.source), locator=ev.locator, quote=_lines_or_none(ev.quote)
        )
        for ev in cited
    ]


def answer_detail(sources: Mapping[str, Source], answer: Answer | None) -> AnswerDetail | None:
    """The view of ``answer`` (None for none), its evidence resolved against ``sources``."""
    if answer is None:
        return None
    reply = answer.reply
    return AnswerDetail(
        evidence=evidence(sources, answer.evidence),
        comment=_lines_or_none(answer.comment),
        reply=None
        if reply is None
        else ReplyView(date=reply.date or "", text=lines(reply.text), evidence=evidence(sources, reply.evidence)),
    )


@dataclass(frozen=True, slots=True)
class FeedbackView:
    """The company's feedback on one answer before publication, and what came of it."""

    position: str
    outcome: str
    reason: str
    evidence: list[tuple[Evidence, Source | None]]
    response: FeedbackResponse | None
    old_label: str
    new_label: str


@dataclass(frozen=True, slots=True)
class AnswerRow:
    level: str
    level_name: str
    """The level's name alone: its kind is said once, in the page's list of levels (levels)."""
    answer: str
    answer_label: str
    points: Decimal | None
    mine: Answer | None
    theirs: Answer | None
    """The self-assessment's answer at this level (when there is a self-assessment)."""
    differs: bool
    self_label: str
    feedback: FeedbackView | None
    detail: AnswerDetail | None
    """``mine`` with its evidence resolved (hrdd.site.pages.answers), as the page shows it."""
    self_detail: AnswerDetail | None
    """``theirs`` likewise."""


@dataclass(frozen=True, slots=True)
class ElementView:
    id: str
    text: str
    reversed: bool
    rows: list[AnswerRow]
    """One per level the element is asked at; none when it is not asked of this company."""
    searchable: bool
    """Some answer has a company's reply or feedback: text the search index keeps (the rest of
    the element, evidence and comments, stays out of it)."""


def level_label(fw: Framework, level: Level) -> str:
    """The level's name with its kind, unless the name already says it."""
    kind = fw.level_kind(level.kind)
    # A name that already says its kind ("Parlo Messenger (whole company)", RDR's "Group") is not
    # followed by the kind again.
    if kind is None or kind.label.casefold() in level.name.casefold():
        return level.name
    return f"{level.name} ({kind.label})"


def _feedback(
    entry: Entry, a: Assessment, feedback: Feedback | None, element_id: str, level_id: str
) -> FeedbackView | None:
    item = feedback.item(element_id, level_id) if feedback is not None else None
    if feedback is None or item is None:
        return None
    fw = entry.framework
    r = item.response
    return FeedbackView(
        position=item.position,
        outcome=r.outcome if r is not None else "none",
        reason=item.reason,
        evidence=[(ev, a.source(ev.source) or feedback.source(ev.source)) for ev in item.evidence],
        response=r,
        old_label=_answer_label(fw, r.old_answer) if r is not None and r.outcome == "accepted" else "",
        new_label=_answer_label(fw, r.new_answer) if r is not None and r.outcome == "accepted" else "",
    )


@dataclass(frozen=True, slots=True)
class Answers:
    """What every answer row of one cycle's page looks up, found once per page."""

    feedback: Feedback | None
    sources: dict[str, Source]
    other_sources: dict[str, Source]


def answers_of(entry: Entry, other: Entry | None) -> Answers:
    a = entry.assessment
    return Answers(
        feedback=feedback_for(a),
        sources=sources_by_id(a),
        other_sources=sources_by_id(other.assessment) if other is not None else {},
    )


def element_view(entry: Entry, element: Element, other: Entry | None, found: Answers) -> ElementView:
    fw = entry.framework
    a = entry.assessment
    points = entry.points
    other_answers = other.assessment.answers.get(element.id, {}) if other is not None else {}
    answers = a.answers.get(element.id, {})
    rows = []
    for lv in a.levels:
        es = points.get((element.id, lv.id))
        if es is None:
            continue
        theirs = other_answers.get(lv.id) if other is not None else None
        mine = answers.get(lv.id)
        rows.append(
            AnswerRow(
                level=lv.id,
                level_name=lv.name,
                answer=es.answer or "",
                answer_label=_answer_label(fw, es.answer),
                points=es.points,
                mine=mine,
                theirs=theirs,
                differs=theirs is not None and theirs.answer != es.answer,
                self_label=_answer_label(other.framework, theirs.answer) if other and theirs else "",
                feedback=_feedback(entry, a, found.feedback, element.id, lv.id),
                detail=answer_detail(found.sources, mine),
                self_detail=answer_detail(found.other_sources, theirs),
            )
        )
    searchable = any(r.feedback is not None or (r.detail is not None and r.detail.reply is not None) for r in rows)
    return ElementView(id=element.id, text=element.text, reversed=element.reversed, rows=rows, searchable=searchable)


def level_labels(entry: Entry) -> list[str]:
    """Every level of the assessment with its kind, for the answers page's one list of levels."""
    return [level_label(entry.framework, lv) for lv in entry.facts.levels]
