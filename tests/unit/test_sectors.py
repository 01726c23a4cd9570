"""Sectors, modules, core and sector scores on the fair test framework
(tests/fixtures/sectors/frameworks/fair/2.0.yaml, with 1.0 before it).

Answers are yes 100, partial 50, no 0; one level per company; ``aggregation.total:
mean_of_categories``, rounded to 2 decimals at the end. Version 2.0 has a core (categories P
and D, minus D2, which is excluded for mining), a government-demands module G for ict and an
apparel module AP1. Every expected number below is worked out by hand in the docstring.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from hrdd.errors import UsageError
from hrdd.history import compare_frameworks, cycle_change
from hrdd.load import framework_from_data
from hrdd.migrate import migrate_text
from hrdd.models import Assessment, Framework
from hrdd.score import AssessmentScore, score_assessment
from hrdd.sectors import core_indicators, core_view, indicators_for, rank_by_sector
from hrdd.validate import load_assessment, load_framework
from hrdd.yamlio import read_yaml
from tests.conftest import FIXTURES, REPO

PROJECT = FIXTURES / "sectors"
FRAMEWORKS = PROJECT / "frameworks"
D = Decimal


def _scored(slug: str, cycle: int) -> tuple[Assessment, Framework, AssessmentScore]:
    assessment, framework = load_assessment(PROJECT / "assessments" / slug / f"{cycle}.yaml", FRAMEWORKS)
    return assessment, framework, score_assessment(framework, assessment)


def test_core_is_indicators_in_no_module_and_excluded_for_no_sector() -> None:
    """P1, P2 and D1 are core; D2 (excluded for mining), G1 (ict module) and AP1 (apparel) are not."""
    fw = load_framework(FRAMEWORKS / "fair" / "2.0.yaml")
    assert [i.id for i in core_indicators(fw)] == ["P1", "P2", "D1"]
    assert [i.id for i in core_view(fw).indicators] == ["P1", "P2", "D1"]
    assert [c.id for c in core_view(fw).categories] == ["P", "D"]
    assert [i.id for i in indicators_for(fw, "ict")] == ["P1", "P2", "D1", "D2", "G1"]
    assert [i.id for i in indicators_for(fw, "apparel")] == ["P1", "P2", "D1", "D2", "AP1"]
    assert [i.id for i in indicators_for(fw, "mining")] == ["P1", "P2", "D1"]


def test_core_score_ignores_modules() -> None:
    """Chat (ict): P1 yes/yes 100, P2 yes 100, D1 yes 100 are its core; D2 no 0 and G1 no/no 0
    are not. Core: P = 100, D = D1 = 100, mean of categories = 100.00, whatever the module says."""
    _, _, score = _scored("chat", 2026)
    assert score.core_total == D("100.00")
    assert score.total == D("50.00")


def test_core_score_of_a_second_company() -> None:
    """Telco (ict): P1 yes/partial 75, P2 no 0, D1 partial 50. Core: P = 37.5, D = 50,
    mean = 43.75."""
    _, _, score = _scored("telco", 2026)
    assert score.core_total == D("43.75")


def test_sector_score_includes_the_sectors_modules() -> None:
    """Telco (ict): P = mean(75, 0) = 37.5; D = mean(D1 50, D2 yes 100) = 75; G = G1 yes/no = 50;
    AP has no score (not its sector). Sector score = mean(37.5, 75, 50) = 54.1666… = 54.17."""
    _, _, score = _scored("telco", 2026)
    assert score.sector_total == score.total == D("54.17")
    assert score.categories == {"P": D("37.50"), "D": D("75.00"), "G": D("50.00"), "AP": None}
    assert score.indicators["AP1"].score is None


def test_apparel_module_counts_for_apparel_companies() -> None:
    """Shirt (apparel): P = mean(P1 100, P2 partial 50) = 75; D = mean(D1 0, D2 partial 50) = 25;
    AP = AP1 no/no = 0; G has no score. Sector = mean(75, 25, 0) = 33.33; core = mean(75, 0) = 37.50."""
    _, _, score = _scored("shirt", 2026)
    assert score.total == D("33.33")
    assert score.core_total == D("37.50")
    assert score.indicators["G1"].score is None


def test_indicator_excluded_for_a_sector_is_left_out() -> None:
    """Digger (mining): D2 is excluded for mining, so D = D1 yes = 100 alone and D2 has no score;
    P = mean(P1 no/partial 25, P2 yes 100) = 62.5. Sector = core = mean(62.5, 100) = 81.25."""
    _, framework, score = _scored("digger", 2026)
    assert score.indicators["D2"].score is None
    assert score.categories["D"] == D("100.00")
    assert score.total == score.core_total == D("81.25")
    element = framework.element("D2.1")
    assert element is not None and not framework.applies(element, None, "group", "mining")
    assert score.coverage.applicable == 4


def test_sectors_are_ranked_apart_and_together_on_the_core() -> None:
    """Cross-sector on the core: digger 81.25, chat 100 → chat, digger, telco 43.75, shirt 37.50.
    Within ict on the sector score: telco 54.17 before chat 50.00 (the reverse of their core
    order); apparel and mining hold one company each."""
    scores = [_scored(slug, 2026) for slug in ("chat", "digger", "shirt", "telco")]
    framework = scores[0][1]
    rows = [(a.company.slug, a.company.sector, s) for a, _, s in scores]
    ranking = rank_by_sector(framework, rows)
    assert [(slug, rank) for slug, rank, _ in ranking.core] == [("chat", 1), ("digger", 2), ("telco", 3), ("shirt", 4)]
    assert [value for _, _, value in ranking.core] == [D("100.00"), D("81.25"), D("43.75"), D("37.50")]
    by_sector = {sector: [(slug, rank) for slug, rank, _ in rows] for sector, rows in ranking.sectors.items()}
    assert by_sector == {
        "ict": [("telco", 1), ("chat", 2)],
        "apparel": [("shirt", 1)],
        "mining": [("digger", 1)],
    }


def test_history_across_the_version_change_uses_comparable_indicators_only() -> None:
    """Telco 2025 (1.0) → 2026 (2.0). P2 changed (not compared); G1 moved into the ict module
    (comparable for an ict company). 2025: P1 partial/partial 50, D1 no 0, D2 partial 50,
    G1 no/no 0 → mean 25.00. 2026: P1 75, D1 50, D2 100, G1 50 → mean 68.75."""
    _, old_fw, old = _scored("telco", 2025)
    _, new_fw, new = _scored("telco", 2026)
    change = cycle_change(old_fw, old, new_fw, new)
    assert change.compared == ("P1", "D1", "D2", "G1")
    assert (change.total_before, change.total_after) == (D("25.00"), D("68.75"))
    assert "P2" in change.comparison.not_comparable


def test_history_of_a_moved_indicator_leaves_out_other_sectors() -> None:
    """Shirt 2025 (1.0) answered G1 (no/no 0); in 2.0 G1 is in the ict module, so it is not
    compared for an apparel company. Compared: P1 50 → 100, D1 0 → 0, D2 0 → 50:
    before mean(50, 0, 0) = 16.67, after mean(100, 0, 50) = 50.00."""
    _, old_fw, old = _scored("shirt", 2025)
    _, new_fw, new = _scored("shirt", 2026)
    change = cycle_change(old_fw, old, new_fw, new)
    assert change.compared == ("P1", "D1", "D2")
    assert (change.total_before, change.total_after) == (D("16.67"), D("50.00"))


def test_moved_indicator_stays_comparable() -> None:
    """A changelog ``moved`` entry keeps the indicator comparable (its elements are the same)."""
    comparison = compare_frameworks(
        load_framework(FRAMEWORKS / "fair" / "1.0.yaml"), load_framework(FRAMEWORKS / "fair" / "2.0.yaml")
    )
    assert comparison.comparable["G1"] == "G1"
    assert comparison.not_comparable == {"P2": "changed in fair 2.0", "AP1": "added in fair 2.0"}


def test_framework_without_sectors_has_core_equal_to_total() -> None:
    """fair 1.0 declares no sectors: the core total is the total (telco 2025: P = mean(50, 100) = 75,
    D = mean(0, 50) = 25, G = 0; mean = 33.33)."""
    _, framework, score = _scored("telco", 2025)
    assert core_view(framework) is framework
    assert score.core_total == score.total == D("33.33")


def test_exclusion_by_company_type_still_works_with_sectors() -> None:
    """A company-type exclusion on D1 beside the sector exclusions: a 'telecom' company of the
    ict sector no longer answers D1, so its core is P alone: mean(75, 0) = 37.50."""
    data = read_yaml(FRAMEWORKS / "fair" / "2.0.yaml").data
    data["company_types"] = [{"id": "telecom", "label": "Telecom"}]
    data["indicators"][2]["excluded"] = {"company_types": ["telecom"]}
    framework = framework_from_data(data, Path("fair.yaml"))
    assessment, _ = load_assessment(PROJECT / "assessments" / "telco" / "2026.yaml", FRAMEWORKS)
    typed = dataclasses.replace(assessment, company=dataclasses.replace(assessment.company, type="telecom"))
    score = score_assessment(framework, typed)
    assert score.indicators["D1"].score is None
    assert score.core_total == D("37.50")
    # D = D2 100 alone; G = 50: sector score = mean(37.5, 100, 50) = 62.50.
    assert score.total == D("62.50")


def test_score_outputs_carry_sector_core_and_sector_total(hrdd) -> None:  # type: ignore[no-untyped-def]
    """``hrdd score`` json, csv and table show the sector id, the core and the sector total."""
    out = json.loads(hrdd("score", "--no-cache", "--format", "json", "assessments/telco", cwd=PROJECT).out)
    assert [(e["cycle"], e["sector"], e["core_total"], e["sector_total"]) for e in out] == [
        (2025, "Telecommunications", 33.33, 33.33),
        (2026, "ict", 43.75, 54.17),
    ]
    csv_lines = hrdd("score", "--no-cache", "--format", "csv", "assessments/telco", cwd=PROJECT).out.splitlines()
    assert "telco,2026,independent,fair@2.0,total,core_total,43.75" in csv_lines
    assert "telco,2026,independent,fair@2.0,total,sector_total,54.17" in csv_lines
    assert not any(",core_total," in line for line in csv_lines if ",fair@1.0," in line)
    table = hrdd("score", "--no-cache", "assessments/telco", cwd=PROJECT).out
    assert table == (
        "company            cycle  assessor     status     framework  sector               core  sector total"
        "      P      D      G   AP\n"
        "-----------------  -----  -----------  ---------  ---------  ------------------  -----  ------------"
        "  -----  -----  -----  ---\n"
        "Telco (fictional)  2025   independent  published  fair@1.0   Telecommunications  33.33         33.33"
        "  75.00  25.00   0.00\n"
        "Telco (fictional)  2026   independent  published  fair@2.0   ict                 43.75         54.17"
        "  37.50  75.00  50.00  n/a\n"
    )


@pytest.mark.parametrize("slug", ["chat", "digger", "shirt", "telco"])
def test_fixture_assessments_validate(slug: str) -> None:
    """The fixture assessments are valid (so the numbers above come from valid data)."""
    load_assessment(PROJECT / "assessments" / slug / "2026.yaml", FRAMEWORKS)


def _copy_project(tmp_path: Path) -> Path:
    shutil.copytree(PROJECT, tmp_path / "project")
    return tmp_path / "project"


def test_migrate_needs_a_sector_id_for_a_free_text_sector(hrdd, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Moving a 1.0 assessment (sector 'Telecommunications', free text) to 2.0 without --sector
    is a usage error naming the sectors to choose from; the file is left alone."""
    project = _copy_project(tmp_path)
    target = project / "assessments" / "telco" / "2025.yaml"
    before = target.read_text(encoding="utf-8")
    run = hrdd("migrate", "assessments/telco/2025.yaml", "--to", "2.0", "--in-place", cwd=project)
    assert run.code == 2, run
    assert (
        "'Telecommunications': unknown sector; Sectors: apparel, ict, mining; fair 2.0 needs a sector id: "
        "pass --sector <id> to map this company's sector 'Telecommunications' to one"
    ) in run.err
    assert target.read_text(encoding="utf-8") == before
    wrong = hrdd("migrate", "assessments/telco/2025.yaml", "--to", "2.0", "--sector", "ITC", cwd=project)
    assert wrong.code == 2 and "--sector 'ITC': unknown sector; did you mean 'ict'?" in wrong.err, wrong


