"""Turn schema-valid data into frozen models, and find frameworks on disk.

Functions here assume the data already passed the JSON Schema (``hrdd.validate`` checks it
first); they only convert. ``hrdd.validate.load_framework`` and ``load_assessment`` do both
steps for callers that want a model or an exception (there, so that this module never imports
the checks that import it).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from hrdd.errors import HrddError
from hrdd.layout import is_framework_id
from hrdd.models import (
    Answer,
    AnswerOption,
    Assessment,
    Assessor,
    Category,
    Change,
    Company,
    Dates,
    Element,
    Evidence,
    Exclusion,
    Framework,
    Incident,
    IncidentAssessment,
    IncidentResponse,
    Indicator,
    Level,
    LevelKind,
    Module,
    Named,
    Reply,
    Rounding,
    Sector,
    Source,
    Stage,
    fast_new,
)


def _dec(value: Any) -> Decimal:
    # str() first: Decimal(0.1) would carry the float's binary error into exact scoring.
    return Decimal(str(value))


def _opt_dec(value: Any) -> Decimal | None:
    return None if value is None else _dec(value)


def _exclusion(data: dict[str, Any] | None) -> Exclusion:
    data = data or {}
    return Exclusion(
        company_types=frozenset(data.get("company_types", ())),
        level_kinds=frozenset(data.get("level_kinds", ())),
        sectors=frozenset(data.get("sectors", ())),
    )


def framework_from_data(data: dict[str, Any], path: Path | None = None) -> Framework:
    scale = data.get("scale", {})
    scale_min = _dec(scale.get("min", 0))
    scale_max = _dec(scale.get("max", 100))
    answers = tuple(_answer_option(a, scale_min, scale_max) for a in data["answers"])
    indicators = tuple(_indicator(i, None, None, None) for i in data["indicators"])
    rounding = data["rounding"]
    attribution = data.get("attribution", {})
    return Framework(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        summary=data.get("summary", ""),
        publisher=data.get("publisher", ""),
        licence=data.get("licence", ""),
        attribution_text=attribution.get("text", ""),
        attribution_url=attribution.get("url", ""),
        released=data.get("released", ""),
        answers=answers,
        scale_min=scale_min,
        scale_max=scale_max,
        company_types=tuple(Named(**c) for c in data.get("company_types", ())),
        level_kinds=tuple(LevelKind(**k) for k in data["level_kinds"]),
        categories=tuple(
            Category(
                id=c["id"],
                title=c["title"],
                description=c.get("description", ""),
                weight=_dec(c.get("weight", 1)),
            )
            for c in data["categories"]
        ),
        indicators=indicators,
        total=data["aggregation"]["total"],
        rounding=Rounding(
            decimals=rounding["decimals"],
            mode=rounding.get("mode", "half_up"),
            at=rounding.get("at", "every_stage"),
        ),
        require_archive=data.get("evidence", {}).get("require_archive", False),
        changelog=tuple(
            Change(
                indicator=c["indicator"],
                change=c["change"],
                from_id=c.get("from"),
                since=c.get("since"),
                note=c.get("note", ""),
                elements=dict(c.get("elements", {})),
                module=c.get("module"),
            )
            for c in data.get("changelog", ())
        ),
        path=path,
        flat_levels=frozenset(data["aggregation"].get("flat_levels", ())),
        sectors=tuple(
            Sector(id=s["id"], name=s["name"], description=s.get("description", "")) for s in data.get("sectors", ())
        ),
        modules=tuple(
            Module(
                id=m["id"],
                title=m["title"],
                description=m.get("description", ""),
                sectors=tuple(m["sectors"]),
                categories=tuple(m.get("categories", ())),
                indicators=tuple(m.get("indicators", ())),
            )
            for m in data.get("modules", ())
        ),
    )


def _answer_option(data: dict[str, Any], scale_min: Decimal, scale_max: Decimal) -> AnswerOption:
    points = _opt_dec(data["points"])
    if "reversed_points" in data:
        reversed_points = _opt_dec(data["reversed_points"])
    else:
        reversed_points = None if points is None else scale_max + scale_min - points
    return AnswerOption(
        id=data["id"],
        label=data["label"],
        points=points,
        reversed_points=reversed_points,
        meets_requirement=data.get("meets_requirement", points is not None and points == scale_max),
        needs_evidence=data.get("needs_evidence", False),
        needs_reason=data.get("needs_reason", False),
        initial=data.get("initial", False),
        description=data.get("description", ""),
    )


def _indicator(data: dict[str, Any], parent: str | None, category: str | None, scope: str | None) -> Indicator:
    # Sub-indicators inherit their family's category and scope. A missing category or scope
    # on a top-level indicator is reported by the semantic checks; "" keeps the model typed.
    category = data.get("category", category) or ""
    scope = data.get("scope", scope) or "company"
    return Indicator(
        id=data["id"],
        category=category,
        title=data["title"],
        scope=scope,  # type: ignore[arg-type]
        parent=parent,
        standard=data.get("standard", ""),
        guidance=data.get("guidance", ""),
        ungp=tuple(data.get("ungp", ())),
        weight=_dec(data.get("weight", 1)),
        method=data.get("method", "mean"),
        stages=tuple(
            Stage(label=s.get("label", f"Stage {n}"), requires=tuple(s["requires"]), join=s["join"])
            for n, s in enumerate(data.get("stages", ()), start=1)
        ),
        excluded=_exclusion(data.get("excluded")),
        elements=tuple(
            Element(
                id=e["id"],
                indicator=data["id"],
                text=e["text"],
                guidance=e.get("guidance", ""),
                ungp=tuple(e.get("ungp", ())),
                reversed=e.get("reversed", False),
                excluded=_exclusion(e.get("excluded")),
            )
            for e in data.get("elements", ())
        ),
        subindicators=tuple(_indicator(s, data["id"], category, scope) for s in data.get("subindicators", ())),
    )


_new_evidence = fast_new(Evidence, ("source", "quote", "locator"))
_new_answer = fast_new(Answer, ("answer", "evidence", "comment", "reply"))


def _evidence(items: list[dict[str, Any]] | None) -> tuple[Evidence, ...]:
    new = _new_evidence
    return tuple([new(e["source"], e.get("quote", ""), e.get("locator", "")) for e in items or ()])


def assessment_from_data(data: dict[str, Any], path: Path | None = None) -> Assessment:
    company = data["company"]
    answers: dict[str, dict[str, Answer]] = {}
    for element_id, by_level in data["answers"].items():
        answers[element_id] = {}
        for level_id, a in by_level.items():
            reply = a.get("reply")
            answers[element_id][level_id] = _new_answer(
                a["answer"],
                _evidence(a.get("evidence")),
                a.get("comment", ""),
                None
                if reply is None
                else Reply(text=reply["text"], date=reply.get("date"), evidence=_evidence(reply.get("evidence"))),
            )
    return Assessment(
        company=Company(**company),
        framework_id=data["framework"]["id"],
        framework_version=data["framework"]["version"],
        cycle=data["cycle"],
        assessor=Assessor(**data["assessor"]),
        status=data["status"],
        dates=Dates(**data.get("dates", {})),
        summary=data.get("summary", ""),
        levels=tuple(Level(**lv) for lv in data["levels"]),
        sources=tuple(Source(**s) for s in data.get("sources", ())),
        answers=answers,
        incidents=tuple(_incident(i) for i in data.get("incidents", ())),
        path=path,
        key_findings=tuple(data.get("key_findings", ())),
        recommendations=tuple(data.get("recommendations", ())),
        changes=tuple(data.get("changes", ())),
        category_notes=dict(data.get("category_notes", {})),
    )


def _incident(data: dict[str, Any]) -> Incident:
    response = data.get("response")
    judged = data.get("assessment")
    return Incident(
        id=data["id"],
        title=data["title"],
        date=data["date"],
        allegation=data["allegation"],
        sources=tuple(data["sources"]),
        indicators=tuple(data.get("indicators", ())),
        response=None
        if response is None
        else IncidentResponse(
            text=response["text"], date=response.get("date"), sources=tuple(response.get("sources", ()))
        ),
        assessment=None if judged is None else IncidentAssessment(rating=judged["rating"], comment=judged["comment"]),
    )


FEEDBACK_SUFFIX = "-feedback"
"""A company's feedback on the independent assessment ``<cycle>.yaml`` is ``<cycle>-feedback.yaml``
beside it (``hrdd.feedback``). The one place that says which files under assessments/ are
feedback rather than assessments."""


def is_feedback_file(path: Path) -> bool:
    """Whether ``path`` is a feedback file (``<cycle>-feedback.yaml``), not an assessment."""
    return path.suffix in (".yaml", ".yml") and path.stem.endswith(FEEDBACK_SUFFIX)


def feedback_path(assessment_path: Path) -> Path:
    """Where the feedback on the assessment at ``assessment_path`` is kept."""
    return assessment_path.with_name(f"{assessment_path.stem}{FEEDBACK_SUFFIX}.yaml")


def feedback_target(path: Path) -> Path:
    """The assessment a feedback file answers: ``<cycle>.yaml`` beside ``<cycle>-feedback.yaml``."""
    return path.with_name(f"{path.stem.removesuffix(FEEDBACK_SUFFIX)}.yaml")


def framework_path(frameworks_dir: Path, framework_id: str, version: str) -> Path:
    return frameworks_dir / framework_id / f"{version}.yaml"


def available_versions(frameworks_dir: Path, framework_id: str) -> list[str]:
    if not is_framework_id(framework_id):
        return []  # an id, never a path: no other folder is listed
    folder = frameworks_dir / framework_id
    if not folder.is_dir():
        return []
    return sorted((p.stem for p in folder.glob("*.yaml")), key=version_key)


def available_frameworks(frameworks_dir: Path) -> list[str]:
    if not frameworks_dir.is_dir():
        return []
    return sorted(p.name for p in frameworks_dir.iterdir() if p.is_dir())


def version_key(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return (0,)


def latest_version(frameworks_dir: Path, framework_id: str) -> str | None:
    versions = available_versions(frameworks_dir, framework_id)
    return versions[-1] if versions else None


class InvalidFileError(HrddError):
    """Raised by ``hrdd.validate.load_framework`` / ``load_assessment`` when a file has problems."""

    def __init__(self, problems: list[Any]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
