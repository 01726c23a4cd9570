"""Company page wording: a research period without dates is left out rather than printed as "not
stated to not stated", and a level whose name already says its kind is not followed by the kind
again ("(whole company) (Whole company)")."""

from __future__ import annotations

import dataclasses

import pytest

from hrdd.models import Dates
from hrdd.site import Scorecard
from hrdd.site.render import Site, render_pages
from tests.site.answers_shown import shown_answers
from tests.site.conftest import mini_card
from tests.site.sitecheck import elements
from tests.site.test_render import _html

PAGE = "companies/mini-telecom/index.md"
ANSWERS = "companies/mini-telecom/answers.md"


def _card(**changes: object) -> Scorecard:
    """The mini scorecard with its one assessment changed (``dates`` or ``levels``)."""
    card = mini_card()
    entry = card.entries[0]
    changed = dataclasses.replace(entry.assessment, **changes)  # type: ignore[arg-type]
    return dataclasses.replace(card, entries=(entry.with_assessment(changed),))


def _facts(card: Scorecard) -> dict[str, str]:
    """The assessment's facts on the company page: <dt> text -> <dd> text, in order."""
    page = next(p.text for p in render_pages(Site(card=card, site_name="Test")) if p.path == PAGE)
    els = elements(_html(page))
    who = next(i for i, e in enumerate(els) if e.attrs.get("id") == "who")
    terms = [e for e in els[who:] if e.tag in ("dt", "dd")]
    facts: dict[str, str] = {}
    for term, value in zip(terms[::2], terms[1::2], strict=True):
        assert (term.tag, value.tag) == ("dt", "dd")
        facts.setdefault(term.text.strip(), " ".join(value.text.split()))
    return facts


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        ("2025-01-01", "2025-03-31", "2025-01-01 to 2025-03-31"),
        ("2025-01-01", None, "from 2025-01-01"),
        (None, "2025-03-31", "until 2025-03-31"),
        (None, None, None),
    ],
)
def test_research_period_shows_only_the_dates_given(start: str | None, end: str | None, shown: str | None) -> None:
    """Both dates: "start to end"; one: that end; none: no research period at all, and never
    "not stated"."""
    a = mini_card().entries[0].assessment
    facts = _facts(_card(dates=Dates(research_start=start, research_end=end, published=a.dates.published)))
    assert facts.get("Research period") == shown
    assert "Published" in facts and "Assessed by" in facts
    assert not any("not stated to" in v or "to not stated" in v for v in facts.values())


def test_level_names_that_say_their_kind_are_not_followed_by_it_again() -> None:
    """The kind is added after a level's name only when the name does not already contain it
    (case aside): "Mini Group (group)" stays as it is, "Mini Opco" becomes "Mini Opco (Operating
    company)". The answers page says each level's kind once, in its list of levels; an answer
    names its level alone (issue #21 item 10: level labels are not repeated)."""
    a = mini_card().entries[0].assessment
    levels = tuple(dataclasses.replace(lv, name="Mini Group (group)") if lv.id == "group" else lv for lv in a.levels)
    # The answers by level are on the company's answers page (ANSWERS), no longer on its overview.
    page = next(p.text for p in render_pages(Site(card=_card(levels=levels), site_name="Test")) if p.path == ANSWERS)
    els = elements(_html(page))
    listed = " ".join(next(e for e in els if e.attrs.get("id") == "answer-levels").text.split())
    assert listed.startswith("Levels assessed: Mini Group (group); Mini Opco (Operating company); ")
    leads = [lead for lead, _ in shown_answers(_html(page)).values()]
    assert any(lead.startswith("Mini Opco: ") for lead in leads), leads
    assert not [lead for lead in leads if "(Operating company)" in lead or "(group) (group)" in lead.casefold()]
