"""hrdd check-submission: what a company's pull request may change, checked in real git repositories.

Each test builds a repository whose ``main`` holds frameworks, a schema, site configuration,
code and two companies' assessments, then commits a submission on a branch and runs the
command in-process exactly as the validate workflow does.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from hrdd.submission import load_accounts
from tests.conftest import REPO, Run

Hrdd = Callable[..., Run]

RULE = (
    "a company submission may only add or edit its own self-assessments and its replies to an "
    "independent assessment, for one company (see CONTRIBUTING.md)"
)
REPLY_RULE = (
    "in an independent assessment a company may only add or edit replies "
    "(answers/<element>/<level>/reply) and add the sources they cite"
)
OUTSIDE = "only assessments/<company>/ may be changed"

ACME_2025 = """\
# yaml-language-server: $schema=../../schema/assessment.schema.json
company: {name: Acme Video, slug: acme, sector: Video conferencing, country: NL}
framework: {id: mini, version: "1.0"}
cycle: 2025
assessor: {type: independent, name: Test NGO}
status: published
levels:
  - {id: group, name: Acme group, kind: group}
sources:
  - {id: s1, url: "https://example.org/policy", title: Policy}
answers:
  A1.1:
    group:
      answer: "no"
      comment: No public commitment found.
  A1.2:
    group:
      answer: partial
      evidence: [{source: s1}]
      reply: {text: We are drafting a policy., date: 2025-05-01}
