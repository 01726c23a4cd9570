"""The 2019 importer reads what the held-back half of RDR's download may look like.

Each case builds a zip in tmp_path from two companies of the real download (a telecom with
prepaid and postpaid mobile, and an internet company with a service named differently in the
summary), changes one thing the way RDR's files differ among themselves, and checks that the
import gives the same assessments, or reports the row it could not import with its file and
line.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from hrdd.errors import HrddError
from hrdd.importers.rdr_common import ImportResult
from hrdd.importers.rdr_import import import_rdr
from hrdd.importers.rdr_text import html_items, html_text
from tests.acceptance.test_rdr2019_reproduction import RDR_ZIP

pytestmark = pytest.mark.slow

TELECOM = "RDR2019_ATT_"
INTERNET = "RDR2019_Kakao_"
SUMMARY = "RDR2019_02_Summary_Scores.csv"
OVERVIEW = "RDR2019_01_Quick_Overview.csv"


def _real() -> dict[str, bytes]:
    if not RDR_ZIP.is_file():
        message = f"RDR 2019 dataset not found at {RDR_ZIP} (set HRDD_RDR2019_ZIP)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with zipfile.ZipFile(RDR_ZIP) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _subset() -> dict[str, bytes]:
    """Two companies' outcome and sources files, and their rows of the summary files (the
    header and byte-for-byte rows, BOM and CRLF as RDR wrote them)."""
    real = _real()
    out = {n: b for n, b in real.items() if n.startswith((TELECOM, INTERNET))}
    for name in (SUMMARY, OVERVIEW):
        lines = real[name].splitlines(keepends=True)
        out[name] = b"".join([lines[0]] + [ln for ln in lines[1:] if ln.startswith((b"AT&T,", b"Kakao,"))])
    return out


def _import(tmp_path: Path, members: dict[str, bytes], name: str) -> tuple[ImportResult, dict[str, Any]]:
    folder = tmp_path / name
    folder.mkdir()
    shutil.copytree(RDR_ZIP.parent / "indicators", folder / "indicators")
    zip_path = folder / "rdr2019.zip"
    _write_zip(zip_path, members)
    result = import_rdr(zip_path, folder / "out")
    data = {
        p.parent.name: yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in [*result.assessment_paths, result.framework_path]
    }
    return result, data


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> tuple[ImportResult, dict[str, Any]]:
    return _import(tmp_path_factory.mktemp("base"), _subset(), "base")


def _write_zip(zip_path: Path, members: dict[str, bytes]) -> None:
    # RDR's file dates, so that the publication date read from them is the same in every case.
    with zipfile.ZipFile(zip_path, "w") as zf:
        for member, data in members.items():
            zf.writestr(zipfile.ZipInfo(member, date_time=(2019, 7, 11, 0, 0, 0)), data)


def _rename(members: dict[str, bytes], old: str, new: str) -> dict[str, bytes]:
    return {(n.replace(old, new) if n.startswith(old) else n): b for n, b in members.items()}


def test_line_endings_bom_and_final_newline_do_not_change_the_import(
    baseline: tuple[ImportResult, dict[str, Any]], tmp_path: Path
) -> None:
    """LF instead of CRLF, no BOM where RDR wrote one and a BOM where it did not, and no final
    newline: the same framework and assessments, answer for answer."""
    changed = {}
    for name, raw in _subset().items():
        raw = raw.replace(b"\r\n", b"\n")
        raw = raw.removeprefix(b"\xef\xbb\xbf") if raw.startswith(b"\xef\xbb\xbf") else b"\xef\xbb\xbf" + raw
        changed[name] = raw.rstrip(b"\n")
    result, data = _import(tmp_path, changed, "changed")
    assert data == baseline[1]
    assert result.answers == baseline[0].answers > 1000


def test_files_are_found_by_content_not_by_name(baseline: tuple[ImportResult, dict[str, Any]], tmp_path: Path) -> None:
    """Outcome and summary files under other names are still read (by their columns), and a
    sources file with a misspelt company name is matched to the closest outcome file and noted."""
    members = {
        (f"answers/{n.removesuffix('_Outcome.csv').split('_', 1)[1]}.csv" if n.endswith("Outcome.csv") else n): b
        for n, b in _subset().items()
    }
    members["RDR2019_Kakoa_Sources.csv"] = members.pop(INTERNET + "Sources.csv")
    members[SUMMARY.replace("Summary", "Sumary")] = members.pop(SUMMARY)
    result, data = _import(tmp_path, members, "renamed")
    assert "answers/Kakao.csv" in members
    assert data["kakao"]["answers"] == baseline[1]["kakao"]["answers"]
    assert data["kakao"]["sources"] == baseline[1]["kakao"]["sources"]
    assert any("Kakao: sources read from RDR2019_Kakoa_Sources.csv" in n for n in result.notes), result.notes


def test_service_names_that_differ_between_files_are_matched_and_noted(tmp_path: Path) -> None:
    """The summary calls Kakao's messenger 'Kakao Talk' and the outcome file 'KakaoTalk' (same
    letters: matched silently); a summary name that only begins like the outcome's is noted."""
    members = _subset()
    members[SUMMARY] = members[SUMMARY].replace(b"Daum Search", b"Daum")
    result, _ = _import(tmp_path, members, "services")
    assert any("service 'Daum' of RDR2019_02_Summary_Scores.csv is 'Daum Search'" in n for n in result.notes)
    assert not any("Kakao Talk" in n for n in result.notes)


