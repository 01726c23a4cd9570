"""``hrdd publish`` against real git repositories: editions as mike versions on gh-pages, the
``latest`` alias and default redirect, refusals, corrections that are recorded and shown, and
deployments that do not depend on the clock."""

from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

import pytest

from hrdd.errors import BuildError, UsageError
from hrdd.publish import PublishError
from hrdd.site.build import build_site
from tests.publish.conftest import Published, commit_all, extract, fetch, git, make_repo, run_publish
from tests.site.conftest import make_project
from tests.site.sitecheck import elements

A = "{http://www.w3.org/2005/Atom}"


def _config(html: str) -> dict[str, object]:
    """Material's page configuration (the JSON its script reads)."""
    found = re.search(r'<script id="__config" type="application/json">(.*?)</script>', html, re.DOTALL)
    assert found is not None
    data: dict[str, object] = json.loads(found.group(1))
    return data


def _redirect_target(html: str) -> str:
    found = re.search(r'window\.location\.replace\(\s*"([^"]*)"', html)
    assert found is not None, html
    return found.group(1)


def _show(repo: Path, spec: str) -> str:
    return git(repo, "show", spec)


# --- two editions ------------------------------------------------------------------------


def test_versions_json_lists_both_editions(published: Published) -> None:
    expected = [
        {"version": "2025", "title": "2025 edition", "aliases": ["latest"]},
        {"version": "2024", "title": "2024 edition", "aliases": []},
    ]
    assert json.loads(_show(published.repo, "gh-pages:versions.json")) == expected
    assert json.loads(fetch(published.url + "versions.json")) == expected


def test_the_first_edition_gets_latest_and_latest_moves_when_asked(published: Published) -> None:
    assert [(v.version, v.aliases) for v in published.first.versions] == [("2024", ("latest",))]
    assert published.second.latest == "2025"
    assert "published edition 2025" in published.second.summary()
    assert "editions on gh-pages: 2025 (latest), 2024" in published.second.summary()


def test_both_editions_are_served_and_the_root_goes_to_the_latest(published: Published) -> None:
    for edition in ("2024", "2025"):
        home = fetch(f"{published.url}{edition}/").decode()
        assert f'data-edition="{edition}"' in home
        company = fetch(f"{published.url}{edition}/companies/mini-telecom/").decode()
        assert "Mini Telecom" in company
        ET.fromstring(fetch(f"{published.url}{edition}/changelog.xml"))
    assert _redirect_target(fetch(published.url).decode()) == "latest/"
    assert _redirect_target(fetch(published.url + "latest/").decode()) == "../2025/"
    assert (
        _redirect_target(fetch(published.url + "latest/companies/mini-telecom/").decode())
        == "../../../2025/companies/mini-telecom/"
    )


def test_every_page_of_the_latest_edition_has_a_redirect(published: Published) -> None:
    pages = sorted(p.relative_to(published.tree / "2025") for p in (published.tree / "2025").rglob("*.html"))
    redirects = sorted(p.relative_to(published.tree / "latest") for p in (published.tree / "latest").rglob("*.html"))
    assert pages == redirects
    assert not (published.tree / "latest" / "2024").exists()
    # Redirect pages, never symbolic links: GitHub Pages refuses those.
    modes = git(published.repo, "ls-tree", "-r", "gh-pages", "latest").splitlines()
    assert modes and all(line.startswith("100644 ") for line in modes)


def test_published_pages_have_the_selector_the_feed_link_and_the_outdated_notice(published: Published) -> None:
    for edition in ("2024", "2025"):
        html = (published.tree / edition / "index.html").read_text(encoding="utf-8")
        assert _config(html)["version"] == {"provider": "mike", "default": "latest", "alias": True}
        links = [e for e in elements(html) if e.tag == "link" and e.attrs.get("type") == "application/atom+xml"]
        # The site's feed at the root, which follows the latest edition.
        assert [urljoin(f"{published.url}{edition}/", e.attrs["href"]) for e in links] == [
            published.url + "changelog.xml"
        ]
        outdated = next(e for e in elements(html) if e.attrs.get("data-md-component") == "outdated")
        # Hidden until Material's script finds the page is not the `latest` edition.
        assert "hidden" in outdated.attrs
        assert f"This is the {edition} edition of the scorecard" in " ".join(outdated.text.split())


