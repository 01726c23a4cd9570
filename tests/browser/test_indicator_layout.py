"""An indicator page's tables measured in a real browser: at 390 px every company's row (name,
score, change, link to its answers) and every element's answer counts are on screen without
scrolling sideways; at 1280 px too. RA4 has the most kinds of answer of the demo's indicators,
so the widest counts table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import Served, Tab

pytestmark = pytest.mark.browser

TABLES = ["indicator-scores-table", "indicator-self-scores-table", "indicator-tally", "indicator-self-tally"]

# For each table: every body row's cells' boxes, and the table's scrolling box.
BOXES_JS = """(ids) => {
  const out = {
    viewport: document.documentElement.clientWidth,
    pageScroll: document.scrollingElement.scrollWidth,
    tables: {},
  };
  for (const id of ids) {
    const t = document.getElementById(id);
    if (!t) continue;
    const wrap = t.closest(".md-typeset__scrollwrap") || t.parentElement;
    out.tables[id] = {
      wrap: {scroll: wrap.scrollWidth, client: wrap.clientWidth},
      rows: [...t.tBodies[0].rows].map(row => [...row.cells].map(cell => {
        const box = cell.getBoundingClientRect();
        return {left: box.left, right: box.right, width: box.width, text: cell.textContent};
      })),
    };
  }
  return out;
}"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", ["indicators/RA4/", "indicators/GD4/"])
def test_rows_fit_the_screen(demo: Served, tab: Callable[..., Tab], width: int, path: str) -> None:
    """Every cell of every row of the indicator's tables lies inside the viewport, and neither the
    page nor a table scrolls sideways (GD4, a family, has scores and no counts)."""
    t = tab(demo)
    t.page.set_viewport_size({"width": width, "height": 900})
    t.goto(path)
    found: dict[str, Any] = t.page.evaluate(BOXES_JS, TABLES)
    expected = {"indicator-scores-table", "indicator-self-scores-table"}
    if path == "indicators/RA4/":
        expected |= {"indicator-tally", "indicator-self-tally"}
    assert set(found["tables"]) == expected
    assert found["pageScroll"] <= found["viewport"], "the page scrolls sideways"
    for name, table in found["tables"].items():
        assert table["rows"], name
        assert table["wrap"]["scroll"] <= table["wrap"]["client"], f"{name} scrolls sideways"
        for row in table["rows"]:
            for cell in row:
                assert cell["width"] > 0 and cell["left"] >= 0 and cell["right"] <= found["viewport"], (name, cell)
    assert not t.problems()
