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

Two readers give that result. The reference reader is PyYAML's pure-Python loader with the
checks above (``parse_reference``). When PyYAML was built with libyaml, a fast reader (``parse_fast``)
runs first: libyaml parses, and a flat loop over its events builds the data directly, without
PyYAML's composer and node tree (many times faster than the reference reader, and faster than
``yaml.load`` with libyaml); the marks are worked out only if a problem needs them. The fast
reader only ever accepts: at anything unusual (an anchor, alias, tag, directive, merge key,
duplicate key, deep nesting, a tab, a construct libyaml and PyYAML read differently, any libyaml
error) it gives up and the reference reader reads the file, so every refusal, message and
position is the reference reader's. ``tests/unit/test_perf_equivalence.py`` checks that both
give identical data and marks. Both are public (``parse_reference``, ``parse_fast``) so that
anyone can compare them on their own files; ``parse_yaml`` is what hrdd reads with.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from hrdd.errors import YamlError

MAX_BYTES = 5 * 1024 * 1024
"""Largest file accepted. A full RDR company with a dozen services is about 1.5 MB."""

MAX_DEPTH = 64
"""Deepest nesting accepted; real files need fewer than ten levels."""

MAX_DIGITS = 100
"""Longest whole number accepted, in digits: no field needs more, and Python refuses to turn an
integer of over 4,300 digits back into text (every message quoting it would fail)."""

JsonPath = tuple[str | int, ...]


def dotted(path: Iterable[str | int]) -> str:
    """A path into a document as messages show it: ``answers.PC1.1.group`` or ``sources[2].url``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


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
        tag = getattr(event, "tag", None)
        if tag is not None:
            # Every explicit tag, "!!str" included: the README promises that tags are refused,
            # and a tag changes what a value is without it showing.
            raise yaml.MarkedYAMLError(problem=f"tag {_short_tag(tag)} is not allowed; remove it", problem_mark=mark)
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


Marks = dict[JsonPath, tuple[int, int]]


class Document:
    """A parsed YAML file: its data and where each value stands in the file.

    Immutable. The fast reader leaves the marks to be worked out on first use: only a file
    with a problem needs them, and skipping them makes reading a valid file a third faster.
    """

    __slots__ = ("_key_marks", "_marks", "_text", "data", "path")

    path: Path
    data: Any
    _marks: Marks | None
    _key_marks: Marks | None
    _text: str

    def __init__(
        self, path: Path, data: Any, marks: Marks | None = None, key_marks: Marks | None = None, *, text: str = ""
    ) -> None:
        # Marks, or the text to find them in later (then both marks are None).
        for name, value in (("path", path), ("data", data), ("_marks", marks), ("_key_marks", key_marks)):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_text", text)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Document is immutable; cannot set {name}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Document):
            return NotImplemented
        return (self.path, self.data, self.marks, self.key_marks) == (
            other.path,
            other.data,
            other.marks,
            other.key_marks,
        )

    __hash__ = None  # type: ignore[assignment]  # the data is mutable, as it was for the dataclass

    def __repr__(self) -> str:
        return f"Document(path={self.path!r}, data={self.data!r})"

    @property
    def marks(self) -> Marks:
        """1-based (line, column) of every value, by JSON path."""
        if self._marks is None:
            self._find_marks()
        assert self._marks is not None
        return self._marks

    @property
    def key_marks(self) -> Marks:
        """1-based (line, column) of every mapping key, by the JSON path of its value."""
        if self._key_marks is None:
            self._find_marks()
        assert self._key_marks is not None
        return self._key_marks

    def _find_marks(self) -> None:
        found = parse_fast(self._text, with_marks=True)
        if found is None:  # not expected: the same text was read by the fast reader before
            reference = parse_reference(self._text, self.path)
            found = (reference.data, reference.marks, reference.key_marks)
        object.__setattr__(self, "_marks", found[1])
        object.__setattr__(self, "_key_marks", found[2])
        object.__setattr__(self, "_text", "")

    def locate(self, path: JsonPath, *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at ``path``, or of its nearest ancestor.

        With ``key=True`` the position of the mapping key is preferred (for errors about a
        property itself rather than its value).
        """
        marks, key_marks = self.marks, self.key_marks
        probe = tuple(path)
        while True:
            if key and probe in key_marks:
                return key_marks[probe]
            if probe in marks:
                return marks[probe]
            if not probe:
                return (1, 1)
            probe = probe[:-1]


