"""The view of one answer on a company page: the evidence it cites (sources resolved), the
comment and the reply, as plain data for ``hrdd/company/indicators.html``.

A company page shows thousands of answers; everything a template would otherwise work out per
answer (which source an id names, the lines of a comment) is done here once, so that the
template's loop over the answers only prints."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from hrdd.models import Answer, Assessment, Evidence, Source


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
