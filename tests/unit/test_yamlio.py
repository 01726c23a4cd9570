"""The restricted YAML reader: what it accepts, what it refuses, and where it points."""

from __future__ import annotations

from pathlib import Path

import pytest

from hrdd.errors import YamlError
from hrdd.yamlio import MAX_BYTES, MAX_DEPTH, parse_yaml

P = Path("x.yaml")


def load(text: str | bytes) -> object:
    return parse_yaml(text.encode() if isinstance(text, str) else text, P).data


def error(text: str | bytes) -> YamlError:
    with pytest.raises(YamlError) as info:
        load(text)
    return info.value


def test_yes_no_on_off_stay_strings() -> None:
    """YAML 1.1 would turn these into booleans; answers must keep them as text."""
    assert load("a: yes\nb: no\nc: on\nd: off\ne: NO\n") == {"a": "yes", "b": "no", "c": "on", "d": "off", "e": "NO"}


def test_true_false_are_booleans() -> None:
    assert load("a: true\nb: False\n") == {"a": True, "b": False}


def test_dates_stay_strings() -> None:
    """Unquoted dates are not turned into date objects; the schema checks their format."""
    assert load("d: 2025-06-01\n") == {"d": "2025-06-01"}


def test_leading_zero_is_decimal_and_versions_are_numbers_until_quoted() -> None:
    assert load("a: 012\nb: 1.0\nc: '1.0'\n") == {"a": 12, "b": 1.0, "c": "1.0"}


def test_keys_are_text_as_written() -> None:
    """A key like 1.10 stays "1.10" (not the number 1.1); yes stays "yes"."""
    assert load("1.10: a\nyes: b\n2025: c\n") == {"1.10": "a", "yes": "b", "2025": "c"}


def test_duplicate_key_points_at_second_occurrence() -> None:
    e = error("a: 1\nb: 2\na: 3\n")
    assert (e.line, e.col, e.message) == (3, 1, "duplicate key 'a' (first at line 1); keep only one")


def test_anchor_refused() -> None:
    e = error("a: &x 1\nb: 2\n")
    assert (e.line, e.col) == (1, 4)
    assert e.message == "anchors (&x) are not allowed; write the value out in full"


def test_alias_refused_before_expansion() -> None:
    """A billion-laughs document fails at its first anchor, before anything expands."""
    bomb = 'a: &a ["lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n'
    assert "anchors (&a) are not allowed" in error(bomb).message


def test_merge_key_refused() -> None:
    assert "merge keys" in error("a:\n  <<: {b: 1}\n").message


def test_python_tags_refused() -> None:
    e = error("a: !!python/name:os.system\n")
    assert e.message == "tag !!python/name:os.system is not allowed; remove it"


def test_other_tags_refused() -> None:
    assert "tag !!binary is not allowed" in error("a: !!binary aGk=\n").message
    assert "tag !custom is not allowed" in error("a: !custom x\n").message


def test_bom_and_crlf_accepted() -> None:
    assert load(b"\xef\xbb\xbfa: 1\r\nb: two\r\n") == {"a": 1, "b": "two"}


def test_invalid_utf8_position() -> None:
    e = error(b"a: 1\nb: caf\xe9\n")
    assert (e.line, e.col, e.message) == (2, 7, "file is not valid UTF-8; save it as UTF-8")


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n"])
def test_empty_file(text: str) -> None:
    assert error(text).message == "file is empty; write the assessment as a YAML mapping"


def test_size_limit() -> None:
    e = error(b"a: " + b"x" * MAX_BYTES + b"\n")
    assert "over the 5,242,880-byte limit" in e.message


def test_depth_limit_block_and_flow() -> None:
    deep_block = "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 5)) + "  " * (MAX_DEPTH + 5) + "x\n"
    assert "nesting deeper than 64 levels" in error(deep_block).message
    assert "nesting deeper than 64 levels" in error("a: " + "[" * 5000 + "]" * 5000 + "\n").message


def test_tab_indentation_says_what_to_do() -> None:
    assert error("a:\n\tb: 1\n").message.endswith("indent with spaces, not tabs")


def test_infinity_and_nan_refused() -> None:
    assert error("a: .inf\n").message == ".inf is not a finite number"
    assert error("a: .nan\n").message == ".nan is not a finite number"


def test_marks_locate_values_and_keys() -> None:
    doc = parse_yaml(b"company:\n  name: Acme\nlist:\n  - x\n  - y\n", P)
    assert doc.locate(("company", "name")) == (2, 9)
    assert doc.locate(("company", "name"), key=True) == (2, 3)
    assert doc.locate(("list", 1)) == (5, 5)
    assert doc.locate(("company", "missing", "deeper")) == (2, 3)


def test_control_character_position() -> None:
    """Found by hypothesis: PyYAML raised its own ReaderError from the loader's constructor."""
    e = error(b"a: 1\nb: x\x07y\n")
    assert (e.line, e.col, e.message) == (2, 5, "character 0x0007 is not allowed in YAML; remove it")


def test_an_escaped_surrogate_pair_is_one_character() -> None:
    """An emoji written as two escapes, as JSON tools write it, reads as the emoji; a lone half
    stays (for the checks to refuse with its place)."""
    doc = parse_yaml(b'a: "x \\ud83d\\ude00 \\ud800"\n"k\\ud83d\\ude00": 1\n', Path("t.yaml"))
    assert doc.data == {"a": "x \U0001f600 \ud800", "k\U0001f600": 1}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: !!str text\n", "tag !!str is not allowed; remove it"),
        ("a: 1e309\n", "1e309 is too large a number; write a number below 1e308"),
        ("a: -1e400\n", "-1e400 is too large a number; write a number below 1e308"),
        ("a: " + "9" * 101 + "\n", "a number of 101 digits is too long; if it is text, put it in quotes"),
        ("a: " + "9" * 5000 + "\n", "a number of 5000 digits is too long; if it is text, put it in quotes"),
    ],
)
def test_tags_and_numbers_no_page_can_hold_are_refused(text: str, message: str) -> None:
    """Explicit tags (``!!str`` included) and numbers that overflow or run to hundreds of digits are
    refused at their place, not turned into infinity or into an integer no message can print."""
    with pytest.raises(YamlError) as caught:
        parse_yaml(text.encode(), Path("t.yaml"))
    assert (caught.value.line, caught.value.col, caught.value.message) == (1, 4, message)
