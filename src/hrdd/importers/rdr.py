"""Import Ranking Digital Rights' public CSV dataset as an hrdd framework and assessments.

RDR publishes each index as a zip of CSV files (methodology metadata, every element answer,
level and indicator scores, and one source list per company). ``rdr_read`` reads that zip with
the standard library only; this module maps what it read to hrdd's documents and writes
(``rdr_common``):

* ``frameworks/rdr/2022.yaml``: the 2020 methodology (categories, indicators, families,
  elements, reversed elements, exclusions, scoring scopes, rounding);
* ``assessments/<company>/<cycle>.yaml``: one per company, with every answer RDR published,
  the researcher's comment, and the sources RDR lists for each indicator and level.

Nothing here knows about a particular company, service or indicator: everything is read from
the CSVs, and the only fixed knowledge is RDR's vocabulary (answer words, company types,
service classes, category letters) and a small data file of company countries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from hrdd.importers import rdr_narratives
from hrdd.importers.rdr_common import (
    ANSWERS,
    ASSESSOR,
    ATTRIBUTION_URL,
    FRAMEWORK_ID,
    LICENCE,
    MAX_TEXT,
    POINTS,
    PUBLISHER,
    UNANSWERED_COMMENT,
    ImportResult,
    company_countries,
    dump_yaml,
    file_header,
    is_na,
    kind_data,
    natural_key,
    open_zip,
    slugify,
    write_all,
)
from hrdd.importers.rdr_editions import derive_changelog, older_framework, read_identities
from hrdd.importers.rdr_read import (
    MEMBER_ELEMENT_SCORES,
    MEMBER_LEVEL_SCORES,
    NOT_APPLICABLE,
    Answer,
    Archive,
    Company,
    Element,
    Indicator,
    Methodology,
    RefKey,
    Sources,
    lift_contradicted_exclusions,
    published_date,
    read_answers,
    read_methodology,
    read_source_refs,
    read_sources,
)

FRAMEWORK_VERSION = "2022"
ATTRIBUTION_TEXT = "Data: Ranking Digital Rights, {cycle} Big Tech Scorecard, CC BY 4.0"
TITLE = "Ranking Digital Rights 2020 methodology (as used in the {cycle} Big Tech Scorecard)"
SUMMARY = (
    "Ranking Digital Rights' 2020 methodology scores digital platforms and telecommunications "
    "companies on their public commitments, policies and practices affecting users' freedom of "
    "expression and information and privacy. Imported from RDR's public CSV dataset by "
    "hrdd import rdr; scores reproduce RDR's published results."
)

CATEGORY_TITLES = {"G": "Governance", "F": "Freedom of Expression and Information", "P": "Privacy"}


# --- building the documents --------------------------------------------------------------------


def _framework_data(meth: Methodology, cycle: int) -> dict[str, Any]:
    return {
        "id": FRAMEWORK_ID,
        "version": FRAMEWORK_VERSION,
        "title": TITLE.format(cycle=cycle),
        "summary": SUMMARY,
        "publisher": PUBLISHER,
        "licence": LICENCE,
        "attribution": {"text": ATTRIBUTION_TEXT.format(cycle=cycle), "url": ATTRIBUTION_URL.format(cycle=cycle)},
        "answers": [
            {k: v for k, v in a.items() if k != "description"}
            | {"needs_evidence": False, "needs_reason": False, "description": a["description"]}
            for a in ANSWERS
        ],
        "scale": {"min": 0, "max": 100},
        "company_types": [{"id": t, "label": label} for t, label in meth.company_types.items()],
        "level_kinds": [kind_data(k) for k in meth.kinds.values()],
        "categories": [{"id": c, "title": CATEGORY_TITLES.get(c, c)} for c in meth.categories],
        "indicators": [_indicator_data(ind, top=True) for ind in meth.indicators],
        "aggregation": {"total": "mean_of_indicators"},
        "rounding": {"decimals": 2, "mode": "half_up", "at": "every_stage"},
    }


def _indicator_data(ind: Indicator, *, top: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"id": ind.id}
    if top:
        data["category"] = ind.category
    data["title"] = ind.title
    if ind.standard:
        data["standard"] = ind.standard
    if ind.guidance:
        data["guidance"] = ind.guidance
    if ind.scope:
        data["scope"] = ind.scope
    if excluded := ind.excluded.to_data():
        data["excluded"] = excluded
    if ind.subindicators:
        data["subindicators"] = [_indicator_data(sub, top=False) for sub in ind.subindicators]
    else:
        data["elements"] = [_element_data(el) for el in ind.elements]
    return data


def _element_data(el: Element) -> dict[str, Any]:
    data: dict[str, Any] = {"id": el.id, "text": el.text}
    if el.reversed:
        data["reversed"] = True
    if excluded := el.excluded.to_data():
        data["excluded"] = excluded
    return data


@dataclass(frozen=True, slots=True)
class _Level:
    id: str
    name: str
    kind: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.name)


def _levels(company: Company, meth: Methodology) -> tuple[list[_Level], list[str]]:
    """The company's levels in RDR's order, without levels where every answer is N/A.

    RDR lists an operating-company level for every platform but answers nothing there; such a
    placeholder carries no information and would only show a column of N/A.
    """
    found: list[tuple[str, str]] = []
    answered: set[tuple[str, str]] = set()
    for ans in company.answers:
        if ans.level not in found:
            found.append(ans.level)
        if ans.answer != NOT_APPLICABLE:
            answered.add(ans.level)
    levels: list[_Level] = []
    taken: set[str] = set()
    for kind, service in found:
        if (kind, service) not in answered:
            continue
        base = kind if meth.kinds[kind].side == "company" else (slugify(service) or kind)
        level_id, n = base[:60], 1
        while level_id in taken:
            n += 1
            level_id = f"{base[:60]}-{n}"
        taken.add(level_id)
        levels.append(_Level(level_id, service, kind))
    notes = [
        f"level '{name}' left out: every answer there is N/A" for kind, name in found if (kind, name) not in answered
    ]
    return levels, notes


@dataclass(slots=True)
class _Counts:
    answers: int = 0
    evidence: int = 0
    dangling: dict[str, int] = field(default_factory=dict)
    unanswered: list[str] = field(default_factory=list)
    off_scope: int = 0
    score_mismatches: list[str] = field(default_factory=list)


def _assessment_data(
    company: Company,
    slug: str,
    country: str,
    published: str,
    meth: Methodology,
    levels: list[_Level],
    sources: Sources,
    refs: Mapping[RefKey, list[str]],
    archive: Archive,
    counts: _Counts,
) -> dict[str, Any]:
    company_data = {
        "name": company.label,
        "slug": slug,
        "sector": company.sector,
        "country": country,
        "type": company.type_id,
    }
    return {
        "company": company_data,
        "framework": {"id": FRAMEWORK_ID, "version": FRAMEWORK_VERSION},
        "cycle": company.cycle,
        "assessor": dict(ASSESSOR),
        "status": "published",
        "dates": {"published": published},
        "levels": [{"id": lv.id, "name": lv.name, "kind": lv.kind} for lv in levels],
        "sources": sources.entries,
        "answers": _answers_data(company, meth, levels, sources, refs, archive, counts),
    }


def _answers_data(
    company: Company,
    meth: Methodology,
    levels: list[_Level],
    sources: Sources,
    refs: Mapping[RefKey, list[str]],
    archive: Archive,
    counts: _Counts,
) -> dict[str, dict[str, dict[str, Any]]]:
    rows = {(a.element, a.level): a for a in company.answers}
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for element in meth.elements.values():
        per_level: dict[str, dict[str, Any]] = {}
        for level in levels:
            ans = rows.pop((element.id, level.key), None)
            if not meth.applies(element, company.type_id, level.kind):
                counts.off_scope += ans is not None and ans.answer != NOT_APPLICABLE
                continue
            if ans is None:
                # RDR has no row where it did not assess (for instance where its metadata excludes
                # the element but another company's answers made us keep it): N/A, like RDR.
                counts.unanswered.append(f"{element.id} at {level.name}")
                per_level[level.id] = {"answer": NOT_APPLICABLE, "comment": UNANSWERED_COMMENT}
                continue
            _check_score(ans, element, counts)
            per_level[level.id] = _answer_data(ans, company, sources, refs, counts)
        if per_level:
            out[element.id] = per_level
    counts.off_scope += sum(1 for a in rows.values() if a.answer != NOT_APPLICABLE)
    return out


def _answer_data(
    ans: Answer, company: Company, sources: Sources, refs: Mapping[RefKey, list[str]], counts: _Counts
) -> dict[str, Any]:
    data: dict[str, Any] = {"answer": ans.answer}
    if ans.comment:
        data["comment"] = ans.comment[:MAX_TEXT]
    evidence: list[dict[str, str]] = []
    for token in refs.get((company.key, ans.indicator, ans.level), []):
        ids = sources.by_number.get(token)
        if ids is None:
            counts.dangling[token] = counts.dangling.get(token, 0) + 1
            continue
        evidence.extend({"source": sid} for sid in ids)
    if evidence:
        data["evidence"] = evidence
        counts.evidence += len(evidence)
    counts.answers += 1
    return data


def _check_score(ans: Answer, element: Element, counts: _Counts) -> None:
    """Compare RDR's Score column with the points our answer scale gives (a consistency check)."""
    points = POINTS[ans.answer][1 if element.reversed else 0]
    try:
        published = None if is_na(ans.score) else Decimal(ans.score)
    except InvalidOperation:
        published = None
    if (points is None) != (published is None) or (points is not None and Decimal(points) != published):
        counts.score_mismatches.append(f"line {ans.line}: {ans.element} '{ans.answer}' scored {ans.score}")


