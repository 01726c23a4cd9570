"""``hrdd migrate``: move an assessment to a newer version of its framework.

The file is edited as a round trip (ruamel.yaml), so its comments, key order, quoting and
indentation stay as the author wrote them. Following the newer version's changelog:

* answers to elements of comparable indicators are carried over (renamed ones under their new ids);
* elements of changed indicators that still exist keep their answers, with a comment asking
  for a re-check;
* elements that are new, or belong to added or changed indicators, are inserted with the
  framework's initial answer and a comment saying they need research;
* answers to elements that no longer exist are dropped, and listed in the result;
* a file that needs new research goes back to ``status: draft``;
* when the newer version declares sectors, ``company.sector`` must name one: a free-text sector
  is replaced by the id given (``--sector``), and answers to elements that do not apply to that
  sector (a module of other sectors, an exclusion) are dropped and listed.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from hrdd.errors import UsageError
from hrdd.history import compare_frameworks
from hrdd.models import Assessment, Framework
from hrdd.scaffold import initial_answer
from hrdd.sectors import sector_choice_problem


@dataclass(frozen=True, slots=True, kw_only=True)
class Migration:
    text: str
    carried: tuple[str, ...]
    """Element ids (in the new version) whose answers were carried over unchanged."""
    renamed: tuple[tuple[str, str], ...]
    """(old id, new id) of elements carried over under a new id."""
    to_check: tuple[str, ...]
    """Elements of changed indicators whose answers were kept but need a re-check."""
    to_research: tuple[str, ...]
    """Elements added with the initial answer: they need new research."""
    dropped: tuple[str, ...]
    """Element ids of the old version whose answers were removed."""
    status_reset: bool
    sector: tuple[str, str] | None = None
    """(old, new) company.sector when the migration set a sector id."""
    not_for_sector: tuple[str, ...] = ()
    """Elements whose answers were dropped because they do not apply to the company's sector."""

    def summary(self, old: Framework, new: Framework) -> str:
        lines = [
            f"migrated from {old.id} {old.version} to {new.version}: {len(self.carried)} elements carried over, "
            f"{len(self.renamed)} renamed, {len(self.to_check)} to re-check, {len(self.to_research)} to research, "
            f"{len(self.dropped)} dropped"
        ]
        lines += [f"  renamed {a} -> {b}" for a, b in self.renamed]
        lines += [f"  re-check {e} (its indicator changed)" for e in self.to_check]
        lines += [f"  research {e} (new)" for e in self.to_research]
        lines += [f"  dropped {e} (not in {new.version})" for e in self.dropped if e not in self.not_for_sector]
        if self.sector is not None:
            lines.append(f"  sector {self.sector[0]!r} -> {self.sector[1]!r}")
        lines += [f"  dropped {e} (does not apply to the {self.sector_id} sector)" for e in self.not_for_sector]
        if self.status_reset:
            lines.append("  status set to draft: answer the new elements, then set the status again")
        return "\n".join(lines) + "\n"

    @property
    def sector_id(self) -> str:
        return self.sector[1] if self.sector is not None else ""


def target_sector(assessment: Assessment, new: Framework, given: str | None) -> str | None:
    """The sector id the migrated assessment will name, or None when ``new`` has no sectors.

    A sector already named by id is kept; otherwise ``given`` (``--sector``) must be one of the
    framework's sector ids. Raises ``UsageError`` saying what to pass when neither holds.
    """
    if not new.sectors:
        if given is not None:
            raise UsageError(f"--sector: {new.id} {new.version} declares no sectors; leave --sector out")
        return None
    current = assessment.company.sector
    if given is None:
        if new.sector(current) is not None:
            return current
        problem = sector_choice_problem(current, new)
        raise UsageError(
            f"{problem}; {new.id} {new.version} needs a sector id: pass --sector <id> to map this company's "
            f"sector {current!r} to one"
        )
    if new.sector(given) is None:
        raise UsageError(f"--sector {sector_choice_problem(given, new)}")
    return given


def _mapping_indent(text: str) -> int:
    """Indentation of nested mappings: the smallest step from a ``key:`` line to a key below it.

    ruamel.yaml's own guess measures sequences (``  - item``), which need not match.
    """
    steps = []
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    for line, below in itertools.pairwise(lines):
        stripped = line.rstrip()
        if stripped.endswith(":") and not below.lstrip().startswith("-"):
            step = (len(below) - len(below.lstrip())) - (len(line) - len(line.lstrip()))
            if step > 0:
                steps.append(step)
    return min(steps, default=2)


def _yaml(text: str) -> tuple[YAML, Any]:
    _, sequence_indent, block_seq_indent = load_yaml_guess_indent(text)
    yaml = YAML()  # round trip, YAML 1.2: "yes" stays text, as in hrdd.yamlio
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the author's lines
    mapping = _mapping_indent(text)
    offset = block_seq_indent or 0
    yaml.indent(mapping=mapping, sequence=sequence_indent or mapping + offset, offset=offset)
    return yaml, yaml.load(text)


