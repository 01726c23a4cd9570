"""Import RDR's 2019 Corporate Accountability Index (its CSV download) as framework ``rdr@2019``.

The 2019 download is a different layout from the 2022 one: per company an ``_Outcome.csv``
(every element answer per level, with level and indicator scores) and a ``_Sources.csv``, and
two summary files. The element texts are not in it: they come from RDR's indicator pages
(``indicators/*.md``, see ``rdr_text``).

What the 2019 method is, as this importer writes it into the framework (each rule checked
against the level, indicator and summary scores RDR published):

* an answer earns 100, 50 or 0 (reversed where RDR's Score column shows yes as 0); N/A is
  left out; a level's score on an indicator is the mean of its element points;
* indicators answered once per aspect at each level (the governance indicators, answered for
  "Freedom of Expression" and for "Privacy") are the plain mean of every answered level
  (``aggregation.flat_levels``);
* the others are the mean over services, where the sub-services of a class that RDR scores as
  sublevels (prepaid and postpaid mobile) are first averaged into one (``combine_as``);
* categories and the total are means of indicators; nothing is rounded (``rounding.at: never``).

Everything is derived from the files: level kinds from the classes and services that carry
answers, an indicator's scope, exclusions and aspects from where it is answered, reversed
elements from the Score column. Nothing names a company, a service or an indicator.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from hrdd.importers import rdr_common as common
from hrdd.importers.rdr2019_method import (
    ATTRIBUTION_TEXT,
    FRAMEWORK_VERSION,
    Method,
    derive_method,
    framework_data,
    kind_of_row,
)
from hrdd.importers.rdr2019_read import (
    ANSWER_WORDS,
    COLUMN_ACCESSED,
    COLUMN_DOCUMENT_DATE,
    CompanyData,
    Dataset,
    LevelKey,
    Row,
    Skipped,
    canon,
    norm,
    read_dataset,
)
from hrdd.importers.rdr_editions import read_identities
from hrdd.importers.rdr_text import read_pages

# --- writing the assessments -------------------------------------------------------------------


@dataclass(slots=True)
class _Counts:
    answers: int = 0
    evidence: int = 0
    levels: int = 0
    sources: int = 0
    score_mismatches: list[str] = field(default_factory=list)


def _sources_data(
    company: CompanyData, notes: list[str], skipped: Skipped
) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The company's sources, and source number -> source id."""
    by_number: dict[str, str] = {}
    entries: list[dict[str, str]] = []
    if company.sources is None:
        return by_number, entries
    undated = 0
    for row in company.sources.rows:
        number = _source_number(row["Source reference number"])
        url = common.http_url(row["URL"])
        if not url:
            skipped.add(row.member, row.line, "source without an http(s) URL")
            continue
        source_id = "s" + re.sub(r"[^0-9A-Za-z]+", "-", number.replace("'", "p")).strip("-")
        if source_id == "s" or number in by_number or source_id in by_number.values():
            skipped.add(row.member, row.line, f"source number '{number}' missing or repeated")
            continue
        title = " ".join(row["Document title"].split()) or url
        entry = {"id": source_id, "url": url, "title": title[: common.MAX_TITLE]}
        document_date = _date(row.starting(COLUMN_DOCUMENT_DATE))
        accessed = _date(row.starting(COLUMN_ACCESSED))
        if document_date and accessed and document_date > accessed:
            document_date = accessed = None
        if document_date:
            entry["document_date"] = document_date
        else:
            undated += 1
        if accessed:
            entry["accessed"] = accessed
        by_number[number] = entry["id"]
        entries.append(entry)
    if undated:
        notes.append(f"{company.sources_member}: {undated} source(s) without a readable document date: left out")
    return by_number, entries


def _source_number(value: str) -> str:
    # RDR numbers a second document on the same subject 3' (and writes the prime both ways).
    return " ".join(value.replace("\u2019", "'").replace("\u2032", "'").split())


_DATE_FORMATS = ("%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%m/%d/%Y")


