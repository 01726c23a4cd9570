"""A scorecard keeps each assessment's facts and scores, not the whole assessment: pages about
many companies never build one, a company's pages build only its own, the data files build
each once, and a build reads the facts from the check cache without building any."""

from __future__ import annotations

import dataclasses
import functools
import os
from collections import Counter
from pathlib import Path

import hrdd.site.build as build
from hrdd.models import Assessment
from hrdd.project import Project
from hrdd.site import Entry, Scorecard, collect
from hrdd.site.build import validate_project
from hrdd.site.data import data_file_pieces, data_files
from hrdd.site.datawriter import write_data_files
from hrdd.site.render import Site, record_pages, render_pages
from hrdd.validate import FileResult, Validator
from tests.site.test_incremental import _tree

Built = Counter[tuple[str, int, bool]]


def _card(project: Path) -> Scorecard:
    validator = Validator(project / "frameworks", project / "assessments")
    report = validator.check_paths([project / "frameworks", project / "assessments"])
    frameworks = [f.framework for f in report.files if f.framework is not None and f.kind == "framework"]
    return collect(report.assessments(), frameworks)


def _load(entry: Entry, built: Built, last: dict[int, Assessment]) -> Assessment:
    # Like hrdd.validate's models from the cache, with only the last one remembered.
    if id(entry) not in last:
        built[(entry.slug, entry.cycle, entry.is_self)] += 1
        last.clear()
        last[id(entry)] = entry.load()
    return last[id(entry)]


def _counted(card: Scorecard) -> tuple[Scorecard, Built]:
    """The card, its entries counting each time their assessment is built (the last one built
    is remembered)."""
    built: Built = Counter()
    last: dict[int, Assessment] = {}
    entries = tuple(dataclasses.replace(e, load=functools.partial(_load, e, built, last)) for e in card.entries)
    return dataclasses.replace(card, entries=entries), built


def test_pages_about_many_companies_build_no_assessment(project: Path) -> None:
    card, built = _counted(_card(project))
    site = Site(card=card, site_name="Test", directory_urls=True)
    company_pages = {page for record in card.companies for page in record_pages(record)}
    others = list(render_pages(site, skip=company_pages))
    assert len(others) > 10
    assert built == Counter()
    for record in card.companies:
        list(render_pages(site, skip={p.path for p in others} | (company_pages - set(record_pages(record)))))
        # Only the latest cycle's assessments: earlier cycles are shown from their scores.
        latest = {(e.slug, e.cycle, e.is_self) for e in record.entries if e.cycle == record.latest_cycle}
        assert set(built) == latest, record.slug
        built.clear()


def test_data_files_build_each_assessment_once(project: Path, tmp_path: Path) -> None:
    plain = _card(project)
    card, built = _counted(plain)
    write_data_files(tmp_path / "data", data_file_pieces(card))
    assert built == Counter({(e.slug, e.cycle, e.is_self): 1 for e in card.entries})
    # The side file of pieces encoded ahead is gone, and every file is what it should be.
    assert _tree(tmp_path / "data") == {path: text.encode("utf-8") for path, text in data_files(plain).items()}


def test_facts_read_from_the_cache_are_the_models_facts(project: Path, tmp_path: Path) -> None:
    p = dataclasses.replace(Project.at(project), cache=tmp_path / "cache")
    validate_project(p)  # writes the cache
    replayed, _ = validate_project(p)
    results = [f for f in replayed.files if f.kind == "assessment" and f.assessment is not None]
    fresh = {f.path: f for f in Validator(p.frameworks, p.assessments).check_paths([p.assessments]).files}
    assert len(results) >= 5
    for result in results:
        assert type(result) is not FileResult  # replayed: read from the cache
        facts = result.facts()
        assert facts == fresh[result.path].facts()
        assert result.assessment is not None and facts == result.assessment.facts()


def test_a_build_collects_facts_and_scores_without_building_an_assessment(project: Path, tmp_path: Path) -> None:
    """From the cache, the scorecard is collected with no model built, and it equals the
    scorecard collected from the models."""
    p = dataclasses.replace(Project.at(project), cache=tmp_path / "cache")
    validate_project(p)  # writes the cache
    report, frameworks = validate_project(p)
    card = collect(build.stored_assessments(report), frameworks, source_date_epoch=os.environ.get("SOURCE_DATE_EPOCH"))
    valid = [r for r in report.files if r.kind == "assessment" and not r.problems]
    assert len(valid) >= 5
    assert not any(r.model_built for r in valid)  # no model built
    models = validate_project(dataclasses.replace(p, use_cache=False))[0].assessments()
    assert card == collect(models, frameworks, source_date_epoch=os.environ.get("SOURCE_DATE_EPOCH"))
    assert [e.assessment for e in card.entries] == [
        a
        for a, _ in sorted(models, key=lambda m: (m[0].company.slug, m[0].cycle, m[0].is_self_assessment))
        if a.status == "published"
    ]