def read_yaml(path: Path) -> Document:
    """Read and parse ``path``. Raises ``YamlError`` for anything we refuse."""
    return parse_yaml(read_bytes(path), path)


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path`` as ``read_yaml`` reads them. Raises ``YamlError`` for a symbolic
    link, a file over ``MAX_BYTES`` or one that cannot be read."""
    try:
        if path.is_symlink():
            raise YamlError(path, 1, 1, "symbolic links are not read; replace it with the file itself")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise YamlError(path, 1, 1, _too_big(size))
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlError(path, 1, 1, f"cannot read file: {exc.strerror or exc}") from exc
    return raw


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
    if use_libyaml:
        fast = parse_fast(text, with_marks=False)
        if fast is not None:
            return Document(path, fast[0], text=text)
    return parse_reference(text, path)


def parse_reference(text: str, path: Path) -> Document:
    """The reference reader: PyYAML's pure-Python parser and composer with our checks (what
    ``parse_yaml`` uses when ``parse_fast`` declines, or without libyaml). Raises ``YamlError``."""
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


# --- the fast reader ------------------------------------------------------------------------


def _libyaml_parser() -> Any:
    try:
        from yaml._yaml import CParser
    except ImportError:  # PyYAML built without libyaml: only the reference reader is available
        return None
    return CParser


_CParser = _libyaml_parser()

use_libyaml: bool = _CParser is not None
"""Whether ``parse_yaml`` tries the fast reader first (tests switch it off to compare)."""

# Characters that libyaml and PyYAML both accept but do not treat alike: tab (they disagree on
# where tabs may separate tokens), NEL, LS and PS (line breaks with different column counting),
# and the byte-order mark (libyaml skips one at the start of any line, PyYAML only at the start
# of the file). A file with any of them is left to the reference reader. Characters both refuse
# (control characters) need no screening: libyaml stops with an error, and the reference reader
# then reports it.
_NOT_FAST = ("\t", "\x85", "\u2028", "\u2029", "\ufeff")


def _risky_syntax(text: str) -> bool:
    """Constructs that the two parsers read differently although both accept them, found by
    differential fuzzing (tests/unit/test_perf_equivalence.py): an explicit key ("? " where a
    token starts; the mark of a missing value differs), and a block scalar header followed by
    "#" without a space (libyaml takes it for a comment, PyYAML refuses it). Plain text search,
    not a regular expression: it runs on every file, and both characters are rare."""
    at = text.find("?")
    while at >= 0:
        before = text[at - 1] if at else "\n"
        after = text[at + 1] if at + 1 < len(text) else "\n"
        if before in " \r\n[{," and after in " \r\n":
            return True
        at = text.find("?", at + 1)
    at = text.find("#")
    while at >= 0:
        start = at - 1
        while start >= 0 and text[start] in "-+0123456789":
            start -= 1
        if start >= 0 and text[start] in "|>":
            return True
        at = text.find("#", at + 1)
    return False


# The same YAML 1.2 resolvers as _Loader's, by first character, for the fast reader.
_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    first: [(str(tag), pattern) for tag, pattern in entries]
    for first, entries in _Loader.yaml_implicit_resolvers.items()
    if first is not None
}
_NO_RESOLVERS: list[tuple[str, re.Pattern[str]]] = []


class _GiveUp(Exception):
    """The fast reader met something it leaves to the reference reader."""


def parse_fast(text: str, *, with_marks: bool) -> tuple[Any, Marks | None, Marks | None] | None:
    """Data (and marks, if asked) read with libyaml, or None to use the reference reader.

    Never raises for bad input: whatever it does not accept, the reference reader decides on.
    """
    if _CParser is None or any(char in text for char in _NOT_FAST) or _risky_syntax(text):
        return None
    marks: Marks | None = {} if with_marks else None
    key_marks: Marks | None = {} if with_marks else None
    try:
        parser = _CParser(text)
    except ValueError:  # a lone surrogate cannot be encoded for libyaml
        return None
    try:
        next_event = parser.get_event
        next_event()  # stream start
        start = next_event()
        # An empty stream, or a %YAML or %TAG directive: the reference reader decides.
        if type(start) is not DocumentStartEvent or start.version is not None or start.tags is not None:
            return None
        data = _from_events(next_event, marks, key_marks)
        if type(next_event()) is not DocumentEndEvent or type(next_event()) is not StreamEndEvent:
            return None  # more than one document: the reference reader reports it
    except (_GiveUp, yaml.YAMLError, ValueError, OverflowError):
        # ValueError: an integer too long for int() (the reference reader then reports it).
        return None
    finally:
        parser.dispose()
    return data, marks, key_marks


def _from_events(next_event: Callable[[], Any], marks: Marks | None, key_marks: Marks | None) -> Any:
    """One pass over libyaml's events of one document: its data, with no node tree.

    A stack of open collections replaces the composer's recursion: libyaml's parser is not
    recursive and nothing here is, so even absurdly deep nesting costs no stack (this gives up
    at ``MAX_DEPTH``, where the reference reader reports it). JSON paths are only built when
    marks are wanted.
    """
    # Each open collection: [container, its JSON path, the mapping key waiting for its value,
    # whether it is a flow collection ([...] or {...})].
    stack: list[list[Any]] = []
    top: list[Any] = []
    container: Any = None
    while True:
        event = next_event()
        kind = type(event)
        if kind is MappingEndEvent or kind is SequenceEndEvent:
            value = stack.pop()[0]
        elif kind is ScalarEvent or kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                raise _GiveUp  # anchors, and every explicit tag ("!" and "!!str" included)
            if kind is ScalarEvent and event.implicit[0] and not event.value:
                raise _GiveUp  # an empty plain scalar: the parsers may mark it at different places
            if stack:
                top = stack[-1]
                container = top[0]
                # In flow collections PyYAML ends a plain scalar at "?": leave those alone.
                if top[3] and kind is ScalarEvent and event.implicit[0] and "?" in event.value:
                    raise _GiveUp
                if top[2] is None and type(container) is dict:
                    # A mapping key: plain text only, no merge key, no duplicate.
                    if kind is not ScalarEvent:
                        raise _GiveUp
                    key = event.value
                    if key == "<<" or key in container:
                        raise _GiveUp
                    top[2] = key
                    if key_marks is not None:
                        mark = event.start_mark
                        key_marks[(*top[1], key)] = (mark.line + 1, mark.column + 1)
                    continue
            if len(stack) >= MAX_DEPTH:
                raise _GiveUp
            where: JsonPath = ()
            if marks is not None:
                if stack:
                    where = (*top[1], len(container) if type(container) is list else top[2])
                mark = event.start_mark
                marks[where] = (mark.line + 1, mark.column + 1)
            if kind is ScalarEvent:
                value = _fast_scalar(event.value, event.implicit[0])
            else:
                stack.append([{} if kind is MappingStartEvent else [], where, None, event.flow_style])
                continue
        else:
            raise _GiveUp  # an alias, or an event out of place
        if not stack:
            return value
        top = stack[-1]
        container = top[0]
        if type(container) is list:
            container.append(value)
        else:
            container[top[2]] = value
            top[2] = None


def _fast_scalar(value: str, plain: bool) -> Any:
    """A scalar's value as the reference reader's resolver and ``_scalar`` would make it."""
    if not plain:
        return value
    for tag, pattern in _RESOLVERS.get(value[0] if value else "", _NO_RESOLVERS):
        if pattern.match(value):
            if tag == _INT:
                if len(value) > MAX_DIGITS:
                    raise _GiveUp
                return int(value, 10)
            if tag == _FLOAT:
                if value.lower().lstrip("+-") in (".inf", ".nan"):
                    raise _GiveUp
                number = float(value)
                if not math.isfinite(number):
                    raise _GiveUp  # 1e309: the reference reader refuses it
                return number
            if tag == _BOOL:
                return value.lower() == "true"
            if tag == _NULL:
                return None
            return value
    return value


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
            key = _join_surrogates(str(key_node.value))
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


_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _join_surrogates(value: str) -> str:
    """A character beyond U+FFFF written as two escapes (``"\\ud83d\\ude00"``, as JSON tools write
    an emoji) is that character, as in JSON; PyYAML leaves the two halves apart. Lone halves stay
    (hrdd.limits refuses them)."""
    if not _SURROGATE_PAIR.search(value):
        return value
    return _SURROGATE_PAIR.sub(lambda m: m.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le"), value)


def _scalar(node: ScalarNode, path: Path) -> Any:
    value: str = node.value
    tag = node.tag
    if tag == _STR:
        return _join_surrogates(value)
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return value.lower() == "true"
    if tag == _INT:
        digits = len(value.lstrip("+-"))
        if digits > MAX_DIGITS:
            raise _fail(path, node, f"a number of {digits} digits is too long; if it is text, put it in quotes")
        return int(value, 10)
    if tag == _FLOAT:
        if value.lower().lstrip("+-") in (".inf", ".nan"):
            raise _fail(path, node, f"{value} is not a finite number")
        number = float(value)
        if not math.isfinite(number):
            # 1e309 overflows to infinity, which no score, chart or data file can hold.
            raise _fail(path, node, f"{_short_value(value)} is too large a number; write a number below 1e308")
        return number
    raise _fail(path, node, f"tag {_short_tag(tag)} is not allowed; remove it")


def _short_value(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "..."


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!", 1)


def _path_order(path: Path) -> Any:
    # The order of Path objects themselves; on POSIX that is the order of their parts, which
    # sorts thousands of files several times faster than comparing Path objects.
    return path.parts if os.name == "posix" else path


def iter_yaml_files(paths: list[Path]) -> Iterator[Path]:
    """Every .yaml/.yml file named or found under a named folder, sorted, each once."""
    seen: set[Path] = set()
    for given in paths:
        found = (
            sorted(
                (p for p in given.rglob("*") if p.suffix in (".yaml", ".yml") and (p.is_file() or p.is_symlink())),
                key=_path_order,
            )
            if given.is_dir()
            else [given]
        )
        for item in found:
            if item not in seen:
                seen.add(item)
                yield item
