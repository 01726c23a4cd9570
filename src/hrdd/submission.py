"""Where a pull request's scope is checked: which files a company's submission may change.

Companies contribute by pull request, and GitHub cannot restrict an outside contributor to one
folder (CODEOWNERS entries need write access), so a required CI check does it. The rules, in
the order they are applied to each file the change touches (both sides of a rename):

1. Only files under ``assessments/<company>/`` named ``<cycle>.yaml`` or ``<cycle>-self.yaml``.
   Frameworks, schemas, site configuration, pages, code and workflows belong to the editors.
2. No deletions and no renames (a rename deletes its old name); no symbolic links or submodules.
3. With an accounts mapping, the pull request's author only touches companies listed for them.
4. One company per submission.
5. A self-assessment (``<cycle>-self.yaml``) may be added or edited freely; ``hrdd validate``
   checks its content in a separate step. An independent assessment (``<cycle>.yaml``) may not
   be added, and may be edited only in its replies: once every ``answers.*.*.reply`` is removed
   from both versions and the sources the change adds are set aside, the parsed YAML must be
   equal, and they must differ somewhere (an edit of comments or layout alone is refused).

Everything is read from git objects, never from the working tree, and git is run without a
shell, with NUL-separated output, so any file name is read exactly.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hrdd.errors import UsageError, YamlError
from hrdd.layout import ASSESSMENT_NAME, suffix_problem
from hrdd.project import display_path
from hrdd.yamlio import MAX_BYTES, parse_yaml, read_yaml

ASSESSMENTS = "assessments"
_ASSESSMENT_NAME = ASSESSMENT_NAME  # one list of file names for every command (hrdd.layout)
_REGULAR_MODES = frozenset({"100644", "100755"})
_SYMLINK_MODE = "120000"
_SUBMODULE_MODE = "160000"

# What each top-level entry holds, so that a refusal says what the change would have touched.
_AREAS = {
    "frameworks": "a framework",
    "schema": "a JSON Schema",
    "mkdocs.yml": "the site configuration",
    "docs": "the site's pages",
    "overrides": "the site's theme",
    "src": "hrdd's code",
    "tests": "hrdd's tests",
    "scripts": "the maintenance scripts",
    ".github": "the repository's workflows and settings",
}

_REPLY_RULE = (
    "in an independent assessment a company may only add or edit replies "
    "(answers/<element>/<level>/reply) and add the sources they cite"
)


@dataclass(frozen=True, slots=True, order=True)
class Refusal:
    """One file the submission may not change, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{shown_path(self.path)}: {self.reason}"


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmissionResult:
    """The outcome of checking a change: every path it touches and every refusal."""

    base: str
    head: str
    changed: tuple[str, ...]
    companies: tuple[str, ...]
    refusals: tuple[Refusal, ...]

    @property
    def ok(self) -> bool:
        return not self.refusals

    def text(self) -> str:
        if not self.changed:
            return f"no files changed between {self.base} and {self.head}; nothing to check\n"
        if self.ok:
            files = ", ".join(shown_path(p) for p in self.changed)
            return (
                f"ok: company {self.companies[0]}: {_plural(len(self.changed), 'file')} checked "
                f"against {self.base}: {files}\n"
            )
        lines = [str(r) for r in self.refusals]
        lines.append(
            f"{len(self.refusals)} of {_plural(len(self.changed), 'changed file')} refused (compared with "
            f"{self.base}); a company submission may only add or edit its own self-assessments and its "
            "replies to an independent assessment, for one company (see CONTRIBUTING.md)"
        )
        return "\n".join(lines) + "\n"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown_path(path: str) -> str:
    """A path safe to print on one line: as is when printable, else quoted with escapes.

    Names come from strangers' commits; a newline or terminal escape in one must not forge
    output lines, and bytes that are not UTF-8 (kept as surrogates) cannot be printed raw.
    """
    if path.isprintable():
        return path
    out: list[str] = []
    for ch in path:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch.isprintable():
            out.append(ch)
        elif 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


# --- git ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class _Change:
    """One entry of ``git diff-tree --raw``: an addition, modification, deletion, type
    change, rename or copy. ``old_path`` equals ``path`` except for renames and copies."""

    status: str
    old_path: str
    path: str
    old_mode: str
    new_mode: str
    old_blob: str
    new_blob: str


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd, check=False, capture_output=True)
    except FileNotFoundError as exc:
        raise UsageError("git is not installed or not on PATH; check-submission compares git revisions") from exc


