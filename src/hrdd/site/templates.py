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
import gc
import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined, Template
from jinja2.ext import Extension
from markupsafe import Markup

from hrdd.site import jinja_private
from hrdd.site.escaping import PLAIN, escape_html
from hrdd.site.pages.common import GENERATED, safe_url
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
    text = value if isinstance(value, str) else str(value)
    # Plain text (most values: ids, numbers, names) is left to autoescaping, which leaves it as
    # it is: cheaper than making markup of it here.
    return text if PLAIN.fullmatch(text) is not None else Markup(escape_html(text))


def _detached(html: str) -> Markup:
    """A raw HTML block kept out of MkDocs on the fast path (``hrdd.site.splice.detached``)."""
    text = str(html)
    if "\n\n" in text:
        raise ValueError("a raw HTML block may not contain a blank line")
    return Markup(detached(text))


def _front_title(title: str) -> Markup:
    # Material prints meta.title into <title> and the header unescaped, so it gets the escaped
    # text; JSON quoting keeps the YAML valid whatever the text holds.
    return Markup(json.dumps(escape_html(title), ensure_ascii=False))


def fingerprint(custom_dir: str) -> str:
    """A key of the project's page templates' content ("" without any): a build whose key
    differs renders again instead of reusing pages (``hrdd serve``) and loads them afresh."""
    folder = Path(custom_dir) / FOLDER if custom_dir else None
    if folder is None or not folder.is_dir():
        return ""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.lru_cache(maxsize=8)  # one per process and project: loading parses each template once
def environment(custom_dir: str = "", key: str = "", plain: bool = False) -> Environment:
    """The environment for a project whose ``theme.custom_dir`` is ``custom_dir`` ("" for none);
    ``key`` is the templates' ``fingerprint``: changed templates get a new environment.

    Values are printed through ``hrdd.site.jinja_private`` (one call a value), unless ``plain``
    or the installed Jinja2 is not the one it was written for: then through Jinja2's own
    ``escape`` and ``_finalize``. Both print the same characters (tests/site/test_templates.py)."""
    hrdd = str(PACKAGE_THEME / FOLDER)
    search = [str(Path(custom_dir) / FOLDER), hrdd] if custom_dir else [hrdd]
    fast = not plain and jinja_private.usable()
    env = Environment(
        # "hrdd-default/company.html" is always hrdd's own: an override may include the one it replaces.
        loader=ChoiceLoader([FileSystemLoader(search), PrefixLoader({DEFAULT: FileSystemLoader(hrdd)})]),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=jinja_private.escaped if fast else _finalize,
        extensions=[_JoinLines],
        auto_reload=False,
        keep_trailing_newline=False,
    )
    if fast:
        jinja_private.install(env)
    # Sources are cited many times on a page: their link and facts are rendered once, keyed by
    # the source's content (a frozen dataclass), through macros.html (so an override applies).
    env.globals["cached_source_link"] = _cached_macro(env, "source_link")
    env.globals["cached_source_facts"] = _cached_macro(env, "source_facts")
    env.globals["nl"] = Markup("\n")
    env.globals["generated"] = Markup(GENERATED)
    env.globals["safe_url"] = safe_url
    env.filters["detached"] = _detached
    env.filters["front_title"] = _front_title
    env.filters["num"] = lambda value: "n/a" if value is None else str(value)
    env.filters["data_num"] = lambda value: "" if value is None else str(value)
    env.filters["escaped"] = _finalize  # text joined with markup (|join would escape it otherwise)
    env.filters["as_text"] = str  # markup shown as text (a code example): escaped when printed
    # Rows that recur on many pages (a company's row on every indicator page) are rendered once
    # per content: row|cached("indicator/macros.html", "score_row_start") calls that macro (a
    # filter: cheaper to call from a template than a function).
    env.filters["cached"] = _cached_caller(env)
    return env


def _cached_macro(env: Environment, name: str) -> Callable[[Any], Markup]:
    @functools.lru_cache(maxsize=4096)
    def call(value: Any) -> Markup:
        return Markup(getattr(env.get_template("macros.html").module, name)(value))

    return call


def _cached_caller(env: Environment) -> Callable[[str, str, Any], Markup]:
    # Keyed by the template's name, the macro's and the value's content (a tuple or a frozen
    # dataclass), never by identity; an override of the template applies (it is looked up by name).
    @functools.lru_cache(maxsize=65536)
    def call(value: Any, name: str, macro: str) -> Markup:
        return Markup(getattr(env.get_template(name).module, macro)(value))

    return call


@functools.lru_cache(maxsize=64)
def template(custom_dir: str, key: str, name: str, plain: bool = False) -> Template:
    return environment(custom_dir, key, plain).get_template(name)


def render(custom_dir: str, key: str, name: str, context: Mapping[str, Any], plain: bool = False) -> str:
    """The template ``name`` (e.g. ``company.html``) of the project whose ``theme.custom_dir``
    is ``custom_dir`` and whose templates' fingerprint is ``key``, rendered with ``context``
    (through Jinja2's own escaping with ``plain``: see ``environment``)."""
    return template(custom_dir, key, name, plain).render(context)


@contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic garbage collection in the block (unless it is off already).

    A company page's view model is thousands of small objects alive while the page is
    rendered; collections during that time would move them into the oldest generation, and
    each full collection then walks the whole scorecard in memory: with 200 companies that cost
    more than the rendering itself. Paused, they are freed by their reference counts when the
    page is done, without ever being collected; the next collection finds only what survived."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