"""

SELF_2025 = ACME_2025.replace("type: independent, name: Test NGO", "type: self, name: Acme Video")


def _base_files() -> dict[str, str]:
    return {
        "frameworks/mini/1.0.yaml": 'id: mini\nversion: "1.0"\n',
        "schema/assessment.schema.json": "{}\n",
        "mkdocs.yml": "site_name: Scorecard\n",
        "docs/submit.md": "# Submit\n",
        "src/hrdd/cli.py": "print('hrdd')\n",
        ".github/workflows/validate.yml": "on: pull_request\n",
        "assessments/acme/2025.yaml": ACME_2025,
        "assessments/acme/2025-self.yaml": SELF_2025,
        "assessments/birch/2025.yaml": ACME_2025.replace("acme", "birch").replace("Acme", "Birch"),
    }


class Repo:
    """A git repository in a temporary folder; ``main`` is the base of every submission."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
            cwd=self.root,
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout

    def write(self, path: str, text: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def edit(self, path: str, old: str, new: str) -> None:
        text = (self.root / path).read_text(encoding="utf-8")
        assert old in text
        self.write(path, text.replace(old, new))

    def commit(self, message: str = "submission") -> None:
        self.git("add", "--all")
        self.git("commit", "--quiet", "--no-verify", "-m", message)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """A repository with the base on ``main`` and the branch ``submission`` checked out."""
    # The developer's own git configuration (hooks, signing, default branch) must not matter.
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    repo = Repo(tmp_path / "scorecard")
    repo.root.mkdir()
    repo.git("init", "--quiet", "--initial-branch=main")
    for path, text in _base_files().items():
        repo.write(path, text)
    repo.commit("base")
    repo.git("switch", "--quiet", "--create", "submission")
    return repo


def check(hrdd: Hrdd, repo: Repo, *extra: str) -> Run:
    return hrdd("check-submission", "--project", ".", "--base", "main", *extra, cwd=repo.root)


def refused(*lines: str, changed: int) -> str:
    """The expected output: the refusal lines, then the closing summary."""
    files = f"{changed} changed file{'s' if changed != 1 else ''}"
    summary = f"{len(lines)} of {files} refused (compared with main); {RULE}"
    return "\n".join([*lines, summary]) + "\n"


# --- allowed -----------------------------------------------------------------------------


def test_adding_a_self_assessment_is_allowed(hrdd: Hrdd, repo: Repo) -> None:
    """A new <cycle>-self.yaml in one company's folder passes and the output names it."""
    repo.write("assessments/acme/2026-self.yaml", SELF_2025.replace("cycle: 2025", "cycle: 2026"))
    repo.commit()
    run = check(hrdd, repo)
    assert (run.code, run.out, run.err) == (
        0,
        "ok: company acme: 1 file checked against main: assessments/acme/2026-self.yaml\n",
        "",
    ), run


def test_editing_a_self_assessment_and_adding_another_is_allowed(hrdd: Hrdd, repo: Repo) -> None:
    """Self-assessments may be edited freely, answers included."""
    repo.edit("assessments/acme/2025-self.yaml", 'answer: "no"', 'answer: "yes"')
    repo.write("assessments/acme/2026-self.yaml", SELF_2025.replace("cycle: 2025", "cycle: 2026"))
    repo.commit()
    run = check(hrdd, repo)
    assert (run.code, run.out) == (
        0,
        "ok: company acme: 2 files checked against main: "
        "assessments/acme/2025-self.yaml, assessments/acme/2026-self.yaml\n",
    ), run


def test_reply_only_edit_of_an_independent_assessment_is_allowed(hrdd: Hrdd, repo: Repo) -> None:
    """New and edited replies, and a new source a reply cites, leave the findings untouched."""
    repo.edit(
        "assessments/acme/2025.yaml",
        "      comment: No public commitment found.\n",
        "      comment: No public commitment found.\n"
        "      reply:\n"
        "        text: Our commitment was published in March.\n"
        "        date: 2025-06-02\n"
        "        evidence: [{source: s2, quote: We commit to respect human rights.}]\n",
    )
    repo.edit("assessments/acme/2025.yaml", "We are drafting a policy.", "The policy was adopted.")
    repo.edit(
        "assessments/acme/2025.yaml",
        '  - {id: s1, url: "https://example.org/policy", title: Policy}\n',
        '  - {id: s1, url: "https://example.org/policy", title: Policy}\n'
        '  - {id: s2, url: "https://acme.example/commitment", title: Our commitment}\n',
    )
    repo.commit()
    run = check(hrdd, repo)
    assert (run.code, run.out) == (
        0,
        "ok: company acme: 1 file checked against main: assessments/acme/2025.yaml\n",
    ), run


def test_removing_a_reply_is_allowed(hrdd: Hrdd, repo: Repo) -> None:
    """Replies are the company's own text: it may also withdraw one."""
    repo.edit("assessments/acme/2025.yaml", "      reply: {text: We are drafting a policy., date: 2025-05-01}\n", "")
    repo.commit()
    assert check(hrdd, repo).code == 0


def test_changes_on_main_after_branching_are_not_the_submissions(hrdd: Hrdd, repo: Repo) -> None:
    """Like a pull request, the change is compared with the merge base (base...head)."""
    repo.write("assessments/acme/2026-self.yaml", SELF_2025.replace("cycle: 2025", "cycle: 2026"))
    repo.commit()
    repo.git("switch", "--quiet", "main")
    repo.write("frameworks/mini/1.1.yaml", 'id: mini\nversion: "1.1"\n')
    repo.commit("editors: framework 1.1")
    repo.git("switch", "--quiet", "submission")
    run = check(hrdd, repo)
    assert (run.code, run.out) == (
        0,
        "ok: company acme: 1 file checked against main: assessments/acme/2026-self.yaml\n",
    ), run


def test_no_change_is_nothing_to_check(hrdd: Hrdd, repo: Repo) -> None:
    run = check(hrdd, repo)
    assert (run.code, run.out) == (0, "no files changed between main and HEAD; nothing to check\n"), run


# --- refused: independent assessments beyond replies -------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ('answer: "no"', 'answer: "yes"', "answers/A1.1/group/answer"),
        ("comment: No public commitment found.", "comment: Found.", "answers/A1.1/group/comment"),
        ("status: published", "status: draft", "status"),
        ("https://example.org/policy", "https://example.org/other", "sources/s1/url"),
        ("cycle: 2025", "cycle: 2025.0", "cycle"),
        ("evidence: [{source: s1}]", "evidence: []", "answers/A1.2/group/evidence"),
        ('  - {id: s1, url: "https://example.org/policy", title: Policy}\n', "  []\n", "sources"),
    ],
    ids=["answer", "comment", "status", "source-url", "number-type", "evidence", "source-removed"],
)
def test_editing_a_finding_is_refused(hrdd: Hrdd, repo: Repo, old: str, new: str, where: str) -> None:
    """Any change to the independent assessment other than replies is named by its place."""
    repo.edit("assessments/acme/2025.yaml", old, new)
    repo.commit()
    run = check(hrdd, repo)
    assert (run.code, run.out) == (
        1,
        refused(f"assessments/acme/2025.yaml: changes {where}; {REPLY_RULE}", changed=1),
    ), run


