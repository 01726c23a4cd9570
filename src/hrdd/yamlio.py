"""Where YAML is read: a strict, safe subset of YAML that keeps every value's position.

Assessments arrive from strangers' pull requests, so this reader is deliberately narrow:

* safe loading only: no tags beyond the plain JSON-like ones;
* no anchors or aliases (a "billion laughs" document loads instantly and explodes later);
* no duplicate keys (PyYAML would silently keep the last one);
* UTF-8 only (a byte-order mark is accepted and dropped), at most ``MAX_BYTES`` bytes,
  at most ``MAX_DEPTH`` levels of nesting;
* YAML 1.2 scalars instead of YAML 1.1: ``yes``/``no``/``on``/``off`` stay strings (so
  ``answer: yes`` means the answer "yes"), unquoted dates stay strings (the schema checks
  them as dates) and ``012`` is twelve, not ten;
* mapping keys are always the text as written (``1.0:`` is the key "1.0").

The result is plain data plus a map from each value's JSON path to its line and column, so
that schema and semantic errors can point into the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from hrdd.errors import YamlError

MAX_BYTES = 5 * 1024 * 1024
"""Largest file accepted. A full RDR company with a dozen services is about 1.5 MB."""

MAX_DEPTH = 64
"""Deepest nesting accepted; real files need fewer than ten levels."""

JsonPath = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema scalars, no anchors and a depth limit."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event: Any = self.peek_event()  # type: ignore[no-untyped-call]
        mark: Any = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            raise yaml.MarkedYAMLError(
                problem=f"aliases (*{event.anchor}) are not allowed; write the value out in full",
                problem_mark=mark,
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise yaml.MarkedYAMLError(
                problem=f"anchors (&{anchor}) are not allowed; write the value out in full",
                problem_mark=mark,
            )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise yaml.MarkedYAMLError(
                problem=f"nesting deeper than {MAX_DEPTH} levels is not allowed",
                problem_mark=mark,
            )
        try:
            node: Node | None = super().compose_node(parent, index)
            return node
        finally:
            self._depth -= 1


# Replace YAML 1.1's implicit resolvers with the YAML 1.2 core schema's.
_Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    (_BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (_NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (_INT, r"^[-+]?[0-9]+$", "-+0123456789"),
    (
        _FLOAT,
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
):
    _Loader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed YAML file: its data and where each value stands in the file."""

    path: Path
    data: Any
    marks: dict[JsonPath, tuple[int, int]]
    key_marks: dict[JsonPath, tuple[int, int]]

    def locate(self, path: JsonPath, *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at ``path``, or of its nearest ancestor.

        With ``key=True`` the position of the mapping key is preferred (for errors about a
        property itself rather than its value).
        """
        probe = tuple(path)
        while True:
            if key and probe in self.key_marks:
                return self.key_marks[probe]
            if probe in self.marks:
                return self.marks[probe]
            if not probe:
                return (1, 1)
            probe = probe[:-1]


def read_yaml(path: Path) -> Document:
    """Read and parse ``path``. Raises ``YamlError`` for anything we refuse."""
    try:
        if path.is_symlink():
            raise YamlError(path, 1, 1, "symbolic links are not read; replace it with the file itself")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise YamlError(path, 1, 1, _too_big(size))
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlError(path, 1, 1, f"cannot read file: {exc.strerror or exc}") from exc
    return parse_yaml(raw, path)


def parse_yaml(raw: bytes, path: Path) -> Document:
    """Parse bytes as strict YAML. ``path`` is used in messages only."""
    if len(raw) > MAX_BYTES:
        raise YamlError(
            path, 1, 1, f"file is {len(raw):,} bytes, over the {MAX_BYTES:,}-byte limit; split it or trim it"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlError(path, line, col, "file is not valid UTF-8; save it as UTF-8") from exc
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise YamlError(path, 1, 1, "file contains a NUL character; it is not a text file")
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise YamlError(path, 1, 1, "file is empty; write the assessment as a YAML mapping")
    loader: _Loader | None = None
    try:
        # The constructor already scans the text for unprintable characters.
        loader = _Loader(text)
        node = loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(text, exc.position)
        raise YamlError(path, line, col, f"character {exc.character:#06x} is not allowed in YAML; remove it") from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlError(path, line, col, _explain(problem)) from exc
    except yaml.YAMLError as exc:  # errors without a position (rare: reader errors)
        raise YamlError(path, 1, 1, f"invalid YAML: {exc}") from exc
    except RecursionError as exc:  # flow collections nest without compose_node depth checks
        raise YamlError(path, 1, 1, f"nesting deeper than {MAX_DEPTH} levels is not allowed") from exc
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        raise YamlError(path, 1, 1, "file is empty; write the assessment as a YAML mapping")
    marks: dict[JsonPath, tuple[int, int]] = {}
    key_marks: dict[JsonPath, tuple[int, int]] = {}
    data = _build(node, (), path, marks, key_marks)
    return Document(path=path, data=data, marks=marks, key_marks=key_marks)


def _line_col(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def _too_big(size: int) -> str:
    return f"file is {size:,} bytes, over the {MAX_BYTES:,}-byte limit; split it or trim it"


def _explain(problem: str) -> str:
    """Add what to do to PyYAML's terser messages."""
    if "'\\t'" in problem or "\\t" in problem:
        return f"{problem}; indent with spaces, not tabs"
    return problem


def _pos(node: Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _fail(path: Path, node: Node, message: str) -> YamlError:
    line, col = _pos(node)
    return YamlError(path, line, col, message)


def _build(
    node: Node,
    where: JsonPath,
    path: Path,
    marks: dict[JsonPath, tuple[int, int]],
    key_marks: dict[JsonPath, tuple[int, int]],
) -> Any:
    marks[where] = _pos(node)
    if isinstance(node, MappingNode):
        if node.tag != _MAP:
            raise _fail(path, node, f"tag {_short_tag(node.tag)} is not allowed; remove it")
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise _fail(path, key_node, "mapping keys must be plain text")
            # "<<" is a merge key in YAML 1.1; refuse it rather than silently read it as text.
            if key_node.tag == "tag:yaml.org,2002:merge" or (key_node.value == "<<" and key_node.style is None):
                raise _fail(path, key_node, "merge keys (<<) are not allowed; write the keys out in full")
            key = str(key_node.value)
            if key in first_seen:
                raise _fail(
                    path,
                    key_node,
                    f"duplicate key {key!r} (first at line {first_seen[key]}); keep only one",
                )
            first_seen[key] = key_node.start_mark.line + 1
            key_marks[(*where, key)] = _pos(key_node)
            result[key] = _build(value_node, (*where, key), path, marks, key_marks)
        return result
    if isinstance(node, SequenceNode):
        if node.tag != _SEQ:
            raise _fail(path, node, f"tag {_short_tag(node.tag)} is not allowed; remove it")
        return [_build(item, (*where, i), path, marks, key_marks) for i, item in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    return _scalar(node, path)


def _scalar(node: ScalarNode, path: Path) -> Any:
    value: str = node.value
    tag = node.tag
    if tag == _STR:
        return value
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return value.lower() == "true"
    if tag == _INT:
        return int(value, 10)
    if tag == _FLOAT:
        if value.lower().lstrip("+-") in (".inf", ".nan"):
            raise _fail(path, node, f"{value} is not a finite number")
        return float(value)
    raise _fail(path, node, f"tag {_short_tag(tag)} is not allowed; remove it")


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!", 1)


def iter_yaml_files(paths: list[Path]) -> Iterator[Path]:
    """Every .yaml/.yml file named or found under a named folder, sorted, each once."""
    seen: set[Path] = set()
    for given in paths:
        found = (
            sorted(p for p in given.rglob("*") if p.suffix in (".yaml", ".yml") and (p.is_file() or p.is_symlink()))
            if given.is_dir()
            else [given]
        )
        for item in found:
            if item not in seen:
                seen.add(item)
                yield item
