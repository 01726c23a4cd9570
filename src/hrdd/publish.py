"""``hrdd publish``: an edition of the site, deployed as a version of the gh-pages branch.

``publish``, in order:

1. Check the request and the repository: a git work tree whose data is committed, because the
   edition records the commit it was built from; bring the local gh-pages branch up to date
   with the remote's, as ``mike deploy`` does (CI clones fetch it shallowly).
2. Read what is published (mike's ``versions.json``). An edition goes out once; an edition that
   is already public is republished only when asked to, with a reason. The reason is added to
   the edition's publication record (``Publication``), which the edition carries in
   ``data/corrections.json`` and shows on its "What changed" page: corrections are never silent.
3. Build the edition with ``build_site``: the same validated, staged, strict build as
   ``hrdd build``, plus the record and Material's version selector, into a temporary folder.
4. Commit that folder as version YEAR with mike's Python API (``mike.commands.deploy``), with
   the ``latest`` alias as redirect pages (GitHub Pages rejects mike's default symlinks), then
   make the site's root redirect to ``latest`` (``mike set-default latest``). mike's aliases
   redirect HTML pages only, so the latest edition's Atom feed is also put at the root
   (``changelog.xml``), one feed address that follows the editions.
5. Push the branch if asked.

Why mike's API and not the ``mike deploy`` command: the command runs a plain ``mkdocs build``
(or ``properdocs build`` when that package is installed) in a subprocess, which sees only the
hand-written docs/ and none of the generated pages. ``mike.commands.deploy`` lets the caller
build and then commits the built folder, keeping mike's ``versions.json`` and alias handling.

mike's git helpers run git in the current directory, so the git steps run with the project as
the working directory (``contextlib.chdir``): do not publish from two threads at once.

Nothing here reads the clock: dates come from SOURCE_DATE_EPOCH or the source commit, and the
pages' own dates from the data (``hrdd.site.build``). Only the gh-pages commit has a commit date.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# mike ships no type information; these three names are all hrdd uses of it.
from mike import commands as mike  # type: ignore[import-untyped]
from mike import git_utils
from mike.versions import Versions  # type: ignore[import-untyped]
from mkdocs.config.defaults import MkDocsConfig

from hrdd import __version__, sitesize
from hrdd.additions import changes, contents
from hrdd.errors import HrddError, UsageError
from hrdd.project import Project, display_path
from hrdd.site import Scorecard
from hrdd.site.build import BuildResult, build_site, load_mkdocs_config, scorecard
from hrdd.site.changes import Addition, Correction, Publication, edition_changes
from hrdd.site.feed import atom_feed, feed_url
from hrdd.site.render import CORRECTIONS_JSON, FEED, Site
from hrdd.site.theme import user_theme
from hrdd.siteurl import missing_message

LATEST = "latest"
"""The alias of the newest edition; the site's root redirects to it and Material's
``extra.version.default`` names it (an edition without it shows the outdated notice)."""


class PublishError(HrddError):
    """Raised by ``publish`` when it refuses to publish (an edition that is already public without
    ``republish``, uncommitted data, a gh-pages branch that diverged from the remote's) or when
    git fails. Nothing was committed unless the message says so."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PublishedVersion:
    """One entry of mike's ``versions.json``."""

    version: str
    title: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class PublishResult:
    edition: int
    branch: str
    commit: str
    """The gh-pages commit after publishing."""
    versions: tuple[PublishedVersion, ...]
    """Every published edition, newest first, as ``versions.json`` lists them."""
    publication: Publication
    republished: bool
    pushed_to: str | None
    pages: int
    seconds: float
    added: tuple[str, ...] = ()
    """With ``merged``: the companies' contributions published and recorded as an addition."""
    unchanged: bool = False
    """Nothing in the data changed since the edition was published: nothing was done."""
    size_warning: str | None = None
    """Set when the branch's tree is over what GitHub Pages serves (``hrdd.sitesize``)."""

    @property
    def latest(self) -> str | None:
        return next((v.version for v in self.versions if LATEST in v.aliases), None)

    def summary(self) -> str:
        if self.unchanged:
            return (
                f"edition {self.edition} on {self.branch} already shows this data: nothing published, "
                "nothing recorded\n"
            )
        if self.added:
            addition = self.publication.additions[-1]
            return (
                f"added to edition {self.edition} ({self.pages} pages) on {self.branch} as commit {self.commit[:12]} "
                f"in {self.seconds:.1f} s\naddition recorded ({addition.date}): {'; '.join(addition.items)}\n"
                + (
                    f"pushed {self.branch} to {self.pushed_to}\n"
                    if self.pushed_to is not None
                    else f"not pushed: run `git push origin {self.branch}` (or publish with --push) to put it online\n"
                )
            )
        verb = "republished" if self.republished else "published"
        lines = [
            f"{verb} edition {self.edition} ({self.pages} pages) to {self.branch} "
            f"as commit {self.commit[:12]} in {self.seconds:.1f} s"
        ]
        if self.republished:
            last = self.publication.corrections[-1]
            n = len(self.publication.corrections)
            lines.append(f"correction {n} recorded ({last.date}): {last.reason}")
        listed = ", ".join(v.version + (f" ({', '.join(v.aliases)})" if v.aliases else "") for v in self.versions)
        lines.append(f"editions on {self.branch}: {listed}; the site's root redirects to {LATEST}")
        if self.pushed_to is not None:
            lines.append(f"pushed {self.branch} to {self.pushed_to}")
        else:
            lines.append(f"not pushed: run `git push origin {self.branch}` (or publish with --push) to put it online")
        return "\n".join(lines) + "\n"


# --- git -----------------------------------------------------------------------------------


def _git(root: Path, *args: str) -> str:
    """Run git in ``root``; its output, or a PublishError with git's own message."""
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise PublishError(f"git {' '.join(args)} failed: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout.strip("\n")  # not spaces: `git status --porcelain` lines start with one


def _toplevel(root: Path) -> Path:
    try:
        return Path(_git(root, "rev-parse", "--show-toplevel"))
    except PublishError:
        raise UsageError(
            f"{display_path(root)} is not in a git repository: hrdd publish commits the edition to its gh-pages branch"
        ) from None


def _head(root: Path) -> str:
    try:
        return _git(root, "rev-parse", "--verify", "HEAD^{commit}")
    except PublishError:
        raise PublishError(
            "the repository has no commit yet: commit the project first (an edition records the commit it was "
            "built from)"
        ) from None


def _check_committed(root: Path, toplevel: Path, paths: list[Path]) -> None:
    """The data and site configuration must be committed: the record names the commit."""
    inside = [os.path.relpath(p, root) for p in paths if p.resolve().is_relative_to(toplevel.resolve())]
    if not inside:
        return
    changed = _git(root, "status", "--porcelain", "--untracked-files=all", "--", *inside).splitlines()
    if changed:
        listed = ", ".join(line[3:] for line in changed[:5]) + (", ..." if len(changed) > 5 else "")
        raise PublishError(
            f"{len(changed)} uncommitted change{'s' if len(changed) != 1 else ''} ({listed}): commit them first, "
            "so that the published edition matches the commit it records"
        )


def publication_date(root: Path) -> str:
    """SOURCE_DATE_EPOCH's day, else the day of the source commit (UTC): never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or _git(root, "show", "-s", "--format=%ct", "HEAD")
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    except ValueError:
        raise UsageError(f"SOURCE_DATE_EPOCH must be a number of seconds, not {epoch!r}") from None


@contextlib.contextmanager
def _in(root: Path) -> Iterator[None]:
    """mike's git helpers in ``root``, their errors as PublishError."""
    with contextlib.chdir(root):
        try:
            yield
        except git_utils.GitError as exc:
            hint = ""
            if "user.name" in str(exc) or "user.email" in str(exc):
                hint = " (set git config user.name and user.email: the deployment is a commit)"
            raise PublishError(f"{exc}{hint}") from exc
        except ValueError as exc:  # mike's refusals: a version named like an alias, and so on
            raise PublishError(str(exc)) from exc


@contextlib.contextmanager
def _env(name: str, value: str) -> Iterator[None]:
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            del os.environ[name]
        else:
            os.environ[name] = before


# --- the publication record ----------------------------------------------------------------


def _record_path(edition: int) -> str:
    return f"{edition}/{CORRECTIONS_JSON}"


def read_publication(branch: str, edition: int) -> Publication | None:
    """The record of a published edition, or None if it has none (deployed by plain mike)."""
    path = _record_path(edition)
    try:
        text = git_utils.read_file(branch, path, universal_newlines=True)
    except git_utils.GitError:
        return None
    try:
        record = Publication.from_dict(json.loads(text))
    except ValueError as exc:  # json.JSONDecodeError is a ValueError too
        raise PublishError(
            f"{branch}:{path} is not a publication record hrdd can read ({exc}); fix it on the branch"
        ) from exc
    if record.edition != edition:
        raise PublishError(f"{branch}:{path} is the record of edition {record.edition}, not {edition}")
    return record


def _first_deployed(root: Path, branch: str, edition: int) -> str:
    """The day the edition first appeared on the branch (commit dates are data, not the clock)."""
    stamps = _git(root, "log", "--format=%ct", "--reverse", branch, "--", f"{edition}/").split()
    return dt.datetime.fromtimestamp(int(stamps[0]), dt.UTC).date().isoformat() if stamps else "unknown"


def _versions(found: Versions) -> tuple[PublishedVersion, ...]:
    return tuple(
        PublishedVersion(version=str(v.version), title=v.title, aliases=tuple(sorted(v.aliases))) for v in found
    )


# --- publish -------------------------------------------------------------------------------


def _next_record(
    root: Path,
    branch: str,
    edition: int,
    *,
    exists: bool,
    merged: bool,
    reason: str | None,
    card: Scorecard,
    now: dict[str, dict[str, str]],
    date: str,
    head: str,
) -> tuple[Publication, tuple[str, ...], bool]:
    """The edition's publication record after this run, what companies added (``merged``), and
    whether the published data is already ``now`` (then the record is the stored one)."""
    added: tuple[str, ...] = ()
    if exists:
        with _in(root):
            record = read_publication(branch, edition)
        if record is None:
            record = Publication(edition=edition, published=_first_deployed(root, branch, edition), commit="unknown")
        if record.contents is not None and dict(record.contents) == now:
            # Identical data: no commit, no correction or addition recorded.
            return record, (), True
        if merged:
            if record.contents is None:
                raise PublishError(
                    f"the record of edition {edition} does not say what it showed (published by an older hrdd), so "
                    "additions cannot be told from corrections; an editor republishes it once with --republish "
                    "--reason TEXT"
                )
            found = changes(record.contents, card, now)
            if found.corrected:
                raise PublishError(
                    f"edition {edition} is published and this change is not only additions by companies: "
                    f"{'; '.join(found.corrected)}. A change to published findings is a correction: an editor "
                    "republishes the edition with --republish --reason TEXT (the reason is shown on the edition)"
                )
            added = found.added
            record = record.added(Addition(date=date, items=added, commit=head))
        else:
            assert reason is not None  # checked above: republish needs a reason
            record = record.corrected(Correction(date=date, reason=reason, commit=head))
    else:
        record = Publication(edition=edition, published=date, commit=head)
    return record.with_contents(now), added, False


def _commit_message(edition: int, head: str, *, added: tuple[str, ...], exists: bool, reason: str | None) -> str:
    if added:
        message = f"Add to edition {edition} from {head[:12]}: {'; '.join(added)}"
    elif exists:
        message = f"Republish edition {edition} from {head[:12]}: {reason}"
    else:
        message = f"Publish edition {edition} from {head[:12]}"
    message += f" (hrdd {__version__})"
    return message


def _deploy(
    root: Path,
    config: MkDocsConfig,
    site_dir: Path,
    edition: int,
    aliases: list[str],
    branch: str,
    message: str,
    record: Publication,
    built: BuildResult,
) -> tuple[str, Versions]:
    """Commit the built edition to ``branch`` as a mike version (and the site's feed when it is
    the latest); the branch's new commit and its versions."""
    cfg = {"site_dir": str(site_dir), "use_directory_urls": bool(config.use_directory_urls)}
    with _in(root):
        with mike.deploy(
            cfg,
            str(edition),
            f"{edition} edition",
            aliases,
            update_aliases=True,
            alias_type=mike.AliasType.redirect,
            branch=branch,
            message=message,
        ):
            pass  # built above: mike commits cfg["site_dir"] when the block ends
        with contextlib.suppress(git_utils.GitEmptyCommit):  # the root already redirects to latest
            mike.set_default(LATEST, branch=branch, message=f"Redirect the site's root to {LATEST}")
        if LATEST in mike.list_versions(branch)[str(edition)].aliases:
            site = Site(
                card=built.card,
                site_name=str(config.site_name),
                directory_urls=bool(config.use_directory_urls),
                publication=record,
            )
            root_feed = feed_url(str(config.site_url))
            feed = atom_feed(site, edition_changes(built.card, record), base=f"{edition}/", self_url=root_feed)
            with (
                contextlib.suppress(git_utils.GitEmptyCommit),
                git_utils.Commit(branch, f"The site's feed follows edition {edition}") as root_commit,
            ):
                root_commit.add_file(git_utils.FileInfo(FEED, feed))
        commit = git_utils.get_latest_commit(branch)
        after = mike.list_versions(branch)
    return commit, after


def _checked_reason(reason: str | None, republish: bool) -> str | None:
    """The reason for a republication, on one line; a usage error when it is missing or not wanted."""
    reason = " ".join(reason.split()) if reason is not None else None
    if republish and not reason:
        raise UsageError("--republish needs --reason TEXT: a correction is recorded and shown on the edition")
    if reason and not republish:
        raise UsageError("--reason is only for --republish (it records why a published edition changed)")
    return reason


def _repository(root: Path, frameworks_dir: Path) -> tuple[Project, MkDocsConfig, str, str]:
    """The project, its MkDocs configuration (with a site_url), the commit it is published from
    (every source committed) and the git remote to publish to."""
    project = Project.at(root, frameworks_dir.resolve())
    toplevel = _toplevel(root)
    stage = project.cache / "docs"
    stage.mkdir(parents=True, exist_ok=True)
    config = load_mkdocs_config(project, docs_dir=stage)
    if not config.site_url:
        raise UsageError(f"{display_path(project.config)}: {missing_message(publishing=True)}")
    # The project's own theme overrides, not the merged folder hrdd stages in its cache.
    custom_dir = user_theme(project.config)[1]
    sources = [project.frameworks, project.assessments, project.docs, project.config]
    _check_committed(root, toplevel, sources + ([Path(custom_dir)] if custom_dir else []))
    head = _head(root)
    remote = str(config.remote_name or "origin")
    return project, config, head, remote


def _edition_exists(published: Versions, edition: int, branch: str, *, merged: bool, republish: bool) -> bool:
    """Whether ``edition`` is published on ``branch``; an error when that contradicts the request."""
    if any(str(edition) in v.aliases for v in published):
        raise PublishError(f"{edition} is an alias on {branch}, not an edition; remove the alias first")
    exists = any(str(v.version) == str(edition) for v in published)
    if merged and republish:
        raise UsageError("--merged publishes additions by companies, --republish a correction: choose one")
    if exists and not republish and not merged:
        raise PublishError(
            f"edition {edition} is already published on {branch}; to correct it, publish it again with "
            "--republish --reason TEXT (the reason is shown on the edition)"
        )
    if republish and not exists:
        raise PublishError(f"edition {edition} has not been published on {branch}, so it cannot be republished")
    return exists


def _unchanged(root: Path, branch: str, edition: int, record: Publication, started: float) -> PublishResult:
    with _in(root):
        versions = _versions(mike.list_versions(branch))
    return PublishResult(
        edition=edition,
        branch=branch,
        commit=_git(root, "rev-parse", branch),
        versions=versions,
        publication=record,
        republished=False,
        pushed_to=None,
        pages=0,
        seconds=time.monotonic() - started,
        unchanged=True,
    )


def _push(root: Path, remote: str, branch: str, edition: int) -> str:
    try:
        with _in(root):
            git_utils.push_branch(remote, branch)
    except PublishError as exc:
        raise PublishError(
            f"edition {edition} is committed on the local {branch} branch, but the push failed: {exc}"
        ) from exc
    return remote


def publish(
    project_root: Path,
    *,
    edition: int,
    latest: bool,
    reason: str | None,
    republish: bool,
    branch: str = "gh-pages",
    frameworks_dir: Path,
    push: bool = False,
    merged: bool = False,
) -> PublishResult:
    """Build edition ``edition`` and commit it to ``branch`` as a mike version (see the module).

    ``merged`` (what the workflow does on a push to main): publish the edition if it is not
    public yet; if it is, publish what companies added to it since (``hrdd.additions``) and
    record it as an addition, do nothing when nothing changed, and refuse a change to the
    findings (a correction: ``republish`` with a ``reason``). A republication that would change
    nothing is not made either."""
    started = time.monotonic()
    # 1. the request and the repository
    reason = _checked_reason(reason, republish)
    root = project_root.resolve()
    project, config, head, remote = _repository(root, frameworks_dir)
    with _in(root):
        git_utils.update_from_upstream(remote, branch)
        published = mike.list_versions(branch)
    # 2. what is published, and the record
    exists = _edition_exists(published, edition, branch, merged=merged, republish=republish)
    date = publication_date(root)
    card = scorecard(project, edition)
    now = contents(card)
    record, added, unchanged = _next_record(
        root,
        branch,
        edition,
        exists=exists,
        merged=merged,
        reason=reason,
        card=card,
        now=now,
        date=date,
        head=head,
    )
    if unchanged:
        # Identical data: no commit, no correction or addition recorded.
        return _unchanged(root, branch, edition, record, started)
    has_latest = any(LATEST in v.aliases for v in published)
    aliases = [LATEST] if latest or not has_latest else []
    # 3. build, 4. commit
    with tempfile.TemporaryDirectory(prefix="hrdd-publish-") as tmp:
        site_dir = Path(tmp) / "site"
        # mike's MkDocs plugin reads the version from here (for canonical URLs under site_url).
        with _env("MIKE_DOCS_VERSION", str(edition)):
            built = build_site(
                root, site_dir=site_dir, frameworks_dir=project.frameworks, edition=edition, publication=record
            )
        message = _commit_message(edition, head, added=added, exists=exists, reason=reason)
        commit, after = _deploy(root, config, site_dir, edition, aliases, branch, message, record, built)
    # 5. push
    pushed_to = _push(root, remote, branch, edition) if push else None
    return PublishResult(
        edition=edition,
        branch=branch,
        commit=commit,
        versions=_versions(after),
        publication=record,
        republished=exists and not added,
        pushed_to=pushed_to,
        pages=built.pages,
        seconds=time.monotonic() - started,
        added=added,
        size_warning=sitesize.warning(*sitesize.tree_bytes(root, commit), branch),
    )