def test_a_reply_with_another_change_names_the_first_and_counts_the_rest(hrdd: Hrdd, repo: Repo) -> None:
    repo.edit("assessments/acme/2025.yaml", 'answer: "no"', 'answer: "yes"')
    repo.edit("assessments/acme/2025.yaml", "status: published", "status: draft")
    repo.edit("assessments/acme/2025.yaml", "We are drafting a policy.", "Adopted.")
    repo.commit()
    run = check(hrdd, repo)
    assert run.out == refused(
        f"assessments/acme/2025.yaml: changes status (and 1 other place); {REPLY_RULE}", changed=1
    ), run


def test_adding_an_independent_assessment_is_refused(hrdd: Hrdd, repo: Repo) -> None:
    repo.write("assessments/acme/2026.yaml", ACME_2025.replace("cycle: 2025", "cycle: 2026"))
    repo.commit()
    run = check(hrdd, repo)
    assert run.out == refused(
        "assessments/acme/2026.yaml: adds an independent assessment; "
        "a company may add only self-assessments (<cycle>-self.yaml)",
        changed=1,
    ), run


def test_an_unreadable_independent_assessment_is_refused(hrdd: Hrdd, repo: Repo) -> None:
    """A reply that breaks the YAML cannot be checked, so it is refused with the parser's reason."""
    repo.edit("assessments/acme/2025.yaml", "cycle: 2025\n", "cycle: 2025\ncycle: 2026\n")
    repo.commit()
    run = check(hrdd, repo)
    assert run.out == refused(
        "assessments/acme/2025.yaml: cannot be read as YAML (line 5: duplicate key 'cycle' "
        "(first at line 4); keep only one), so it cannot be checked; fix it first",
        changed=1,
    ), run


# --- refused: where the files are --------------------------------------------------------


def test_two_companies_are_refused_naming_both_files(hrdd: Hrdd, repo: Repo) -> None:
    repo.write("assessments/acme/2026-self.yaml", SELF_2025)
    repo.write("assessments/birch/2026-self.yaml", SELF_2025)
    repo.commit()
    run = check(hrdd, repo)
    two = "one of 2 companies changed (acme, birch); a submission may change only one company's folder"
    assert (run.code, run.out) == (
        1,
        refused(f"assessments/acme/2026-self.yaml: {two}", f"assessments/birch/2026-self.yaml: {two}", changed=2),
    ), run


def test_frameworks_schemas_site_and_code_are_refused(hrdd: Hrdd, repo: Repo) -> None:
    """Each file outside assessments/ is named with what it is, beside an allowed file."""
    repo.write("assessments/acme/2026-self.yaml", SELF_2025)
    repo.edit("frameworks/mini/1.0.yaml", "mini", "mini2")
    repo.write("schema/assessment.schema.json", '{"type": "object"}\n')
    repo.write("mkdocs.yml", "site_name: Hacked\n")
    repo.write("docs/submit.md", "# Gone\n")
    repo.write("src/hrdd/cli.py", "print('pwned')\n")
    repo.write(".github/workflows/validate.yml", "on: push\n")
    repo.write("README.md", "# readme\n")
    repo.commit()
    run = check(hrdd, repo)
    assert (run.code, run.out) == (
        1,
        refused(
            f".github/workflows/validate.yml: changes the repository's workflows and settings; {OUTSIDE}",
            f"README.md: changes a file outside assessments/; {OUTSIDE}",
            f"docs/submit.md: changes the site's pages; {OUTSIDE}",
            f"frameworks/mini/1.0.yaml: changes a framework; {OUTSIDE}",
            f"mkdocs.yml: changes the site configuration; {OUTSIDE}",
            f"schema/assessment.schema.json: changes a JSON Schema; {OUTSIDE}",
            f"src/hrdd/cli.py: changes hrdd's code; {OUTSIDE}",
            changed=8,
        ),
    ), run