def _date(value: str) -> str | None:
    text = " ".join(value.replace(".", " ").replace(",", ", ").split()).replace(" ,", ",")
    text = re.sub(r"(?i)^sept\b", "Sep", text)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _levels(company: CompanyData, meth: Method) -> list[tuple[LevelKey, str, str, str]]:
    """(key, level id, name, kind) for each level the company is answered at, company levels first."""
    subs = {(r["Class"].strip(), r["Service_Name"].strip()) for r in company.sublevel_rows}
    seen: dict[LevelKey, tuple[str, str]] = {}
    for row in company.answers:
        key = LevelKey(row["Class"].strip(), row["Service_Name"].strip(), row["Level"].strip())
        if key not in seen:
            level_kind, _ = kind_of_row(row, subs, meth.aspects)
            seen[key] = (key.level, level_kind.id)
    out = []
    used: set[str] = set()
    ordered = sorted(seen.items(), key=lambda kv: meth.kinds[kv[1][1]].side != "company")
    for key, (name, kind) in ordered:
        level_id = common.slugify(name) or "level"
        n = 2
        while level_id in used:
            level_id, n = f"{common.slugify(name)}-{n}", n + 1
        used.add(level_id)
        out.append((key, level_id, name, kind))
    return out


def _evidence_refs(
    company: CompanyData, by_number: Mapping[str, str]
) -> tuple[dict[tuple[str, str], list[str]], set[str]]:
    """Source ids RDR cites per (indicator, level), and the cited numbers its source list lacks."""
    refs: dict[tuple[str, str], list[str]] = {}
    dangling: set[str] = set()
    for row in [*company.level_rows, *company.sublevel_rows]:
        tokens = [_source_number(t) for t in re.split(r"[;,]", row["Sources"]) if t.strip() and not common.is_na(t)]
        ids = []
        for token in tokens:
            if token in by_number:
                ids.append(by_number[token])
            else:
                dangling.add(token)
        refs[(row["Indicator"].strip(), row["Level"].strip())] = list(dict.fromkeys(ids))
    return refs, dangling


def _check_score(row: Row, el: str, answer: str, meth: Method, counts: _Counts) -> None:
    """Compare RDR's Score column with the points the answer scale gives (a consistency check)."""
    points = common.POINTS[answer][1 if el in meth.reversed else 0]
    try:
        published = None if canon(row["Score"]) in ("exclude", "na", "n/a", "") else Decimal(row["Score"])
    except InvalidOperation:
        published = None
    if (points is None) != (published is None) or (points is not None and Decimal(points) != published):
        counts.score_mismatches.append(f"{row.member} line {row.line}: {el} '{row['Answer']}' scored {row['Score']}")


def _fill_unanswered(
    answers: dict[str, dict[str, dict[str, Any]]], meth: Method, levels: list[tuple[LevelKey, str, str, str]]
) -> list[str]:
    """Answer N/A, as RDR's scores do, where an element applies but the export has no row; the
    places, for the notes."""
    unanswered = []
    for ind, element_ids in meth.elements.items():
        kinds_here = meth.answered_kinds[ind]
        for el in element_ids:
            for _, level_id, name, kind in levels:
                if kind in kinds_here and level_id not in answers.get(el, {}):
                    answers.setdefault(el, {})[level_id] = {
                        "answer": "not_applicable",
                        "comment": common.UNANSWERED_COMMENT,
                    }
                    unanswered.append(f"{el} at {name}")
    return unanswered


