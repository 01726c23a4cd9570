"""A company's header shows the independent assessor's facts, never the company's own claims."""

from __future__ import annotations

import dataclasses

from hrdd.site import collect
from hrdd.validate import validate_paths
from tests.conftest import REPO


def test_company_facts_come_from_the_independent_assessment() -> None:
    report = validate_paths([REPO / "frameworks", REPO / "assessments"], REPO)
    pairs = report.assessments()
    changed = []
    for assessment, framework in pairs:
        if assessment.company.slug == "tessaline" and assessment.is_self_assessment:
            claimed = dataclasses.replace(assessment.company, description="The most responsible telecom on earth.")
            assessment = dataclasses.replace(assessment, company=claimed)
        changed.append((assessment, framework))
    frameworks = [f.framework for f in report.files if f.kind == "framework" and f.framework is not None]
    card = collect(changed, frameworks)
    record = next(r for r in card.companies if r.slug == "tessaline")
    assert record.self_assessment(record.latest_cycle) is not None
    assert record.company.description != "The most responsible telecom on earth."
    assert record.company == record.independent(record.latest_cycle).assessment.company  # type: ignore[union-attr]
