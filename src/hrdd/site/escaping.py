"""How the templates escape text: the one escaping function of hrdd's pages.

Every template is rendered with autoescaping on; the environment (hrdd.site.templates) prints each
value through ``escape_html``, so no page code escapes anything by hand. Values arrive as plain
data from the view models (hrdd.site.pages); only what hrdd itself draws (an SVG chart) is marked
safe, once, where it is made.
"""

from __future__ import annotations

import functools
import re
from html import escape

# Text that escape_html leaves as it is: words of no special character, single spaces between them.
PLAIN = re.compile(r"[^&<>\"'\s]+(?: [^&<>\"'\s]+)*")


def escape_html(text: object) -> str:
    """Escape for HTML text and attribute values; line breaks become spaces (raw HTML blocks
    must not contain blank lines, or Markdown would take over after them)."""
    return _escaped(text if isinstance(text, str) else str(text))


# Keyed by the text, never by the object: Decimal("1.0") == Decimal("1.00"), yet they print apart.
@functools.lru_cache(maxsize=65536)  # ids, labels and names recur on every page, thousands of times
def _escaped(text: str) -> str:
    # Most texts need nothing: one regular-expression match is several times cheaper than
    # splitting, joining and five replacements.
    if PLAIN.fullmatch(text) is not None:
        return text
    return escape(" ".join(text.split()), quote=True)
