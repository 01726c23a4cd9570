"""The GitHub Actions workflows and pre-commit hooks: valid files, safe triggers, and commands
that are the ones these tests run.

Workflow files are checked offline against SchemaStore's schema vendored in tests/schemas/.
They are read with hrdd's YAML 1.2 reader, so that the key ``on`` stays the text "on" (PyYAML's
YAML 1.1 would turn it into True).
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from hrdd.cli import build_parser
from hrdd.yamlio import read_yaml
from tests.conftest import MINI_PROJECT, REPO, Run

Hrdd = Callable[..., Run]

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.y*ml"))
VALIDATE = REPO / ".github" / "workflows" / "validate.yml"
PUBLISH = REPO / ".github" / "workflows" / "publish.yml"
SCHEMA = REPO / "tests" / "schemas" / "github-workflow.json"

# Values anyone opening a pull request chooses: spliced into a script they would run as code.
UNTRUSTED = (
    "github.event.pull_request.title",
    "github.event.pull_request.body",
    "github.event.pull_request.head.ref",
    "github.event.pull_request.head.label",
    "github.head_ref",
    "github.event.comment.body",
    "github.event.review.body",
    "github.event.issue.title",
    "github.event.issue.body",
    "github.event.commits",
    "github.event.head_commit",
)


@cache
def _workflow_validator() -> Draft7Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def _load(path: Path) -> dict[str, Any]:
    data = read_yaml(path).data
    assert isinstance(data, dict)
    return data


def _steps(workflow: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for job in workflow["jobs"].values():
        yield from job.get("steps", [])


def _scripts(path: Path) -> list[str]:
    return [step["run"] for step in _steps(_load(path)) if "run" in step]


def _hrdd_commands(path: Path) -> list[list[str]]:
    """Every ``hrdd ...`` invocation in the workflow's scripts, as words, without redirections.

    A command starts a line, follows a pipe or ``$(``, or is what ``xargs -0`` runs.
    """
    commands = []
    for script in _scripts(path):
        for line in script.replace("\\\n", " ").splitlines():
            line = re.sub(r"\s\d*[<>]+&?[^\s);|&]*", " ", line)  # redirections such as 2>&1
            for match in re.finditer(r"(?:^\s*|\|\s*|\$\(\s*|xargs\s+-0\s+)(hrdd\s[^|;&>)]*)", line):
                commands.append(shlex.split(match.group(1)))
    return commands


def test_there_are_workflows_for_pull_requests_and_publishing() -> None:
    assert [p.name for p in WORKFLOWS] == ["publish.yml", "validate.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_the_github_workflow_schema(path: Path) -> None:
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _workflow_validator().iter_errors(_load(path))
    ]
    assert errors == []


def test_the_schema_check_catches_a_mistake() -> None:
    """The vendored schema really constrains steps (a misspelt key fails)."""
    workflow = _load(VALIDATE)
    next(_steps(workflow))["uses2"] = "actions/checkout@v5"
    assert list(_workflow_validator().iter_errors(workflow)) != []


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_workflow_runs_on_pull_request_target(path: Path) -> None:
    """pull_request_target runs with the base's secrets and a write token: never for strangers' data."""
    triggers = _load(path)["on"]
    names = [triggers] if isinstance(triggers, str) else list(triggers)
    assert "pull_request_target" not in names


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_expression_is_spliced_into_a_script(path: Path) -> None:
    """Event values reach scripts as environment variables, never as ${{ }} inside run:."""
    for script in _scripts(path):
        assert "${{" not in script
        assert [u for u in UNTRUSTED if u in script] == []


def test_untrusted_values_are_not_used_anywhere_in_the_validate_workflow() -> None:
    text = VALIDATE.read_text(encoding="utf-8")
    assert [u for u in UNTRUSTED if u in text] == []


def test_validate_runs_on_pull_request_with_a_read_only_token() -> None:
    workflow = _load(VALIDATE)
    assert list(workflow["on"]) == ["pull_request"]
    assert workflow["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in workflow["jobs"].values())


def test_validate_checks_out_the_whole_history_without_keeping_the_token() -> None:
    """check-submission compares with the merge base, which a shallow clone lacks."""
    checkout = next(s for s in _steps(_load(VALIDATE)) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}


def test_validate_runs_the_tested_commands() -> None:
    scripts = "\n".join(_scripts(VALIDATE))
    assert 'hrdd check-submission --base "origin/$BASE_REF" --author "$AUTHOR"' in scripts
    assert 'hrdd check-changes --base "origin/$BASE_REF" --format github "${published[@]}"' in scripts
    assert 'git show "origin/gh-pages:$edition/data/totals.csv"' in scripts
    assert '>> "$GITHUB_STEP_SUMMARY"' in scripts


def test_validate_installs_hrdd_from_the_base_branch() -> None:
    """The checker is never the code under review."""
    install = next(s["run"] for s in _steps(_load(VALIDATE)) if "pip install" in s.get("run", ""))
    assert 'git worktree add --detach "$RUNNER_TEMP/hrdd-base" "origin/$BASE_REF"' in install
    assert 'pip install --quiet "$RUNNER_TEMP/hrdd-base"' in install


def test_publish_runs_on_main_with_one_deployment_at_a_time() -> None:
    workflow = _load(PUBLISH)
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert workflow["permissions"] == {"contents": "write"}
    assert workflow["concurrency"] == {"group": "publish-gh-pages", "cancel-in-progress": False}
    scripts = "\n".join(_scripts(PUBLISH))
    assert "git fetch origin gh-pages --depth=1 || true" in scripts
    assert "hrdd build" in scripts
    assert 'hrdd publish --edition "$EDITION" --latest --push' in scripts
    assert 'hrdd publish --edition "$EDITION" --merged --push' in scripts
    assert 'hrdd publish --edition "$EDITION" --republish --reason "$REASON" --push' in scripts


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_hrdd_command_in_a_workflow_parses(path: Path) -> None:
    """A renamed command or option breaks this test, not the next pull request."""
    commands = _hrdd_commands(path)
    # The commands these tests (and the site-build tests) exercise; nothing untested runs in CI.
    assert {words[1] for words in commands} <= {
        "check-submission",
        "check-changes",
        "validate",
        "score",
        "build",
        "publish",
    }
    parser = build_parser()
    # Shell variables stand for values the workflow computes; give them plausible ones.
    values = {"$EDITION": "2026", "$REASON": "Corrected a misread source"}
    for words in commands:
        # "${accounts[@]}" expands to nothing or to --accounts FILE, "${published[@]}" to nothing
        # or to --published FILE; both forms must parse.
        plain = [values.get(w, w) for w in words[1:] if w not in ("${accounts[@]}", "${published[@]}")]
        parser.parse_args(plain)
        if "${accounts[@]}" in words:
            parser.parse_args([*plain, "--accounts", "submitters.yaml"])
        if "${published[@]}" in words:
            parser.parse_args([*plain, "--published", "totals.csv"])


# --- the validate workflow's commands, run in order on a real submission ------------------


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def submission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scorecard repository (the test project) on main, and a branch adding a self-assessment."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "scorecard"
    shutil.copytree(MINI_PROJECT, root)
    _git(root, "init", "--quiet", "--initial-branch=main")
    _git(root, "add", "--all")
    _git(root, "commit", "--quiet", "-m", "base")
    _git(root, "switch", "--quiet", "--create", "submission")
    independent = (root / "assessments/mini-telecom/2025.yaml").read_text(encoding="utf-8")
    own = independent.replace("{type: independent, name: Test NGO}", "{type: self, name: Mini Telecom}")
    assert own != independent
    (root / "assessments/mini-telecom/2025-self.yaml").write_text(own, encoding="utf-8")
    _git(root, "add", "--all")
    _git(root, "commit", "--quiet", "-m", "Mini Telecom: self-assessment 2025")
    return root


def test_the_workflow_commands_pass_a_good_submission(hrdd: Hrdd, submission: Path) -> None:
    project = ("--project", ".")
    scope = hrdd("check-submission", *project, "--base", "main", "--author", "mini-bot", cwd=submission)
    assert (scope.code, scope.out) == (
        0,
        "ok: company mini-telecom: 1 file checked against main: assessments/mini-telecom/2025-self.yaml\n",
    ), scope
    changes = hrdd("check-changes", *project, "--base", "main", "--format", "github", cwd=submission)
    assert changes.code == 0, changes
    lines = changes.out.splitlines()
    assert lines[0] == "checked assessments/mini-telecom/2025-self.yaml and 1 file(s) it depends on", changes
    assert lines[2].startswith("  Mini Telecom (fictional) 2025 self-assessment (mini 1.0): total "), changes


def test_the_workflow_commands_annotate_an_invalid_submission(hrdd: Hrdd, submission: Path) -> None:
    own = submission / "assessments/mini-telecom/2025-self.yaml"
    own.write_text(own.read_text(encoding="utf-8").replace("cycle: 2025", "cycle: 2024"), encoding="utf-8")
    _git(submission, "commit", "--quiet", "--all", "-m", "wrong cycle")
    valid = hrdd("check-changes", "--project", ".", "--base", "main", "--format", "github", cwd=submission)
    assert valid.code == 1, valid
    assert valid.out.startswith("::error file=assessments/mini-telecom/2025-self.yaml,line=3,col=8,"), valid
    assert "score preview" not in valid.out, valid


# --- pre-commit --------------------------------------------------------------------------


def _hook_manifest() -> list[dict[str, Any]]:
    data = read_yaml(REPO / ".pre-commit-hooks.yaml").data
    assert isinstance(data, list)
    return data


def _local_hook() -> dict[str, Any]:
    config = read_yaml(REPO / ".pre-commit-config.yaml").data
    (local,) = [r for r in config["repos"] if r["repo"] == "local"]
    (hook,) = local["hooks"]
    assert isinstance(hook, dict)
    return hook


def test_the_hook_manifest_declares_hrdd_validate() -> None:
    (hook,) = _hook_manifest()
    assert {k: hook[k] for k in ("id", "entry", "language", "pass_filenames")} == {
        "id": "hrdd-validate",
        "entry": "hrdd validate",
        "language": "python",
        "pass_filenames": True,
    }
    assert hook["name"] and hook["description"]


def test_this_repository_uses_the_same_hook() -> None:
    (manifest,) = _hook_manifest()
    local = _local_hook()
    assert (local["id"], local["entry"], local["files"]) == (manifest["id"], manifest["entry"], manifest["files"])
    assert local["language"] == "system"


@pytest.mark.parametrize(
    ("path", "selected"),
    [
        ("assessments/acme/2026-self.yaml", True),
        ("assessments/acme/2026.yml", True),
        ("frameworks/ungp-core/1.1.yaml", True),
        ("docs/submit.md", False),
        ("mkdocs.yml", False),
        ("schema/assessment.schema.json", False),
        ("tests/cases/valid/x/assessments/a/2025.yaml", False),
    ],
)
def test_the_hook_selects_frameworks_and_assessments(path: str, selected: bool) -> None:
    (hook,) = _hook_manifest()
    assert bool(re.search(hook["files"], path)) is selected


def test_the_hook_entry_validates_the_files_it_is_given(hrdd: Hrdd, tmp_path: Path) -> None:
    """pre-commit runs the entry with the staged file names appended."""
    (hook,) = _hook_manifest()
    program, *args = shlex.split(hook["entry"])
    assert program == "hrdd"
    project = tmp_path / "project"
    shutil.copytree(MINI_PROJECT, project)
    good = "assessments/mini-telecom/2025.yaml"
    run = hrdd(*args, good, "frameworks/mini/1.0.yaml", cwd=project)
    assert (run.code, run.out) == (0, "2 files checked, no problems\n"), run
    bad = project / good
    bad.write_text(bad.read_text(encoding="utf-8").replace("cycle: 2025", "cycle: 2024"), encoding="utf-8")
    run = hrdd(*args, good, cwd=project)
    assert run.code == 1, run
    assert run.out.startswith(f"{good}:3:8: "), run
