"""The overview's earlier cycles and replies (hrdd.site.pages.earlier, hrdd.site.pages.overview),
on the bundled demo: every earlier answer is on the overview with its points, its old address
sends readers (and a cited answer) there, and every reply links to the answer it concerns."""

from __future__ import annotations

import functools
import html
import json
import re

import pytest

from hrdd.project import Project
from hrdd.site import CompanyRecord, Scorecard
from hrdd.site.build import scorecard
from hrdd.site.data import SCORECARD_JSON, company_json_path, data_files
from hrdd.site.pages.common import _answer_label
from hrdd.site.pages.earlier import short_labels
from hrdd.site.render import Site, render_pages
from tests.conftest import REPO
from tests.site.sitecheck import elements


@functools.cache
def _card() -> Scorecard:
    return scorecard(Project.at(REPO))


@functools.cache
def _pages() -> dict[str, str]:
    site = Site(card=_card(), site_name="Test", site_url="https://scorecard.example.org/")
    return {p.path: p.text for p in render_pages(site)}


def _record(slug: str) -> CompanyRecord:
    return next(r for r in _card().companies if r.slug == slug)


def test_every_earlier_answer_is_on_the_overview_with_its_points() -> None:
    """Each answer of each earlier cycle (its independent assessment) has a row
    ``p-<element>-<level>`` on the overview, with that cycle's answer (its label, or the label's
    initials spelled out in the legend) and points in the cycle's column."""
    record = _record("paxtel")
    page = _pages()["companies/paxtel/index.md"]
    els = elements(page)
    legend = dict(re.findall(r'<abbr title="([^"]+)">([^<]+)</abbr>', page))
    columns = [e.attrs["id"] for e in els if e.tag == "th" and e.attrs.get("id", "").startswith("earlier-")]
    assert columns == [f"earlier-{c}" for c in record.cycles[1:]]
    rows = {}
    for m in re.finditer(r'<tr id="p-([^"]+)"><th>[^<]*</th>((?:<td>[^<]*</td>)+)</tr>', page):
        rows[m.group(1)] = re.findall(r"<td>([^<]*)</td>", m.group(2))
    checked = 0
    for n, cycle in enumerate(record.cycles[1:]):
        entry = record.primary(cycle)
        for es in entry.score.elements:
            label = _answer_label(entry.framework, es.answer)
            shown = rows[f"{es.element}-{es.level}"][n]
            short = legend.get(label, label)
            assert shown == (short if es.points is None else f"{short} {es.points}"), (es, shown)
            checked += 1
    assert checked > 50


def test_an_earlier_cycles_address_sends_readers_to_the_overview() -> None:
    """``companies/<slug>/<cycle>/`` is a small static file (not a page: no sitemap or search
    entry): a refresh and a link to the cycle's column on the overview, the overview as its
    canonical address, and a cited answer ``#a-<element>-<level>`` sent to its row there."""
    pages = _pages()
    stub = pages["companies/paxtel/2024/index.html"]
    assert "companies/paxtel/2024.md" not in pages
    assert len(stub.encode()) < 700
    assert '<meta http-equiv="refresh" content="0; url=../#earlier-2024">' in stub
    assert '<a href="../#earlier-2024">' in stub
    assert '<link rel="canonical" href="https://scorecard.example.org/companies/paxtel/">' in stub
    assert 'location.replace("../#p-" + location.hash.slice(3))' in stub
    assert 'id="earlier-2024"' in pages["companies/paxtel/index.md"]
    # The history table links each earlier cycle to its column.
    assert '<a href="./#earlier-2024">2024 assessment</a>' in pages["companies/paxtel/index.md"]


def test_the_overview_sends_readers_for_evidence_where_it_is() -> None:
    """The earlier answers and the data section point to the full dataset for the evidence, and
    it has the earlier cycles' answers with their evidence; the company's own file, linked for its
    scores, has no answers."""
    record = _record("paxtel")
    page = _pages()["companies/paxtel/index.md"]
    assert re.findall(r'<a href="([^"]+)"[^>]*>the full dataset</a>', page) == [f"../../{SCORECARD_JSON}"] * 2
    files = data_files(_card())
    full = json.loads(files[SCORECARD_JSON])["assessments"]
    earlier = [a for a in full if a["company"]["slug"] == "paxtel" and a["cycle"] < record.latest_cycle]
    assert earlier
    items = [item for a in earlier for by_level in a["answers"].values() for item in by_level.values()]
    assert any(item.get("evidence") for item in items)
    own = json.loads(files[company_json_path("paxtel")])["assessments"]
    assert own and not any("answers" in a for a in own)


def test_answer_labels_are_shortened_only_to_distinct_initials() -> None:
    """Labels of several words become their initials when no other label has them; a label of
    one word, or whose initials another label has or is, stays as it is."""
    assert short_labels(["Yes", "Partial", "No", "No disclosure found", "N/A"]) == {
        "Yes": "Yes",
        "Partial": "Partial",
        "No": "No",
        "No disclosure found": "NDF",
        "N/A": "N/A",
    }
    assert short_labels(["Not known", "No kind", "Next"]) == {
        "Not known": "Not known",
        "No kind": "No kind",
        "Next": "Next",
    }
    assert short_labels(["Not applicable", "NA"]) == {"Not applicable": "Not applicable", "NA": "NA"}


@pytest.mark.parametrize("slug", ["meridian-meet", "tessaline"])
def test_the_overview_lists_each_reply_with_a_link_to_its_answer(slug: str) -> None:
    """Every reply of the company to the latest independent assessment is listed in the reply
    section, cut when long, linking to the answer it concerns on the answers page (where an
    element with that id is)."""
    record = _record(slug)
    entry = record.independent(record.latest_cycle)
    assert entry is not None
    found = [
        (el, lv, answer.reply.text)
        for el, by_level in entry.assessment.answers.items()
        for lv, answer in by_level.items()
        if answer.reply is not None
    ]
    assert found
    pages = _pages()
    page = pages[f"companies/{slug}/index.md"]
    section = page.split('<ul id="reply-list">', 1)[1].split("</ul>", 1)[0]
    items = re.findall(r'<li><a href="([^"]+)">[^<]*</a>(?: <time[^>]*>[^<]*</time>)?: ([^<]*)</li>', section)
    assert len(items) == len(found)
    assert f'data-replies="{len(found)}"' in page
    targets = {href for href, _ in items}
    for el, lv, text in found:
        href = next(h for h in targets if h.endswith(f"#a-{el}-{lv}"))
        path, anchor = href.split("#")
        answers = pages[f"companies/{slug}/{path.rstrip('/')}.md"]
        assert f'id="{anchor}"' in answers
        shown = html.unescape(next(t for h, t in items if h == href))
        flat = " ".join(text.split())
        assert shown == flat if len(flat) <= 120 else (shown.endswith("…") and flat.startswith(shown[:-1]))