def _assessment(
    company: CompanyData,
    meth: Method,
    data: Dataset,
    countries: Mapping[str, str],
    counts: _Counts,
    slugs: Mapping[str, str],
) -> tuple[str, dict[str, Any], list[str]]:
    cycle, packed, skipped = data.cycle, data.packed, data.skipped
    notes: list[str] = []
    slug = slugs.get(company.name.casefold(), "")
    if slug:
        notes.append(f"written under the slug '{slug}' that the company identity map gives it")
    slug = slug or common.slugify(company.name) or "company"
    country = countries.get(company.name.casefold())
    if country is None:
        country = "ZZ"
        notes.append("country unknown (not in hrdd/importers/rdr_companies.yaml); written as ZZ")
    type_id, _, sector = meth.types[company.name]
    by_number, entries = _sources_data(company, notes, skipped)
    levels = _levels(company, meth)
    level_of = {key: (lid, kind) for key, lid, _, kind in levels}
    refs, dangling = _evidence_refs(company, by_number)
    answers: dict[str, dict[str, dict[str, Any]]] = {}
    for row in company.answers:
        ind, el = row["Indicator"].strip(), row["Element"].strip()
        key = LevelKey(row["Class"].strip(), row["Service_Name"].strip(), row["Level"].strip())
        word = canon(row["Answer"])
        answer = ANSWER_WORDS.get(word)
        if answer is None:
            skipped.add(
                row.member, row.line, f"answer '{row['Answer']}' is none of yes, partial, no, no disclosure found, N/A"
            )
            continue
        level_id, _ = level_of[key]
        per_level = answers.setdefault(el, {})
        if level_id in per_level:
            skipped.add(row.member, row.line, f"a second answer for {el} at '{key.level}'")
            continue
        _check_score(row, el, answer, meth, counts)
        item: dict[str, Any] = {"answer": answer}
        # Line breaks inside RDR's quoted comments are CRLF in some files and LF in others.
        comment = row["Comments"].replace("\r\n", "\n").replace("\r", "\n").strip()
        if comment and not common.is_na(comment):
            item["comment"] = comment[: common.MAX_TEXT]
        evidence = refs.get((ind, key.level), [])
        if evidence:
            item["evidence"] = [{"source": s} for s in evidence]
            counts.evidence += len(evidence)
        per_level[level_id] = item
        counts.answers += 1
    # Applicable but not answered (the export leaves some out): N/A, as RDR's scores do.
    unanswered = _fill_unanswered(answers, meth, levels)
    if unanswered:
        shown = ", ".join(unanswered[:5]) + (", ..." if len(unanswered) > 5 else "")
        notes.append(f"{len(unanswered)} applicable element(s) without a row in RDR's data, written as N/A: {shown}")
    if dangling:
        notes.append(
            f"source numbers cited in {company.member} but missing from its sources file, left out of the evidence: "
            + ", ".join(sorted(dangling, key=common.natural_key))
        )
    ordered_answers = {el: answers[el] for ids in meth.elements.values() for el in ids if el in answers}
    counts.levels += len(levels)
    counts.sources += len(entries)
    assessment = {
        "company": {"name": company.name, "slug": slug, "sector": sector, "country": country, "type": type_id},
        "framework": {"id": common.FRAMEWORK_ID, "version": FRAMEWORK_VERSION},
        "cycle": cycle,
        "assessor": dict(common.ASSESSOR),
        "status": "published",
        **({"dates": {"published": packed}} if packed else {}),
        "levels": [{"id": lid, "name": name, "kind": kind} for _, lid, name, kind in levels],
        "sources": entries,
        "answers": ordered_answers,
    }
    return slug, assessment, notes


# --- what cannot be reproduced, and service names that differ -----------------------------------


def _summary_notes(data: Dataset, meth: Method) -> list[str]:
    """Name the published summary cells this export cannot give, and the service spellings mapped."""
    if data.summary is None:
        return [f"{data.zip_path.name}: no summary file; nothing to compare the scores with"]
    notes = []
    category_columns = {canon(c): c for c in data.summary.header}
    for row in data.summary.rows:
        name = " ".join(row["Company"].split())
        company = data.companies.get(name)
        if company is None:
            notes.append(f"{row.member} line {row.line}: company '{name}' has no outcome file; row not compared")
            continue
        cls = row["Class"].strip()
        company_rows = [r for r in company.answers if r["Class"].strip() == cls and common.is_na(r["Service_Name"])]
        if not company_rows:
            continue
        # A company-wide row (Group): an indicator cell needs answers at that level.
        answered = {r["Indicator"].strip() for r in company_rows}
        missing = [
            ind
            for ind in meth.indicators
            if canon(ind) in category_columns and not common.is_na(row[ind]) and ind not in answered
        ]
        if missing:
            cats = sorted({meth.indicators[i] for i in missing})
            notes.append(
                f"{name}: the published '{cls}' row's {', '.join(missing)} (and so its "
                f"{', '.join(cats)} and Total) cannot be derived: the export has no {cls}-level answers for "
                f"{', '.join(missing)} ({row.member} line {row.line})"
            )
    return notes


