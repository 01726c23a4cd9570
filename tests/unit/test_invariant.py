"""The invariant: whatever the validator accepts, the build renders (no "bug in hrdd", exit 3).

Documents are generated from the JSON Schemas, biased toward what broke the build before
(tests/cases/invalid: line breaks in one-line fields, control characters and lone surrogates
written as YAML escapes, overflowing and over-long numbers, far dates, markup): every leaf of a
complete, valid assessment (and framework) may be replaced by a value drawn from the leaf's own
schema (``hypothesis_jsonschema.from_schema`` on a draft-07 rendering of it) or by hostile text.
The documents are written as YAML with every string double-quoted and escaped as JSON escapes it
(so ``"\\ud800"`` reaches the reader as an escape, as a stranger's file would write it), checked
by the validator, and those it accepts are rendered: every page and data file, without MkDocs
(``hrdd.site.build.generate``); a few full ``hrdd build`` runs are below.

hypothesis-jsonschema 0.23 cannot build objects with the Hypothesis this project uses (its
object strategy calls an API Hypothesis removed), so objects are built here and only leaves
(strings with their patterns and formats, numbers with their bounds) come from it.

Examples: ``HRDD_PROPERTY_EXAMPLES`` (default 150 per test, derandomised, for CI: about 20 s); set it to
thousands for a long run. A failing example, once shrunk, is kept as a case under
tests/cases/invalid (when the fix is to refuse it) or as an ``@example`` here (when it must build).
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from hrdd.errors import HrddError
from hrdd.project import Project, schema_dir
from hrdd.site.build import Settings, generate
from hrdd.validate import Validator
from hrdd.yamlio import parse_yaml
from tests.conftest import MINI_PROJECT, REPO

EXAMPLES = int(os.environ.get("HRDD_PROPERTY_EXAMPLES", "150"))
LONG_RUN = "HRDD_PROPERTY_EXAMPLES" in os.environ

PROFILE = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not LONG_RUN,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    database=None,
)


class Raw(str):
    """A number written as is into the YAML (``1e309``, a hundred digits): no Python float holds it."""


def to_yaml(value: Any) -> str:
    """Flow-style YAML: strings double-quoted with JSON's escapes (YAML's double-quoted escapes
    include all of them), numbers as written."""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {to_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(to_yaml(v) for v in value) + "]"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, float):
        return repr(value)
    return json.dumps(value)


def draft07(schema: Any) -> Any:
    """The schema in draft-07 terms (``definitions`` for ``$defs``), for hypothesis-jsonschema."""
    if isinstance(schema, list):
        return [draft07(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key in ("$schema", "$id"):
            continue
        if key == "$ref":
            value = value.replace("#/$defs/", "#/definitions/")
        out["definitions" if key == "$defs" else key] = draft07(value)
    return out


def _schema(kind: str) -> dict[str, Any]:
    return draft07(json.loads((schema_dir() / f"{kind}.schema.json").read_text(encoding="utf-8")))


SCHEMAS = {kind: _schema(kind) for kind in ("assessment", "framework")}


def leaf_schema(root: dict[str, Any], path: tuple[str | int, ...]) -> dict[str, Any]:
    """The schema of the value at ``path`` of a document (refs resolved; no 2020-12 keyword left)."""
    node: dict[str, Any] = root
    for part in path:
        node = _deref(root, node)
        if isinstance(part, int):
            node = node.get("items", {})
        elif part in node.get("properties", {}):
            node = node["properties"][part]
        else:
            node = node.get("additionalProperties", {})
            if not isinstance(node, dict):
                return {}
    node = _deref(root, node)
    return {k: v for k, v in node.items() if k not in ("description", "default")}


def _deref(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = {**root["definitions"][name], **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def leaves(data: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaves(value, (*path, key))
    elif isinstance(data, list):
        for n, value in enumerate(data):
            yield from leaves(value, (*path, n))
    else:
        yield path, data


def put(data: Any, path: tuple[str | int, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


# --- hostile values -----------------------------------------------------------------------

# Text the checks refuse where it stands (control characters, lone surrogates, line breaks in
# one-line fields) and text they accept that a page must still show as text.
REFUSED = ["\n\n", "a\n\nb", "x\r\ny", "\u2028", "\ud800", "\udfff tail", "\x1b[31m", "\x00", "\x7f\x85", "\ufffe"]
ACCEPTED = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ config }} {% raw %}",
    "a;=HYPERLINK(1)",
    "=1+1",
    "    indented code",
    "# heading",
    "---",
    "|a|b|",
    "\u202eevil",
    "👩‍👩‍👧",
    " ",
    "[x](javascript:alert(1))",
    "&amp; &lt;",
    "*",
    "<!--",
    "\\",
    "\t",
]
MULTILINE = ["a\n\nb", "a\n\n<div>\n\n</div>", "x\r\ny", "- item\n- item", "```\ncode\n```", "> quote\n\n"]

hostile_text = st.one_of(
    st.sampled_from(ACCEPTED),
    st.lists(st.sampled_from(ACCEPTED) | st.text(max_size=4), min_size=2, max_size=4).map("".join),
    st.sampled_from(MULTILINE),
    st.sampled_from(REFUSED),
    # Every code point, surrogates and controls included.
    st.text(st.characters(codec=None), max_size=12),
)

hostile_numbers = st.sampled_from(
    ["1e309", "-1e309", "1" + "0" * 120, "1" + "0" * 400, "1e-320", "4.9e-324", "-0.0", "1e6", "1000000.0", "0.1"]
).map(Raw)

hostile_dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["2106-02-07", "2106-02-08", "2100-12-31", "1900-01-01", "1899-12-31", "1969-12-31", "9999-12-31"]),
)


def leaf_values(schema: dict[str, Any], current: Any) -> st.SearchStrategy[Any]:
    """What may replace a leaf whose schema is ``schema`` (and value ``current``)."""
    drawn: list[st.SearchStrategy[Any]] = []
    if schema:
        drawn.append(from_schema(schema))
    if isinstance(current, str):
        drawn.append(hostile_dates if schema.get("format") == "date" else hostile_text)
    elif isinstance(current, (int, float)) and not isinstance(current, bool):
        drawn.append(hostile_numbers)
    return st.one_of(*drawn) if drawn else st.just(current)


# Leaves that name something else (ids, answers, references, enums): varied less often, since
# nearly any change to them is refused as an unknown reference.
STRUCTURAL = frozenset({"id", "answer", "source", "sources", "kind", "slug", "type", "status", "rating", "indicators"})
STRUCTURAL |= {"framework", "cycle", "category", "scope", "method", "join", "requires", "side", "total", "level_kinds"}


def mutations(kind: str, base: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """``base`` with one to three of its free-text, number and date leaves replaced, and now and
    then one of its structural leaves (ids, references)."""
    root = SCHEMAS[kind]
    free, structural = [], []
    for path, value in leaves(base):
        names = {p for p in path if isinstance(p, str)}
        target = structural if names & STRUCTURAL or (path[0] == "answers" and path[-1] != "comment") else free
        target.append((path, leaf_values(leaf_schema(root, path), value)))

    @st.composite
    def mutated(draw: Callable[..., Any]) -> dict[str, Any]:
        document = copy.deepcopy(base)
        chosen = [free[n] for n in draw(st.lists(st.integers(0, len(free) - 1), min_size=1, max_size=3, unique=True))]
        if draw(st.integers(0, 9)) == 0:
            chosen.append(structural[draw(st.integers(0, len(structural) - 1))])
        for path, values in chosen:
            put(document, path, draw(values))
        return document

    return mutated()


# --- the documents --------------------------------------------------------------------------

FRAMEWORK_TEXT = (MINI_PROJECT / "frameworks" / "mini" / "1.0.yaml").read_text(encoding="utf-8")
ASSESSMENT_TEXT = (MINI_PROJECT / "assessments" / "mini-telecom" / "2025.yaml").read_text(encoding="utf-8")


def _base_assessment() -> dict[str, Any]:
    """The mini assessment with every optional field filled in, so that each is a leaf to vary."""
    data = parse_yaml(ASSESSMENT_TEXT.encode(), Path("base.yaml")).data
    data["company"].update(website="https://mini.example/", description="A fictional operator.\nSecond line.")
    data["assessor"].update(url="https://ngo.example/", contact="research@ngo.example")
    data["summary"] = "Overall finding."
    data["sources"][0].update(publisher="Mini Telecom", archive_url="https://archive.example/policy")
    group = data["answers"]["A1.1"]["group"]
    group["comment"] = "The policy commits."
    group["evidence"][0]["locator"] = "p. 2"
    group["reply"] = {"text": "We disagree.", "date": "2025-07-01", "evidence": [{"source": "s1", "quote": "q"}]}
    data["incidents"] = [
        {
            "id": "i1",
            "title": "Shutdown",
            "date": "2025-02-01",
            "allegation": "Meetings were shut down.",
            "sources": ["s1"],
            "indicators": ["A1"],
            "response": {"text": "We complied with the law.", "date": "2025-02-03", "sources": ["s1"]},
            "assessment": {"rating": "partial", "comment": "No remedy was offered."},
        }
    ]
    return data


def _base_framework() -> dict[str, Any]:
    data = parse_yaml(FRAMEWORK_TEXT.encode(), Path("base.yaml")).data
    data.update(summary="A small framework.", publisher="hrdd", licence="CC BY 4.0", released="2025-01-01")
    data["attribution"] = {"text": "Mini framework, CC BY 4.0.", "url": "https://example.org/licence"}
    data["indicators"][0]["guidance"] = "What earns a yes."
    data["indicators"][0]["elements"][0]["guidance"] = "Look for a policy.\n\nAnd its date."
    return data


BASE_ASSESSMENT = _base_assessment()
BASE_FRAMEWORK = _base_framework()
MKDOCS_YML = "site_name: Invariant\ntheme: {name: material, font: false}\nplugins: [search]\n"


def _write_project(root: Path, framework: dict[str, Any], assessment: dict[str, Any]) -> Path:
    slug = assessment.get("company", {}).get("slug")
    folder = slug if isinstance(slug, str) and slug.isascii() and slug.isalnum() else "mini-telecom"
    (root / "frameworks" / "mini").mkdir(parents=True)
    (root / "assessments" / folder).mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (root / "frameworks" / "mini" / "1.0.yaml").write_text(to_yaml(framework) + "\n", encoding="utf-8")
    (root / "assessments" / folder / "2025.yaml").write_text(to_yaml(assessment) + "\n", encoding="utf-8")
    return root


def accepted_renders(framework: dict[str, Any], assessment: dict[str, Any]) -> bool:
    """Validate the project; if the validator accepts it, render every page and data file (any
    exception but hrdd's own is a failure of the invariant). Returns whether it was accepted."""
    with tempfile.TemporaryDirectory(prefix="hrdd-invariant-") as tmp:
        root = _write_project(Path(tmp), framework, assessment)
        report = Validator(root / "frameworks", root / "assessments").check_paths(
            [root / "frameworks", root / "assessments"], progress=False
        )
        if not report.ok:
            return False
        project = Project.at(root, use_cache=False)
        settings_ = Settings(site_name="Invariant", directory_urls=True, copyright=None)
        try:
            generated = generate(project, settings_, downloads=None)
        except HrddError as exc:  # refused by the build after the validator accepted: also a failure
            raise AssertionError(f"accepted by the validator, refused by the build: {exc}") from exc
        for path, content in generated.tree.items():
            assert isinstance(content, bytes), path
        return True


def test_the_base_documents_are_accepted_and_render() -> None:
    """The starting points are valid, so every variation starts from a document that builds."""
    assert accepted_renders(BASE_FRAMEWORK, BASE_ASSESSMENT)


@PROFILE
@given(mutations("assessment", BASE_ASSESSMENT))
@example(  # kept from the hostile corpus: a blank line in the company name (refused now)
    {**BASE_ASSESSMENT, "company": {**BASE_ASSESSMENT["company"], "name": "Mini\n\nTelecom"}}
)
@example({**BASE_ASSESSMENT, "summary": "a lone surrogate \ud800"})
@example({**BASE_ASSESSMENT, "cycle": Raw("2" * 5000)})
@example({**BASE_ASSESSMENT, "cycle": Raw("2025.0")})
@example({**BASE_ASSESSMENT, "dates": {**BASE_ASSESSMENT["dates"], "published": "2107-01-01"}})
def test_an_accepted_assessment_always_renders(assessment: dict[str, Any]) -> None:
    """Any assessment the validator accepts is rendered into every page and data file."""
    event(f"accepted: {accepted_renders(BASE_FRAMEWORK, assessment)}")


@PROFILE
@given(mutations("framework", BASE_FRAMEWORK))
@example({**BASE_FRAMEWORK, "scale": {"min": 0, "max": Raw("1e309")}})
@example({**BASE_FRAMEWORK, "title": "Mini\n\nframework"})
@example({**BASE_FRAMEWORK, "rounding": {**BASE_FRAMEWORK["rounding"], "decimals": Raw("-0.0")}})  # found by a long run
def test_an_accepted_framework_always_renders(framework: dict[str, Any]) -> None:
    """Any framework the validator accepts (with the assessment that answers it) is rendered."""
    event(f"accepted: {accepted_renders(framework, BASE_ASSESSMENT)}")


@pytest.mark.slow
@pytest.mark.parametrize(
    "change",
    [
        {"summary": "Line one.\n\n<b>not bold</b>\n\n    not code\n# not a heading"},
        {"dates": {"research_start": "1900-01-01", "research_end": "1900-01-02", "published": "1900-01-03"}},
        {"dates": {"research_start": "2100-12-29", "research_end": "2100-12-30", "published": "2100-12-31"}},
        {"company": {**BASE_ASSESSMENT["company"], "name": "\u202eevil 👩‍👩‍👧 <i>x</i>", "sector": "a;=1+1"}},
    ],
    ids=["multiline-markup", "dates-1900", "dates-2100", "bidi-emoji-formula"],
)
def test_accepted_edge_documents_build_with_mkdocs(hrdd: Any, tmp_path: Path, change: dict[str, Any]) -> None:
    """Hostile but valid documents at the edges of what is accepted go through a whole
    ``hrdd build``, MkDocs included: exit 0."""
    root = _write_project(tmp_path / "p", BASE_FRAMEWORK, {**BASE_ASSESSMENT, **change})
    run = hrdd("build", "--project", str(root), "--no-cache")
    assert run.code == 0, run


def test_the_schemas_render_to_draft_07() -> None:
    """The draft-07 rendering keeps every definition reachable (what hypothesis-jsonschema reads)."""
    for kind, schema in SCHEMAS.items():
        text = json.dumps(schema)
        assert "$defs" not in text, kind
        for name in schema.get("definitions", {}):
            assert f"#/definitions/{name}" in text, (kind, name)
    assert REPO.is_dir()
