"""Formats for what commands print: problems (text, json, github) and scores (table, json, csv).

Pure functions from results to strings; the CLI decides where they go.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from hrdd.models import Assessment, Facts, Framework
from hrdd.score import AssessmentScore, combined_levels, shown_score
from hrdd.validate import Problem, Report

PROBLEM_FORMATS = ("text", "json", "github")
SCORE_FORMATS = ("table", "json", "csv")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def problems_text(report: Report) -> str:
    lines = [str(p) for p in sorted(report.problems)]
    bad_files = sum(1 for f in report.files if f.problems)
    if lines:
        lines.append(
            f"{_plural(len(report.problems), 'problem')} in {_plural(bad_files, 'file')} "
            f"({_plural(len(report.files), 'file')} checked)"
        )
    else:
        lines.append(f"{_plural(len(report.files), 'file')} checked, no problems")
    return "\n".join(lines) + "\n"


def problems_json(report: Report) -> str:
    payload = {
        "ok": report.ok,
        "files_checked": len(report.files),
        "problem_count": len(report.problems),
        "problems": [p.as_dict() for p in sorted(report.problems)],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    # GitHub workflow commands: %, CR and LF in the message must be escaped.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Problem) -> str:
    return (
        f"::error file={_escape_property(problem.path)},line={problem.line},col={problem.col},"
        f"title={_escape_property('hrdd ' + problem.code)}::{_escape_data(problem.message)}"
    )


def problems_github(report: Report) -> str:
    lines = [github_annotation(p) for p in sorted(report.problems)]
    # GitHub shows only the first annotations of a step; the plain list follows for the log.
    return "\n".join(lines) + ("\n" if lines else "") + problems_text(report)


def format_problems(report: Report, fmt: str) -> str:
    return {"text": problems_text, "json": problems_json, "github": problems_github}[fmt](report)


# --- scores ------------------------------------------------------------------------------


def num(value: Decimal | None) -> float | None:
    """A rounded Decimal as a JSON number (exact for the decimals we publish)."""
    return None if value is None else float(value)


def shown(value: Decimal | None) -> str:
    return "n/a" if value is None else f"{value}"


def score_to_dict(score: AssessmentScore, assessment: Assessment | Facts, framework: Framework) -> dict[str, Any]:
    """Everything ``hrdd score --format json`` prints about one assessment."""
    elements: dict[str, dict[str, dict[str, Any]]] = {}
    for es in score.elements:
        elements.setdefault(es.element, {})[es.level] = {"answer": es.answer, "points": num(es.points)}
    indicators: dict[str, Any] = {}
    for ind in framework.all_indicators():
        s = score.indicators[ind.id]
        entry: dict[str, Any] = {"score": num(s.score), "category": ind.category}
        if ind.parent:
            entry["family"] = ind.parent
        if ind.is_family:
            entry["subindicators"] = [sub.id for sub in ind.subindicators]
        else:
            entry["scope"] = ind.scope
            entry["company_side"] = num(s.company_side)
            entry["unit_side"] = num(s.unit_side)
            entry["levels"] = {k: num(v) for k, v in s.levels.items()}
            combined = combined_levels(framework, assessment.levels, s.levels)
            if combined:
                entry["combined"] = {k: num(v) for k, v in combined.items()}
            entry["elements"] = {el.id: elements.get(el.id, {}) for el in ind.elements}
        indicators[ind.id] = entry
    c = score.coverage
    return {
        "company": {"slug": assessment.company.slug, "name": assessment.company.name},
        "cycle": assessment.cycle,
        "assessor": {"type": assessment.assessor.type, "name": assessment.assessor.name},
        "status": assessment.status,
        "framework": {"id": framework.id, "version": framework.version},
        "levels": [{"id": lv.id, "name": lv.name, "kind": lv.kind} for lv in assessment.levels],
        "total": num(score.total),
        "sector": assessment.company.sector,
        "core_total": num(score.core_total),
        "sector_total": num(score.sector_total),
        "categories": {k: num(v) for k, v in score.categories.items()},
        "indicators": indicators,
        "coverage": {
            "applicable": c.applicable,
            "answered": c.answered,
            "not_applicable": c.not_applicable,
            "with_evidence": c.with_evidence,
        },
    }


Scored = tuple[AssessmentScore, Assessment | Facts, Framework]


def scores_json(scored: Sequence[Scored]) -> str:
    return json.dumps([score_to_dict(*s) for s in scored], indent=2, ensure_ascii=False) + "\n"


def scores_csv(scored: Sequence[Scored]) -> str:
    """Long format: one row per company, cycle, assessor and score (total, category, indicator)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["company", "cycle", "assessor_type", "framework", "level", "id", "score"])
    for score, assessment, framework in scored:
        base = [assessment.company.slug, assessment.cycle, assessment.assessor.type, framework.key]
        writer.writerow([*base, "total", "total", shown(score.total)])
        if _has_sectors(framework):
            writer.writerow([*base, "total", "core_total", shown(score.core_total)])
            writer.writerow([*base, "total", "sector_total", shown(score.sector_total)])
        for cat_id, value in score.categories.items():
            writer.writerow([*base, "category", cat_id, shown(value)])
        for ind in framework.all_indicators():
            writer.writerow([*base, "indicator", ind.id, shown(score.indicators[ind.id].score)])
    return out.getvalue()


def _has_sectors(framework: Framework) -> bool:
    """Whether scores of this framework have a core total distinct from the total (sectors or
    modules declared); frameworks without keep their output as it always was."""
    return bool(framework.sectors or framework.modules)


def scores_table(scored: Sequence[Scored]) -> str:
    """A plain-text table: company, cycle, assessor, total and each category (with the sector,
    core and sector totals when a framework declares sectors)."""
    if not scored:
        return "no assessments\n"
    sectors = any(_has_sectors(fw) for _, _, fw in scored)
    category_ids: list[str] = []
    for _, _, fw in scored:
        category_ids.extend(c.id for c in fw.categories if c.id not in category_ids)
    # Status is shown because drafts are scored too: a draft's number is not a published result.
    lead = ["company", "cycle", "assessor", "status", "framework"]
    # With sectors: the core total compares across sectors, the sector total within one sector.
    totals = ["sector", "core", "sector total"] if sectors else ["total"]
    rows = [[*lead, *totals, *category_ids]]
    for score, assessment, framework in scored:
        score = shown_score(framework, score)  # an unrounded method's numbers, to its decimals
        if sectors:
            total_cells = [assessment.company.sector, shown(score.core_total), shown(score.sector_total)]
        else:
            total_cells = [shown(score.total)]
        rows.append(
            [
                assessment.company.name,
                str(assessment.cycle),
                assessment.assessor.type,
                assessment.status,
                framework.key,
                *total_cells,
                *[shown(score.categories[c]) if c in score.categories else "" for c in category_ids],
            ]
        )
    return _aligned(rows, first_number=len(lead) + (1 if sectors else 0))


def _aligned(rows: list[list[str]], first_number: int) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [c.rjust(widths[i]) if i >= first_number else c.ljust(widths[i]) for i, c in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def format_scores(scored: Sequence[Scored], fmt: str) -> str:
    return {"table": scores_table, "json": scores_json, "csv": scores_csv}[fmt](scored)