def test_the_sites_feed_follows_the_latest_edition(published: Published) -> None:
    """mike's aliases redirect HTML pages only, so the latest edition's feed is also at the root,
    its links resolving into the edition through xml:base, under an id that editions share."""
    feed = ET.fromstring(fetch(published.url + "changelog.xml"))
    assert feed.get("{http://www.w3.org/XML/1998/namespace}base") == "2025/"
    edition_feed = ET.fromstring(fetch(published.url + "2025/changelog.xml"))
    assert feed.findtext(f"{A}title") == edition_feed.findtext(f"{A}title")
    assert feed.findtext(f"{A}id") != edition_feed.findtext(f"{A}id")
    entry_ids = [e.findtext(f"{A}id") for e in feed.findall(f"{A}entry")]
    assert entry_ids == [e.findtext(f"{A}id") for e in edition_feed.findall(f"{A}entry")]
    # rel="self" is the feed's address on site_url (the demo's placeholder host, not this server).
    selfs = [link.get("href") for link in feed.iter(f"{A}link") if link.get("rel") == "self"]
    assert selfs == ["https://scorecard.example.org/changelog.xml"]
    edition_selfs = [link.get("href") for link in edition_feed.iter(f"{A}link") if link.get("rel") == "self"]
    assert edition_selfs == ["https://scorecard.example.org/2025/changelog.xml"]
    for link in feed.iter(f"{A}link"):
        if link.get("rel") != "self":
            assert fetch(urljoin(published.url + "2025/", link.get("href", "")))


def test_a_plain_build_has_no_selector(published: Published, tmp_path: Path) -> None:
    """Only a deployed site has a versions.json; elsewhere Material would request one on every page."""
    build_site(published.repo, site_dir=tmp_path / "site")
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert _config(html)["version"] is None
    assert 'data-md-component="outdated"' not in html
    assert not (tmp_path / "site" / "data" / "corrections.json").exists()


def test_a_first_publication_records_its_date_and_commit(published: Published) -> None:
    head = git(published.repo, "rev-parse", "HEAD")
    record = json.loads(_show(published.repo, "gh-pages:2025/data/corrections.json"))
    # The day of the source commit: never the clock.
    contents = record.pop("contents")
    assert record == {"edition": 2025, "published": "2025-06-10", "commit": head, "corrections": []}
    # What the edition shows, assessment by assessment: how a later publication tells additions
    # by companies from corrections.
    assert set(contents) >= {"mini-telecom/2025/independent", "mini-telecom/2025/self", "mini-telecom/2024/independent"}
    assert all(set(v) == {"findings", "replies"} for v in contents.values())
    message = git(published.repo, "log", "-1", "--format=%s", "gh-pages", "--", "2025/")
    assert message.startswith(f"Publish edition 2025 from {head[:12]}")


# --- refusals ------------------------------------------------------------------------------


def test_publishing_an_edition_again_is_refused(published: Published) -> None:
    before = git(published.repo, "rev-parse", "gh-pages")
    with pytest.raises(PublishError, match=r"edition 2025 is already published on gh-pages; .* --republish --reason"):
        run_publish(published.repo, 2025, latest=True)
    assert git(published.repo, "rev-parse", "gh-pages") == before


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"republish": True}, "--republish needs --reason TEXT"),
        ({"republish": True, "reason": "  \n "}, "--republish needs --reason TEXT"),
        ({"reason": "typo"}, "--reason is only for --republish"),
    ],
)
def test_a_republication_needs_a_reason(published: Published, options: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        run_publish(published.repo, 2025, **options)


def test_an_edition_never_published_cannot_be_republished(published: Published) -> None:
    with pytest.raises(PublishError, match="edition 2023 has not been published on gh-pages"):
        run_publish(published.repo, 2023, republish=True, reason="fix")


def test_uncommitted_data_is_refused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "scorecard")
    path = repo / "assessments" / "mini-telecom" / "2025.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(PublishError, match=r"1 uncommitted change \(assessments/mini-telecom/2025.yaml\)"):
        run_publish(repo, 2025)
    assert subprocess.run(["git", "rev-parse", "--verify", "gh-pages"], cwd=repo, capture_output=True).returncode


def test_a_project_outside_git_is_a_usage_error(tmp_path: Path) -> None:
    project = make_project(tmp_path / "scorecard")
    with pytest.raises(UsageError, match="is not in a git repository"):
        run_publish(project, 2025)


# --- corrections ---------------------------------------------------------------------------


