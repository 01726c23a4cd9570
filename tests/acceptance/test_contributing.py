"""CONTRIBUTING.md, followed literally: every ``sh`` command block it shows is run, in order, in
one shell, in a temporary git repository made from this project, and every ``# → TEXT`` comment
(output the command promises) is checked against what the command printed (issue 16).

Two kinds of lines are not run as written, because the test has no network and hrdd is already
installed: the clone address (the demo's placeholder, ``hrdd.placeholders.REPOSITORY``) is the
temporary repository's bare "origin", and the lines that make a virtual environment and install
hrdd into it are skipped, with the tested hrdd first on PATH.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from hrdd.placeholders import REPOSITORY
from tests.conftest import REPO

CONTRIBUTING = REPO / "CONTRIBUTING.md"
PROJECT_PARTS = ("assessments", "frameworks", "schema", "docs", "mkdocs.yml", "CONTRIBUTING.md", ".github")
INSTALLING = ("python3 -m venv", "pip install")
PROMISE = re.compile(r"\s#\s→\s(?P<text>.+)$")
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "A Company",
    "GIT_AUTHOR_EMAIL": "company@example.org",
    "GIT_COMMITTER_NAME": "A Company",
    "GIT_COMMITTER_EMAIL": "company@example.org",
}


def command_blocks(text: str) -> list[list[str]]:
    """The lines of every ```sh block, in order."""
    return [block.strip("\n").splitlines() for block in re.findall(r"^```sh\n(.*?)^```", text, re.M | re.S)]


def _origin(tmp: Path) -> Path:
    """A bare repository holding the project's scorecard files on main."""
    source = tmp / "source"
    source.mkdir()
    for part in PROJECT_PARTS:
        if (REPO / part).is_dir():
            shutil.copytree(REPO / part, source / part)
        elif (REPO / part).is_file():
            shutil.copy(REPO / part, source / part)
    env = {**os.environ, **GIT_ENV}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "scorecard"]):
        subprocess.run(["git", *args], cwd=source, env=env, check=True, capture_output=True)
    origin = tmp / "origin.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(source), str(origin)], env=env, check=True)
    return origin


def test_contributing_md_has_command_blocks_with_promises() -> None:
    """The guide shows commands, and says what they print (else the test below would check nothing)."""
    blocks = command_blocks(CONTRIBUTING.read_text(encoding="utf-8"))
    promises = [line for block in blocks for line in block if PROMISE.search(line)]
    assert len(blocks) >= 4 and len(promises) >= 5


def test_every_command_block_of_contributing_md_runs_as_promised(tmp_path: Path) -> None:
    origin = _origin(tmp_path)
    work = tmp_path / "company"
    work.mkdir()
    script = ["set -e -o pipefail"]
    promised: list[tuple[int, str, str]] = []
    for block in command_blocks(CONTRIBUTING.read_text(encoding="utf-8")):
        for line in block:
            command = line.strip()
            if not command or command.startswith("#"):
                continue
            if command.startswith(INSTALLING):
                continue
            command = command.replace(f"{REPOSITORY}.git", str(origin))
            n = len(promised)
            found = PROMISE.search(command)
            promised.append((n, line, found["text"].strip() if found else ""))
            script += [f"echo '@@ {n}'", command]
    env = {
        **os.environ,
        **GIT_ENV,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "HRDD_DEBUG": "1",
    }
    done = subprocess.run(
        ["bash", "-c", "\n".join(script)], cwd=work, env=env, capture_output=True, text=True, check=False
    )
    outputs = dict(
        (int(part.split("\n", 1)[0]), part.split("\n", 1)[1] if "\n" in part else "")
        for part in done.stdout.split("@@ ")[1:]
    )
    ran = max(outputs, default=-1)
    assert done.returncode == 0, f"stopped at {promised[ran][1]!r}:\n{outputs.get(ran)}\n{done.stderr}"
    assert ran == len(promised) - 1
    for n, line, text in promised:
        if text:
            assert text in outputs[n], f"{line!r} printed:\n{outputs[n]}"
    # What the guide leads to: the self-assessment pushed on the company's branch of origin.
    listed = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", "bluefinch-2026"],
        cwd=origin,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "assessments/bluefinch/2026-self.yaml" in listed.stdout.splitlines()
