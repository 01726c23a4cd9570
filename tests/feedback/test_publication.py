"""After publication, the company page shows per answer that the company commented and what
came of it, and an overview line; the company's text stays inert like all assessment text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hrdd.site.build import build_site
from tests.site.conftest import HOSTILE_NAME, HOSTILE_TEXT, make_project

FEEDBACK = f"""\
company: mini-telecom
cycle: 2025
sources:
  - {{id: c1, url: "https://example.org/mini/report", title: {HOSTILE_NAME!r}}}
items:
  - {{element: A1.1, level: group, position: agree}}
  - element: A1.1
    level: opco
    position: disagree
    reason: {HOSTILE_TEXT!r}
    evidence: [{{source: c1, quote: "Applies to all subsidiaries."}}]
    response: {{outcome: not_accepted, reason: "The report names the group only."}}
  - element: A1.2
    level: opco
    position: disagree
    reason: "Published in March."
    response: {{outcome: accepted, old_answer: partial, new_answer: "yes"}}
"""


def _row(html: str, element: str, level: str) -> str:
    """An answer on the answers page: from its anchor to the next answer, element or indicator."""
    match = re.search(rf'<p id="a-{re.escape(element)}-{level}".*?(?=<p id="a-|<div id="e-|</section>)', html, re.S)
    assert match is not None, (element, level)
    return match.group(0)


@pytest.mark.slow
def test_published_page_shows_feedback_per_answer_and_overview(tmp_path: Path) -> None:
    """Agreement, a disagreement not accepted (with the company's evidence) and one accepted
    (old and new answers) show on their answers' rows; the overview counts them; hostile text
    in the feedback is escaped."""
    project = make_project(tmp_path / "project")
    (project / "assessments" / "mini-telecom" / "2025-feedback.yaml").write_text(FEEDBACK, encoding="utf-8")
    build_site(project)
    company = project / "site" / "companies" / "mini-telecom"
    overview = (company / "index.html").read_text(encoding="utf-8")
    assert (
        '<p class="hrdd-feedback-overview" data-search-exclude data-commented="3" data-changed="1">Before '
        "publication, the company commented on 3 answers; 1 was changed.</p>"
    ) in overview
    # The answers' rows are on the company's answers page, beside the overview (issue #21).
    html = (company / "answers" / "index.html").read_text(encoding="utf-8")
    agreed = _row(html, "A1.1", "group")
    assert 'data-position="agree" data-outcome="none"' in agreed and "agreed with this answer." in agreed
    refused = _row(html, "A1.1", "opco")
    assert 'data-position="disagree" data-outcome="not_accepted"' in refused
    assert "Not accepted: the answer stands.</p><p>The report names the group only.</p>" in refused
    assert "&lt;iframe src=https://evil.example&gt;&lt;/iframe&gt;" in refused
    assert 'href="https://example.org/mini/report"' in refused and "Applies to all subsidiaries." in refused
    changed = _row(html, "A1.2", "opco")
    assert "Accepted: the answer was changed from Partial to Yes." in changed
    assert "hrdd-feedback" not in _row(html, "A1.2", "group")
    for page in (overview, html):
        assert "<iframe" not in page and "<script>alert" not in page and "<img src=x" not in page
    # Pages of other cycles and companies have no feedback of their own.
    earlier = (project / "site" / "companies" / "mini-telecom" / "2024" / "index.html").read_text(encoding="utf-8")
    assert "hrdd-feedback" not in earlier
