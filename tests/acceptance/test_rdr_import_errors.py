"""``import_rdr`` refuses bad input with a message that names the file, the place and the fix.

Each case builds a small zip in RDR's format (one company, two indicators) and breaks one thing.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from hrdd.errors import HrddError, UsageError
from hrdd.importers.rdr_common import RdrImportError
from hrdd.importers.rdr_import import import_rdr
from hrdd.validate import validate_paths

PREFIX = "2022-rdr-index"
META_INDICATORS = (
    "Category,Indicator,indicatorNr,indicatorSuffix,isParent,labelLong,description,guidance,scoringScope,"
    "excludedCompanies,excludedServices\n"
    "G,G01,1,NA,FALSE,Policy commitment,Commit to human rights.,Look for a policy.,company,NA,NA\n"
    "P,P01,1,NA,FALSE,Access to policies,Publish privacy policies.,Look for them.,services,NA,NA\n"
)
META_ELEMENTS = (
    "Category,Indicator,Element,indicatorNr,indicatorSuffix,elemNr,description,excludedCompanies,"
    "excludedServices,isReversedScoring\n"
    "G,G01,G01.01,1,NA,1,Does the company commit to human rights?,NA,NA,FALSE\n"
    "P,P01,P01.01,1,NA,1,Are the privacy policies easy to find?,NA,NA,FALSE\n"
)
ELEMENT_HEADER = (
    "Index,CompanyType,Company,CompanyLabel,Category,Indicator,IndicatorNr,IndicatorSuffix,Element,ElemNr,"
    "Branch,Composite,Class,Service,Result,Comment,Score\n"
)
# The first record spans two lines (a comment with a line break), so the second starts on line 4.
ELEMENT_ROWS = (
    '2022,Digital Platform,Acme,Acme,G,G01,1,NA,G01.01,1,Company,Group,Group,Group,yes,"Yes.\nSee source 1.",100\n'
    "2022,Digital Platform,Acme,Acme,P,P01,1,NA,P01.01,1,Services,Services,search,Acme Search,{result},NA,50\n"
)
LEVEL_SCORES = (
    "Index,CompanyType,Company,CompanyLabel,Category,Indicator,IndicatorNr,IndicatorSuffix,Branch,Composite,"
    "Class,Service,Score,SourceRefs\n"
    "2022,Digital Platform,Acme,Acme,G,G01,1,NA,Company,Group,Group,Group,100,1\n"
    "2022,Digital Platform,Acme,Acme,P,P01,1,NA,Services,Services,search,Acme Search,50,1; 2\n"
)
SOURCES = (
    '"SourceNr","DocumentTitle","URL","DocumentDate","DateAccessed","Saved Source link"\n'
    '1,"Human rights policy","https://acme.example/policy","2021-05-01","2021-10-01","NA"\n'
    '2,"Privacy policy","https://acme.example/privacy","No date.","2021-10-01","https://archive.example/p"\n'
)
README = "# Readme\n\n> Last updated: 2022-04-21\n"


def members(result: str = "partial") -> dict[str, str]:
    """A complete, valid small dataset; tests replace or drop members to break it."""
    return {
        f"{PREFIX}-12-meta-indicators.csv": META_INDICATORS,
        f"{PREFIX}-11-meta-elements.csv": META_ELEMENTS,
        f"{PREFIX}-06-element-scores.csv": ELEMENT_HEADER + ELEMENT_ROWS.format(result=result),
        f"{PREFIX}-05-level-scores.csv": LEVEL_SCORES,
        f"company-sources/{PREFIX}-Acme-sources.csv": SOURCES,
        "README.md": README,
    }


def make_zip(tmp_path: Path, files: dict[str, str]) -> Path:
    path = tmp_path / "rdr.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text.encode("utf-8"))
    return path


def test_the_small_dataset_imports_and_validates(tmp_path: Path) -> None:
    # Guards the error cases below: they must fail for the one thing they break.
    out = tmp_path / "out"
    result = import_rdr(make_zip(tmp_path, members()), out)
    assert result.companies == 1
    assert result.answers == 2
    assert result.evidence_links == 3
    assert any("Acme: country unknown" in note for note in result.notes)
    report = validate_paths([out / "frameworks", out / "assessments"], root=out)
    # The unknown country is written as ISO's "unknown" code, which validation refuses in a
    # published file (hrdd.placeholders): that is the only problem.
    assert [(p.code, p.message.split(",")[0]) for p in report.problems] == [
        ("placeholder", "company.country is 'ZZ'")
    ], "\n".join(str(p) for p in report.problems)


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "rdr.zip"
    path.write_text("Company,Score\nAcme,50\n", encoding="utf-8")
    with pytest.raises(RdrImportError) as exc:
        import_rdr(path, tmp_path / "out")
    assert str(exc.value) == f"{path}: not a zip archive"


def test_no_such_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.zip"
    with pytest.raises(RdrImportError) as exc:
        import_rdr(path, tmp_path / "out")
    assert str(exc.value) == f"{path}: no such file"


def test_missing_member(tmp_path: Path) -> None:
    files = members()
    del files[f"{PREFIX}-06-element-scores.csv"]
    path = make_zip(tmp_path, files)
    with pytest.raises(RdrImportError) as exc:
        import_rdr(path, tmp_path / "out")
    assert str(exc.value) == f"{path}: missing member {PREFIX}-06-element-scores.csv"


def test_missing_column(tmp_path: Path) -> None:
    files = members()
    files[f"{PREFIX}-12-meta-indicators.csv"] = META_INDICATORS.replace(",scoringScope,", ",scope,", 1)
    path = make_zip(tmp_path, files)
    with pytest.raises(RdrImportError) as exc:
        import_rdr(path, tmp_path / "out")
    assert str(exc.value) == f"{path}: {PREFIX}-12-meta-indicators.csv, line 1: missing column 'scoringScope'"


def test_unknown_answer_value(tmp_path: Path) -> None:
    path = make_zip(tmp_path, members(result="maybe"))
    with pytest.raises(RdrImportError) as exc:
        import_rdr(path, tmp_path / "out")
    assert str(exc.value) == (
        f"{path}: {PREFIX}-06-element-scores.csv, line 4: unknown answer 'maybe' in column 'Result' "
        "(allowed: yes, partial, no, no disclosure found, NA)"
    )


def test_import_errors_are_hrdd_errors(tmp_path: Path) -> None:
    # The CLI turns HrddError into a message and exit code 1 instead of a traceback.
    path = tmp_path / "rdr.zip"
    path.write_bytes(b"")
    with pytest.raises(HrddError):
        import_rdr(path, tmp_path / "out")


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = make_zip(tmp_path, members())
    out = tmp_path / "out"
    first = import_rdr(path, out)
    before = first.assessment_paths[0].read_text(encoding="utf-8")
    with pytest.raises(UsageError) as exc:
        import_rdr(path, out)
    assert str(exc.value) == f"{first.framework_path} already exists; use --force (force=True) to overwrite it"
    assert first.assessment_paths[0].read_text(encoding="utf-8") == before
    again = import_rdr(path, out, force=True)
    assert again.assessment_paths == first.assessment_paths
    assert again.assessment_paths[0].read_text(encoding="utf-8") == before
