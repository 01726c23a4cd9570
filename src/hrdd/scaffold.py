"""``hrdd new``: the text of a complete assessment to fill in, one entry per element, and where
it is written.

Every element is listed with its question and guidance as comments and starts with the
framework's initial answer, so the file is valid as written (status: draft) and a company
only has to change answers and add evidence.

A self-assessment starts from the independent assessment of the same company and cycle when
there is one (``NewAssessment.basis``): its framework version, company facts, levels and
sources, and with ``prefill`` its answers, each marked for the company to confirm or contest
(``hrdd.placeholders``). Whatever the scaffold does not know it writes as a placeholder from
``hrdd.placeholders``, which validation refuses in anything but a draft.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hrdd import placeholders
from hrdd.errors import BuildError, UsageError
from hrdd.load import available_frameworks, latest_version
from hrdd.models import Answer, Assessment, Company, Framework, Level, Source
from hrdd.project import display_path
from hrdd.sectors import required_sector
from hrdd.validate import Validator


def slugify(name: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Acme Vidéo, Inc." -> "acme-video-inc"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:64].strip("-")


def _q(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar: safe for any user-given text.
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str, indent: str, width: int = 96) -> list[str]:
    lines: list[str] = []
    for paragraph in text.strip().splitlines():
        wrapped = textwrap.wrap(paragraph, width=width - len(indent) - 2) or [""]
        lines.extend(f"{indent}# {w}".rstrip() for w in wrapped)
    return lines


def initial_answer(framework: Framework) -> str:
    marked = [a.id for a in framework.answers if a.initial]
    if marked:
        return marked[0]
    for option in framework.answers:
        if option.points == framework.scale_min and not option.needs_evidence and not option.needs_reason:
            return option.id
    return framework.answers[0].id


def scaffold(
    framework: Framework,
    *,
    company: str,
    slug: str,
    cycle: int,
    self_assessment: bool,
    schema_path: Path,
    target: Path,
    sector: str | None = None,
    country: str | None = None,
    basis: Assessment | None = None,
    prefill: bool = False,
) -> str:
    """The YAML text of a new draft assessment. ``target`` is where it will be written
    (used to make the schema modeline relative).

    With ``basis`` (the independent assessment of the same company and cycle, answering
    ``framework``) the company facts, levels and sources are taken from it, and with
    ``prefill`` its answers too, each marked ``placeholders.PREFILLED_COMMENT``. A sector or
    country given here wins over the basis; one known from neither is a placeholder."""
    modeline = Path(os.path.relpath(schema_path, target.parent)).as_posix()
    answer = initial_answer(framework)
    answer_list = ", ".join(a.id for a in framework.answers)
    known = basis.company if basis is not None else None
    # A framework with sectors needs one of their ids: it decides which indicators are listed.
    sector_id = required_sector(framework, sector or (known.sector if known is not None else placeholders.SECTOR))
    company_type = known.type if known is not None else None
    if company_type is None and framework.company_types:
        company_type = framework.company_types[0].id
    levels = basis.levels if basis is not None else (_first_level(framework, company),)
    out = [
        f"# yaml-language-server: $schema={modeline}",
        f"# {framework.title} {framework.version} assessment, created by `hrdd new`.",
    ]
    if basis is not None:
        out += [
            f"# Started from the independent assessment of {cycle} by {basis.assessor.name}: its framework",
            "# version, company facts, levels and sources"
            + ("; its answers are copied, each marked TO CONFIRM: confirm or contest each one." if prefill else "."),
        ]
    out += [
        "# Fill in each answer (" + answer_list + "),",
        "# cite sources for yes and partial, then run `hrdd validate` on this file.",
        "company:",
        f"  name: {_q(known.name if known is not None else company)}",
        f"  slug: {_q(slug)}",
        f"  sector: {_q(sector or (known.sector if known is not None else placeholders.SECTOR))}",
        f"  country: {_q(country or (known.country if known is not None else placeholders.COUNTRY))}"
        "  # ISO 3166-1 alpha-2 code of the headquarters",
    ]
    if company_type is not None:
        types = ", ".join(t.id for t in framework.company_types)
        out.append(f"  type: {_q(company_type)}  # one of: {types}")
    if known is not None:
        out += _company_extras(known)
    out += [
        "framework:",
        f"  id: {_q(framework.id)}",
        f"  version: {_q(framework.version)}",
        f"cycle: {cycle}",
        "assessor:",
        f"  type: {'self' if self_assessment else 'independent'}",
        f"  name: {_q((known.name if known is not None else company) if self_assessment else placeholders.ASSESSOR)}",
        "status: draft  # draft, submitted, under_review or published",
        "levels:",
    ]
    for level in levels:
        out += [f"  - id: {_q(level.id)}", f"    name: {_q(level.name)}", f"    kind: {_q(level.kind)}"]
    out[-1] += f"  # level kinds: {', '.join(k.id for k in framework.level_kinds)}"
    out += _source_section(basis.sources if basis is not None else ())
    out.append("answers:")
    out += _answer_lines(framework, levels, company_type, sector_id, basis if prefill else None, answer)
    out.append("incidents: []")
    return "\n".join(out) + "\n"


def _first_level(framework: Framework, company: str) -> Level:
    """A new assessment's one level: of the first company-side kind, named after the company."""
    company_kinds = [k for k in framework.level_kinds if k.side == "company"]
    level_kind = (company_kinds or list(framework.level_kinds))[0]
    return Level(id=level_kind.id, name=company, kind=level_kind.id)


