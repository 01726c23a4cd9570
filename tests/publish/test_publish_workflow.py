"""The Publish workflow's own scripts (.github/workflows/publish.yml), run in order with bash on a
local git repository whose ``origin`` is a bare repository, as a push to main runs them: the first
push publishes the edition, a merged reply is then published and recorded as an addition, and a
push that changes nothing the edition shows publishes nothing (issue 16)."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from hrdd.yamlio import read_yaml
from tests.conftest import REPO
from tests.publish.conftest import GIT_ENV, commit_all, extract, git, make_repo

A = "{http://www.w3.org/2005/Atom}"
PUBLISH = REPO / ".github" / "workflows" / "publish.yml"
REPLY = "A grievance channel for users opened in May 2025."


def _steps() -> list[dict[str, Any]]:
    data = read_yaml(PUBLISH).data
    assert isinstance(data, dict)
    (job,) = data["jobs"].values()
    steps: list[dict[str, Any]] = job["steps"]
    return steps


def _push_to_main(repo: Path, tmp: Path) -> str:
    """Run the workflow's scripts as a push to main does (the install step aside: hrdd is this
    one); the Deploy step's output."""
    outputs = tmp / "github-output"
    outputs.write_text("", encoding="utf-8")
    env = {
        **os.environ,
        **GIT_ENV,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_OUTPUT": str(outputs),
        "SOURCE_DATE_EPOCH": git(repo, "show", "-s", "--format=%ct", "HEAD"),
    }
    deployed = ""
    for step in _steps():
        script = step.get("run")
        if script is None or "pip install" in script:
            continue
        step_env = dict(env)
        for name, value in step.get("env", {}).items():
            # Expressions the runner would fill in: the event, and the edition step's outputs.
            text = str(value)
            if text == "${{ github.event_name }}":
                text = "push"
            elif text.startswith("${{ steps.edition.outputs."):
                key = text.removeprefix("${{ steps.edition.outputs.").removesuffix(" }}")
                found = dict(
                    line.split("=", 1) for line in outputs.read_text(encoding="utf-8").splitlines() if "=" in line
                )
                text = found[key]
            elif text.startswith("${{ inputs."):
                text = ""
            step_env[name] = text
        done = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", script], cwd=repo, env=step_env, capture_output=True, text=True
        )
        assert done.returncode == 0, (step.get("name"), done.stdout, done.stderr)
        if step.get("name") == "Deploy the edition":
            deployed = done.stdout
    return deployed


def test_a_merged_reply_reaches_the_published_edition(tmp_path: Path) -> None:
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin))
    repo = make_repo(tmp_path / "scorecard")
    git(repo, "remote", "add", "origin", str(origin))
    git(repo, "push", "-q", "origin", "main")

    first = _push_to_main(repo, tmp_path)
    assert "published edition 2025" in first, first

    # A company's pull request adding a reply to a finding is merged.
    path = repo / "assessments" / "mini-telecom" / "2025.yaml"
    text = path.read_text(encoding="utf-8")
    old = 'A1.2:\n    group: {answer: "no"}'
    assert old in text
    path.write_text(
        text.replace(old, f'A1.2:\n    group: {{answer: "no", reply: {{text: "{REPLY}", date: 2025-07-01}}}}'),
        encoding="utf-8",
    )
    merged = commit_all(repo, "Merge pull request #7: reply of Mini Telecom", date="2025-07-02T09:00:00+00:00")
    git(repo, "push", "-q", "origin", "main")

    second = _push_to_main(repo, tmp_path)
    assert "addition recorded (2025-07-02): Mini Telecom (fictional): replies to the 2025 assessment" in second
    site = extract(origin, "gh-pages", tmp_path / "site")
    # A reply is shown next to its answer, on the company's answers page (issue #21).
    answers = site / "2025" / "companies" / "mini-telecom" / "answers" / "index.html"
    assert REPLY in answers.read_text(encoding="utf-8")
    feed = ET.parse(site / "2025" / "changelog.xml").getroot()
    entry = feed.find(f"{A}entry")
    assert entry is not None
    assert entry.findtext(f"{A}title") == "Addition to the 2025 edition (2025-07-02)"
    assert merged[:12] in (entry.findtext(f"{A}summary") or "")

    # A push that changes nothing the edition shows deploys nothing.
    (repo / "README.txt").write_text("notes\n", encoding="utf-8")
    commit_all(repo, "Notes", date="2025-07-03T09:00:00+00:00")
    before = git(origin, "rev-parse", "gh-pages")
    third = _push_to_main(repo, tmp_path)
    assert "nothing published, nothing recorded" in third, third
    assert git(origin, "rev-parse", "gh-pages") == before
