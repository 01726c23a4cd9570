"""The one place hrdd relies on Jinja2's code generator: a faster way to print a value.

With autoescaping, Jinja2 compiles each ``{{ value }}`` to ``escape(environment.finalize(value))``:
hrdd's ``finalize`` (the escaping the pages always had: ``&quot;``, ``&#x27;``, whitespace
folded) and markupsafe's ``escape``, which makes a ``Markup`` object of every value. A company
page prints a hundred thousand values; those three calls per value made the templated pages
several times slower than the f-strings they replaced.

``CodeGenerator`` (``Environment.code_generator_class``, the documented way to change the code
a template compiles to) instead looks text up in the cache of ``escape_text`` directly and
passes anything else to the environment's ``finalize``, then ``escaped``, which does the whole
escaping once; both give the escaped text as ``str``: the same characters, at most one Python
call, no ``Markup`` per value. It replaces
two hook methods of Jinja2's code generator (``_output_child_pre`` and ``_output_child_post``),
private names read in the versions of ``PINNED``; ``problems`` says when the installed Jinja2
is another one, and ``hrdd.site.templates`` then uses the plain environment (Jinja2's own code
generator and ``escape``), which is also what tests/site/test_templates.py compares the fast one
with, page by page.
"""

from __future__ import annotations

import functools
import importlib.metadata
import inspect
from typing import Any

from jinja2 import Environment, nodes
from jinja2.compiler import CodeGenerator as JinjaCodeGenerator
from jinja2.compiler import Frame

from hrdd.site.escaping import escape_html

# The text a site's pages print: ids, labels, numbers recur on every page; a large project's
# pages print a few hundred thousand distinct values, and a cache smaller than that keeps
# evicting what the next page prints again (measured: 15 % of the rendering at 200 companies).
escape_text = functools.lru_cache(maxsize=2**18)(escape_html)

PINNED = {"jinja2": "3.1"}
"""The version (a release prefix) the code generator's hooks were read in: Jinja2 3.1.x."""

_HOOKS = {
    "_output_child_pre": ["self", "node", "frame", "finalize"],
    "_output_child_post": ["self", "node", "frame", "finalize"],
}
"""The hook methods replaced, with the arguments they take in the pinned version."""


def escaped(value: Any) -> str:
    """The text of ``value`` as a page prints it: markup (``__html__``) as it is, anything else
    escaped by ``escape_html`` (quotes as ``&quot;`` and ``&#x27;``, whitespace folded)."""
    if type(value) is str:  # most values: one cached look-up
        return escape_text(value)
    html = getattr(value, "__html__", None)
    if html is not None:
        return str(html())
    return escape_text(str(value))  # StrictUndefined raises here, as Jinja2's own str() would


TEXT = "hrdd_escape_text"
"""The environment's attribute holding ``escape_text`` (set by ``install``), for the compiled code."""


class CodeGenerator(JinjaCodeGenerator):
    """Jinja2's code generator, printing a value in every frame (with autoescaping, and, to stay
    inert, in an ``{% autoescape false %}`` block too) as
    ``(environment.hrdd_escape_text(v) if type(v := value) is str else environment.finalize(v))``:
    text, most of what a page prints, through the cache of ``escape_text`` without a Python call;
    anything else through ``escaped``."""

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        self.write(f"(environment.{TEXT}(_hrdd_v) if type(_hrdd_v := ")

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        self.write(") is str else environment.finalize(_hrdd_v))")


def install(env: Environment) -> None:
    """Make ``env`` (created with ``finalize=escaped``) compile templates with ``CodeGenerator``."""
    if env.finalize is not escaped:
        raise ValueError("the environment must be created with finalize=hrdd.site.jinja_private.escaped")
    env.code_generator_class = CodeGenerator
    setattr(env, TEXT, escape_text)


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def problems() -> list[str]:
    """Why the fast code generator cannot be used here, in words (nothing: it can)."""
    found = []
    for distribution, prefix in PINNED.items():
        version = _version(distribution)
        if version is None or not (version == prefix or version.startswith(prefix + ".")):
            found.append(
                f"{distribution} {version or '(not installed)'} is installed, but hrdd.site.jinja_private "
                f"was written against {distribution} {prefix}.x; read the new version's code generator "
                "(jinja2.compiler.CodeGenerator.visit_Output) and update the module and PINNED"
            )
    for name, expected in _HOOKS.items():
        method = getattr(JinjaCodeGenerator, name, None)
        if method is None:
            found.append(f"jinja2.compiler.CodeGenerator.{name} is gone")
            continue
        parameters = list(inspect.signature(method).parameters)
        if parameters != expected:
            found.append(
                f"jinja2.compiler.CodeGenerator.{name} takes ({', '.join(parameters[1:])}), "
                f"not ({', '.join(expected[1:])})"
            )
    return found


def usable() -> bool:
    return not problems()
