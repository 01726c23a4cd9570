"""Charts drawn at build time as inline SVG: no JavaScript, nothing loaded from elsewhere.

Every chart is ``role="img"`` with a ``<title>`` and a ``<desc>`` that states every value, and
prints each value as text beside its bar, so nothing depends on colour. Colours come from the
Okabe-Ito palette (safe for colour-blind readers) as ``fill`` attributes that the site's CSS
overrides per colour scheme; text uses ``currentColor`` so it follows the light or dark theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

# Okabe-Ito blue, vermillion, bluish green, reddish purple: told apart with every common colour-vision deficiency.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")

WIDTH = 640
BAR_AREA = 440
BAR_HEIGHT = 16
BAR_GAP = 4
LABEL_HEIGHT = 18
GROUP_GAP = 10
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"'


@dataclass(frozen=True, slots=True, kw_only=True)
class Series:
    name: str
    """Shown in the legend and the description, e.g. "Independent assessment"."""
    tag: str = ""
    """Printed after each value when a chart has several series, e.g. "self"."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Bar:
    label: str
    values: tuple[Decimal | None, ...]
    """One value per series, in the order of the series."""


def _num(value: Decimal | None) -> str:
    return "n/a" if value is None else str(value)


def _px(value: float) -> str:
    # Fixed precision keeps the output byte-identical across platforms.
    return f"{value:.1f}".removesuffix(".0")


def describe(series: Sequence[Series], bars: Sequence[Bar], scale_max: Decimal) -> str:
    """The chart's values as one sentence per series, for screen readers."""
    parts = []
    for n, s in enumerate(series):
        values = "; ".join(f"{bar.label}: {_num(bar.values[n])}" for bar in bars)
        parts.append(f"{s.name} (out of {scale_max}): {values}.")
    return " ".join(parts)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    series: Sequence[Series],
    bars: Sequence[Bar],
    scale_min: Decimal,
    scale_max: Decimal,
) -> str:
    """A horizontal bar chart: one group per bar label, one bar per series, value text at the end."""
    several = len(series) > 1
    group_height = LABEL_HEIGHT + len(series) * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP
    legend_height = LABEL_HEIGHT + 6 if several else 0
    height = legend_height + len(bars) * group_height
    span = scale_max - scale_min or Decimal(1)
    out = [
        f'<svg class="hrdd-chart" id="{escape(chart_id)}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'style="max-width:{WIDTH}px" xmlns="http://www.w3.org/2000/svg" {FONT} font-size="13">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(describe(series, bars, scale_max))}</desc>',
    ]
    if several:
        out.append(_legend(series))
    y = legend_height
    for bar in bars:
        out.append(f'<text x="0" y="{y + 13}" fill="currentColor" font-weight="600">{escape(bar.label)}</text>')
        by = y + LABEL_HEIGHT
        for n, s in enumerate(series):
            value = bar.values[n]
            out.append(
                f'<rect class="hrdd-track" x="0" y="{by}" width="{BAR_AREA}" height="{BAR_HEIGHT}" '
                f'fill="currentColor" fill-opacity="0.08"/>'
            )
            end = 0.0
            if value is not None:
                share = min(max((value - scale_min) / span, Decimal(0)), Decimal(1))
                end = float(share) * BAR_AREA
                out.append(
                    f'<rect class="hrdd-bar hrdd-series-{n}" x="0" y="{by}" width="{_px(end)}" '
                    f'height="{BAR_HEIGHT}" fill="{PALETTE[n % len(PALETTE)]}"/>'
                )
            text = _num(value) + (f" {s.tag}" if several and s.tag else "")
            out.append(f'<text x="{BAR_AREA + 8}" y="{by + 12}" fill="currentColor">{escape(text)}</text>')
            by += BAR_HEIGHT + BAR_GAP
        y += group_height
    out.append("</svg>")
    return "".join(out)


def _legend(series: Sequence[Series]) -> str:
    parts = []
    x = 0
    for n, s in enumerate(series):
        parts.append(
            f'<rect class="hrdd-bar hrdd-series-{n}" x="{x}" y="2" width="14" height="14" '
            f'fill="{PALETTE[n % len(PALETTE)]}"/>'
            f'<text x="{x + 20}" y="14" fill="currentColor">{escape(s.name)}</text>'
        )
        x += 20 + 8 * len(s.name) + 24
    return "".join(parts)