def _decode(raw: bytes) -> str:
    # surrogateescape keeps names that are not UTF-8 distinct and reversible.
    return raw.decode("utf-8", "surrogateescape")


def _resolve(cwd: Path, revision: str, option: str) -> str:
    # --end-of-options: a revision such as "--output=x" must never be read as an option.
    found = _git(cwd, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    if found.returncode != 0:
        raise UsageError(
            f"unknown revision {revision!r} (from {option}): not a commit in this repository; "
            "in a shallow clone fetch it first, e.g. git fetch origin main"
        )
    return found.stdout.decode("ascii").strip()


def _parse_raw(raw: bytes) -> list[_Change]:
    """Parse ``git diff-tree -r -z`` output: a ``:modes shas status`` field, then one path
    (two for renames and copies), each ending in NUL."""
    fields = raw.split(b"\0")
    changes: list[_Change] = []
    i = 0
    while i < len(fields) and fields[i]:
        meta = fields[i].decode("ascii")
        if not meta.startswith(":"):
            raise ValueError(f"unexpected git diff-tree output: {meta!r}")
        old_mode, new_mode, old_blob, new_blob, status = meta[1:].split(" ")
        letter = status[0]
        if letter in "RC":
            old, new = _decode(fields[i + 1]), _decode(fields[i + 2])
            i += 3
        else:
            old = new = _decode(fields[i + 1])
            i += 2
        changes.append(
            _Change(
                status=letter,
                old_path=old,
                path=new,
                old_mode=old_mode,
                new_mode=new_mode,
                old_blob=old_blob,
                new_blob=new_blob,
            )
        )
    return changes


def _blob(cwd: Path, blob: str, path: str) -> bytes:
    """A file's content from git; over-size files raise ``YamlError`` before being read."""
    size = _git(cwd, "cat-file", "-s", blob)
    if size.returncode == 0 and int(size.stdout) > MAX_BYTES:
        raise YamlError(Path(path), 1, 1, f"file is {int(size.stdout):,} bytes, over the {MAX_BYTES:,}-byte limit")
    found = _git(cwd, "cat-file", "blob", blob)
    if found.returncode != 0:
        raise ValueError(f"git cat-file blob {blob} failed: {_decode(found.stderr).strip()}")
    return found.stdout


# --- accounts ----------------------------------------------------------------------------


def load_accounts(path: Path) -> dict[str, tuple[str, ...]]:
    """Read ``login: [slug, ...]``. Logins are compared case-insensitively, as GitHub does."""
    try:
        doc = read_yaml(path)
    except YamlError as exc:
        raise UsageError(f"accounts file {exc}") from exc
    shown = display_path(path)
    if not isinstance(doc.data, dict):
        raise UsageError(f"{shown}: expected a mapping of GitHub accounts to lists of company slugs")
    accounts: dict[str, tuple[str, ...]] = {}
    for login, slugs in doc.data.items():
        if not (isinstance(slugs, list) and all(isinstance(s, str) for s in slugs)):
            line, col = doc.locate((login,))
            raise UsageError(f"{shown}:{line}:{col}: {login}: expected a list of company slugs, e.g. [acme-video]")
        accounts[login.casefold()] = tuple(slugs)
    return accounts


# --- rules -------------------------------------------------------------------------------


def _company(path: str) -> str | None:
    """The company folder a project-relative path is in, if it is under assessments/<slug>/."""
    parts = path.split("/")
    return parts[1] if len(parts) >= 3 and parts[0] == ASSESSMENTS else None


def _location_problem(path: str | None, shown_prefix: str) -> str | None:
    """Why a file may not be in a submission at all, whatever the change; ``path`` is
    project-relative, or None when the file is outside the project folder."""
    if path is None:
        return f"is outside the project folder {shown_prefix}; only assessments/<company>/ may be changed"
    parts = path.split("/")
    if parts[0] != ASSESSMENTS:
        what = _AREAS.get(parts[0], "a file outside assessments/")
        return f"changes {what}; only assessments/<company>/ may be changed"
    unread = suffix_problem(parts[-1])
    if unread is not None:
        return unread
    if len(parts) != 3 or not _ASSESSMENT_NAME.match(parts[2]):
        return "is not an assessment file; name it assessments/<company>/<cycle>-self.yaml (e.g. 2026-self.yaml)"
    return None


def _mode_problem(mode: str) -> str | None:
    if mode == _SYMLINK_MODE:
        return "is a symbolic link; add the file itself"
    if mode == _SUBMODULE_MODE:
        return "is a submodule; a submission may only contain files"
    if mode not in _REGULAR_MODES:
        return f"has an unsupported file mode {mode}; a submission may only contain files"
    return None


def _without_replies(data: Any) -> Any:
    """The assessment with every answers.<element>.<level>.reply removed."""
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        return data

    def level(answer: Any) -> Any:
        return {k: v for k, v in answer.items() if k != "reply"} if isinstance(answer, dict) else answer

    def element(levels: Any) -> Any:
        return {lv: level(a) for lv, a in levels.items()} if isinstance(levels, dict) else levels

    return {**data, "answers": {el: element(levels) for el, levels in data["answers"].items()}}


def _without_new_sources(head: Any, base: Any) -> Any:
    """``head`` without the sources whose id the base version does not have (a reply may cite
    new evidence); sources the base has must stay exactly as they were, in order."""
    if not isinstance(head, dict) or not isinstance(head.get("sources"), list):
        return head
    base_sources = base.get("sources") if isinstance(base, dict) else None
    known = {s.get("id") for s in base_sources if isinstance(s, dict)} if isinstance(base_sources, list) else set()
    kept = [s for s in head["sources"] if not isinstance(s, dict) or s.get("id") in known]
    result = {**head, "sources": kept}
    if not kept and base_sources is None:
        del result["sources"]
    return result


def _label(item: Any, index: int) -> str:
    # List items with an id (sources, levels, incidents) are named by it, as users know them.
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return str(item["id"])
    return str(index)


def _differences(a: Any, b: Any, where: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Paths where two parsed documents differ. Types are compared too: 1, 1.0 and true are
    equal in Python but not the same answer."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in [*a, *(k for k in b if k not in a)]:
            if key in a and key in b:
                yield from _differences(a[key], b[key], (*where, key))
            else:
                yield (*where, key)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from _differences(x, y, (*where, _label(x, i)))
    elif type(a) is not type(b) or a != b:
        yield where


def _reply_problem(cwd: Path, change: _Change) -> str | None:
    """Why an edit of an independent assessment is more than replies, or None."""
    try:
        base = parse_yaml(_blob(cwd, change.old_blob, change.old_path), Path(change.old_path)).data
    except YamlError as exc:
        return f"the version it changes cannot be read as YAML (line {exc.line}: {exc.message}); ask the editors"
    try:
        head = parse_yaml(_blob(cwd, change.new_blob, change.path), Path(change.path)).data
    except YamlError as exc:
        return f"cannot be read as YAML (line {exc.line}: {exc.message}), so it cannot be checked; fix it first"
    found = list(_differences(_without_replies(base), _without_new_sources(_without_replies(head), base)))
    if not found and not list(_differences(base, head)):
        # Comments and layout only: nothing a company may change in the editors' file (the
        # comments are the editors' notes; reviewers might not notice a stranger's edit).
        return f"changes only comments or layout, not a reply; {_REPLY_RULE}"
    if not found:
        return None
    where = "/".join(found[0]) or "the whole file"
    more = f" (and {_plural(len(found) - 1, 'other place')})" if len(found) > 1 else ""
    return f"changes {where}{more}; {_REPLY_RULE}"


def _action_problems(change: _Change) -> Iterator[tuple[str, str]]:
    """(path, reason) for what the change does to files, whatever they are."""
    if change.status == "D":
        yield change.path, "deletes a file; a submission may not delete files"
    elif change.status == "R":
        rule = "a submission may not rename or move files"
        yield change.old_path, f"renamed to {shown_path(change.path)}; {rule}"
        yield change.path, f"renamed from {shown_path(change.old_path)}; {rule}"
    elif change.status == "T" and change.old_mode not in _REGULAR_MODES and change.new_mode in _REGULAR_MODES:
        yield change.path, "replaces a symbolic link or submodule; a submission may only add or edit files"
    elif change.status not in "AMTC":
        yield change.path, f"unexpected kind of change ({change.status}); a submission may only add or edit files"


def check_submission(
    project_root: Path, *, base: str, head: str, author: str | None, accounts_file: Path | None
) -> SubmissionResult:
    """Check that the change from ``base`` to ``head`` (as ``git diff base...head``: from
    their merge base, like a pull request) keeps to what a company may submit."""
    if accounts_file is not None and author is None:
        raise UsageError("--accounts needs --author: the GitHub account that opened the pull request")
    if not project_root.is_dir():
        raise UsageError(f"no such folder: {project_root}")
    prefix_run = _git(project_root, "rev-parse", "--show-prefix")
    if prefix_run.returncode != 0:
        raise UsageError(
            f"{project_root.resolve()} is not in a git repository; check-submission compares git revisions"
        )
    prefix = _decode(prefix_run.stdout).removesuffix("\n")
    accounts = load_accounts(accounts_file) if accounts_file is not None else None
    base_sha = _resolve(project_root, base, "--base")
    head_sha = _resolve(project_root, head, "--head")
    merge_base = _git(project_root, "merge-base", base_sha, head_sha)
    if merge_base.returncode != 0:
        raise UsageError(
            f"{base} and {head} have no common history; in a shallow clone fetch the whole history "
            "(actions/checkout with fetch-depth: 0)"
        )
    start = merge_base.stdout.decode("ascii").split()[0]
    diff = _git(project_root, "diff-tree", "-r", "-z", "-M", "--no-abbrev", "--no-commit-id", start, head_sha)
    if diff.returncode != 0:
        raise ValueError(f"git diff-tree failed: {_decode(diff.stderr).strip()}")
    changes = _parse_raw(diff.stdout)
    return _judge(project_root, changes, prefix, base=base, head=head, author=author, accounts=accounts)


def _judge(
    cwd: Path,
    changes: Sequence[_Change],
    prefix: str,
    *,
    base: str,
    head: str,
    author: str | None,
    accounts: dict[str, tuple[str, ...]] | None,
) -> SubmissionResult:
    def relative(path: str) -> str | None:
        return path.removeprefix(prefix) if path.startswith(prefix) else None

    touched = sorted({p for c in changes for p in (c.old_path, c.path) if c.status != "C" or p == c.path})
    companies = sorted({s for s in (_company(relative(p) or "") for p in touched) if s is not None})
    reasons: dict[str, str] = {}

    def refuse(path: str, reason: str | None) -> None:
        if reason is not None and path not in reasons:
            reasons[path] = reason

    # 1. where the files are
    for path in touched:
        refuse(path, _location_problem(relative(path), prefix.removesuffix("/") or "."))
    # 2. what the change does to them
    for change in changes:
        for path, reason in _action_problems(change):
            refuse(path, reason)
        if change.status != "D":
            refuse(change.path, _mode_problem(change.new_mode))
    # 3. whose they are
    allowed: tuple[str, ...] | None = None
    if accounts is not None and author is not None:
        allowed = accounts.get(author.casefold())
    for path in touched:
        slug = _company(relative(path) or "")
        if slug is None:
            continue
        if accounts is not None and allowed is None:
            refuse(
                path,
                f"@{author} is not registered to submit for any company; ask the scorecard's editors "
                "to add the account (see CONTRIBUTING.md)",
            )
        elif allowed is not None and slug not in allowed:
            refuse(path, f"@{author} may submit only for {', '.join(allowed) or 'no company'}, not {slug}")
        # 4. one company per submission
        if len(companies) > 1:
            refuse(
                path,
                f"one of {len(companies)} companies changed ({', '.join(companies)}); "
                "a submission may change only one company's folder",
            )
    # 5. what changed inside: independent assessments only in their replies
    for change in changes:
        if change.path in reasons or change.status not in "AMTC":
            continue
        name = change.path.rsplit("/", 1)[-1]
        match = _ASSESSMENT_NAME.match(name)
        if match is None or match["self"]:
            continue
        if change.status in "AC":
            refuse(
                change.path,
                "adds an independent assessment; a company may add only self-assessments (<cycle>-self.yaml)",
            )
        else:
            refuse(change.path, _reply_problem(cwd, change))
    return SubmissionResult(
        base=base,
        head=head,
        changed=tuple(touched),
        companies=tuple(companies),
        refusals=tuple(sorted(Refusal(p, r) for p, r in reasons.items())),
    )