def test_migrate_sets_the_sector_and_drops_answers_of_other_sectors(hrdd, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Shirt 2025 (1.0) to 2.0 with --sector apparel: the sector becomes 'apparel', the comment
    stays, G1 (now in the ict module) is dropped, AP1 is added for research, P2 is to re-check;
    the result validates as a draft."""
    project = _copy_project(tmp_path)
    target = project / "assessments" / "shirt" / "2025.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("cycle: 2025\n", "cycle: 2025  # kept\n"), "utf-8")
    run = hrdd(
        "migrate", "assessments/shirt/2025.yaml", "--to", "2.0", "--sector", "apparel", "--in-place", cwd=project
    )
    assert run.code == 0, run
    assert "  sector 'Apparel' -> 'apparel'\n" in run.err
    assert "  dropped G1.1 (does not apply to the apparel sector)\n" in run.err
    text = target.read_text(encoding="utf-8")
    assert "cycle: 2025  # kept\n" in text
    assert "sector: apparel," in text
    answers = read_yaml(target).data["answers"]
    assert "G1.1" not in answers and "G1.2" not in answers
    assert answers["AP1.1"] == {"group": {"answer": "no"}}
    assert answers["P1.1"] == {"group": {"answer": "yes"}}
    assessment, framework = load_assessment(target, FRAMEWORKS)
    assert (assessment.company.sector, framework.version, assessment.status) == ("apparel", "2.0", "draft")


def test_new_lists_the_indicators_of_the_given_sector(hrdd, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """``hrdd new --sector apparel`` on fair 2.0 lists the core, D2 and the apparel module but not
    the ict module, and the draft validates; a sector that is not an id is a usage error."""
    project = _copy_project(tmp_path)
    common = ("new", "--company", "Loom Co", "--year", "2026", "--framework", "fair", "--country", "DE")
    wrong = hrdd(*common, cwd=project)
    assert wrong.code == 2, wrong
    assert "--sector 'Not yet stated': unknown sector; Sectors: apparel, ict, mining" in wrong.err
    assert not (project / "assessments" / "loom-co").exists()
    run = hrdd(*common, "--sector", "apparel", cwd=project)
    assert run.code == 0, run
    target = project / "assessments" / "loom-co" / "2026.yaml"
    answers = read_yaml(target).data["answers"]
    assert list(answers) == ["P1.1", "P1.2", "P2.1", "D1.1", "D2.1", "AP1.1", "AP1.2"]
    assessment, _ = load_assessment(target, FRAMEWORKS)
    assert assessment.company.sector == "apparel"


def test_migrate_a_demo_assessment_from_1_0_to_ungp_core_2_0(tmp_path: Path) -> None:
    """Meridian Meet 2025 as it was on ungp-core 1.0 (free-text sector 'Video conferencing'),
    moved to 2.0 as an ict company: comments kept, sector set, no answer to another sector's
    module, and the result is a valid draft of 2.0."""
    source = FIXTURES / "ungp-core-1x" / "assessments" / "meridian-meet" / "2025.yaml"
    target = tmp_path / "2025.yaml"
    target.write_text(source.read_text(encoding="utf-8").replace("cycle: 2025\n", "cycle: 2025  # kept\n"), "utf-8")
    repo_frameworks = REPO / "frameworks"
    assessment, old = load_assessment(target, repo_frameworks)
    new = load_framework(repo_frameworks / "ungp-core" / "2.0.yaml")
    with pytest.raises(UsageError, match="pass --sector <id>"):
        migrate_text(target.read_text(encoding="utf-8"), assessment, old, new)
    result = migrate_text(target.read_text(encoding="utf-8"), assessment, old, new, sector="ict")
    assert "cycle: 2025  # kept\n" in result.text
    assert result.sector == (assessment.company.sector, "ict")
    target.write_text(result.text, encoding="utf-8")
    migrated, framework = load_assessment(target, repo_frameworks)
    assert (migrated.company.sector, framework.version, migrated.status) == ("ict", "2.0", "draft")
    other_modules = {m.id for m in framework.modules} - {"ict"}
    answered_modules = {
        module.id
        for element_id in migrated.answers
        if (element := framework.element(element_id)) is not None
        and (module := framework.module_of(element.indicator)) is not None
    }
    assert answered_modules <= {"ict"} and not answered_modules & other_modules


@pytest.mark.parametrize(("slug", "before"), [("ardenne-harvest", 2024), ("meridian-meet", 2024), ("kettleby", 2024)])
def test_demo_history_into_2_0_compares_only_what_stayed_and_applies(slug: str, before: int) -> None:
    """On the demo, a company's change from its 1.x cycle to its 2.0 cycle is measured only on
    indicators that 2.0's changelog keeps comparable and that apply to the company's sector: the
    government-demand indicators (moved into the ict module) count for an ict company only, and
    no indicator 2.0 changed or added counts."""
    old_assessment, old_fw = load_assessment(REPO / "assessments" / slug / f"{before}.yaml", REPO / "frameworks")
    new_assessment, new_fw = load_assessment(REPO / "assessments" / slug / f"{before + 1}.yaml", REPO / "frameworks")
    assert (old_fw.version[0], new_fw.version) == ("1", "2.0")
    change = cycle_change(
        old_fw, score_assessment(old_fw, old_assessment), new_fw, score_assessment(new_fw, new_assessment)
    )
    sector = new_assessment.company.sector
    moved = {c.indicator for c in new_fw.changelog if c.change == "moved"}
    assert change.compared
    for indicator_id in change.compared:
        indicator = new_fw.indicator(indicator_id)
        assert indicator is not None and new_fw.indicator_applies_to_sector(indicator, sector)
        assert indicator_id in change.comparison.comparable
    assert bool(moved & set(change.compared)) == (sector == "ict")