def test_deleting_a_file_is_refused(hrdd: Hrdd, repo: Repo) -> None:
    repo.git("rm", "--quiet", "assessments/acme/2025-self.yaml")
    repo.commit()
    run = check(hrdd, repo)
    assert run.out == refused(
        "assessments/acme/2025-self.yaml: deletes a file; a submission may not delete files", changed=1
    ), run


def test_a_rename_out_of_the_company_folder_names_both_sides(hrdd: Hrdd, repo: Repo) -> None:
    repo.git("mv", "assessments/acme/2025-self.yaml", "assessments/birch/2025-self.yaml")
    repo.commit()
    run = check(hrdd, repo)
    rule = "a submission may not rename or move files"
    assert run.out == refused(
        f"assessments/acme/2025-self.yaml: renamed to assessments/birch/2025-self.yaml; {rule}",
        f"assessments/birch/2025-self.yaml: renamed from assessments/acme/2025-self.yaml; {rule}",
        changed=2,
    ), run


def test_a_rename_from_code_into_a_company_folder_is_refused(hrdd: Hrdd, repo: Repo) -> None:
    repo.git("mv", "src/hrdd/cli.py", "assessments/acme/2026-self.yaml")
    repo.commit()
    run = check(hrdd, repo)
    assert run.out == refused(
        "assessments/acme/2026-self.yaml: renamed from src/hrdd/cli.py; a submission may not rename or move files",
        f"src/hrdd/cli.py: changes hrdd's code; {OUTSIDE}",
        changed=2,
    ), run


def test_a_symbolic_link_is_refused(hrdd: Hrdd, repo: Repo) -> None:
    (repo.root / "assessments/acme/2026-self.yaml").symlink_to("../birch/2025.yaml")
    repo.commit()
    run = check(hrdd, repo)
    assert run.out == refused("assessments/acme/2026-self.yaml: is a symbolic link; add the file itself", changed=1), (
        run
    )


def test_a_file_that_is_not_yaml_is_refused(hrdd: Hrdd, repo: Repo) -> None:
    """Files not ending in .yaml are refused with the words hrdd validate uses for them
    (hrdd.layout: .yml and .YAML are not read anywhere)."""
    repo.write("assessments/acme/evidence.pdf", "%PDF-1.7\n")
    repo.write("assessments/acme/2026-self.yml", SELF_2025)
    repo.write("assessments/acme/2027-self.YAML", SELF_2025)
    repo.commit()
    run = check(hrdd, repo)
    not_yaml = (
        "not a .yaml file: hrdd reads only .yaml files under assessments/ and frameworks/; "
        "remove it or move it out of the folder"
    )
    rename = "hrdd reads only files ending in .yaml (lower case); rename it to"
    assert run.out == refused(
        f"assessments/acme/2026-self.yml: {rename} 2026-self.yaml",
        f"assessments/acme/2027-self.YAML: {rename} 2027-self.yaml",
        f"assessments/acme/evidence.pdf: {not_yaml}",
        changed=3,
    ), run


def test_an_edit_of_comments_only_in_an_independent_assessment_is_refused(hrdd: Hrdd, repo: Repo) -> None:
    """A change to another organisation's assessment that touches only comments or layout (the
    data stays equal) is refused: with or without an accounts file, a company may only reply."""
    path = "assessments/acme/2025.yaml"
    repo.write(path, ACME_2025 + "# a note added by a stranger\n")
    repo.commit()
    run = check(hrdd, repo)
    assert run.code == 1, run
    assert f"{path}: changes only comments or layout, not a reply" in run.out, run


def test_yaml_files_not_named_as_assessments_are_refused(hrdd: Hrdd, repo: Repo) -> None:
    """Only <cycle>.yaml and <cycle>-self.yaml directly in a company folder."""
    repo.write("assessments/acme/notes.yaml", "a: 1\n")
    repo.write("assessments/acme/old/2024-self.yaml", SELF_2025)
    repo.write("assessments/2026-self.yaml", SELF_2025)
    repo.commit()
    run = check(hrdd, repo)
    name = "is not an assessment file; name it assessments/<company>/<cycle>-self.yaml (e.g. 2026-self.yaml)"
    assert run.out == refused(
        f"assessments/2026-self.yaml: {name}",
        f"assessments/acme/notes.yaml: {name}",
        f"assessments/acme/old/2024-self.yaml: {name}",
        changed=3,
    ), run