def migrate_text(
    text: str, assessment: Assessment, old: Framework, new: Framework, sector: str | None = None
) -> Migration:
    """The migrated text of an assessment (already validated against ``old``). ``sector`` maps
    a free-text sector to one of ``new``'s sector ids (see ``target_sector``)."""
    sector_id = target_sector(assessment, new, sector)
    yaml, data = _yaml(text)
    comparison = compare_frameworks(old, new)
    back = {old_el: new_el for new_el, old_el in comparison.element_map.items()}
    new_element_ids = set(new.element_ids())
    changed = {ind_id for ind_id, why in comparison.not_comparable.items() if why.startswith("changed")}
    answers: CommentedMap = data["answers"]
    carried: list[str] = []
    renamed: list[tuple[str, str]] = []
    to_check: list[str] = []
    dropped: list[str] = []

    for old_id in list(answers):
        element = old.element(str(old_id))
        new_id = back.get(str(old_id))
        if new_id is None and element is not None and str(old_id) in new_element_ids:
            indicator = new.element(str(old_id))
            if indicator is not None and indicator.indicator in changed:
                new_id = str(old_id)
                to_check.append(new_id)
                answers.yaml_add_eol_comment(
                    f"re-check: {indicator.indicator} changed in {new.id} {new.version}", old_id
                )
        if new_id is None:
            _remove(answers, old_id)
            dropped.append(str(old_id))
        elif new_id != str(old_id):
            _rename(answers, old_id, new_id)
            renamed.append((str(old_id), new_id))
        elif new_id not in to_check:
            carried.append(new_id)

    not_for_sector = _drop_not_for_sector(answers, assessment, new, sector_id)
    dropped += not_for_sector
    carried = [e for e in carried if e not in not_for_sector]
    changed_sector: tuple[str, str] | None = None
    if sector_id is not None and sector_id != assessment.company.sector:
        changed_sector = (assessment.company.sector, sector_id)
        data["company"]["sector"] = sector_id
    to_research = _add_missing(answers, assessment, new, sector_id)
    _map_incident_indicators(data, comparison.comparable, comparison.removed)
    data["framework"]["version"] = DoubleQuotedScalarString(new.version)
    status_reset = bool(to_research or to_check) and data.get("status") != "draft"
    if status_reset:
        data["status"] = "draft"
        data.yaml_add_eol_comment(f"set by hrdd migrate to {new.version}: new elements need research", "status")
    out = io.StringIO()
    yaml.dump(data, out)
    return Migration(
        text=out.getvalue(),
        carried=tuple(carried),
        renamed=tuple(renamed),
        to_check=tuple(to_check),
        to_research=tuple(to_research),
        dropped=tuple(dropped),
        status_reset=status_reset,
        sector=changed_sector,
        not_for_sector=tuple(not_for_sector),
    )


def _remove(mapping: CommentedMap, key: Any) -> None:
    mapping.ca.items.pop(key, None)
    del mapping[key]


def _rename(mapping: CommentedMap, key: Any, new_key: str) -> None:
    """Rename a key in place, keeping its position and the comments attached to it."""
    position = list(mapping).index(key)
    comment = mapping.ca.items.pop(key, None)
    value = mapping.pop(key)
    mapping.insert(position, new_key, value)
    if comment is not None:
        mapping.ca.items[new_key] = comment


def _drop_not_for_sector(
    answers: CommentedMap, assessment: Assessment, new: Framework, sector: str | None
) -> list[str]:
    """Remove answers (at each level) to elements of ``new`` that do not apply to ``sector``;
    the ids of elements left with no answer at all."""
    if sector is None:
        return []
    kinds = {lv.id: lv.kind for lv in assessment.levels}
    gone: list[str] = []
    for key in list(answers):
        element = new.element(str(key))
        entry = answers[key]
        if element is None or not isinstance(entry, CommentedMap):
            continue
        for level in list(entry):
            kind = kinds.get(str(level))
            if kind is not None and not new.applies(element, assessment.company.type, kind, sector):
                _remove(entry, level)
        if not entry:
            _remove(answers, key)
            gone.append(str(key))
    return gone


def _add_missing(answers: CommentedMap, assessment: Assessment, new: Framework, sector: str | None = None) -> list[str]:
    """Insert every element × level of ``new`` that applies and has no answer yet."""
    initial = initial_answer(new)
    added: list[str] = []
    previous: str | None = None
    for element in new.elements():
        levels = [lv.id for lv in assessment.levels if new.applies(element, assessment.company.type, lv.kind, sector)]
        if not levels:
            continue
        entry = answers.get(element.id)
        missing = [lv for lv in levels if entry is None or lv not in entry]
        if missing:
            if entry is None:
                entry = CommentedMap()
                position = list(answers).index(previous) + 1 if previous in answers else len(answers)
                answers.insert(position, element.id, entry)
                answers.yaml_add_eol_comment(f"needs research: new in {new.id} {new.version}", element.id)
            for level in missing:
                entry[level] = CommentedMap([("answer", initial)])
            added.append(element.id)
        previous = element.id
    return added


def _map_incident_indicators(data: CommentedMap, comparable: Any, removed: tuple[str, ...]) -> None:
    renamed = {old_id: new_id for new_id, old_id in comparable.items() if old_id != new_id}
    for incident in data.get("incidents") or []:
        indicators = incident.get("indicators")
        if not isinstance(indicators, CommentedSeq):
            continue
        kept = [renamed.get(str(i), str(i)) for i in indicators if str(i) not in removed]
        indicators[:] = kept
