"""The schema step: reading a file, the JSON Schema check (with jsonschema-rs as a fast path),
its errors worded for people, the limits, and taking out what failed so the rest can be checked."""

from __future__ import annotations

import copy
import difflib
import functools
import importlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from hrdd import limits
from hrdd.check.result import FileResult, Problem
from hrdd.errors import YamlError
from hrdd.project import schema_dir
from hrdd.yamlio import Document, JsonPath, dotted, parse_yaml, read_yaml

# --- schemas -----------------------------------------------------------------------------


@cache
def schema_validator(name: str) -> Draft202012Validator:
    # Built once per process: building a validator costs more than validating a file.
    schema = json.loads((schema_dir() / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


use_jsonschema_rs: bool = True
"""Whether the schema check may use jsonschema-rs, when installed, to pass valid files quickly."""


@cache
def fast_schema_check(name: str) -> Callable[[Any], bool] | None:
    """jsonschema-rs's ``is_valid`` for a schema, or None when jsonschema-rs is not installed.

    ``jsonschema`` stays the reference: it is 30 times slower, so jsonschema-rs only answers
    "valid" quickly, and every file it does not pass is checked again by ``jsonschema``, which
    finds and words the problems. For the two to agree, the schema given to jsonschema-rs has
    its ``pattern`` and ``format`` keywords replaced by custom formats that call back into the
    same Python code ``jsonschema`` uses (``re.search`` and its format checker): Python's and
    Rust's regular expressions disagree at the edges (``$`` before a final newline, ``\\s``).
    A schema using any other keyword that depends on a regex dialect is not handed over.
    tests/unit/test_perf_equivalence.py checks that both agree on every test document.
    """
    try:
        rs = importlib.import_module("jsonschema_rs")
    except ImportError:
        return None
    schema = json.loads((schema_dir() / f"{name}.schema.json").read_text(encoding="utf-8"))
    formats: dict[str, Callable[[str], bool]] = {}
    try:
        converted = _python_semantics(schema, formats)
        validator = rs.Draft202012Validator(converted, formats=formats, validate_formats=True)
    except Exception:  # noqa: BLE001 - a schema it cannot take, or another jsonschema-rs API: go without
        return None

    def is_valid(instance: Any) -> bool:
        try:
            return bool(validator.is_valid(instance))
        except Exception:  # noqa: BLE001 - e.g. a lone surrogate cannot cross into Rust: let jsonschema decide
            return False

    return is_valid


class _NotConvertible(Exception):
    """The schema uses a keyword whose meaning jsonschema-rs might not share with jsonschema."""


def _python_semantics(schema: Any, formats: dict[str, Callable[[str], bool]]) -> Any:
    """A copy of ``schema`` whose ``pattern`` and ``format`` checks run Python's code."""
    if isinstance(schema, list):
        return [_python_semantics(item, formats) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "patternProperties" in schema or "$dynamicRef" in schema:
        raise _NotConvertible
    converted = {key: _python_semantics(value, formats) for key, value in schema.items() if key != "pattern"}
    extra: list[dict[str, str]] = []
    if isinstance(schema.get("format"), str):
        name = f"hrdd-format:{schema['format']}"
        checker = Draft202012Validator.FORMAT_CHECKER
        formats[name] = functools.partial(checker.conforms, format=schema["format"])
        converted["format"] = name
    if isinstance(schema.get("pattern"), str):
        name = f"hrdd-pattern:{schema['pattern']}"
        # jsonschema's "pattern" keyword is re.search on strings; formats only see strings too.
        formats[name] = functools.partial(_search, re.compile(schema["pattern"]))
        extra.append({"format": name})
    if extra:
        converted["allOf"] = [*converted.get("allOf", []), *extra]
    return converted


def _search(pattern: re.Pattern[str], text: str) -> bool:
    return pattern.search(text) is not None


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping (key: value lines)",
    "array": "a list (lines starting with -)",
    "null": "nothing",
}


def describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def schema_problems(doc: Document, kind: str, shown: str) -> list[Problem]:
    return translated(schema_errors(doc, kind), doc, shown)


def schema_errors(doc: Document, kind: str) -> list[ValidationError]:
    if use_jsonschema_rs:
        fast = fast_schema_check(kind)
        if fast is not None and fast(doc.data):
            return []
    return list(schema_validator(kind).iter_errors(doc.data))


def translated(errors: list[ValidationError], doc: Document, shown: str) -> list[Problem]:
    problems: list[Problem] = []
    for error in errors:
        problems.extend(_translate(error, doc, shown))
    return problems


def _translate(error: ValidationError, doc: Document, shown: str) -> Iterator[Problem]:
    where: JsonPath = tuple(error.absolute_path)
    name = dotted(where)
    value: Any = error.instance
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    keyword = str(error.validator)
    if keyword == "additionalProperties" and isinstance(value, dict):
        # One problem per unknown key, each at the key itself.
        allowed = sorted(schema.get("properties", {}))
        for extra in sorted(set(value) - set(allowed)):
            hint = difflib.get_close_matches(extra, allowed, n=1)
            tip = f"did you mean {hint[0]!r}?" if hint else f"allowed: {', '.join(allowed)}"
            ln, cl = doc.locate((*where, extra), key=True)
            yield Problem(shown, ln, cl, f"{name}: unknown property {extra!r}; {tip}", code=f"schema.{keyword}")
        return
    line, col = doc.locate(where)
    # validator_value is typed loosely by jsonschema; it is the keyword's value in the schema.
    message = _message(keyword, name, value, schema, error.validator_value, error.message)
    yield Problem(shown, line, col, message, f"schema.{keyword}")


def _message(keyword: str, name: str, value: Any, schema: dict[str, Any], expected_value: Any, raw: str) -> str:
    """The wording of one schema error at ``name``: what is wrong and what to do."""
    if keyword == "required":
        missing = re.findall(r"'([^']+)' is a required property", raw)
        prop = missing[0] if missing else str(expected_value)
        return f"{name}: missing required property {prop!r}; add it"
    if keyword == "type":
        expected_list = expected_value if isinstance(expected_value, list) else [expected_value]
        words = " or ".join(_TYPE_WORDS.get(str(t), str(t)) for t in expected_list)
        tip = ""
        if "string" in expected_list and isinstance(value, (bool, int, float)):
            tip = f'; put it in quotes ("{_yaml_text(value)}")'
        return f"{name}: expected {words}, found {describe(value)}{tip}"
    if keyword == "enum":
        options = ", ".join(str(v) for v in expected_value)
        return f"{name}: {value!r} is not allowed; use one of: {options}"
    if keyword == "pattern":
        description = schema.get("description", "")
        if str(expected_value).startswith("^https?"):
            return f"{name}: {_short(value)} is not an http(s) link; only http:// and https:// links are accepted"
        return f"{name}: {_short(value)} does not have the required form. {description}".rstrip()
    if keyword == "format":
        return f"{name}: {_short(value)} is not a valid {expected_value} (write YYYY-MM-DD)"
    if keyword == "minLength" and isinstance(value, str) and not value:
        return f"{name}: must not be empty"
    if keyword == "maxLength":
        return f"{name}: is {len(value)} characters long, over the limit of {expected_value}"
    if keyword == "minItems":
        return f"{name}: needs at least {expected_value} entr{'y' if expected_value == 1 else 'ies'}"
    if keyword == "oneOf" and "elements" in str(expected_value):
        return f"{name}: an indicator needs either elements or subindicators (not both, not neither)"
    return f"{name}: {raw}"


def _yaml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "...'"


def read_document(path: Path, shown: str, result: FileResult, raw: bytes | None = None) -> Document | None:
    try:
        doc = read_yaml(path) if raw is None else parse_yaml(raw, path)
    except YamlError as exc:
        result.problems.append(Problem(shown, exc.line, exc.col, exc.message, "yaml"))
        return None
    if not isinstance(doc.data, dict):
        result.problems.append(
            Problem(
                shown, 1, 1, f"expected a mapping (key: value lines) at the top, found {describe(doc.data)}", "yaml"
            )
        )
        return None
    return doc


def limit_problems(doc: Document, kind: str, shown: str) -> list[Problem]:
    """What the site could not render (``hrdd.limits``), in the order of the file."""
    found = [
        located(doc, shown, where, message, code, key) for where, message, code, key in limits.problems(doc.data, kind)
    ]
    return sorted(found)


def located(doc: Document, shown: str, where: JsonPath, message: str, code: str, key: bool = False) -> Problem:
    line, col = doc.locate(where, key=key)
    return Problem(shown, line, col, message, code)


@dataclass(frozen=True, slots=True)
class Skipped:
    """What ``pass_the_schema`` removed from a file so that its other parts can be checked:
    the semantic checks must not report the consequences (a "missing" answer, an "unknown"
    source) of a part already reported by the schema."""

    answers: frozenset[tuple[str, ...]] = frozenset()
    """(element,) or (element, level) of answers removed."""
    sources: frozenset[str] = frozenset()
    """Ids of sources removed: references to them are not unknown."""


_SCHEMA_ROUNDS = 8

# Descriptive fields that no other check reads: when one fails the schema, a stand-in (or,
# for None, nothing) takes its place so that the rest of the file is still checked. None of them
# is one of hrdd.placeholders (that check would report the stand-in).
_STAND_INS: dict[tuple[str, ...], dict[str, str | None]] = {
    ("company",): {
        "name": "-",
        "sector": "-",
        "country": "XX",
        "website": None,
        "fictional": None,
        "description": None,
    },
    ("assessor",): {"name": "-", "url": None, "contact": None},
}


def pass_the_schema(data: Any, errors: list[ValidationError]) -> tuple[dict[str, Any], Skipped] | None:
    """A copy of an assessment's data with what failed the schema taken out, or None when
    what failed cannot be taken out without changing what the other checks mean.

    Unknown properties are dropped; an answer, a source or an incident with a problem is
    dropped whole (they are independent units: nothing else is judged through them, except
    source ids, which ``Skipped`` keeps). A problem anywhere else (company, framework, cycle,
    assessor, status, dates, levels) stops here: every answer is judged through those.
    """
    if not isinstance(data, dict):
        return None
    # Copied only once the first errors are known to be of a kind that can be taken out.
    copied = False
    answers: set[tuple[str, ...]] = set()
    sources: set[str] = set()
    validator = schema_validator("assessment")
    for n in range(_SCHEMA_ROUNDS):
        if n > 0:
            errors = list(validator.iter_errors(data))
        if not errors:
            return data, Skipped(frozenset(answers), frozenset(sources))
        drop_keys: set[tuple[Any, ...]] = set()
        units: set[tuple[Any, ...]] = set()
        stand_ins: set[tuple[Any, ...]] = set()
        for error in errors:
            where: tuple[Any, ...] = tuple(error.absolute_path)
            schema = error.schema if isinstance(error.schema, dict) else {}
            if (
                error.validator == "additionalProperties"
                and isinstance(error.instance, dict)
                and "patternProperties" not in schema
            ):
                allowed = set(schema.get("properties", {}))
                drop_keys.update((*where, extra) for extra in error.instance if extra not in allowed)
                continue
            if error.validator == "required" and where in _STAND_INS:
                missing = re.findall(r"'([^']+)' is a required property", error.message)
                if missing and missing[0] in _STAND_INS[where]:
                    stand_ins.add((*where, missing[0]))
                    continue
                return None
            if len(where) >= 2 and where[:1] in _STAND_INS and where[1] in _STAND_INS[where[:1]]:
                stand_ins.add(where[:2])
                continue
            unit = _unit_of(where)
            if unit is None:
                return None
            units.add(unit)
        if not copied:
            data, copied = copy.deepcopy(data), True
        for at in stand_ins:
            parent = _walk(data, at[:-1])
            if not isinstance(parent, dict):
                return None
            stand_in = _STAND_INS[at[:-1]][at[-1]]
            if stand_in is None:
                parent.pop(at[-1], None)
            else:
                parent[at[-1]] = stand_in
        for key_path in drop_keys:
            parent = _walk(data, key_path[:-1])
            if isinstance(parent, dict):
                parent.pop(key_path[-1], None)
        for unit in (u for u in units if u[0] == "answers"):
            answers.add(tuple(str(x) for x in unit[1:]))
            parent = _walk(data, unit[:-1])
            if isinstance(parent, dict):
                parent.pop(unit[-1], None)
        # Sources and incidents are dropped from the end so that the indexes of the others hold.
        for unit in sorted((u for u in units if u[0] != "answers"), reverse=True):
            parent = _walk(data, unit[:-1])
            if not isinstance(parent, list) or unit[-1] >= len(parent):
                return None
            item = parent.pop(unit[-1])
            if unit[0] == "sources" and isinstance(item, dict) and isinstance(item.get("id"), str):
                sources.add(item["id"])
    return None


def _unit_of(where: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The answer, source or incident that a schema problem at ``where`` is in, if any."""
    if len(where) >= 2 and where[0] == "answers":
        return where[:3]
    if len(where) >= 2 and where[0] in ("sources", "incidents") and isinstance(where[1], int):
        return where[:2]
    return None


def _walk(data: Any, where: tuple[Any, ...]) -> Any:
    for step in where:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data
