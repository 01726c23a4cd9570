"""The Jinja2 templates hrdd's pages are rendered from, and the one environment that loads them.

The page templates ship in hrdd's theme layer, ``src/hrdd/site/theme/hrdd/`` (``.html`` files,
which MkDocs never copies into the site). A scorecard overrides one the way Material's users
override Material: a file of the same name under its ``theme.custom_dir``, e.g.
``overrides/hrdd/company.html``; the project's folder is searched first, hrdd's fills the rest.
An override may include or extend the template it replaces by the name ``hrdd-default/<name>``.

Two conventions keep the pages exactly what MkDocs expects (raw HTML blocks without blank lines
inside, Markdown headings and blank lines between blocks):

- a line break in a template, with the indentation of the next line, is not output: a template
  is written one element a line and renders on one line. ``{{ nl }}`` writes a line break.
- every ``{{ value }}`` is escaped (autoescaping): text and attributes alike, runs of whitespace
  folded into one space. Only values marked safe in Python (an SVG chart hrdd draws) pass as
  they are.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined, Template
from jinja2.ext import Extension
from markupsafe import Markup

from hrdd.site.pages.common import GENERATED, esc, safe_url
from hrdd.site.splice import detached
from hrdd.site.theme import PACKAGE_THEME

FOLDER = "hrdd"
"""The templates' folder inside the theme layer (and inside a project's ``custom_dir``)."""

DEFAULT = "hrdd-default"
"""Prefix of hrdd's own templates, e.g. ``hrdd-default/company/header.html``, whatever a project overrides."""

_LINE_BREAK = re.compile(r"\n[ \t]*")


class _JoinLines(Extension):
    """Drops each line break of a template source and the indentation after it."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return _LINE_BREAK.sub("", source)


def _finalize(value: object) -> object:
    # The escaping the pages always had: &quot; and &#x27; (markupsafe writes &#34; and &#39;)
    # and whitespace folded, so that a value never puts a blank line into a raw HTML block.
    if isinstance(value, Markup):
        return value
    return Markup(esc(value))


def _detached(html: str) -> Markup:
    """A raw HTML block kept out of MkDocs on the fast path (``hrdd.site.splice.detached``)."""
    text = str(html)
    if "\n\n" in text:
        raise ValueError("a raw HTML block may not contain a blank line")
    return Markup(detached(text))


def _front_title(title: str) -> Markup:
    # Material prints meta.title into <title> and the header unescaped, so it gets the escaped
    # text; JSON quoting keeps the YAML valid whatever the text holds.
    return Markup(json.dumps(esc(title), ensure_ascii=False))


@functools.lru_cache(maxsize=8)  # one per process and project: loading parses each template once
def environment(custom_dir: str = "") -> Environment:
    """The environment for a project whose ``theme.custom_dir`` is ``custom_dir`` ("" for none)."""
    hrdd = str(PACKAGE_THEME / FOLDER)
    search = [str(Path(custom_dir) / FOLDER), hrdd] if custom_dir else [hrdd]
    env = Environment(
        # "hrdd-default/company.html" is always hrdd's own: an override may include the one it replaces.
        loader=ChoiceLoader([FileSystemLoader(search), PrefixLoader({DEFAULT: FileSystemLoader(hrdd)})]),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        extensions=[_JoinLines],
        auto_reload=False,
        keep_trailing_newline=False,
    )
    env.globals["nl"] = Markup("\n")
    env.globals["generated"] = Markup(GENERATED)
    env.globals["safe_url"] = safe_url
    env.filters["detached"] = _detached
    env.filters["front_title"] = _front_title
    env.filters["num"] = lambda value: "n/a" if value is None else str(value)
    env.filters["data_num"] = lambda value: "" if value is None else str(value)
    env.filters["escaped"] = _finalize  # text joined with markup (|join would escape it otherwise)
    env.filters["as_text"] = str  # markup shown as text (a code example): escaped when printed
    return env


@functools.lru_cache(maxsize=64)
def template(custom_dir: str, name: str) -> Template:
    return environment(custom_dir).get_template(name)


def render(custom_dir: str, name: str, context: Mapping[str, Any]) -> str:
    """The template ``name`` (e.g. ``company.html``) rendered with ``context``."""
    return template(custom_dir, name).render(context)
