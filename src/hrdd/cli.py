"""The ``hrdd`` command. Each subcommand parses its options and calls one library function;
this module alone turns library errors into messages and exit codes.

Exit codes:
  0  success
  1  the data has problems (validation failed, an import input is malformed)
  2  usage error: bad options, a path that does not exist, a file that would be overwritten
  3  internal error (a bug in hrdd; set HRDD_DEBUG=1 to see the traceback)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from hrdd import __version__
from hrdd.errors import BuildError, HrddError, ImportFormatError, UsageError
from hrdd.layout import is_framework_id
from hrdd.limits import future_publication
from hrdd.load import latest_version
from hrdd.models import Assessment, Facts, Framework
from hrdd.project import CACHE, Project, display_path, schema_dir
from hrdd.report import PROBLEM_FORMATS, SCORE_FORMATS, format_problems, format_scores
from hrdd.scaffold import plan_new, write_new
from hrdd.validate import Report, Validator

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

EXIT_CODES_HELP = """exit codes:
  0  success
  1  the data has problems (every problem is listed)
  2  usage error: bad options, missing path, a file that would be overwritten
  3  internal error in hrdd (set HRDD_DEBUG=1 for the traceback)"""


def _validator(project: Project) -> Validator:
    return Validator(frameworks_dir=project.frameworks, assessments_dir=project.assessments)


def _paths(project: Project, given: list[Path]) -> list[Path]:
    paths = given or project.default_paths()
    missing = [p for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(str(p) for p in missing)}")
    if not paths:
        raise UsageError(f"nothing to check: {project.root} has no frameworks/ or assessments/ folder")
    return paths


def _check(project: Project, given: list[Path], *, score: bool = False) -> Report:
    paths = _paths(project, given)
    report = _validator(project).check_paths(paths, cache_dir=project.check_cache, score=score)
    if not report.files:
        raise UsageError(f"no .yaml files found in {', '.join(str(p) for p in paths)}")
    return report


# --- commands ----------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace, project: Project) -> int:
    report = _check(project, args.paths)
    sys.stdout.write(format_problems(report, args.format))
    for f in report.files:
        if f.kind == "assessment" and not f.problems:
            _warn_future(display_path(f.path), f.facts())
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def _warn_future(shown: str, facts: Facts | None) -> None:
    """Warnings go to stderr and change no exit code (hrdd.limits.future_publication)."""
    message = None if facts is None else future_publication(facts, dt.date.today().isoformat())
    if message is not None:
        sys.stderr.write(f"{shown}: warning: {message}\n")


def cmd_score(args: argparse.Namespace, project: Project) -> int:
    report = _check(project, args.paths, score=True)
    if not report.ok:
        # Never print scores next to invalid files: a partial ranking would hide them.
        sys.stderr.write(format_problems(report, "text"))
        return EXIT_PROBLEMS
    scored = report.scores()
    scored.sort(key=lambda s: (s[1].company.slug, s[1].cycle, s[1].assessor.type))
    sys.stdout.write(format_scores(scored, args.format))
    return EXIT_OK


def cmd_new(args: argparse.Namespace, project: Project) -> int:
    if args.framework is not None and not is_framework_id(args.framework):
        raise UsageError(f"--framework {args.framework!r} is not a framework id (lower-case letters, digits, hyphens)")
    plan = plan_new(
        _validator(project),
        company=args.company,
        slug=args.slug,
        cycle=args.year,
        self_assessment=args.self_assessment,
        schema_path=project.root / "schema" / "assessment.schema.json"
        if (project.root / "schema").is_dir()
        else schema_dir() / "assessment.schema.json",
        framework_id=args.framework,
        framework_version=args.framework_version,
        sector=args.sector,
        country=args.country,
        prefill=args.prefill,
        out=args.out,
    )
    write_new(plan)
    for note in plan.notes:
        sys.stderr.write(f"hrdd: note: {note}\n")
    basis = f" from {display_path(plan.basis)}" if plan.basis is not None else ""
    print(f"wrote {display_path(plan.target)}{basis}; fill it in, then run: hrdd validate {display_path(plan.target)}")
    return EXIT_OK


def cmd_import_rdr(args: argparse.Namespace, project: Project) -> int:
    from hrdd.importers.rdr_import import import_rdr

    if not args.zip.is_file():
        raise UsageError(f"no such file: {args.zip}")
    result = import_rdr(
        args.zip,
        args.out,
        force=args.force,
        pages_dir=args.indicators,
        identities=args.companies,
        narratives=args.narratives,
    )
    print(result.summary() if hasattr(result, "summary") else f"imported into {display_path(args.out)}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace, project: Project) -> int:
    if args.source == "xlsx":
        return cmd_import_xlsx(args, project)
    if args.out is None:
        raise UsageError("import rdr needs --out DIR")
    return cmd_import_rdr(args, project)


def _checked_assessment(project: Project, path: Path) -> tuple[Assessment, Framework] | Report:
    """The assessment at ``path`` and its framework, or the report of its problems."""
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    result = _validator(project).check_assessment_file(path)
    if result.problems or result.assessment is None or result.framework is None:
        return Report(files=(result,))
    return result.assessment, result.framework


def cmd_export(args: argparse.Namespace, project: Project) -> int:
    from hrdd.xlsx_export import export_workbook

    found = _checked_assessment(project, args.assessment)
    if isinstance(found, Report):
        sys.stdout.write(format_problems(found, "text"))
        return EXIT_PROBLEMS
    assessment, framework = found
    rows = export_workbook(
        assessment, framework, args.out, kind="self" if args.self_assessment else "feedback", force=args.force
    )
    print(f"wrote {display_path(args.out)}: {rows} rows for {assessment.company.name} {assessment.cycle}")
    return EXIT_OK


def cmd_import_xlsx(args: argparse.Namespace, project: Project) -> int:
    from hrdd.feedback import check_feedback_file
    from hrdd.xlsx import WorkbookError
    from hrdd.xlsx_import import import_feedback, import_self_assessment

    target = args.feedback_for or args.self_for
    if (args.feedback_for is None) == (args.self_for is None):
        raise UsageError("import xlsx needs either --feedback-for ASSESSMENT or --self ASSESSMENT")
    if not args.zip.is_file():
        raise UsageError(f"no such file: {args.zip}")
    found = _checked_assessment(project, target)
    if isinstance(found, Report):
        sys.stdout.write(format_problems(found, "text"))
        return EXIT_PROBLEMS
    assessment, framework = found
    validator = _validator(project)

    def check_feedback(path: Path, raw: bytes) -> list[str]:
        return [str(p) for p in check_feedback_file(validator, path, raw=raw).problems]

    def check_self(path: Path, raw: bytes) -> list[str]:
        return [str(p) for p in validator.check_assessment_keeping_data(path, raw)[0].problems]

    try:
        if args.feedback_for is not None:
            done = import_feedback(args.zip, assessment, framework, force=args.force, check=check_feedback)
        else:
            done = import_self_assessment(args.zip, assessment, framework, force=args.force, check=check_self)
    except WorkbookError as exc:
        sys.stdout.write(exc.details())
        sys.stderr.write(f"hrdd: error: {exc}\n")
        return EXIT_PROBLEMS
    print(done.summary())
    return EXIT_OK


def cmd_preview(args: argparse.Namespace, project: Project) -> int:
    from hrdd.site.preview import build_preview

    done = build_preview(project.root, args.company, args.out, frameworks_dir=args.frameworks, force=args.force)
    print(done.summary())
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace, project: Project) -> int:
    from hrdd.migrate import migrate_text

    if args.out is not None and args.in_place:
        raise UsageError("choose --out or --in-place, not both")
    result = _validator(project).check_assessment_file(args.file)
    if result.assessment is None or result.framework is None or result.problems:
        sys.stderr.write(format_problems(Report(files=(result,)), "text"))
        return EXIT_PROBLEMS
    old = result.framework
    version = args.to or latest_version(project.frameworks, old.id)
    found = _validator(project).framework(old.id, version) if version else None
    if found is None:
        raise UsageError(f"framework {old.id} {args.to} not found in {display_path(project.frameworks)}")
    if found.framework is None:
        sys.stderr.write(format_problems(Report(files=(found,)), "text"))
        return EXIT_PROBLEMS
    migration = migrate_text(
        args.file.read_text(encoding="utf-8"), result.assessment, old, found.framework, sector=args.sector
    )
    if args.in_place:
        args.file.write_text(migration.text, encoding="utf-8")
    elif args.out is not None:
        try:
            with args.out.open("x", encoding="utf-8") as handle:
                handle.write(migration.text)
        except FileExistsError as exc:
            raise UsageError(
                f"{display_path(args.out)} already exists; choose another --out or use --in-place"
            ) from exc
    else:
        sys.stdout.write(migration.text)
    sys.stderr.write(migration.summary(old, found.framework))
    return EXIT_OK


def cmd_build(args: argparse.Namespace, project: Project) -> int:
    from hrdd.site.build import build_site

    result = build_site(
        project.root,
        site_dir=args.site_dir,
        frameworks_dir=project.frameworks,
        edition=args.edition,
        use_cache=project.use_cache,
        plain=args.no_split,
    )
    for entry in result.card.entries:
        _warn_future(f"{entry.facts.company.slug} {entry.facts.cycle}", entry.facts)
    if not result.site_url:
        from hrdd.siteurl import missing_message

        sys.stderr.write(f"{display_path(project.root / 'mkdocs.yml')}: warning: {missing_message()}\n")
    print(result.summary())
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, project: Project) -> int:
    from hrdd.site.serve import serve

    serve(
        project.root,
        frameworks_dir=project.frameworks,
        host=args.host,
        port=args.port,
        use_cache=project.use_cache,
    )
    return EXIT_OK


def cmd_publish(args: argparse.Namespace, project: Project) -> int:
    from hrdd.publish import publish

    result = publish(
        project.root,
        edition=args.edition,
        latest=args.latest,
        reason=args.reason,
        republish=args.republish,
        branch=args.branch,
        frameworks_dir=project.frameworks,
        push=args.push,
        merged=args.merged,
    )
    sys.stdout.write(result.summary())
    if result.size_warning is not None:
        sys.stderr.write(f"hrdd publish: warning: {result.size_warning}\n")
    return EXIT_OK


def cmd_check_submission(args: argparse.Namespace, project: Project) -> int:
    from hrdd.submission import check_submission

    result = check_submission(
        project.root, base=args.base, head=args.head, author=args.author, accounts_file=args.accounts
    )
    sys.stdout.write(result.text())
    return EXIT_OK if result.ok else EXIT_PROBLEMS


def cmd_check_changes(args: argparse.Namespace, project: Project) -> int:
    from hrdd.prcheck import check_changes

    result = check_changes(
        project.root,
        _validator(project),
        base=args.base,
        head=args.head,
        published=args.published,
        cache_dir=project.check_cache,
    )
    if result.report.problems:
        sys.stdout.write(format_problems(result.report, args.format))
    sys.stdout.write(result.text())
    return EXIT_OK if result.ok else EXIT_PROBLEMS


# --- parser ------------------------------------------------------------------------------


def _year(text: str) -> int:
    if not text.isdigit() or len(text) != 4:
        raise argparse.ArgumentTypeError(f"expected a four-digit year, got {text!r}")
    return int(text)


_AddCommand = Callable[[str, Callable[[argparse.Namespace, Project], int], str, str], argparse.ArgumentParser]
"""Adds a subcommand (name, handler, one-line help, description) with the common options; returns its parser."""


def _validate_command(add: _AddCommand) -> None:
    p = add(
        "validate",
        cmd_validate,
        "check assessments and frameworks; list every problem",
        "Check YAML files against the JSON Schemas and the frameworks they answer. Lists every problem "
        "as path:line:col: message. Files under a frameworks/ folder are frameworks; <cycle>-feedback.yaml files "
        "are a company's feedback on <cycle>.yaml; the rest are assessments.",
    )
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files or folders to check (default: PROJECT/frameworks and PROJECT/assessments)",
    )
    p.add_argument(
        "--format",
        choices=PROBLEM_FORMATS,
        default="text",
        help="text (default), json, or github (workflow annotations followed by the text list)",
    )


def _score_command(add: _AddCommand) -> None:
    p = add(
        "score",
        cmd_score,
        "score assessments: totals, categories, indicators",
        "Validate, then score every assessment. Refuses to score if any file has problems.",
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: the whole project)")
    p.add_argument(
        "--format",
        choices=SCORE_FORMATS,
        default="table",
        help="table (default): totals and categories; json: every level of the breakdown; csv: long format",
    )


def _new_command(add: _AddCommand) -> None:
    p = add(
        "new",
        cmd_new,
        "write a new assessment to fill in (never overwrites)",
        "Write a complete draft assessment listing every element with its guidance as comments, "
        "at assessments/<slug>/<year>.yaml (or <year>-self.yaml with --self).",
    )
    p.add_argument(
        "--company",
        help="company name as it should appear on the site (default with --self: the independent assessment's)",
    )
    p.add_argument("--year", required=True, type=_year, help="assessment cycle, e.g. 2026")
    p.add_argument("--slug", help="folder name (default: made from the company name)")
    p.add_argument(
        "--self",
        dest="self_assessment",
        action="store_true",
        help="a self-assessment by the company itself; starts from the independent assessment of the same "
        "company and cycle when there is one (framework version, company facts, levels, sources)",
    )
    p.add_argument(
        "--prefill",
        action="store_true",
        help="with --self: copy the independent assessment's answers and evidence, each marked TO CONFIRM "
        "for the company to confirm or contest (validation refuses the mark outside a draft)",
    )
    p.add_argument(
        "--framework", help="framework id (default: the independent assessment's with --self, else ungp-core)"
    )
    p.add_argument(
        "--framework-version",
        help="framework version (default: the independent assessment's with --self, else the latest)",
    )
    p.add_argument(
        "--sector",
        help="sector, e.g. 'Video conferencing'; for a framework that declares sectors, one of their ids "
        "(e.g. apparel), which decides the indicators listed (default: the independent assessment's, else a "
        "placeholder that only a draft may keep)",
    )
    p.add_argument(
        "--country",
        help="ISO 3166-1 alpha-2 country code (default: the independent assessment's, else the placeholder ZZ, "
        "which only a draft may keep)",
    )
    p.add_argument("--out", type=Path, help="write here instead of assessments/<slug>/<year>.yaml")


def _migrate_command(add: _AddCommand) -> None:
    p = add(
        "migrate",
        cmd_migrate,
        "move an assessment to a newer framework version, keeping its comments",
        "Rewrite an assessment for a newer version of its framework, following the version's changelog: "
        "answers that map are carried over (renamed elements under their new ids), new elements are added "
        "marked 'needs research', removed ones are dropped, and comments and order are kept. Prints the "
        "result unless --out or --in-place is given; a summary goes to stderr.",
    )
    p.add_argument("file", type=Path, help="the assessment to migrate")
    p.add_argument("--to", help="target framework version (default: the latest)")
    p.add_argument("--out", type=Path, help="write the migrated assessment to this new file (never overwritten)")
    p.add_argument("--in-place", action="store_true", help="overwrite FILE with the migrated assessment")
    p.add_argument(
        "--sector",
        metavar="ID",
        help="sector id (of the target version's sectors) for a company whose sector is free text; answers "
        "to indicators that do not apply to it are dropped",
    )


def _build_command(add: _AddCommand) -> None:
    p = add(
        "build",
        cmd_build,
        "validate, score and build the scorecard site into site/",
        "Validate and score every assessment, write the pages and data files, then run a strict "
        "MkDocs build. Any invalid file stops the build and is named; a failed build leaves the "
        "previous site untouched.",
    )
    p.add_argument("--site-dir", type=Path, default=None, metavar="DIR", help="output folder (default: PROJECT/site)")
    p.add_argument(
        "--edition",
        type=_year,
        default=None,
        help="cycle to rank; later cycles are left out (default: the cycle with the most published "
        "independent assessments)",
    )
    p.add_argument(
        "--no-split",
        action="store_true",
        help="build the plain way: stage every page whole and run one ordinary MkDocs build (slower on "
        "large scorecards; the same pages)",
    )


def _serve_command(add: _AddCommand) -> None:
    p = add(
        "serve",
        cmd_serve,
        "serve the site locally, rebuilding when a file changes",
        "Build the site and serve it with live reload; editing an assessment or framework regenerates the pages. "
        "After an edit only what it changed is rendered and built again (with --no-cache, every page is "
        "rendered again).",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")


def _publish_command(add: _AddCommand) -> None:
    p = add(
        "publish",
        cmd_publish,
        "build an edition and deploy it as a version on the gh-pages branch",
        "Validate, score and build the edition, then commit it to the gh-pages branch as version YEAR (mike's "
        "format, with Material's edition selector) and make the site's root lead to the latest edition. An edition "
        "is published once: republishing one that is already public needs --republish and --reason, which the "
        "edition records and shows on its What changed page. The data must be committed: the edition records the "
        "commit it was built from.",
    )
    p.add_argument("--edition", type=_year, required=True, help="cycle to publish as an edition, e.g. 2026")
    p.add_argument(
        "--latest",
        action="store_true",
        help="make this the latest edition: the site's root and latest/ lead to it (the first edition always is)",
    )
    p.add_argument(
        "--republish", action="store_true", help="replace an edition that is already published (needs --reason)"
    )
    p.add_argument(
        "--reason", metavar="TEXT", help="why the edition is republished; shown on the edition and in its feed"
    )
    p.add_argument(
        "--merged",
        action="store_true",
        help="what a push to main runs: publish the edition if it is not yet public, else publish and record "
        "what companies added to it (self-assessments, replies) as an addition; nothing when nothing changed; "
        "refused when the findings changed (a correction needs --republish --reason)",
    )
    p.add_argument("--branch", default="gh-pages", help="branch to commit the site to (default: gh-pages)")
    p.add_argument(
        "--push", action="store_true", help="push the branch to the remote (mkdocs.yml remote_name, default origin)"
    )


def _check_submission_command(add: _AddCommand) -> None:
    p = add(
        "check-submission",
        cmd_check_submission,
        "check that a pull request only touches its own company",
        "Compare HEAD with --base in git and fail, naming each offending file, when the change touches more "
        "than one company's folder, or anything but self-assessments and replies (frameworks, schemas, "
        "site configuration, code).",
    )
    p.add_argument("--base", required=True, help="git revision the change is compared with (e.g. origin/main)")
    p.add_argument("--head", default="HEAD", help="git revision of the change (default: HEAD)")
    p.add_argument("--author", help="GitHub account that opened the pull request (checked against --accounts)")
    p.add_argument(
        "--accounts", type=Path, help="YAML file mapping GitHub accounts to the company slugs they may submit for"
    )


def _check_changes_command(add: _AddCommand) -> None:
    p = add(
        "check-changes",
        cmd_check_changes,
        "check what a pull request changed, and preview its scores and rank",
        "Check the assessments changed since --base (in git) and what they depend on (their framework, the "
        "other assessment of the same company and cycle), not the whole project; a change to a framework, a "
        "schema or hrdd's code checks everything. Then print each changed assessment's scores and, with "
        "--published, the rank it would have among the published edition's independent assessments.",
    )
    p.add_argument("--base", required=True, help="git revision the change is compared with (e.g. origin/main)")
    p.add_argument("--head", default="HEAD", help="git revision of the change (default: HEAD)")
    p.add_argument(
        "--published",
        type=Path,
        metavar="FILE",
        help="data/totals.csv of the published edition, to rank the changed assessments against",
    )
    p.add_argument(
        "--format",
        choices=PROBLEM_FORMATS,
        default="text",
        help="how problems are listed: text (default), json, or github (workflow annotations)",
    )


def _import_command(add: _AddCommand) -> None:
    p = add(
        "import",
        cmd_import,
        "import a published dataset (rdr) or a workbook returned by a company (xlsx)",
        "Convert a published dataset into a framework and assessments in hrdd's formats (rdr), or read a "
        "workbook made by hrdd export xlsx and filled in by the company (xlsx): with --feedback-for ASSESSMENT "
        "into the feedback file beside it (<cycle>-feedback.yaml), with --self ASSESSMENT into that "
        "self-assessment. Rows are matched by element and level; every problem is named by sheet and cell "
        "(Feedback!I37: ...); a formula is refused; nothing already there is replaced without --force.",
    )
    p.add_argument(
        "source",
        choices=["rdr", "xlsx"],
        help="rdr (Ranking Digital Rights public CSV zip) or xlsx (a workbook from hrdd export xlsx)",
    )
    p.add_argument("zip", type=Path, metavar="FILE", help="the dataset archive (rdr) or the workbook (xlsx)")
    p.add_argument("--out", type=Path, help="rdr: folder to write frameworks/ and assessments/ into")
    p.add_argument(
        "--feedback-for",
        type=Path,
        metavar="ASSESSMENT",
        help="xlsx: the independent assessment the company's feedback is on",
    )
    p.add_argument(
        "--self",
        dest="self_for",
        type=Path,
        metavar="ASSESSMENT",
        help="xlsx: the self-assessment (<cycle>-self.yaml) to write the company's answers into",
    )
    p.add_argument(
        "--force", action="store_true", help="overwrite files (rdr) or feedback and answers (xlsx) that exist"
    )
    p.add_argument(
        "--indicators",
        type=Path,
        help="rdr: RDR's indicator pages (*.md) for a 2019-layout zip, whose element texts are not in the zip "
        "(default: indicators/ beside the zip)",
    )
    p.add_argument(
        "--companies",
        type=Path,
        metavar="FILE",
        help="rdr: company identity map (YAML, companies: {Name: slug}): the slug each named company is written under, "
        "so that a company renamed between editions keeps one history",
    )
    p.add_argument(
        "--narratives",
        type=Path,
        metavar="DIR",
        help="rdr: RDR's per-company texts (companies/*.json: key takeaways and findings, changes, "
        "recommendations, a paragraph per category), imported as plain text into each assessment's key "
        "findings, recommendations, changes and category notes (default: companies/ beside the zip)",
    )


def _preview_command(add: _AddCommand) -> None:
    p = add(
        "preview",
        cmd_preview,
        "build a private preview of one company's preliminary assessment",
        "Build the company's pages from its preliminary assessment, with the published scorecard around it "
        "(as of the assessment's cycle), into DIR, to send to the company before publication. Every page is "
        "marked 'Preliminary: not for publication' and asks search engines not to index it; the public site "
        "(site/) is never touched, and no other unpublished assessment is included.",
    )
    p.add_argument("--company", required=True, metavar="SLUG", help="the company's folder name under assessments/")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write the preview into")
    p.add_argument("--force", action="store_true", help="replace DIR if it exists and is not empty")


def _export_command(add: _AddCommand) -> None:
    p = add(
        "export",
        cmd_export,
        "write a workbook for a company: feedback on its assessment, or its self-assessment",
        "Write an .xlsx workbook for the company: one row per element and level with the question, what "
        "earns yes and partial, the assessor's answer, evidence and comment, and open columns for the "
        "company's position, reason and evidence (drop-down lists; the assessor's columns locked; an "
        "instructions sheet; the sources on their own sheet). With --self, a self-assessment to fill in. "
        "Read it back with hrdd import xlsx.",
    )
    p.add_argument("format", choices=["xlsx"], help="xlsx (Excel workbook)")
    p.add_argument("assessment", type=Path, metavar="ASSESSMENT", help="the assessment to export")
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="the workbook to write (.xlsx)")
    p.add_argument(
        "--self",
        dest="self_assessment",
        action="store_true",
        help="a self-assessment (<cycle>-self.yaml) for the company to fill in",
    )
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")


# The commands in the order --help lists them; each adds its own options.
_COMMANDS: tuple[Callable[[_AddCommand], None], ...] = (
    _validate_command,
    _score_command,
    _new_command,
    _migrate_command,
    _build_command,
    _serve_command,
    _publish_command,
    _check_submission_command,
    _check_changes_command,
    _import_command,
    _preview_command,
    _export_command,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hrdd",
        description="Human-rights due-diligence assessments as data: validate, score and publish scorecards.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"hrdd {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--project",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="project folder holding frameworks/, assessments/ and schema/ (default: the current folder)",
    )
    common.add_argument(
        "--frameworks",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder to find frameworks in (default: PROJECT/frameworks)",
    )
    common.add_argument(
        "--no-cache",
        action="store_true",
        help=f"check every file again instead of replaying unchanged files' results from PROJECT/{CACHE}",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(
        name: str, func: Callable[[argparse.Namespace, Project], int], help_text: str, description: str
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(
            name,
            parents=[common],
            help=help_text,
            description=description,
            epilog=EXIT_CODES_HELP,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.set_defaults(func=func)
        return p

    for command in _COMMANDS:
        command(add)
    return parser


def command_names() -> list[str]:
    """Every subcommand's name, in the order ``hrdd --help`` lists them."""
    names: list[str] = []

    def record(
        name: str, func: Callable[[argparse.Namespace, Project], int], help_text: str, description: str
    ) -> argparse.ArgumentParser:
        names.append(name)
        return argparse.ArgumentParser(add_help=False)  # takes the command's options, then is dropped

    for command in _COMMANDS:
        command(record)
    return names


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    project = Project.at(args.project, args.frameworks, use_cache=not args.no_cache)
    try:
        code: int = args.func(args, project)
        return code
    except UsageError as exc:
        sys.stderr.write(f"hrdd: error: {exc}\n")
        return EXIT_USAGE
    except BuildError as exc:
        if exc.details:
            sys.stderr.write(exc.details if exc.details.endswith("\n") else exc.details + "\n")
        sys.stderr.write(f"hrdd: error: {exc}\n")
        return EXIT_PROBLEMS
    except ImportFormatError as exc:
        sys.stderr.write(f"hrdd: error: {exc}\n")
        return EXIT_PROBLEMS
    except HrddError as exc:
        sys.stderr.write(f"hrdd: error: {exc}\n")
        return EXIT_PROBLEMS
    except BrokenPipeError:
        # The reader went away (`hrdd score | head`): stop quietly, as Unix tools do.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        sys.stderr.write("hrdd: interrupted\n")
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place a bug becomes a message, not a traceback
        if os.environ.get("HRDD_DEBUG"):
            traceback.print_exc()
        sys.stderr.write(
            f"hrdd: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in hrdd. Set HRDD_DEBUG=1 to see the traceback and please report it.\n"
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
