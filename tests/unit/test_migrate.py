"""hrdd migrate: answers carried over, new elements marked, comments and order kept."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from hrdd.migrate import migrate_text
from hrdd.validate import Validator, load_assessment, load_framework
from hrdd.yamlio import parse_yaml
from tests.conftest import FIXTURES, MINI_FRAMEWORKS, MINI_PROJECT, REPO

FRAMEWORKS = REPO / "frameworks"
DEMO = FIXTURES / "ungp-core-1x" / "assessments" / "meridian-meet" / "2025.yaml"  # on 1.0, as the demo was


@pytest.fixture
def commented(tmp_path: Path) -> Path:
    """A demo assessment with comments in several places, in a project layout."""
    text = DEMO.read_text(encoding="utf-8")
    text = text.replace("cycle: 2025\n", "# the cycle is the research year\ncycle: 2025  # eol comment\n", 1)
    text = text.replace("  PC1.2:\n", "  # PC1.2 was discussed with the company\n  PC1.2:\n", 1)
    text = text.replace("  TR3.2:\n", "  TR3.2:  # moved to GD12 in 1.1\n", 1)
    text += "# closing comment\n"
    target = tmp_path / "assessments" / "meridian-meet" / "2025.yaml"
    target.parent.mkdir(parents=True)
    target.write_text(text, encoding="utf-8")
    return target


def _migrate(path: Path, to: str = "1.1") -> tuple[str, object]:
    assessment, old = load_assessment(path, FRAMEWORKS)
    new = load_framework(FRAMEWORKS / "ungp-core" / f"{to}.yaml")
    result = migrate_text(path.read_text(encoding="utf-8"), assessment, old, new)
    return result.text, result


def test_migration_keeps_comments_and_validates(commented: Path) -> None:
    text, _ = _migrate(commented)
    for comment in (
        "# the cycle is the research year\n",
        "cycle: 2025  # eol comment\n",
        "  # PC1.2 was discussed with the company\n  PC1.2:\n",
        "# closing comment\n",
        "# Fictional demonstration data: this company does not exist.\n",
    ):
        assert comment in text
    # The renamed key is one character longer; ruamel keeps the comment, one space closer.
    assert re.search(r"\n  GD12\.2: +# moved to GD12 in 1\.1\n", text)
    out = commented.with_name("2025-migrated.yaml")
    out.write_text(text, encoding="utf-8")
    result = Validator(frameworks_dir=FRAMEWORKS).check_assessment_file(out)
    assert result.problems == []
    assert result.assessment is not None and result.assessment.framework_version == "1.1"
    assert result.assessment.status == "draft"


def test_answers_carried_renamed_marked_and_dropped(commented: Path) -> None:
    text, result = _migrate(commented)
    before = parse_yaml(commented.read_bytes(), commented).data["answers"]
    after = parse_yaml(text.encode(), commented).data["answers"]
    assert after["PC1.1"] == before["PC1.1"]
    assert after["GD12.1"] == before["TR3.1"] and "TR3.1" not in after
    assert "TR2.1" not in after and "TR2.2" not in after
    assert after["RA2.1"] == before["RA2.1"]
    assert after["DD7.1"] == {"group": {"answer": "no_disclosure"}}
    assert "  DD7.2: # needs research: new in ungp-core 1.1\n" in text
    assert "re-check: RA2 changed in ungp-core 1.1" in text
    assert list(after).index("DD7.1") == list(after).index("DD6.2") + 1  # in framework order
    assert result.renamed == (("TR3.1", "GD12.1"), ("TR3.2", "GD12.2"), ("TR3.3", "GD12.3"))  # type: ignore[attr-defined]
    assert result.dropped == ("TR2.1", "TR2.2")  # type: ignore[attr-defined]
    assert result.to_research == ("DD7.1", "DD7.2", "DD7.3", "RA2.4")  # type: ignore[attr-defined]


def test_incident_indicators_follow_renames(commented: Path) -> None:
    text, _ = _migrate(commented)
    incidents = parse_yaml(text.encode(), commented).data["incidents"]
    assert "TR3" not in incidents[0]["indicators"] and "GD12" in incidents[0]["indicators"]


def test_same_version_round_trip_is_byte_identical(commented: Path) -> None:
    """Migrating to the version a block-style file already answers changes nothing."""
    text, result = _migrate(commented, to="1.0")
    assert text == commented.read_text(encoding="utf-8")
    assert result.status_reset is False  # type: ignore[attr-defined]


def test_flow_style_file_reads_the_same_after_round_trip() -> None:
    """ruamel writes [{source: s1}] as [source: s1]; hrdd reads both as the same data."""
    path = MINI_PROJECT / "assessments" / "mini-telecom" / "2025.yaml"
    assessment, framework = load_assessment(path, MINI_FRAMEWORKS)
    text = migrate_text(path.read_text(encoding="utf-8"), assessment, framework, framework).text
    assert parse_yaml(text.encode(), path).data == parse_yaml(path.read_bytes(), path).data


def test_cli_migrate_never_overwrites(hrdd, commented: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = commented.parents[2]
    shutil.copytree(FRAMEWORKS, project / "frameworks")
    existing = project / "out.yaml"
    existing.write_text("keep me\n", encoding="utf-8")
    run = hrdd("migrate", "assessments/meridian-meet/2025.yaml", "--to", "1.1", "--out", "out.yaml", cwd=project)
    assert run.code == 2, run
    assert existing.read_text(encoding="utf-8") == "keep me\n"
    run = hrdd("migrate", "assessments/meridian-meet/2025.yaml", "--to", "1.1", "--out", "new.yaml", cwd=project)
    assert run.code == 0, run
    assert run.err.startswith("migrated from ungp-core 1.0 to 1.1: ")
    assert (project / "new.yaml").read_text(encoding="utf-8").count("needs research") == 4