def match_service(name: str, candidates: Sequence[str]) -> str | None:
    """The outcome level that a summary service name means: the same letters and digits, else
    one that begins with the other, else the closest spelling."""
    target = norm(name)
    if not target:
        return None
    exact = [c for c in candidates if norm(c) == target]
    if len(exact) == 1:
        return exact[0]
    prefix = [c for c in candidates if norm(c).startswith(target) or target.startswith(norm(c))]
    if len(prefix) == 1:
        return prefix[0]
    close = difflib.get_close_matches(target, [norm(c) for c in candidates], n=1, cutoff=0.6)
    return next((c for c in candidates if close and norm(c) == close[0]), None)


def _service_notes(data: Dataset) -> list[str]:
    if data.summary is None:
        return []
    notes = []
    for row in data.summary.rows:
        company = data.companies.get(" ".join(row["Company"].split()))
        service = row["Service_Name"].strip()
        if company is None or common.is_na(service):
            continue
        cls = row["Class"].strip()
        names = sorted({r["Service_Name"].strip() for r in company.answers if r["Class"].strip() == cls})
        if not names:
            notes.append(f"{row.member} line {row.line}: class '{cls}' has no answers in {company.member}")
            continue
        if service in names:
            continue
        match = match_service(service, names)
        combined = any(r["Class"].strip() == cls for r in company.sublevel_rows)
        if match is None and len(names) == 1:
            continue  # the class's only service, which the summary names after the operator
        if match is None and not combined:
            notes.append(f"{row.member} line {row.line}: service '{service}' matches no service of {company.member}")
        elif match is not None and norm(match) != norm(service):
            notes.append(f"{company.name}: service '{service}' of {row.member} is '{match}' in {company.member}")
    return notes


def _reproduction_notes(data: Dataset, framework: dict[str, Any], imported: Mapping[str, dict[str, Any]]) -> list[str]:
    """Score what is about to be written and compare it with the summary's company-wide rows
    (total, categories, indicators), so that the import says whether it reproduces RDR."""
    from hrdd.load import assessment_from_data, framework_from_data
    from hrdd.score import score_assessment

    if data.summary is None:
        return []
    fw = framework_from_data(framework)
    columns = list(data.summary.header)  # canonical (case-folded) column names
    by_column = {i.id.casefold(): i.id for i in fw.all_indicators()}
    indicators = [c for c in columns if c in by_column]
    first = columns.index(indicators[0]) if indicators else len(columns)
    after_total = columns.index(canon("Total")) + 1
    categories = dict(zip(columns[after_total:first], (c.id for c in fw.categories), strict=False))
    compared = 0
    wrong: list[str] = []
    for row in data.summary.rows:
        name = " ".join(row["Company"].split())
        company = data.companies.get(name)
        cls = row["Class"].strip()
        # A company-wide row names no service and no class the company is answered at.
        if (
            company is None
            or not common.is_na(row["Service_Name"])
            or any(r["Class"].strip() == cls for r in company.answers)
        ):
            continue
        score = score_assessment(fw, assessment_from_data(imported[name]))
        cells = [("Total", score.total)] + [(col, score.categories.get(cat)) for col, cat in categories.items()]
        cells += [(col, score.indicators[by_column[col]].score) for col in indicators]
        for col, ours in cells:
            published = _number(row[col])
            compared += 1
            same = (published is None) == (ours is None) and (
                published is None
                or ours is None
                or abs(ours - published) <= Decimal("1e-9") * max(abs(published), Decimal(1))
            )
            if not same:
                wrong.append(f"{name} {col}: published {row[col].strip()}, hrdd {ours} ({row.member} line {row.line})")
    if wrong:
        return [f"{len(wrong)} of {compared} published company-wide cells are not reproduced: " + "; ".join(wrong[:10])]
    return [
        f"reproduction check: all {compared} published company-wide cells (totals, categories, indicators) "
        "are reproduced to a relative error below 1e-9"
    ]