def _answer_lines(
    framework: Framework,
    levels: Sequence[Level],
    company_type: str | None,
    sector_id: str | None,
    prefill_from: Assessment | None,
    answer: str,
) -> list[str]:
    """The answers section: every element that applies at each level, with its question as a
    comment; the initial ``answer``, or the answer ``prefill_from`` gives there."""
    out: list[str] = []
    for indicator in framework.leaf_indicators():
        elements = [
            (e, [lv for lv in levels if framework.applies(e, company_type, lv.kind, sector_id)])
            for e in indicator.elements
        ]
        elements = [(e, at) for e, at in elements if at]
        if not elements:
            continue
        out.append("")
        out.extend(_comment(f"{indicator.id} {indicator.title}", "  "))
        for element, at in elements:
            out.extend(_comment(f"{element.id}: {element.text}", "  "))
            if element.guidance:
                out.extend(_comment(element.guidance, "    "))
            out.append(f"  {_q(element.id)}:")
            for level in at:
                out.append(f"    {_q(level.id)}:")
                given = prefill_from.answers.get(element.id, {}).get(level.id) if prefill_from is not None else None
                if given is None:
                    out.append(f"      answer: {answer}")
                else:
                    out.extend(_prefilled_lines(given))
    return out


def _source_section(sources: Sequence[Source]) -> list[str]:
    out: list[str] = []
    if sources:
        out.append("sources:  # from the independent assessment; add your own with new ids")
        for source in sources:
            out.extend(_source_lines(source))
    else:
        out += [
            "sources: []  # each: {id: s1, url: https://..., title: ..., document_date: YYYY-MM-DD,",
            "             #        accessed: YYYY-MM-DD, archive_url: https://...}",
        ]
    return out


def _company_extras(known: Company) -> list[str]:
    """The basis's company facts that a new assessment takes over as they are."""
    out: list[str] = []
    if known.website:
        out.append(f"  website: {_q(known.website)}")
    if known.fictional:
        out.append("  fictional: true")
    if known.description:
        out.append(f"  description: {_q(known.description)}")
    return out


def _source_lines(source: Source) -> list[str]:
    lines = [f"  - id: {_q(source.id)}", f"    url: {_q(source.url)}", f"    title: {_q(source.title)}"]
    for name in ("publisher", "document_date", "accessed", "archive_url"):
        value = getattr(source, name)
        if value:
            lines.append(f"    {name}: {_q(str(value))}")
    return lines


def _prefilled_lines(given: Answer) -> list[str]:
    lines = [f"      answer: {_q(given.answer)}"]
    if given.evidence:
        lines.append("      evidence:")
        for item in given.evidence:
            lines.append(f"        - source: {_q(item.source)}")
            if item.quote:
                lines.append(f"          quote: {_q(item.quote)}")
            if item.locator:
                lines.append(f"          locator: {_q(item.locator)}")
    lines.append(f"      comment: {_q(placeholders.PREFILLED_COMMENT)}")
    return lines


@dataclass(frozen=True, slots=True)
class NewAssessment:
    """What ``hrdd new`` will write, and where: ``plan_new``'s answer, written by ``write_new``."""

    target: Path
    text: str
    basis: Path | None
    """The independent assessment it started from, if any."""
    notes: tuple[str, ...] = ()
    """Things the person running ``hrdd new`` should know (a version that differs...)."""


def independent_path(assessments_dir: Path, slug: str, cycle: int) -> Path:
    """Where the independent assessment of a company and cycle is kept."""
    return assessments_dir / slug / f"{cycle}.yaml"


def new_path(assessments_dir: Path, slug: str, cycle: int, self_assessment: bool) -> Path:
    """Where ``hrdd new`` writes an assessment: assessments/<slug>/<cycle>[-self].yaml."""
    return assessments_dir / slug / f"{cycle}{'-self' if self_assessment else ''}.yaml"


def choose_slug(company: str | None, slug: str | None) -> str:
    """The company's folder name: ``slug`` when given, else made from the company's name."""
    chosen = slug or slugify(company or "")
    if not chosen:
        raise UsageError(
            f"cannot make a slug from {company!r}; pass --slug with lower-case letters and digits"
            if company
            else "name the company: --company NAME (or --slug of its folder under assessments/)"
        )
    return chosen