def test_a_republication_records_and_shows_its_reason(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "scorecard")
    run_publish(repo, 2025)
    path = repo / "assessments" / "mini-telecom" / "2025.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Search has no accounts.", "No accounts."), "utf-8")
    fixed = commit_all(repo, "Correct a comment", date="2025-07-20T09:00:00+00:00")
    reason = "Corrected the comment on <B2.1> & its level"
    result = run_publish(repo, 2025, republish=True, reason=reason)

    assert result.republished
    assert f"correction 1 recorded (2025-07-20): {reason}" in result.summary()
    record = json.loads(_show(repo, "gh-pages:2025/data/corrections.json"))
    assert record["published"] == "2025-06-10"
    assert record["corrections"] == [{"date": "2025-07-20", "reason": reason, "commit": fixed}]
    assert json.loads(_show(repo, "gh-pages:versions.json"))[0]["aliases"] == ["latest"]
    assert reason in git(repo, "log", "-1", "--format=%s", "gh-pages", "--", "2025/")
    site = extract(repo, "gh-pages", tmp_path / "site")
    page = (site / "2025" / "changelog" / "index.html").read_text(encoding="utf-8")
    row = next(e for e in elements(page) if e.tag == "tr" and e.attrs.get("data-date") == "2025-07-20")
    assert reason in row.text
    assert "&lt;B2.1&gt; &amp; its level" in page
    feed = ET.parse(site / "2025" / "changelog.xml").getroot()
    assert feed.findtext(f"{A}entry/{A}summary") == reason
    # An answer's comment is on the company's answers page, beside its overview (issue #21).
    answers = site / "2025" / "companies" / "mini-telecom" / "answers" / "index.html"
    assert "No accounts." in answers.read_text("utf-8")


def test_a_failed_build_commits_nothing(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "scorecard")
    run_publish(repo, 2025)
    before = git(repo, "rev-parse", "gh-pages")
    path = repo / "assessments" / "mini-telecom" / "2025.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("cycle: 2025", "cycle: 2031"), encoding="utf-8")
    commit_all(repo, "Break the data")
    with pytest.raises(BuildError, match="problem"):
        run_publish(repo, 2025, republish=True, reason="fix")
    assert git(repo, "rev-parse", "gh-pages") == before


# --- reproducibility and pushing -----------------------------------------------------------


def test_the_same_sources_deploy_the_same_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two repositories with the same commit give byte-identical editions (compared as git trees),
    whenever and wherever they are published; SOURCE_DATE_EPOCH sets the recorded date."""
    trees = []
    for name in ("one", "two"):
        repo = make_repo(tmp_path / name)
        run_publish(repo, 2025)
        trees.append(git(repo, "rev-parse", "gh-pages:2025"))
    assert trees[0] == trees[1]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    repo = make_repo(tmp_path / "three")
    run_publish(repo, 2025)
    assert json.loads(_show(repo, "gh-pages:2025/data/corrections.json"))["published"] == "2026-01-01"


def test_push_to_the_remote(tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    repo = make_repo(tmp_path / "scorecard")
    git(repo, "remote", "add", "origin", str(remote))
    result = run_publish(repo, 2025, push=True)
    assert result.pushed_to == "origin"
    assert git(remote, "rev-parse", "gh-pages") == git(repo, "rev-parse", "gh-pages") == result.commit


def test_a_clone_continues_from_the_remote_branch(tmp_path: Path) -> None:
    """As in CI: a fresh clone with only origin/gh-pages publishes on top of it, keeping 2024."""
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    repo = make_repo(tmp_path / "scorecard")
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "origin", "main")
    run_publish(repo, 2024, push=True)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "-b", "main", str(remote), str(clone))
    git(clone, "fetch", "-q", "origin", "gh-pages", "--depth=1")
    result = run_publish(clone, 2025, latest=True, push=True)
    assert [v.version for v in result.versions] == ["2025", "2024"]
    assert git(remote, "rev-parse", "gh-pages") == result.commit


# --- additions by companies ----------------------------------------------------------------

REPLY = "A grievance channel for users opened in May 2025."


def _reply(repo: Path) -> str:
    """A company's reply to a finding of mini-telecom 2025, merged on main."""
    path = repo / "assessments" / "mini-telecom" / "2025.yaml"
    text = path.read_text(encoding="utf-8")
    old = 'A1.2:\n    group: {answer: "no"}'
    assert old in text
    path.write_text(
        text.replace(old, f'A1.2:\n    group: {{answer: "no", reply: {{text: "{REPLY}", date: 2025-07-01}}}}'),
        encoding="utf-8",
    )
    return commit_all(repo, "Merge pull request: reply of Mini Telecom", date="2025-07-02T09:00:00+00:00")


