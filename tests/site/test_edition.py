"""Which cycle an edition ranks, and what it leaves out."""

from __future__ import annotations

import pytest

from hrdd.errors import BuildError
from hrdd.site import collect
from hrdd.validate import validate_paths
from tests.conftest import REPO


@pytest.fixture(scope="module")
def bundled():  # type: ignore[no-untyped-def]
    report = validate_paths([REPO / "frameworks", REPO / "assessments"], REPO)
    assert report.ok, report.problems
    frameworks = [f.framework for f in report.files if f.framework is not None and f.kind == "framework"]
    return report.assessments(), frameworks


def test_default_edition_is_the_cycle_most_companies_published(bundled) -> None:  # type: ignore[no-untyped-def]
    """2025 has nine published independent assessments, 2026 only one: 2025 is the edition,
    and the 2026 assessment is left for the 2026 edition."""
    card = collect(*bundled)
    assert card.edition == 2025
    assert max(e.cycle for e in card.entries) == 2025
    assert len({e.slug for e in card.edition_entries() if not e.is_self}) == 9


def test_explicit_edition_includes_its_cycle_and_history(bundled) -> None:  # type: ignore[no-untyped-def]
    card = collect(*bundled, edition=2026)
    assert card.edition == 2026
    assert [e.slug for e in card.edition_entries()] == ["tessaline"]
    assert {e.cycle for e in card.entries if e.slug == "tessaline"} == {2024, 2025, 2026}


def test_edition_without_data_is_an_error(bundled) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BuildError, match=r"no published assessment for edition 2027 \(cycles with published"):
        collect(*bundled, edition=2027)
