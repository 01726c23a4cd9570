"""Importing a returned workbook (``hrdd import xlsx``): the company's feedback as the feedback
file ``<cycle>-feedback.yaml``, or its answers written back into the self-assessment's YAML."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from hrdd.errors import HrddError, UsageError
from hrdd.models import Answer, Assessment, Framework, Source
from hrdd.xlsx import ANSWERS, FEEDBACK, POSITIONS, SOURCES, CellProblem, WorkbookError, self_values
from hrdd.xlsx_read import Returned, Row, read_workbook

_URL = re.compile(r"^https?://[^\s\"<>]+$")


class _Evidence:
    """Turns the company's evidence cells into source ids: an assessment source id as it is,
    a link to a new source (the same link, the same source) numbered c1, c2, ..."""

    def __init__(self, existing: Sequence[Source], taken: set[str], own: Sequence[tuple[str, str]] = ()) -> None:
        self.by_url: dict[str, str] = {s.url: s.id for s in existing}
        self.by_url.update({url: sid for sid, url in own})
        self.ids = {s.id for s in existing}
        self.taken = set(taken) | self.ids | {sid for sid, _ in own}
        self.new: list[tuple[str, str]] = []

    def source_for(self, text: str) -> str | None:
        if text in self.ids:
            return text
        if not _URL.match(text):
            return None
        if text not in self.by_url:
            n = 1
            while f"c{n}" in self.taken:
                n += 1
            self.taken.add(f"c{n}")
            self.by_url[text] = f"c{n}"
            self.new.append((f"c{n}", text))
        return self.by_url[text]


def _evidence_problem(row: Row, sheet: str, problems: list[CellProblem]) -> None:
    problems.append(
        CellProblem(
            sheet,
            row.row,
            row.cells["evidence"],
            f"{row.values['evidence'][:60]!r} is neither a link (http:// or https://) nor a source id from the "
            f"{SOURCES} sheet",
        )
    )


# --- feedback ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Imported:
    path: Path
    added: int
    replaced: int
    unchanged: int
    missing: list[tuple[str, str]]
    moved: int

    def summary(self) -> str:
        lines = [
            f"wrote {self.path}: {self.added} item(s) added, {self.replaced} replaced, {self.unchanged} already there"
        ]
        if self.moved:
            lines.append(f"{self.moved} row(s) had been moved; they were matched by element and level")
        if self.missing:
            shown = ", ".join(f"{e} at {lv}" for e, lv in self.missing[:10])
            more = f" and {len(self.missing) - 10} more" if len(self.missing) > 10 else ""
            lines.append(f"{len(self.missing)} exported row(s) were deleted from the workbook: {shown}{more}")
        return "\n".join(lines)


def _yaml() -> YAML:
    yaml = YAML()  # round trip, YAML 1.2, as hrdd.yamlio reads it
    yaml.width = 4096
    yaml.brace_single_entry_mapping_in_flow_sequence = True  # keep [{source: s1}] as written
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _scalar(text: str) -> str:
    return LiteralScalarString(text) if "\n" in text else text


def feedback_items(returned: Returned, evidence: _Evidence, sheet: str) -> tuple[list[CommentedMap], list[CellProblem]]:
    """The feedback items of the returned rows (rows without a position are no feedback)."""
    problems: list[CellProblem] = []
    items = []
    for row in returned.rows:
        if row.has_formula:
            continue
        v = row.values
        position = v["position"].lower()
        if not position:
            if any(v[name] for name in ("reason", "evidence", "quote")):
                problems.append(
                    CellProblem(
                        sheet,
                        row.row,
                        row.cells["position"],
                        "fill in your position (agree or disagree), or clear this row's reason and evidence",
                    )
                )
            continue
        if position not in POSITIONS:
            problems.append(
                CellProblem(
                    sheet,
                    row.row,
                    row.cells["position"],
                    f"{v['position'][:40]!r} is not a position; choose agree or disagree",
                )
            )
            continue
        if position == "disagree" and not v["reason"]:
            problems.append(CellProblem(sheet, row.row, row.cells["reason"], "you disagree: give your reason here"))
        item = CommentedMap()
        item["element"] = row.element
        item["level"] = row.level
        item["position"] = position
        if v["reason"]:
            item["reason"] = _scalar(v["reason"])
        if v["evidence"]:
            source = evidence.source_for(v["evidence"])
            if source is None:
                _evidence_problem(row, sheet, problems)
            else:
                entry = CommentedMap()
                entry["source"] = source
                if v["quote"]:
                    entry["quote"] = _scalar(v["quote"])
                item["evidence"] = CommentedSeq([entry])
        elif v["quote"]:
            problems.append(
                CellProblem(
                    sheet, row.row, row.cells["evidence"], "a quote needs its source: add the link or source id"
                )
            )
        items.append(item)
    return items, problems


def _plain(value: Any) -> Any:
    """ruamel.yaml data as plain data, for comparing."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value) if isinstance(value, str) else value