def test_quoted_comments_with_line_breaks_are_kept_whole(baseline: tuple[ImportResult, dict[str, Any]]) -> None:
    """RDR's comments are quoted CSV fields with line breaks inside: each is one answer's comment."""
    comments = [
        level["comment"]
        for by_level in baseline[1]["at-t"]["answers"].values()
        for level in by_level.values()
        if "\n" in level.get("comment", "")
    ]
    assert comments
    raw = _subset()[TELECOM + "Outcome.csv"].decode("utf-8-sig").replace("\r\n", "\n")
    assert all(c.replace('"', '""') in raw for c in comments[:20])


def test_every_row_not_imported_is_reported_with_file_and_line(tmp_path: Path) -> None:
    """An answer word the scale does not know, a row with too many fields, an unknown scoring
    level and a second answer for the same element and level: each is listed with its line."""
    members = _subset()
    name = TELECOM + "Outcome.csv"
    text = members[name].decode("utf-8-sig")
    assert text.endswith("\r\n")
    row = "Telecommunication,AT&T,Group,NA,Group - Privacy,Governance,G1,Element,G1.1,100,{answer},NA,NA"
    extra = [
        row.format(answer="maybe"),
        row.format(answer="yes") + ",surplus",
        row.format(answer="yes").replace(",Element,", ",Subelement,"),
        row.format(answer="yes"),
    ]
    members[name] = ("\ufeff" + text + "\r\n".join(extra) + "\r\n").encode("utf-8")
    result, _ = _import(tmp_path, members, "bad-rows")
    notes = "\n".join(result.notes)
    # Lines as an editor counts them: comments with line breaks span several.
    first = text.count("\n") + 1
    assert f"{name} line {first}: answer 'maybe'" in notes
    assert f"{name} line {first + 1}: 14 fields where the header has 13" in notes
    assert f"{name} line {first + 2}: Scoring_Level 'Subelement'" in notes
    assert f"{name} line {first + 3}: a second answer for G1.1 at 'Group - Privacy'" in notes


def test_a_zip_without_indicator_pages_is_refused_with_the_fix(tmp_path: Path) -> None:
    """The 2019 layout needs RDR's indicator pages: the error says where it looked and what to do."""
    zip_path = tmp_path / "rdr2019.zip"
    _write_zip(zip_path, _subset())
    with pytest.raises(HrddError, match=r"indicators/\*\.md .*--indicators DIR"):
        import_rdr(zip_path, tmp_path / "out")


def test_indicator_page_html_becomes_inert_text() -> None:
    """Tags, scripts, event handlers and non-http(s) links are dropped; text and http(s)
    addresses stay, as plain text."""
    hostile = (
        '<p onclick="x()">Read <a href="javascript:alert(1)">this</a> and <a href="https://example.org/a">that</a>'
        '<script>alert("x")</script><img src=x onerror=alert(1)> &lt;b&gt;</p><ul><li>one</li><li>two</li></ul>'
    )
    text = html_text(hostile)
    assert text == "Read this and that (https://example.org/a) <b>\n\n- one\n- two"
    assert "<script" not in text and "javascript:" not in text and "onerror" not in text
    assert html_items('<ol><li>Is it <a href="/x">so</a>?</li><li>Or <em>not</em>?</li></ol>') == [
        "Is it so?",
        "Or not?",
    ]
