"""The rules across files: one file per company, cycle and assessor type; one folder per company;
the same framework version for the two assessments of a cycle."""

from __future__ import annotations

from typing import Any

from hrdd.check.result import FileResult, Problem
from hrdd.errors import YamlError
from hrdd.load import (
    version_key,
)
from hrdd.project import display_path
from hrdd.yamlio import read_yaml


def cross_file_problems(results: list[FileResult]) -> None:
    """One independent and at most one self-assessment per company and cycle."""
    seen: dict[tuple[str, int, str], FileResult] = {}
    for result in results:
        # The identity, not the model: cached results build their model only when asked to.
        key = result.identity()
        if key is None:
            continue
        slug, cycle, assessor_type = key
        if key in seen:
            first = display_path(seen[key].path)
            result.problems.append(
                Problem(
                    display_path(result.path),
                    1,
                    1,
                    f"{slug} already has a {assessor_type} assessment for {cycle} in {first}; "
                    f"keep one file per company, cycle and assessor type",
                    "duplicate",
                )
            )
        else:
            seen[key] = result
    _version_problems(seen)


def _version_problems(seen: dict[tuple[str, int, str], FileResult]) -> None:
    """A self-assessment answers the framework version of the independent assessment of the
    same company and cycle: otherwise the two cannot be set side by side, and the company page
    would show the self-assessment without its scores. Refused, on the self-assessment."""
    for (slug, cycle, assessor_type), own in seen.items():
        independent = seen.get((slug, cycle, "independent"))
        if assessor_type != "self" or independent is None or own.problems:
            continue
        mine, theirs = own.framework, independent.framework
        if mine is None or theirs is None or mine.key == theirs.key:
            continue
        shown = display_path(own.path)
        try:
            line, col = read_yaml(own.path).locate(("framework", "version"))
        except YamlError:
            line, col = 1, 1
        if mine.id == theirs.id and version_key(mine.version) < version_key(theirs.version):
            tip = f"hrdd migrate {shown} --to {theirs.version} --out NEW_FILE moves it"
        else:
            tip = f"hrdd new --self --slug {slug} --year {cycle} --prefill --out NEW_FILE starts one from it"
        own.problems.append(
            Problem(
                shown,
                line,
                col,
                f"the independent assessment of {slug} for {cycle} ({display_path(independent.path)}) answers "
                f"{theirs.id} {theirs.version}, this self-assessment {mine.id} {mine.version}; answer the same "
                f"version so that the two can be compared ({tip})",
                "framework.version-mismatch",
            )
        )


def same_company_problems(results: list[FileResult]) -> None:
    """One company, one folder: two slugs with the same company name or website would rank the
    company twice. The later file is refused, naming the first."""
    first: dict[tuple[str, str], tuple[str, FileResult]] = {}
    for result in results:
        if result.kind != "assessment" or result.problems:
            continue
        facts = result.facts()
        if facts is None:
            continue
        company = facts.company
        for what, value in (("name", " ".join(company.name.casefold().split())), ("website", _site_of(company))):
            if not value:
                continue
            seen = first.setdefault((what, value), (company.slug, result))
            if seen[0] != company.slug:
                result.problems.append(
                    Problem(
                        display_path(result.path),
                        1,
                        1,
                        f"company {what} {getattr(company, what)!r} is also the {what} of {seen[0]} in "
                        f"{display_path(seen[1].path)}; one company has one folder (use the slug {seen[0]}), "
                        "or tell the two companies apart",
                        "duplicate.company",
                    )
                )
                break


def _site_of(company: Any) -> str:
    """A company website reduced to its host and path: http/https, "www." and a final "/" aside."""
    website = str(company.website).casefold()
    host_path = website.split("://", 1)[-1].removeprefix("www.").rstrip("/")
    return host_path