def import_feedback(
    workbook: Path,
    assessment: Assessment,
    framework: Framework,
    *,
    force: bool = False,
    check: Callable[[Path, bytes], list[str]] | None = None,
) -> Imported:
    """Read a returned feedback workbook into ``<cycle>-feedback.yaml`` beside the assessment.

    Items already in the feedback file are kept; one the workbook changes is replaced only
    with ``force`` (its response with it). ``check`` validates the text before it is written
    (``hrdd.feedback.check_feedback_file``) and returns its problems."""
    from hrdd.load import feedback_path

    assert assessment.path is not None
    if assessment.status == "published":
        raise UsageError(
            f"{assessment.path} is published: feedback comes before publication (status: preliminary); "
            "after it, the company replies (reply: under an answer)"
        )
    target = feedback_path(assessment.path)
    returned = read_workbook(workbook, assessment, framework, "feedback")
    yaml = _yaml()
    data = _feedback_file(target, yaml, assessment)
    own = [(str(s["id"]), str(s["url"])) for s in data.get("sources", []) if isinstance(s, dict)]
    evidence = _Evidence(assessment.sources, {sid for sid, _ in own}, own)
    items, problems = feedback_items(returned, evidence, FEEDBACK)
    if problems or returned.problems:
        raise WorkbookError(workbook, returned.problems + problems)
    if not items and not target.exists():
        raise UsageError(f"{workbook} has no feedback (no row has a position); nothing was written")
    existing = data.setdefault("items", CommentedSeq())
    at = {(str(i.get("element")), str(i.get("level"))): n for n, i in enumerate(existing) if isinstance(i, dict)}
    conflicts = []
    added = replaced = unchanged = 0
    for item in items:
        key = (item["element"], item["level"])
        if key not in at:
            existing.append(item)
            added += 1
            continue
        old = existing[at[key]]
        company_part = {k: v for k, v in _plain(old).items() if k != "response"}
        if company_part == _plain(item):
            unchanged += 1
        elif force:
            existing[at[key]] = item
            replaced += 1
        else:
            conflicts.append(f"{key[0]} at {key[1]}")
    if conflicts:
        raise UsageError(
            f"{target} already has different feedback for {', '.join(conflicts)}; "
            "add --force to replace it (and the responses to it)"
        )
    if evidence.new:
        _add_sources(data, evidence.new)
        if "sources" in data and list(data).index("sources") > list(data).index("items"):
            data.move_to_end("items")
    _write_checked(yaml, data, target, check)
    return Imported(
        path=target, added=added, replaced=replaced, unchanged=unchanged, missing=returned.missing, moved=returned.moved
    )


def _feedback_file(target: Path, yaml: YAML, assessment: Assessment) -> Any:
    """The feedback file's data as ruamel.yaml reads it (comments kept), or a new one."""
    assert assessment.path is not None
    if target.exists():
        try:
            data = yaml.load(target.read_text(encoding="utf-8"))
        except Exception as exc:  # any YAML error: the file is to be fixed first
            raise HrddError(f"{target} cannot be read ({exc}); fix it first (hrdd validate {target})") from exc
        if not isinstance(data, dict) or not isinstance(data.get("items", []), list):
            raise UsageError(f"{target} is not a feedback file; fix or move it first")
    else:
        data = CommentedMap()
        data["company"] = assessment.company.slug
        data["cycle"] = assessment.cycle
        data.yaml_set_start_comment(
            "yaml-language-server: $schema=../../schema/feedback.schema.json\n"
            f"Feedback from {assessment.company.name} on {assessment.path.name}, imported by hrdd import xlsx.\n"
            "Add a response to each item: accepted (old_answer, new_answer) or not_accepted (reason)."
        )
    return data


def _add_sources(data: Any, new: Sequence[tuple[str, str]]) -> None:
    """The sources the company's links became (c1, c2, ...), titled by their link."""
    sources = data.setdefault("sources", CommentedSeq())
    for sid, url in new:
        source = CommentedMap()
        source["id"] = sid
        source["url"] = url
        source["title"] = url
        sources.append(source)