def _header(zip_path: Path, cycle: int, notes: Sequence[str]) -> list[str]:
    attribution = f"{ATTRIBUTION_TEXT.format(cycle=cycle)} ({ATTRIBUTION_URL.format(cycle=cycle)})"
    return file_header(zip_path, attribution, notes)


# --- entry point -------------------------------------------------------------------------------


def import_rdr2020(
    zip_path: Path,
    out_dir: Path,
    *,
    force: bool = False,
    identities: Path | None = None,
    narratives: Path | None = None,
) -> ImportResult:
    """Read RDR's public CSV zip of the 2020-methodology dataset (2022) and write the framework
    and one assessment per company (``hrdd.importers.rdr_import.import_rdr`` chooses between this
    and ``rdr2019`` by the files' columns).
    ``identities`` is a company identity map (``rdr_editions.read_identities``): the slug each
    named company is written under.

    ``narratives``: RDR's per-company texts (``companies/*.json``; by default ``companies/``
    beside the zip when it is there), written as each assessment's key findings,
    recommendations, changes and category notes (``rdr_narratives``).

    Raises ``RdrImportError`` when the zip is not in RDR's format and ``UsageError`` when a
    file would be overwritten without ``force``. Nothing is written unless everything is read.
    """
    slugs = read_identities(identities) if identities is not None else {}
    if narratives is None and (zip_path.parent / "companies").is_dir():
        narratives = zip_path.parent / "companies"
    texts = rdr_narratives.read_folder(narratives) if narratives is not None else None
    with open_zip(zip_path) as zf:
        archive = Archive(zip_path, zf)
        meth = read_methodology(archive)
        companies = read_answers(archive, meth)
        for company in companies.values():
            meth.company_types.setdefault(company.type_id, company.rdr_type)  # declare unknown types too
        refs = read_source_refs(archive)
        framework_notes = lift_contradicted_exclusions(meth, companies, archive.require(MEMBER_ELEMENT_SCORES))
        counts = _Counts()
        countries = company_countries()
        published = published_date(archive)
        built = [
            _build_assessment(archive, meth, c, refs, countries, published, counts, out_dir, slugs, texts)
            for c in companies.values()
        ]
    _check_unique_slugs(archive, built)
    cycle = max(c.cycle for c in companies.values())
    framework_path = out_dir / "frameworks" / FRAMEWORK_ID / f"{FRAMEWORK_VERSION}.yaml"
    framework = _framework_data(meth, cycle)
    previous = older_framework(out_dir, FRAMEWORK_ID, FRAMEWORK_VERSION)
    if previous is not None:
        framework["changelog"], derivation = derive_changelog(previous, framework)
        framework_notes = [*framework_notes, *derivation]
    framework_text = dump_yaml(framework, _header(zip_path, cycle, framework_notes))
    write_all([(framework_path, framework_text), *((b.path, b.text) for b in built)], force=force)
    return ImportResult(
        framework_path=framework_path,
        assessment_paths=tuple(b.path for b in built),
        companies=len(built),
        indicators=len(meth.by_id),
        elements=len(meth.elements),
        levels=sum(b.levels for b in built),
        answers=counts.answers,
        sources=sum(b.sources for b in built),
        evidence_links=counts.evidence,
        notes=(*framework_notes, *(f"{b.label}: {n}" for b in built for n in b.notes), *_count_notes(counts)),
    )


