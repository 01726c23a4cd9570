"""Inline SVG charts: exact output, accessibility and escaping."""

from __future__ import annotations

from decimal import Decimal

from hrdd.site.charts import Bar, Series, bar_chart, describe
from tests.site.sitecheck import elements

EXPECTED = (
    '<svg class="hrdd-chart" id="c" role="img" aria-labelledby="c-title c-desc" viewBox="0 0 640 96" width="100%" '
    'preserveAspectRatio="xMinYMin meet" style="max-width:640px" xmlns="http://www.w3.org/2000/svg" '
    'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="13">'
    '<title id="c-title">T</title><desc id="c-desc">Total (out of 100): Acme: 62.50; Beta: n/a.</desc>'
    '<text x="0" y="13" fill="currentColor" font-weight="600">Acme</text>'
    '<rect class="hrdd-track" x="0" y="18" width="440" height="16" fill="currentColor" fill-opacity="0.08"/>'
    '<rect class="hrdd-bar hrdd-series-0" x="0" y="18" width="275" height="16" fill="#0072B2"/>'
    '<text x="448" y="30" fill="currentColor">62.50</text>'
    '<text x="0" y="61" fill="currentColor" font-weight="600">Beta</text>'
    '<rect class="hrdd-track" x="0" y="66" width="440" height="16" fill="currentColor" fill-opacity="0.08"/>'
    '<text x="448" y="78" fill="currentColor">n/a</text></svg>'
)


def _chart(*bars: Bar, series: tuple[Series, ...] = (Series(name="Total"),)) -> str:
    return bar_chart(chart_id="c", title="T", series=series, bars=bars, scale_min=Decimal(0), scale_max=Decimal(100))


def test_bar_chart_exact_output() -> None:
    """One bar per value, scaled to the range, with its value as text; no bar for a missing value."""
    assert _chart(Bar(label="Acme", values=(Decimal("62.50"),)), Bar(label="Beta", values=(None,))) == EXPECTED


def test_chart_is_an_image_named_and_described_by_its_title_and_desc() -> None:
    """role=img, and aria-labelledby points at the title and the desc, which states every value."""
    svg = _chart(Bar(label="Acme", values=(Decimal("10.00"),)))
    els = {e.tag: e for e in elements(svg)}
    assert els["svg"].attrs["role"] == "img"
    assert els["svg"].attrs["aria-labelledby"].split() == [els["title"].attrs["id"], els["desc"].attrs["id"]]
    assert els["desc"].text == "Total (out of 100): Acme: 10.00."


def test_text_uses_current_color_so_it_follows_the_theme() -> None:
    svg = _chart(Bar(label="Acme", values=(Decimal("10.00"),)))
    assert all(e.attrs.get("fill") == "currentColor" for e in elements(svg) if e.tag == "text")


def test_several_series_have_a_legend_and_tag_each_value() -> None:
    """With two series, every value says which series it is, so colour is never the only cue."""
    series = (Series(name="Independent assessment", tag="(independent)"), Series(name="Self-assessment", tag="(self)"))
    svg = _chart(Bar(label="Total", values=(Decimal("40.00"), Decimal("60.00"))), series=series)
    texts = [e.text for e in elements(svg) if e.tag == "text"]
    assert texts == ["Independent assessment", "Self-assessment", "Total", "40.00 (independent)", "60.00 (self)"]
    assert describe(series, [Bar(label="Total", values=(Decimal("40.00"), Decimal("60.00")))], Decimal(100)) == (
        "Independent assessment (out of 100): Total: 40.00. Self-assessment (out of 100): Total: 60.00."
    )


def test_values_outside_the_scale_are_clamped() -> None:
    svg = _chart(Bar(label="A", values=(Decimal(150),)), Bar(label="B", values=(Decimal(-5),)))
    widths = [e.attrs["width"] for e in elements(svg) if "hrdd-bar" in e.attrs.get("class", "")]
    assert widths == ["440", "0"]


def test_labels_and_titles_are_escaped() -> None:
    """A company name with markup stays text inside the SVG."""
    svg = bar_chart(
        chart_id="c",
        title="<script>alert(1)</script>",
        series=[Series(name='"><img src=x onerror=alert(1)>')],
        bars=[Bar(label="<b>x</b>", values=(Decimal(1),))],
        scale_min=Decimal(0),
        scale_max=Decimal(100),
    )
    assert {e.tag for e in elements(svg)} == {"svg", "title", "desc", "text", "rect"}
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