def _number(text: str) -> Decimal | None:
    try:
        return None if common.is_na(text) else Decimal(text.strip())
    except InvalidOperation:
        return None


# --- entry point ---------------------------------------------------------------------------------


def find_pages(zip_path: Path, pages_dir: Path | None) -> Path:
    folder = pages_dir if pages_dir is not None else zip_path.parent / "indicators"
    if not folder.is_dir() or not any(folder.glob("*.md")):
        raise common.RdrImportError(
            f"{zip_path}: this is RDR's 2019-layout download, whose element texts are on RDR's indicator "
            f"pages; no indicators/*.md found in {folder}: put them there or pass --indicators DIR"
        )
    return folder


def import_rdr2019(
    zip_path: Path,
    out_dir: Path,
    *,
    force: bool = False,
    pages_dir: Path | None = None,
    identities: Path | None = None,
) -> common.ImportResult:
    """Read RDR's 2019-layout CSV zip and its indicator pages; write ``rdr@2019`` and assessments."""
    pages = read_pages(find_pages(zip_path, pages_dir))
    slugs = read_identities(identities) if identities is not None else {}
    data = read_dataset(zip_path)
    meth = derive_method(data, pages)
    framework_notes = list(data.notes)
    framework = framework_data(meth, pages, data.cycle, framework_notes)
    framework_notes += _summary_notes(data, meth) + _service_notes(data)
    countries = common.company_countries()
    counts = _Counts()
    written: list[tuple[Path, str]] = []
    company_notes: list[str] = []
    taken: dict[str, str] = {}
    imported: dict[str, dict[str, Any]] = {}
    for company in data.companies.values():
        slug, assessment, notes = _assessment(company, meth, data, countries, counts, slugs)
        if slug in taken:
            raise common.RdrImportError(
                f"{zip_path}: companies '{taken[slug]}' and '{company.name}' would both be written as '{slug}'"
            )
        taken[slug] = company.name
        imported[company.name] = assessment
        path = out_dir / "assessments" / slug / f"{data.cycle}.yaml"
        written.append((path, common.dump_yaml(assessment, _header(zip_path, data.cycle, notes))))
        company_notes += [f"{company.name}: {n}" for n in notes]
    tail = _reproduction_notes(data, framework, imported)
    if data.skipped.rows:
        tail.append(f"{len(data.skipped.rows)} row(s) not imported: " + "; ".join(data.skipped.rows))
    if counts.score_mismatches:
        tail.append(
            f"{len(counts.score_mismatches)} answer(s) whose Score column disagrees with the answer scale, e.g. "
            + "; ".join(counts.score_mismatches[:3])
        )
    framework_path = out_dir / "frameworks" / common.FRAMEWORK_ID / f"{FRAMEWORK_VERSION}.yaml"
    text = common.dump_yaml(framework, _header(zip_path, data.cycle, [*framework_notes, *tail]))
    common.write_all([(framework_path, text), *written], force=force)
    return common.ImportResult(
        framework_path=framework_path,
        assessment_paths=tuple(p for p, _ in written),
        companies=len(written),
        indicators=len(meth.indicators),
        elements=sum(len(v) for v in meth.elements.values()),
        levels=counts.levels,
        answers=counts.answers,
        sources=counts.sources,
        evidence_links=counts.evidence,
        notes=(*framework_notes, *company_notes, *tail),
    )


def _header(zip_path: Path, cycle: int, notes: Sequence[str]) -> list[str]:
    attribution = f"{ATTRIBUTION_TEXT.format(cycle=cycle)} ({common.ATTRIBUTION_URL.format(cycle=cycle)})"
    return common.file_header(zip_path, attribution, notes)