@dataclass(frozen=True, slots=True)
class _Built:
    label: str
    slug: str
    path: Path
    text: str
    levels: int
    sources: int
    notes: tuple[str, ...]


def _build_assessment(
    archive: Archive,
    meth: Methodology,
    company: Company,
    refs: Mapping[RefKey, list[str]],
    countries: Mapping[str, str],
    published: str,
    counts: _Counts,
    out_dir: Path,
    slugs: Mapping[str, str],
    texts: Mapping[str, Mapping[str, Any]] | None = None,
) -> _Built:
    notes: list[str] = []
    slug = slugs.get(company.label.casefold()) or slugs.get(company.key.casefold()) or ""
    if slug:
        notes.append(f"written under the slug '{slug}' that the company identity map gives it")
    slug = slug or slugify(company.label) or slugify(company.key) or "company"
    country = countries.get(company.label.casefold()) or countries.get(company.key.casefold())
    if country is None:
        country = "ZZ"  # ISO 3166 reserves ZZ for "unknown"; the schema needs two letters
        notes.append("country unknown (not in hrdd/importers/rdr_companies.yaml); written as ZZ")
    levels, level_notes = _levels(company, meth)
    sources = read_sources(archive, company)
    notes.extend(level_notes + sources.notes)
    counts.dangling, counts.unanswered = {}, []
    data = _assessment_data(company, slug, country, published, meth, levels, sources, refs, archive, counts)
    if texts is not None:
        raw = texts.get(company.label.casefold()) or texts.get(company.key.casefold())
        if raw is None:
            notes.append("no text of RDR's on the company in the narratives folder: no key findings")
        else:
            categories = {c: CATEGORY_TITLES.get(c, c) for c in meth.categories}
            found = rdr_narratives.narrative_data(raw, categories)
            # After the dates, where a reader of the file looks for the overall findings.
            data = (
                {k: v for k, v in data.items() if k not in ("levels", "sources", "answers")}
                | found
                | {k: data[k] for k in ("levels", "sources", "answers")}
            )
    if counts.dangling:
        listed = ", ".join(sorted(counts.dangling, key=natural_key))
        notes.append(
            f"source numbers cited in {archive.require(MEMBER_LEVEL_SCORES)} but missing from the "
            f"company's source list, left out of the evidence: {listed}"
        )
    if counts.unanswered:
        shown = ", ".join(counts.unanswered[:5]) + (", ..." if len(counts.unanswered) > 5 else "")
        notes.append(
            f"{len(counts.unanswered)} applicable element(s) without a row in RDR's data, written as N/A: {shown}"
        )
    path = out_dir / "assessments" / slug / f"{company.cycle}.yaml"
    text = dump_yaml(data, _header(archive.path, company.cycle, notes))
    return _Built(company.label, slug, path, text, len(levels), len(sources.entries), tuple(notes))


def _check_unique_slugs(archive: Archive, built: Sequence[_Built]) -> None:
    seen: dict[str, str] = {}
    for b in built:
        if b.slug in seen:
            raise archive.error(f"companies '{seen[b.slug]}' and '{b.label}' would both be written as '{b.slug}'")
        seen[b.slug] = b.label


def _count_notes(counts: _Counts) -> list[str]:
    notes = []
    if counts.off_scope:
        notes.append(f"{counts.off_scope} answer(s) outside their indicator's scoring scope left out")
    if counts.score_mismatches:
        notes.append(
            f"{len(counts.score_mismatches)} answer(s) whose Score column disagrees with the answer "
            f"scale, e.g. {'; '.join(counts.score_mismatches[:3])}"
        )
    return notes