def test_odd_file_names_are_read_exactly_and_printed_safely(hrdd: Hrdd, repo: Repo) -> None:
    """Spaces and non-ASCII letters are printed as they are; a newline, a terminal escape and
    a byte that is not UTF-8 are escaped, so no name can forge an output line."""
    repo.write("assessments/acme/2026 self ü.yaml", SELF_2025)
    repo.write("assessments/acme/2026-self.yaml\nok: fine.yaml", SELF_2025)
    repo.write("assessments/acme/\x1b[2Jclear.yaml", SELF_2025)
    (repo.root / os.fsdecode(b"assessments/acme/caf\xe9.yaml")).write_text(SELF_2025, encoding="utf-8")
    repo.commit()
    run = check(hrdd, repo)
    name = "is not an assessment file; name it assessments/<company>/<cycle>-self.yaml (e.g. 2026-self.yaml)"
    assert run.out == refused(
        f'"assessments/acme/\\x1b[2Jclear.yaml": {name}',
        f"assessments/acme/2026 self ü.yaml: {name}",
        f'"assessments/acme/2026-self.yaml\\nok: fine.yaml": {name}',
        f'"assessments/acme/caf\\xe9.yaml": {name}',
        changed=4,
    ), run


def test_a_project_in_a_subfolder_refuses_files_outside_it(hrdd: Hrdd, repo: Repo) -> None:
    """Paths are taken relative to --project, so a scorecard can live in a subfolder."""
    repo.write("site-2/assessments/acme/2026-self.yaml", SELF_2025)
    repo.write("site-2/mkdocs.yml", "site_name: x\n")
    repo.commit()
    run = hrdd("check-submission", "--project", "site-2", "--base", "main", cwd=repo.root)
    assert run.out == refused(f"site-2/mkdocs.yml: changes the site configuration; {OUTSIDE}", changed=2), run
    (repo.root / "other").mkdir()
    run = hrdd("check-submission", "--project", "other", "--base", "main", cwd=repo.root)
    assert run.out.splitlines()[0] == (
        "site-2/assessments/acme/2026-self.yaml: is outside the project folder other; " + OUTSIDE
    ), run


# --- accounts ----------------------------------------------------------------------------


@pytest.fixture
def accounts(tmp_path: Path) -> Path:
    path = tmp_path / "submitters.yaml"
    path.write_text("Acme-Bot: [acme]\nbirch-team: [birch]\nformer-staff: []\n", encoding="utf-8")
    return path


def test_an_author_listed_for_the_company_is_allowed(hrdd: Hrdd, repo: Repo, accounts: Path) -> None:
    """GitHub logins are compared without regard to case."""
    repo.write("assessments/acme/2026-self.yaml", SELF_2025)
    repo.commit()
    run = check(hrdd, repo, "--author", "acme-bot", "--accounts", str(accounts))
    assert run.code == 0, run


def test_an_author_listed_for_another_company_is_refused(hrdd: Hrdd, repo: Repo, accounts: Path) -> None:
    repo.write("assessments/acme/2026-self.yaml", SELF_2025)
    repo.commit()
    run = check(hrdd, repo, "--author", "birch-team", "--accounts", str(accounts))
    assert run.out == refused(
        "assessments/acme/2026-self.yaml: @birch-team may submit only for birch, not acme", changed=1
    ), run
    run = check(hrdd, repo, "--author", "former-staff", "--accounts", str(accounts))
    assert run.out == refused(
        "assessments/acme/2026-self.yaml: @former-staff may submit only for no company, not acme", changed=1
    ), run


def test_an_author_not_in_the_mapping_is_refused(hrdd: Hrdd, repo: Repo, accounts: Path) -> None:
    repo.write("assessments/acme/2026-self.yaml", SELF_2025)
    repo.commit()
    run = check(hrdd, repo, "--author", "stranger", "--accounts", str(accounts))
    assert run.out == refused(
        "assessments/acme/2026-self.yaml: @stranger is not registered to submit for any company; "
        "ask the scorecard's editors to add the account (see CONTRIBUTING.md)",
        changed=1,
    ), run