def _no_answer(row: Row, answer_ids: Sequence[str], problems: list[CellProblem]) -> bool:
    """Whether a returned self-assessment row gives no usable answer (and why, in ``problems``)."""
    v = row.values
    if not v["answer"]:
        if any(v[name] for name in ("evidence", "quote", "comment")):
            problems.append(
                CellProblem(ANSWERS, row.row, row.cells["answer"], "fill in your answer, or clear this row")
            )
        return True
    if v["answer"] not in answer_ids:
        problems.append(
            CellProblem(
                ANSWERS,
                row.row,
                row.cells["answer"],
                f"{v['answer'][:40]!r} is not an answer; choose one of: {', '.join(answer_ids)}",
            )
        )
        return True
    return False


def _write_answer(answers: Any, row: Row, known: Answer | None, ev_list: Any) -> bool:
    """Write one returned row into the file's answers; whether the answer is new there."""
    v = row.values
    by_level = answers.setdefault(row.element, CommentedMap())
    entry = by_level.get(row.level)
    new = entry is None
    if entry is None:
        entry = by_level[row.level] = CommentedMap()
    # Only what the workbook shows changes; a reply, locators or further evidence stay.
    entry["answer"] = v["answer"]
    shown = self_values(known) if known is not None else {"evidence": "", "quote": "", "comment": ""}
    if (v["evidence"], v["quote"]) != (shown["evidence"], shown["quote"]):
        if ev_list is None:
            entry.pop("evidence", None)
        else:
            entry["evidence"] = ev_list
    if v["comment"] != shown["comment"]:
        if v["comment"]:
            entry["comment"] = _scalar(v["comment"])
        else:
            entry.pop("comment", None)
    return new


def _write_checked(yaml: YAML, data: Any, target: Path, check: Callable[[Path, bytes], list[str]] | None) -> None:
    import io

    buffer = io.StringIO()
    yaml.dump(data, buffer)
    raw = buffer.getvalue().encode("utf-8")
    if check is not None:
        found = check(target, raw)
        if found:
            raise HrddError(f"the result would not be valid; nothing was written to {target}:\n" + "\n".join(found))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


# --- self-assessment -------------------------------------------------------------------------


def import_self_assessment(
    workbook: Path,
    assessment: Assessment,
    framework: Framework,
    *,
    force: bool = False,
    check: Callable[[Path, bytes], list[str]] | None = None,
) -> Imported:
    """Write the answers of a returned self-assessment workbook into the self-assessment's
    file (comments and order kept). An answer the file already gives, other than the
    framework's initial one, is changed only with ``force``."""
    assert assessment.path is not None
    target = assessment.path
    returned = read_workbook(workbook, assessment, framework, "self")
    yaml = _yaml()
    yaml.preserve_quotes = True
    data = yaml.load(target.read_text(encoding="utf-8"))
    answer_ids = [o.id for o in framework.answers]
    initial = {o.id for o in framework.answers if o.initial}
    evidence = _Evidence(assessment.sources, set())
    problems: list[CellProblem] = []
    conflicts: list[str] = []
    added = replaced = unchanged = 0
    answers = data.setdefault("answers", CommentedMap())
    for row in returned.rows:
        if row.has_formula:
            continue
        v = row.values
        if _no_answer(row, answer_ids, problems):
            continue
        known = assessment.answers.get(row.element, {}).get(row.level)
        if known is not None and self_values(known) == {k: v[k] for k in ("answer", "evidence", "quote", "comment")}:
            unchanged += 1  # as exported: the file keeps everything the workbook does not show
            continue
        if known is not None and known.answer not in initial and not force:
            conflicts.append(f"{row.element} at {row.level}")
            continue
        ev_list = None
        if v["evidence"]:
            source = evidence.source_for(v["evidence"])
            if source is None:
                _evidence_problem(row, ANSWERS, problems)
                continue
            ev = CommentedMap()
            ev["source"] = source
            if v["quote"]:
                ev["quote"] = _scalar(v["quote"])
            ev_list = CommentedSeq([ev])
        elif v["quote"]:
            problems.append(
                CellProblem(
                    ANSWERS, row.row, row.cells["evidence"], "a quote needs its source: add the link or source id"
                )
            )
            continue
        if _write_answer(answers, row, known, ev_list):
            added += 1
        else:
            replaced += 1
    if problems or returned.problems:
        raise WorkbookError(workbook, returned.problems + problems)
    if conflicts:
        raise UsageError(
            f"{target} already answers {', '.join(conflicts)} differently; add --force to replace those answers"
        )
    if evidence.new:
        _add_sources(data, evidence.new)
    _write_checked(yaml, data, target, check)
    return Imported(
        path=target, added=added, replaced=replaced, unchanged=unchanged, missing=returned.missing, moved=returned.moved
    )
