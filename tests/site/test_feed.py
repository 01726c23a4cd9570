"""The edition's Atom feed and publication record: valid Atom 1.0, escaped untrusted text,
dates from the data; the record read back exactly and refused when malformed."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from hrdd.site.build import Project, Settings, generate
from hrdd.site.changes import Correction, Publication
from hrdd.site.feed import xml_text
from hrdd.site.render import CHANGELOG, CORRECTIONS_JSON, FEED
from tests.site.conftest import HOSTILE_NAME
from tests.site.sitecheck import elements

A = "{http://www.w3.org/2005/Atom}"
SETTINGS = Settings(site_name="Test scorecard", directory_urls=True, copyright=None)
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
NASTY = 'Wrong answer on A1.1 ]]> <script>alert(1)</script> & "quotes" \x00\x1b\ufffe end'


def _publication() -> Publication:
    return Publication(
        edition=2025,
        published="2025-06-02",
        commit="a" * 40,
        corrections=(Correction(date="2025-07-03", reason=NASTY, commit="b" * 40),),
    )


def _tree(project: Path, publication: Publication | None = None) -> dict[str, bytes]:
    return dict(generate(Project.at(project), SETTINGS, 2025, publication).tree)


def test_feed_is_atom_with_the_required_elements(project: Path) -> None:
    """RFC 4287: the feed has id, title, updated and an author; every entry an id, a title,
    an updated date and a link; ids are unique; dates are RFC 3339."""
    feed = ET.fromstring(_tree(project)[FEED])
    assert feed.tag == f"{A}feed"
    for name in ("id", "title", "updated"):
        assert feed.find(f"{A}{name}") is not None, name
    assert feed.findtext(f"{A}author/{A}name") == "Test scorecard"
    entries = feed.findall(f"{A}entry")
    assert len(entries) == 3  # the edition, and the two companies assessed in 2025
    ids = [feed.findtext(f"{A}id")] + [e.findtext(f"{A}id") for e in entries]
    assert len(set(ids)) == len(ids)
    assert all(i and i.startswith("urn:uuid:") for i in ids)
    for entry in entries:
        assert entry.findtext(f"{A}title")
        assert RFC3339.match(entry.findtext(f"{A}updated") or "")
        link = entry.find(f"{A}link")
        assert link is not None and link.get("rel") == "alternate" and link.get("href")
    assert RFC3339.match(feed.findtext(f"{A}updated") or "")


def test_feed_dates_come_from_the_data(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without SOURCE_DATE_EPOCH: the newest date in the data; with it: that day."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    feed = ET.fromstring(_tree(project)[FEED])
    assert feed.findtext(f"{A}updated") == "2025-06-01T00:00:00Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    assert ET.fromstring(_tree(project)[FEED]).findtext(f"{A}updated") == "2026-01-01T00:00:00Z"


def test_feed_escapes_untrusted_text(project: Path) -> None:
    """A company name full of markup stays text; characters XML cannot carry are dropped."""
    raw = _tree(project, _publication())[FEED]
    assert b"<script" not in raw and b"\x00" not in raw
    feed = ET.fromstring(raw)
    titles = [e.findtext(f"{A}title") or "" for e in feed.findall(f"{A}entry")]
    assert any(t.startswith(" ".join(HOSTILE_NAME.split())) for t in titles)
    summaries = [e.findtext(f"{A}summary") for e in feed.findall(f"{A}entry")]
    assert 'Wrong answer on A1.1 ]]> <script>alert(1)</script> & "quotes" end' in summaries


def test_corrections_are_in_the_feed_the_page_and_the_record(project: Path) -> None:
    tree = _tree(project, _publication())
    feed = ET.fromstring(tree[FEED])
    first = feed.findall(f"{A}entry")[0]
    assert first.findtext(f"{A}title") == "Correction to the 2025 edition (2025-07-03)"
    assert first.findtext(f"{A}updated") == "2025-07-03T00:00:00Z"
    assert feed.findtext(f"{A}updated") == "2025-07-03T00:00:00Z"
    page = tree[CHANGELOG].decode()
    record = next(e for e in elements(page) if e.attrs.get("id") == "changelog-corrections")
    assert record.attrs["data-count"] == "1" and record.attrs["data-published"] == "2025-06-02"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert Publication.from_dict(json.loads(tree[CORRECTIONS_JSON])) == _publication()


def test_a_plain_build_has_no_publication_record(project: Path) -> None:
    assert CORRECTIONS_JSON not in _tree(project)


def test_publication_record_round_trips() -> None:
    record = _publication()
    assert Publication.from_dict(record.to_dict()) == record


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "expected an object"),
        ({"edition": "2025", "published": "2025-01-01", "commit": "x"}, "'edition' must be a year"),
        ({"edition": 2025, "published": "", "commit": "x"}, "'published' must be a non-empty string"),
        ({"edition": 2025, "published": "d", "commit": "x", "corrections": [1]}, "'corrections' must be a list"),
        (
            {"edition": 2025, "published": "d", "commit": "x", "corrections": [{"date": "d", "commit": "x"}]},
            "'reason' must be a non-empty string",
        ),
    ],
)
def test_malformed_publication_record_is_refused(data: object, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        Publication.from_dict(data)


def test_xml_text_drops_what_xml_cannot_carry() -> None:
    assert xml_text("a\x00b\x08c\ud800d\uffffe\U0001f600 \t\n f") == "abcde\U0001f600 f"
