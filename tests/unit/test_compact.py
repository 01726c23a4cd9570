"""Whitespace compaction of built pages (hrdd.site.compact): what a browser shows stays the same,
and the fast path agrees with the plain one. Real pages: tests/site/test_zensical.py."""

from __future__ import annotations

import pytest

from hrdd.site.compact import compact, compact_plain

CASES = [
    # (page, compacted)
    ("<ul>\n    <li>a</li>\n\n    <li>b</li>\n</ul>", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
    ("<p>two  spaces stay, \t tabs too</p>", "<p>two  spaces stay, \t tabs too</p>"),
    ("<p>a   \n   b</p>", "<p>a\nb</p>"),
    ("<p>a\r\n\r\n  b</p>", "<p>a\nb</p>"),
    ("\n\n  <!doctype html>\n  <html>", "\n<!doctype html>\n<html>"),
    ("<p>a\u00a0\n\u00a0b</p>", "<p>a\u00a0\n\u00a0b</p>"),  # no-break spaces are text
    ("<pre>  a\n\n    b  </pre>\n\n<p>x</p>", "<pre>  a\n\n    b  </pre>\n<p>x</p>"),
    ("<PRE>\n  keep\n</PRE>  \n  ", "<PRE>\n  keep\n</PRE>\n"),
    ("<textarea>\n  x\n</textarea>", "<textarea>\n  x\n</textarea>"),
    ("<script>\nvar a = 1\n  \n  var b = 2\n</script>", "<script>\nvar a = 1\n  \n  var b = 2\n</script>"),
    ("<style>\n  a { }\n\n</style>", "<style>\n  a { }\n\n</style>"),
    (
        "<p><code>a\n   b</code>  \n  <kbd>x\n  y</kbd> <samp>\n\n</samp></p>",
        "<p><code>a\n   b</code>\n<kbd>x\n  y</kbd> <samp>\n\n</samp></p>",
    ),
    ("<!-- a\n\n   b -->\n\n<p>x</p>", "<!-- a\n\n   b -->\n<p>x</p>"),
    (
        '<a title="line one\n    line two"\n     href="x">t\n\n</a>',
        '<a title="line one\n    line two"\n     href="x">t\n</a>',
    ),
    ("<a title='x\n  y' href=\"a > b\n   c\">t</a>\n  <b>", "<a title='x\n  y' href=\"a > b\n   c\">t</a>\n<b>"),
    ('<div data-x="1 > 0"\n   class="c">\n   text</div>', '<div data-x="1 > 0"\n   class="c">\ntext</div>'),
    ("<p>a < b\n   c</p>", "<p>a < b\nc</p>"),
    ("", ""),
    ("  \n", "\n"),
    ("no line break at all   ", "no line break at all   "),
]


@pytest.mark.parametrize(("page", "expected"), CASES)
def test_runs_with_a_line_break_become_one_line_break_outside_kept_markup(page: str, expected: str) -> None:
    """Whitespace holding a line break, in text, becomes one line break; whitespace inside
    pre, textarea, script, style, code, kbd and samp, comments and tags (attribute values) stays,
    and so do runs of spaces without a line break."""
    assert compact(page) == expected
    assert compact_plain(page) == expected


@pytest.mark.parametrize(("page", "expected"), CASES)
def test_compaction_is_idempotent(page: str, expected: str) -> None:
    """A page is compacted by the process that built it; compacting again changes nothing."""
    assert compact(expected) == expected