def write_new(plan: NewAssessment) -> None:
    """Write the planned file, never over an existing one (not even one that appeared since
    it was planned): ``UsageError`` instead."""
    target = plan.target
    if target.exists() or target.is_symlink():
        raise UsageError(f"{_shown(target)} already exists; hrdd new never overwrites a file (choose --out)")
    target.parent.mkdir(parents=True, exist_ok=True)
    # "x" mode: fail rather than overwrite if the file appeared since the check above.
    try:
        with target.open("x", encoding="utf-8") as handle:
            handle.write(plan.text)
    except FileExistsError as exc:
        raise UsageError(f"{_shown(target)} already exists; hrdd new never overwrites a file") from exc


def _shown(path: Path) -> str:
    return display_path(path)


DEFAULT_FRAMEWORK = "ungp-core"


def _new_framework(
    validator: Validator, framework_id: str | None, framework_version: str | None, basis: Assessment | None
) -> tuple[Framework, str, str]:
    """The framework a new assessment answers, with its id and version (see ``plan_new``)."""
    fw_id = framework_id or (basis.framework_id if basis is not None else DEFAULT_FRAMEWORK)
    version = framework_version
    if version is None and basis is not None and basis.framework_id == fw_id:
        version = basis.framework_version
    version = version or latest_version(validator.frameworks_dir, fw_id)
    if version is None:
        known = ", ".join(available_frameworks(validator.frameworks_dir)) or "none"
        raise UsageError(f"framework {fw_id!r} not found in {_shown(validator.frameworks_dir)} (available: {known})")
    result = validator.framework(fw_id, version)
    if result is None:
        raise UsageError(f"framework {fw_id} {version} not found in {_shown(validator.frameworks_dir)}")
    if result.framework is None:
        details = "".join(f"{p}\n" for p in sorted(result.problems))
        raise BuildError(f"framework {fw_id} {version} has problems; fix them first", details)
    return result.framework, fw_id, version


def plan_new(
    validator: Validator,
    *,
    company: str | None,
    slug: str | None,
    cycle: int,
    self_assessment: bool,
    schema_path: Path,
    framework_id: str | None = None,
    framework_version: str | None = None,
    sector: str | None = None,
    country: str | None = None,
    prefill: bool = False,
    out: Path | None = None,
) -> NewAssessment:
    """What ``hrdd new`` writes and where. A self-assessment starts from the independent
    assessment of the same company and cycle when there is one (see ``scaffold``); the
    framework is the one named, else the independent assessment's, else ``DEFAULT_FRAMEWORK``
    at its latest version. Raises ``UsageError`` (nothing to name the company by, an unknown
    framework, ``prefill`` without an independent assessment, a file that exists) and
    ``BuildError`` (the framework has problems, listed in ``details``)."""
    chosen = choose_slug(company, slug)
    assessments_dir = validator.assessments_dir
    notes: list[str] = []
    basis: Assessment | None = None
    basis_path: Path | None = None
    if prefill and not self_assessment:
        raise UsageError("--prefill copies the independent assessment's answers into a self-assessment; add --self")
    if self_assessment and assessments_dir is not None:
        candidate = independent_path(assessments_dir, chosen, cycle)
        if candidate.is_file():
            found = validator.check_assessment_file(candidate)
            if found.assessment is not None:
                basis, basis_path = found.assessment, candidate
            else:
                notes.append(
                    f"{_shown(candidate)} has problems (hrdd validate {_shown(candidate)} lists them); "
                    f"starting from the framework alone"
                )
        if prefill and basis is None:
            raise UsageError(
                f"--prefill copies the answers of the independent assessment {_shown(candidate)}, "
                f"which {'cannot be read' if candidate.is_file() else 'does not exist'}; leave out --prefill"
            )
    if company is None and basis is None:
        raise UsageError("name the company: --company NAME")
    framework, fw_id, version = _new_framework(validator, framework_id, framework_version, basis)
    if basis is not None and (basis.framework_id, basis.framework_version) != (fw_id, version):
        notes.append(
            f"the independent assessment answers {basis.framework_id} {basis.framework_version}, this file "
            f"{fw_id} {version}: the two are compared on the indicators comparable across both versions only"
        )
    target = out or new_path(assessments_dir or Path("assessments"), chosen, cycle, self_assessment)
    if target.exists() or target.is_symlink():
        raise UsageError(f"{_shown(target)} already exists; hrdd new never overwrites a file (choose --out)")
    text = scaffold(
        framework,
        company=company or "",
        slug=chosen,
        cycle=cycle,
        self_assessment=self_assessment,
        schema_path=schema_path,
        target=target,
        sector=sector,
        country=country,
        basis=basis,
        prefill=prefill,
    )
    return NewAssessment(target=target, text=text, basis=basis_path, notes=tuple(notes))
