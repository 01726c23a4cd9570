"""The schemas and the default framework document themselves."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from hrdd.validate import load_framework
from tests.conftest import REPO

SCHEMAS = sorted((REPO / "schema").glob("*.schema.json"))


def _properties(node: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{where}.{name}", sub
        for key, sub in node.items():
            yield from _properties(sub, f"{where}/{key}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            yield from _properties(sub, f"{where}[{i}]")


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_schema_is_valid_draft_2020_12(path: Path) -> None:
    Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_schema_property_has_a_description(path: Path) -> None:
    """Editors show these descriptions; a property without one is undocumented."""
    schema = json.loads(path.read_text(encoding="utf-8"))
    undocumented = [
        where
        for where, sub in _properties(schema)
        if not (isinstance(sub, dict) and (sub.get("description") or ("$ref" in sub and "description" in sub)))
    ]
    assert undocumented == []


def test_ungp_core_size_guidance_and_principles() -> None:
    """ungp-core 1.0: at least 25 indicators and 90 elements, each with guidance and UNGP references."""
    fw = load_framework(REPO / "frameworks" / "ungp-core" / "1.0.yaml")
    leaves = list(fw.leaf_indicators())
    elements = list(fw.elements())
    assert len(leaves) >= 25
    assert len(elements) >= 90
    assert [i.id for i in fw.all_indicators() if not (i.ungp and i.guidance and i.standard)] == []
    assert [e.id for e in elements if not (e.ungp and e.guidance)] == []