def test_a_merged_reply_is_published_as_an_addition(tmp_path: Path) -> None:
    """On a published edition, --merged publishes a company's reply and records it as an addition:
    dated, with its commit, on the What changed page and in the feed; no correction (issue 16)."""
    repo = make_repo(tmp_path / "scorecard")
    run_publish(repo, 2025, latest=True)
    merged = _reply(repo)
    result = run_publish(repo, 2025, merged=True)
    assert result.added == ("Mini Telecom (fictional): replies to the 2025 assessment",)
    assert not result.republished
    assert (
        "addition recorded (2025-07-02): Mini Telecom (fictional): replies to the 2025 assessment" in result.summary()
    )
    record = json.loads(_show(repo, "gh-pages:2025/data/corrections.json"))
    assert record["corrections"] == []
    assert record["additions"] == [
        {"date": "2025-07-02", "items": ["Mini Telecom (fictional): replies to the 2025 assessment"], "commit": merged}
    ]
    assert git(repo, "log", "-1", "--format=%s", "gh-pages", "--", "2025/").startswith(
        f"Add to edition 2025 from {merged[:12]}"
    )
    site = extract(repo, "gh-pages", tmp_path / "site")
    # A reply is shown next to its answer, on the company's answers page (issue #21).
    answers = site / "2025" / "companies" / "mini-telecom" / "answers" / "index.html"
    assert REPLY in answers.read_text("utf-8")
    page = (site / "2025" / "changelog" / "index.html").read_text(encoding="utf-8")
    row = next(e for e in elements(page) if e.tag == "tr" and e.attrs.get("data-commit") == merged)
    assert "replies to the 2025 assessment" in row.text
    assert not [
        e
        for e in elements(page)
        if e.tag == "tr" and e.attrs.get("data-date") == "2025-07-02" and e.attrs.get("data-commit") is None
    ]
    for feed_file in (site / "2025" / "changelog.xml", site / "changelog.xml"):
        feed = ET.parse(feed_file).getroot()
        first = feed.find(f"{A}entry")
        assert first is not None
        assert first.findtext(f"{A}title") == "Addition to the 2025 edition (2025-07-02)"
        assert first.findtext(f"{A}updated") == "2025-07-02T00:00:00Z"
        assert merged[:12] in (first.findtext(f"{A}summary") or "")
        assert not any("Correction" in (e.findtext(f"{A}title") or "") for e in feed.iter(f"{A}entry"))


def test_publishing_unchanged_data_does_nothing(tmp_path: Path) -> None:
    """--merged, and a republication, with the data as published: no commit, nothing recorded."""
    repo = make_repo(tmp_path / "scorecard")
    run_publish(repo, 2025, latest=True)
    before = git(repo, "rev-parse", "gh-pages")
    for options in ({"merged": True}, {"republish": True, "reason": "Rebuilt"}):
        result = run_publish(repo, 2025, **options)
        assert result.unchanged, options
        assert "nothing published, nothing recorded" in result.summary()
        assert git(repo, "rev-parse", "gh-pages") == before
    # Once the reply is published, publishing the same again does nothing either.
    _reply(repo)
    run_publish(repo, 2025, merged=True)
    after = git(repo, "rev-parse", "gh-pages")
    assert run_publish(repo, 2025, merged=True).unchanged
    assert git(repo, "rev-parse", "gh-pages") == after


def test_a_merged_change_of_findings_is_refused(tmp_path: Path) -> None:
    """A published finding changes only by a correction, with a reason: --merged refuses it."""
    repo = make_repo(tmp_path / "scorecard")
    run_publish(repo, 2025, latest=True)
    before = git(repo, "rev-parse", "gh-pages")
    path = repo / "assessments" / "mini-telecom" / "2025.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Search has no accounts.", "No accounts."), "utf-8")
    commit_all(repo, "Change a finding")
    with pytest.raises(PublishError, match=r"the findings of the 2025 assessment changed\. A change to published"):
        run_publish(repo, 2025, merged=True)
    assert git(repo, "rev-parse", "gh-pages") == before


def test_merged_publishes_an_edition_not_yet_public(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "scorecard")
    result = run_publish(repo, 2025, latest=True, merged=True)
    assert not result.republished and not result.added and not result.unchanged
    assert json.loads(_show(repo, "gh-pages:versions.json"))[0]["version"] == "2025"
