"""The ranking's layout, measured in a real browser (issue 21 item 4): at 390 px each company's
rank, name and score are on screen without scrolling sideways; at 1280 px every column of a
ranking with ungp-core's 7 categories is, the total and every category score included."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import Served, Tab

pytestmark = pytest.mark.browser

# For each row of a table: the boxes of the given cells, and the table's scrolling box.
BOXES_JS = """([table, cols]) => {
  const t = document.getElementById(table);
  const wrap = t.closest(".md-typeset__scrollwrap") || t.parentElement;
  return {
    viewport: document.documentElement.clientWidth,
    pageScroll: document.scrollingElement.scrollWidth,
    wrap: {scroll: wrap.scrollWidth, client: wrap.clientWidth},
    rows: [...t.tBodies[0].rows].map(row => Object.fromEntries(cols.map(col => {
      const cell = col === "company" ? row.querySelector("th") : row.querySelector(`td[data-col="${col}"]`);
      const box = cell ? cell.getBoundingClientRect() : null;
      return [col, box && {left: box.left, right: box.right, width: box.width, height: box.height}];
    }))),
  };
}"""


def _measure(tab: Tab, width: int, table: str, cols: list[str]) -> dict[str, Any]:
    page = tab.page
    page.set_viewport_size({"width": width, "height": 900})
    tab.goto("ranking/")
    found: dict[str, Any] = page.evaluate(BOXES_JS, [table, cols])
    return found


def _on_screen(found: dict[str, Any], cols: list[str]) -> None:
    assert found["rows"], "no rows"
    assert found["pageScroll"] <= found["viewport"], "the page scrolls sideways"
    assert found["wrap"]["scroll"] <= found["wrap"]["client"], "the table scrolls sideways"
    for row in found["rows"]:
        for col in cols:
            box = row[col]
            assert box is not None and box["width"] > 0 and box["height"] > 0, (col, row)
            assert box["left"] >= 0 and box["right"] <= found["viewport"], (col, box, found["viewport"])


@pytest.mark.parametrize("table", ["ranking-independent", "ranking-sector-ict"])
def test_at_390_px_rank_name_and_score_are_on_screen(demo: Served, tab: Callable[..., Tab], table: str) -> None:
    """A phone (390 px): every row's rank, company and score cells lie inside the viewport, and
    neither the page nor the table scrolls sideways."""
    score = "core" if table == "ranking-independent" else "sector_total"
    cols = ["rank", "company", score]
    t = tab(demo)
    _on_screen(_measure(t, 390, table, cols), cols)
    assert not t.problems()


def test_at_1280_px_every_category_score_is_on_screen(demo: Served, tab: Callable[..., Tab]) -> None:
    """A desktop (1280 px): the ICT sector's ranking (ungp-core 2.0's 7 core categories and its
    module's) shows the rank, the scores and every category score inside the viewport, without
    a sideways scroll."""
    t = tab(demo)
    t.page.set_viewport_size({"width": 1280, "height": 900})
    t.goto("ranking/")
    cols: list[str] = t.page.evaluate(
        """() => [...document.querySelectorAll("#ranking-sector-ict thead th[data-col]")]
             .map(th => th.dataset.col).filter(c => c !== "company")"""
    )
    categories = [
        c
        for c in cols
        if c not in {"rank", "country", "assessor", "core", "sector_total", "rank_change", "score_change"}
    ]
    assert len(categories) >= 7, cols
    cols = ["company", *cols]
    _on_screen(_measure(t, 1280, "ranking-sector-ict", cols), cols)
    assert not t.problems()