def test_without_accounts_the_author_is_not_checked(hrdd: Hrdd, repo: Repo) -> None:
    repo.write("assessments/acme/2026-self.yaml", SELF_2025)
    repo.commit()
    assert check(hrdd, repo, "--author", "stranger").code == 0


# --- usage errors ------------------------------------------------------------------------


def test_an_unknown_base_revision_is_a_usage_error(hrdd: Hrdd, repo: Repo) -> None:
    run = hrdd("check-submission", "--project", ".", "--base", "origin/nowhere", cwd=repo.root)
    assert (run.code, run.out, run.err) == (
        2,
        "",
        "hrdd: error: unknown revision 'origin/nowhere' (from --base): not a commit in this repository; "
        "in a shallow clone fetch it first, e.g. git fetch origin main\n",
    ), run


def test_a_revision_is_never_read_as_an_option(hrdd: Hrdd, repo: Repo) -> None:
    run = hrdd("check-submission", "--project", ".", "--base", "main", "--head=--output=x", cwd=repo.root)
    assert run.code == 2, run
    assert "unknown revision '--output=x' (from --head)" in run.err, run
    assert not (repo.root / "x").exists()


def test_outside_a_git_repository_is_a_usage_error(hrdd: Hrdd, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    plain = tmp_path / "plain"
    plain.mkdir()
    run = hrdd("check-submission", "--project", ".", "--base", "main", cwd=plain)
    assert (run.code, run.err) == (
        2,
        f"hrdd: error: {plain.resolve()} is not in a git repository; check-submission compares git revisions\n",
    ), run


def test_accounts_without_author_is_a_usage_error(hrdd: Hrdd, repo: Repo, accounts: Path) -> None:
    run = check(hrdd, repo, "--accounts", str(accounts))
    assert (run.code, run.err) == (
        2,
        "hrdd: error: --accounts needs --author: the GitHub account that opened the pull request\n",
    ), run


def test_a_malformed_accounts_file_is_a_usage_error(hrdd: Hrdd, repo: Repo, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("acme-bot: acme\n", encoding="utf-8")
    run = check(hrdd, repo, "--author", "acme-bot", "--accounts", str(bad))
    assert (run.code, run.err) == (
        2,
        f"hrdd: error: {bad}:1:11: acme-bot: expected a list of company slugs, e.g. [acme-video]\n",
    ), run


# --- documentation -----------------------------------------------------------------------


def _transcript(after: str) -> str:
    """The first fenced block following ``after`` in CONTRIBUTING.md."""
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    block = text[text.index(after) :].split("```", 2)[1]
    return block.removeprefix("\n")


def test_the_transcripts_in_contributing_are_real_output(hrdd: Hrdd, repo: Repo) -> None:
    """CONTRIBUTING.md shows what the command prints, exactly."""
    repo.write("assessments/example-corp/2025.yaml", ACME_2025.replace("A1.1", "PC1.1"))
    repo.write("frameworks/ungp-core/1.1.yaml", 'id: ungp-core\nversion: "1.1"\n')
    repo.commit("base for the examples")
    repo.git("update-ref", "refs/remotes/origin/main", "HEAD")
    repo.edit("assessments/example-corp/2025.yaml", 'answer: "no"', 'answer: "yes"')
    repo.edit("frameworks/ungp-core/1.1.yaml", "1.1", "1.2")
    repo.write("assessments/example-corp/2026-self.yaml", SELF_2025)
    repo.commit()
    run = hrdd("check-submission", "--base", "origin/main", cwd=repo.root)
    assert run.out == _transcript("A refusal looks like this:"), run
    repo.git("reset", "--quiet", "--hard", "origin/main")
    repo.write("assessments/example-corp/2026-self.yaml", SELF_2025)
    repo.commit()
    run = hrdd("check-submission", "--base", "origin/main", cwd=repo.root)
    assert run.out == _transcript("and a pass like this:"), run


def test_the_example_accounts_file_is_valid() -> None:
    accounts = load_accounts(REPO / ".github" / "submitters.example.yaml")
    assert accounts["tessaline-human-rights"] == ("tessaline",)
