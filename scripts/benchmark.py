"""Measure hrdd on synthetic projects: loading and validation, scoring, the site, hrdd serve.

    python scripts/benchmark.py                           # 100, 1,000 and 5,000 companies
    python scripts/benchmark.py --sizes 100 --site-sizes 100
    python scripts/benchmark.py --write                   # also rewrite docs/benchmarks.md

Each size is a project of N fictional companies x 3 cycles written by scripts/make_synthetic.py
(about 60 KB per file) under --work (kept between runs; the files are deterministic). Every
phase runs in a fresh Python process, so that one phase's imports, caches and garbage do not
help or hurt the next, and its peak memory is its own: the maximum resident set of that process
and, separately, of the worker processes it started. The operating system's file cache is warm
(the files were just written or read); "cold" means no .hrdd-cache.

Phases (seconds, wall clock):

* libyaml: ``yaml.load(text, Loader=yaml.CSafeLoader)`` of every assessment, one process: the
  yardstick for "at most twice the time libyaml alone needs to parse the same files";
* validate: ``Validator.check_paths`` of the project, cold (reading, strict YAML, JSON Schema,
  semantic checks, models), workers as hrdd chooses;
* score: ``score_assessment`` of every assessment after that, in one process;
* validate+score cold / warm: ``check_paths(score=True, cache_dir=...)`` (scores computed in the
  workers and cached) with every score read, first with an empty cache, then again unchanged;
* pages: the site generation (``hrdd.site.build.generate`` without its validation and ``collect``;
  reading the cached facts and scores is in, and so is building each whole assessment in the
  processes that render its pages and the data files);
  mkdocs: the MkDocs build of those pages (split over worker processes: ``hrdd.site.shards``),
  splicing their detached blocks back in (``hrdd.site.splice``) and putting the data files in
  place; site: both, the target's "site";
  hrdd build: all of ``build_site``, checking with the project's cache (warm after the runs
  above), so validation and scoring are replayed;
* naive: the same content as a naive site would render it (every company page in the sidebar,
  Markdown tables), generation and MkDocs build;
* serve edit: with ``hrdd serve`` running, seconds from saving a changed assessment until the
  served company page shows the change;
* pr check: a one-company pull request (a self-assessment added on a branch of the project made
  a git repository) checked as the Validate workflow checks it, with no cache: seconds from
  starting ``hrdd check-changes --no-cache --base main --published totals.csv`` to its exit,
  verdict and score preview printed (the published totals are the project's own scores).

Phases that exceed --timeout are stopped and reported as such.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import importlib.util
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "benchmarks.md"
CYCLES = 3
SEED = 2026


# --- phases, each run in its own process -------------------------------------------------


def _peak() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    times = os.times()
    # CPU seconds of the phase's process and its workers: less sensitive than wall time to
    # other work on the machine (the load average is in the report).
    cpu = times.user + times.system + times.children_user + times.children_system
    return {"peak_mb": round(own, 1), "workers_peak_mb": round(workers, 1), "cpu_s": round(cpu, 1)}


def _assessments(root: Path) -> list[Path]:
    return sorted((root / "assessments").rglob("*.yaml"))


def phase_libyaml(root: Path) -> dict[str, Any]:
    import yaml

    files = _assessments(root)
    started = time.perf_counter()
    for path in files:
        yaml.load(path.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)
    return {"libyaml": time.perf_counter() - started, "files": len(files)}


def _validator(root: Path) -> Any:
    from hrdd.validate import Validator

    return Validator(root / "frameworks", root / "assessments")


def phase_validate_score(root: Path) -> dict[str, Any]:
    from hrdd.score import score_assessment

    started = time.perf_counter()
    report = _validator(root).check_paths([root / "frameworks", root / "assessments"], progress=False)
    checked = time.perf_counter()
    assert report.ok, "the synthetic project must be valid"
    pairs = report.assessments()
    scores = [score_assessment(fw, a) for a, fw in pairs]
    done = time.perf_counter()
    return {"validate": checked - started, "score": done - checked, "scored": len(scores)}


def phase_pipeline(root: Path) -> dict[str, Any]:
    """check_paths(score=True) with the project's cache, every score read."""
    started = time.perf_counter()
    report = _validator(root).check_paths(
        [root / "frameworks", root / "assessments"], progress=False, cache_dir=root / ".hrdd-cache", score=True
    )
    checked = time.perf_counter()
    assert report.ok, "the synthetic project must be valid"
    scores = [f.score for f in report.files if f.kind == "assessment"]
    assert all(s is not None for s in scores)
    done = time.perf_counter()
    return {"check": checked - started, "read scores": done - checked, "pipeline": done - started}


@contextlib.contextmanager
def _timed(module: Any, names: list[str], into: dict[str, float]) -> Iterator[None]:
    """Wrap functions of ``module`` to add up the seconds spent in each."""
    originals = {name: getattr(module, name) for name in names}

    def wrap(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                into[name] = into.get(name, 0.0) + time.perf_counter() - started

        return timed

    for name, func in originals.items():
        setattr(module, name, wrap(name, func))
    try:
        yield
    finally:
        for name, func in originals.items():
            setattr(module, name, func)


def phase_site(root: Path) -> dict[str, Any]:
    import hrdd.site.build as build

    spent: dict[str, float] = {}
    started = time.perf_counter()
    timed = ["generate", "validate_project", "stored_assessments", "collect", "run_mkdocs", "place_downloads"]
    with _timed(build, timed, spent):
        result = build.build_site(root, site_dir=root / "site")
    total = time.perf_counter() - started
    pages = spent["generate"] - spent["validate_project"] - spent["collect"]
    files = [p for p in (root / "site").rglob("*") if p.is_file()]
    site_mb = sum(p.stat().st_size for p in files) / 2**20
    data_mb = sum(p.stat().st_size for p in files if (root / "site" / "data") in p.parents) / 2**20
    return {
        "hrdd build": total,
        "build: validate": spent["validate_project"],
        "build: score": spent["collect"],
        "pages": pages,
        "pages: facts and scores": spent["stored_assessments"],
        "mkdocs": spent["run_mkdocs"] + spent["place_downloads"],
        "mkdocs processes": result.processes,
        "site": pages + spent["run_mkdocs"] + spent["place_downloads"],
        "search_index_mb": round((root / "site" / "search" / "search_index.json").stat().st_size / 2**20, 1),
        "html_pages": sum(1 for _ in (root / "site").rglob("*.html")),
        "site_mb": round(site_mb, 1),
        "site_files": len(files),
        "data_mb": round(data_mb, 1),
    }


def phase_naive(root: Path) -> dict[str, Any]:
    """The same content as a naive site: a page per company with Markdown tables, every
    company page listed in the navigation, Material's defaults (search included)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from hrdd.site import collect

    report = _validator(root).check_paths([root / "frameworks", root / "assessments"], progress=False)
    frameworks = [f.framework for f in report.files if f.kind == "framework" and f.framework is not None]
    card = collect(report.assessments(), frameworks)
    out = root / "naive"
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    docs = out / "docs"
    (docs / "companies").mkdir(parents=True)
    nav: list[dict[str, str]] = []
    index = ["# Companies", "", "| Company | Cycle | Total |", "|---|---|---|"]
    for record in card.companies:
        page = f"companies/{record.slug}.md"
        nav.append({record.company.name: page})
        (docs / page).write_text(_naive_company(record), encoding="utf-8")
        for entry in record.entries:
            index.append(f"| [{record.company.name}]({page}) | {entry.cycle} | {_cell(entry.score.total)} |")
    (docs / "index.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    config = {
        "site_name": "Naive scorecard",
        "docs_dir": str(docs),
        "site_dir": str(out / "site"),
        "theme": {"name": "material"},
        "plugins": ["search"],
        "nav": [{"Home": "index.md"}, {"Companies": nav}],
    }
    (out / "mkdocs.yml").write_text(json.dumps(config), encoding="utf-8")
    generated = time.perf_counter()
    build(load_config(config_file=str(out / "mkdocs.yml")))
    done = time.perf_counter()
    return {"naive pages": generated - started, "naive mkdocs": done - generated, "naive": done - started}


def _cell(value: Any) -> str:
    text = "n/a" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _naive_company(record: Any) -> str:
    lines = [f"# {record.company.name}", ""]
    for entry in record.entries:
        a, fw, score = entry.assessment, entry.framework, entry.score
        lines += [f"## {entry.cycle}", "", _cell(a.summary), "", "| Category | Score |", "|---|---|"]
        lines += [f"| {c.title} | {_cell(score.categories.get(c.id))} |" for c in fw.categories]
        lines += ["", f"**Total:** {_cell(score.total)}", ""]
        for ind in fw.leaf_indicators():
            lines += [f"### {ind.id} {_cell(ind.title)}", "", "| Element | Level | Answer | Comment | Evidence |"]
            lines.append("|---|---|---|---|---|")
            for el in ind.elements:
                for level_id, answer in a.answers.get(el.id, {}).items():
                    evidence = "; ".join(f"{e.source}: {e.quote}" for e in answer.evidence)
                    lines.append(
                        f"| {el.id} | {level_id} | {answer.answer} | {_cell(answer.comment)} | {_cell(evidence)} |"
                    )
            lines.append("")
    return "\n".join(lines) + "\n"


PHASES: dict[str, Callable[[Path], dict[str, Any]]] = {
    "libyaml": phase_libyaml,
    "validate_score": phase_validate_score,
    "pipeline": phase_pipeline,
    "site": phase_site,
    "naive": phase_naive,
}


def run_phase(name: str, root: Path, timeout: float) -> dict[str, Any]:
    """Run a phase in a fresh process; its figures, peak memory, or {"timeout": seconds}."""
    command = [sys.executable, str(Path(__file__).resolve()), "--phase", name, str(root)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False, cwd=root)
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    if done.returncode != 0:
        sys.stderr.write(f"phase {name} failed for {root}:\n{done.stdout}\n{done.stderr}\n")
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- hrdd serve: time from an edit to the page showing it --------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            text: str = response.read().decode("utf-8", "replace")
            return text
    except OSError:
        return None


def measure_serve(root: Path, timeout: float, edit_timeout: float) -> dict[str, Any]:
    port = _free_port()
    hrdd = Path(sys.executable).with_name("hrdd")
    process = subprocess.Popen(
        [str(hrdd), "serve", "--project", str(root), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    target = sorted((root / "assessments").iterdir())[0]
    latest = sorted(target.glob("*.yaml"))[-1]
    url = f"http://127.0.0.1:{port}/companies/{target.name}/"
    original = latest.read_bytes()
    try:
        started = time.monotonic()
        while _fetch(url) is None:
            if process.poll() is not None or time.monotonic() - started > timeout:
                return {"serve start": None, "serve edit": None, "timeout": timeout}
            time.sleep(0.5)
        first = time.monotonic() - started
        marker = f"Benchmark edit {time.time_ns()}"
        text = original.decode("utf-8")
        edited, count = re.subn(r"^summary: >-\n", f"summary: >-\n  {marker}.\n", text, count=1, flags=re.M)
        assert count == 1, "the synthetic file has a folded summary"
        latest.write_text(edited, encoding="utf-8")
        edit = time.monotonic()
        while True:
            page = _fetch(url)
            if page is not None and marker in page:
                return {"serve start": first, "serve edit": time.monotonic() - edit}
            if time.monotonic() - edit > edit_timeout:
                return {"serve start": first, "serve edit": None, "timeout": edit_timeout}
            time.sleep(0.2)
    finally:
        latest.write_bytes(original)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


# --- the run -----------------------------------------------------------------------------


# --- a pull request's check: hrdd check-changes on a one-company change ----------------------


def _git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    command = ["git", "-c", "user.name=Benchmark", "-c", "user.email=benchmark@example.org", *args]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=True).stdout


def measure_pr(root: Path, timeout: float) -> dict[str, Any]:
    """Seconds from starting ``hrdd check-changes`` to its verdict and preview, no cache."""
    hrdd = str(Path(sys.executable).with_name("hrdd"))
    if not (root / ".git").is_dir():
        (root / ".gitignore").write_text("/.hrdd-cache/\n/site/\n/totals.csv\n", encoding="utf-8")
        _git(root, "init", "-q", "-b", "main")
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", "synthetic scorecard")
    _git(root, "switch", "-q", "-f", "main")
    _git(root, "clean", "-q", "-fd", "assessments")
    totals = root / "totals.csv"
    if not totals.is_file():
        # The project's own scores as the "published" totals (hrdd score, outside the timing).
        found = subprocess.run(
            [hrdd, "score", "--format", "csv"], cwd=root, capture_output=True, text=True, check=True, timeout=timeout
        )
        rows = ["company,cycle,assessor_type,framework,framework_version,total"]
        for line in found.stdout.splitlines()[1:]:
            company, cycle, kind, framework, level, _id, score = line.split(",")
            if level == "total":
                fw_id, version = framework.split("@")
                rows.append(f"{company},{cycle},{kind},{fw_id},{version},{score}")
        totals.write_text("\n".join(rows) + "\n", encoding="utf-8")
    folder = sorted(p for p in (root / "assessments").iterdir() if p.is_dir())[0]
    latest = sorted(p for p in folder.glob("*.yaml") if not p.stem.endswith("-self"))[-1]
    _git(root, "switch", "-q", "-C", "pull-request", "main")
    own = latest.with_name(f"{latest.stem}-self.yaml")
    text = latest.read_text(encoding="utf-8").replace(
        "assessor:\n  type: independent\n", "assessor:\n  type: self\n", 1
    )
    own.write_text(text, encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "a company's self-assessment")
    shutil.rmtree(root / ".hrdd-cache", ignore_errors=True)
    command = [hrdd, "check-changes", "--no-cache", "--base", "main", "--published", str(totals)]
    started = time.monotonic()
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=timeout, check=False)
    seconds = time.monotonic() - started
    _git(root, "switch", "-q", "-f", "main")
    if done.returncode not in (0, 1):
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return {"pr check": seconds, "verdict": done.stdout.strip().splitlines()[0], "exit": done.returncode}


def machine() -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    import yaml

    try:
        from importlib.metadata import version

        rs = f"jsonschema-rs {version('jsonschema-rs')}"
    except Exception:  # noqa: BLE001 - not installed, or metadata unreadable: say so
        rs = "jsonschema-rs not installed"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
        # Dirty: uncommitted changes, but for the figures this script writes (an earlier --write).
        changes = subprocess.run(
            ["git", "status", "--porcelain", "--", ".", f":(exclude){DOC.relative_to(REPO).as_posix()}"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        commit += "-dirty" if changes.strip() else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return {
        "commit": commit,
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "libraries": f"PyYAML {yaml.__version__} ({'with' if yaml.__with_libyaml__ else 'without'} libyaml), {rs}",
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def prepare(work: Path, companies: int) -> Path:
    root = work / f"synthetic-{companies}x{CYCLES}"
    stamp = root / ".complete"
    if not stamp.is_file():
        shutil.rmtree(root, ignore_errors=True)
        spec = importlib.util.spec_from_file_location("make_synthetic", REPO / "scripts" / "make_synthetic.py")
        assert spec is not None and spec.loader is not None
        make = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(make)
        make.write_project(root, companies, CYCLES, SEED)
        stamp.write_text("done\n")
    # The site's configuration and hand-written pages, as a project that publishes would have.
    for name in ("mkdocs.yml", "docs", "overrides"):
        source, target = REPO / name, root / name
        if target.is_dir():
            shutil.rmtree(target)
        if source.is_dir():
            shutil.copytree(source, target)
        elif source.is_file():
            shutil.copy(source, target)
    return root


def measure(
    work: Path,
    companies: int,
    *,
    core: bool,
    site: bool,
    naive: bool,
    serve: bool,
    timeout: float,
    edit_timeout: float,
    naive_timeout: float,
    serve_timeout: float,
    pr: bool = False,
) -> dict[str, Any]:
    root = prepare(work, companies)
    figures: dict[str, Any] = {"companies": companies, "files": len(_assessments(root))}

    def run(name: str, limit: float = timeout) -> dict[str, Any]:
        sys.stderr.write(f"  {companies}: {name}\n")
        # The load before the phase, and the code measured: parts may come from separate runs.
        context = {"load": os.getloadavg()[0], "commit": machine()["commit"]}
        found = run_phase(name, root, limit)
        found.update(context)
        if "site_files" in found:
            # The size next to the time: GitHub Pages refuses sites over 1 GB, GitLab over 200,000 files.
            sys.stderr.write(
                f"  {companies}: hrdd build {found['hrdd build']:.1f} s; site {found['site_mb']:,.1f} MB in "
                f"{found['site_files']:,} files (data downloads {found['data_mb']:,.1f} MB)\n"
            )
        return found

    if core:
        figures["libyaml"] = run("libyaml")
        figures["validate_score"] = run("validate_score")
        shutil.rmtree(root / ".hrdd-cache" / "checks", ignore_errors=True)
        figures["cold"] = run("pipeline")
        figures["warm"] = run("pipeline")
    if site:
        figures["site"] = run("site")
    if naive:
        figures["naive"] = run("naive", naive_timeout)
    if serve:
        sys.stderr.write(f"  {companies}: serve\n")
        context = {"load": os.getloadavg()[0], "commit": machine()["commit"]}
        figures["serve"] = measure_serve(root, serve_timeout, edit_timeout) | context
    if pr:
        sys.stderr.write(f"  {companies}: pull-request check\n")
        context = {"load": os.getloadavg()[0], "commit": machine()["commit"]}
        figures["pr"] = measure_pr(root, timeout) | context
    return figures


def _s(value: Any) -> str:
    if value is None:
        return "–"
    return f"{value:,.1f}" if value >= 10 else f"{value:.2f}"


def _figure(phase: dict[str, Any] | None, key: str) -> str:
    if phase is None:
        return "not run"
    if "error" in phase:
        return "failed"
    if "timeout" in phase and phase.get(key) is None:
        return f"> {phase['timeout']:,.0f} (stopped)"
    return _s(phase.get(key))


def _mb(phase: dict[str, Any] | None) -> str:
    if phase is None or "peak_mb" not in phase:
        return "–"
    return f"{phase['peak_mb']:,.0f} + {phase['workers_peak_mb']:,.0f}"


def _load(phase: dict[str, Any] | None) -> str:
    return "–" if not phase or "load" not in phase else f"{phase['load']:.1f}"


def _commit(phase: dict[str, Any] | None) -> str:
    return "–" if not phase or "commit" not in phase else f"`{phase['commit']}`"


def _ratio(top: dict[str, Any] | None, top_key: str, bottom: dict[str, Any] | None, bottom_key: str) -> str:
    a = (top or {}).get(top_key)
    b = (bottom or {}).get(bottom_key)
    if a is None and b is not None and top is not None and "timeout" in top:
        return f"> {top['timeout'] / b:.2f}×"  # the top phase was stopped: a lower bound
    return "–" if a is None or b is None else f"{a / b:.2f}×"


def table(results: list[dict[str, Any]]) -> str:
    sizes = [r["companies"] for r in results]
    head = "| phase | " + " | ".join(f"{n:,} × {CYCLES}" for n in sizes) + " |"
    lines = [head, "|---|" + "---:|" * len(sizes)]

    def row(label: str, getter: Callable[[dict[str, Any]], str]) -> None:
        lines.append(f"| {label} | " + " | ".join(getter(r) for r in results) + " |")

    row("files", lambda r: f"{r['files']:,}")
    row("load average before: cold run / site", lambda r: f"{_load(r.get('cold'))} / {_load(r.get('site'))}")
    row("code measured: cold run / site", lambda r: f"{_commit(r.get('cold'))} / {_commit(r.get('site'))}")
    row("libyaml parse alone (s)", lambda r: _figure(r.get("libyaml"), "libyaml"))
    row("load + validate, cold (s)", lambda r: _figure(r.get("validate_score"), "validate"))
    row("score (s)", lambda r: _figure(r.get("validate_score"), "score"))
    row("**validate + score, cold** (s)", lambda r: _figure(r.get("cold"), "pipeline"))
    row("… CPU seconds, all processes", lambda r: _s((r.get("cold") or {}).get("cpu_s")))
    row("… ÷ libyaml", lambda r: _ratio(r.get("cold"), "pipeline", r.get("libyaml"), "libyaml"))
    row("**validate + score, warm** (s)", lambda r: _figure(r.get("warm"), "pipeline"))
    row("… of which checking (s)", lambda r: _figure(r.get("warm"), "check"))
    row("site: page generation (s)", lambda r: _figure(r.get("site"), "pages"))
    row(
        "… of which the checked facts and scores, read from the cache (s)",
        lambda r: _figure(r.get("site"), "pages: facts and scores"),
    )
    row("site: MkDocs build (s)", lambda r: _figure(r.get("site"), "mkdocs"))
    row("… split over (processes)", lambda r: str((r.get("site") or {}).get("mkdocs processes", "–")))
    row("**site** (s)", lambda r: _figure(r.get("site"), "site"))
    row("hrdd build, all of it (s)", lambda r: _figure(r.get("site"), "hrdd build"))
    row("naive baseline site (s)", lambda r: _figure(r.get("naive"), "naive"))
    row("naive ÷ site", lambda r: _ratio(r.get("naive"), "naive", r.get("site"), "site"))
    row("site: search index (MB)", lambda r: _s((r.get("site") or {}).get("search_index_mb")))
    row(
        "site: HTML pages, MB",
        lambda r: (
            f"{r['site']['html_pages']:,}, {r['site']['site_mb']:,.0f}" if "html_pages" in r.get("site", {}) else "–"
        ),
    )
    row(
        "site: size (MB), files, of which data downloads (MB)",
        lambda r: (
            f"{r['site']['site_mb']:,.0f}, {r['site']['site_files']:,}, {r['site']['data_mb']:,.0f}"
            if "site_files" in r.get("site", {})
            else "–"
        ),
    )
    row("serve: edit shown after (s)", lambda r: _figure(r.get("serve"), "serve edit"))
    row("pull-request check, no cache: verdict + preview (s)", lambda r: _figure(r.get("pr"), "pr check"))
    row("peak MB, validate + score cold (main + workers)", lambda r: _mb(r.get("cold")))
    row("peak MB, validate + score warm", lambda r: _mb(r.get("warm")))
    row("peak MB, validate then score (main + workers)", lambda r: _mb(r.get("validate_score")))
    row("peak MB, hrdd build (main + workers)", lambda r: _mb(r.get("site")))
    return "\n".join(lines)


def _get(results: list[dict[str, Any]], companies: int, phase: str, key: str) -> float | None:
    for r in results:
        if r["companies"] == companies:
            value = (r.get(phase) or {}).get(key)
            return None if value is None else float(value)
    return None


def _shown(results: list[dict[str, Any]], companies: int, phase: str, key: str) -> str:
    """A figure as the targets quote it: seconds, "> N (stopped)" for a stopped phase, or "–"."""
    for r in results:
        if r["companies"] == companies and isinstance(r.get(phase), dict):
            return _figure(r[phase], key)
    return "–"


def _stopped(results: list[dict[str, Any]], companies: int, phase: str) -> bool:
    return any(r["companies"] == companies and "timeout" in (r.get(phase) or {}) for r in results)


def _verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else ("**met**" if ok else "**not met**")


def targets(results: list[dict[str, Any]]) -> list[str]:
    """Each target of issue 8 with the figures it is judged on."""
    g = functools.partial(_get, results)
    lines = []
    cold, libyaml = g(1000, "cold", "pipeline"), g(1000, "libyaml", "libyaml")
    ok = None if cold is None or libyaml is None else cold <= 2 * libyaml and cold <= 30
    lines.append(
        f"- Cold validate + score, 1,000 × 3, at most 2× libyaml and 30 s: {_verdict(ok)} "
        f"({_s(cold)} s; libyaml alone {_s(libyaml)} s)"
    )
    warm = g(1000, "warm", "pipeline")
    lines.append(
        f"- Second run, nothing changed, under 2 s: {_verdict(None if warm is None else warm < 2)} ({_s(warm)} s)"
    )
    site, naive = g(1000, "site", "site"), g(1000, "naive", "naive")
    if naive is None and site is not None and _stopped(results, 1000, "naive"):
        # Stopped: it took at least the timeout, which is then a lower bound for the ratio.
        naive = next(float(r["naive"]["timeout"]) for r in results if r["companies"] == 1000)
    ok = None if site is None or naive is None else site <= 20 and naive / site >= 4
    if _stopped(results, 1000, "site"):
        ok = False  # stopped after more than 20 s
    s = functools.partial(_shown, results)
    lines.append(
        f"- Site for 1,000 × 3 in 20 s and 4× faster than the naive baseline: {_verdict(ok)} "
        f"(site {s(1000, 'site', 'site')} s, naive {s(1000, 'naive', 'naive')} s; "
        f"at 100 × 3: site {s(100, 'site', 'site')} s, naive {s(100, 'naive', 'naive')} s)"
    )
    for label, phase, key in (("validate + score, cold", "cold", "pipeline"), ("site", "site", "site")):
        small, large = g(1000, phase, key), g(5000, phase, key)
        ok = None if small is None or large is None else large <= 5.5 * small
        ratio = "" if small is None or large is None else f", {large / small:.2f}×"
        lines.append(
            f"- Linear growth of {label}, 5,000 at most 5.5× 1,000: {_verdict(ok)} "
            f"({_s(small)} s → {_s(large)} s{ratio})"
        )
    edit = g(1000, "serve", "serve edit")
    measured_serve = any(r["companies"] == 1000 and "serve" in r for r in results)
    serve_ok = None if not measured_serve else edit is not None and edit <= 5
    lines.append(
        f"- hrdd serve shows a one-file edit within 5 s at 1,000: {_verdict(serve_ok)} "
        f"({s(1000, 'serve', 'serve edit')} s; the first build took {s(1000, 'serve', 'serve start')} s)"
    )
    peaks = [
        (label, g(5000, phase, "peak_mb"), g(5000, phase, "workers_peak_mb"))
        for label, phase in (("validate + score", "cold"), ("hrdd build", "site"))
    ]
    measured = [(label, a, b) for label, a, b in peaks if a is not None and b is not None]
    ok = None if not measured else all(max(a, b) < 1024 for _, a, b in measured)
    shown = "; ".join(f"{label}: {a:,.0f} MB, workers {b:,.0f} MB" for label, a, b in measured) or "–"
    build_small = (g(1000, "site", "peak_mb"), g(1000, "site", "workers_peak_mb"))
    if g(5000, "site", "peak_mb") is None and None not in build_small:
        # hrdd build was not run at 5,000; its peak at 1,000 is a lower bound for 5,000.
        a, b = build_small
        assert a is not None and b is not None
        shown += f"; hrdd build not run at 5,000, at 1,000 already {a:,.0f} MB, workers {b:,.0f} MB"
        ok = None if max(a, b) < 1024 else False
    lines.append(f"- Peak memory under 1 GB at 5,000: {_verdict(ok)} ({shown})")
    return lines


def _processes(count: int) -> str:
    return f"{count} process" + ("" if count == 1 else "es")


def notes(results: list[dict[str, Any]]) -> list[str]:
    """Where the time goes, worked out from the figures."""
    lines = []
    for r in results:
        cold, files = r.get("cold") or {}, r["files"]
        if "pipeline" in cold and "cpu_s" in cold:
            lines.append(
                f"- {r['companies']:,} × 3: validate + score costs {cold['pipeline'] / files * 1000:.1f} ms per file "
                f"(wall), {cold['cpu_s'] / files * 1000:.1f} ms of CPU per file over all processes."
            )
        site = r.get("site") or {}
        if "mkdocs" in site and site.get("html_pages"):
            lines.append(
                f"- {r['companies']:,} × 3: MkDocs, splicing and placing the data take "
                f"{site['mkdocs'] / site['html_pages'] * 1000:.1f} ms per HTML page, wall clock "
                f"({site['html_pages']:,} pages, {site['site_mb']:,.0f} MB written, "
                f"{_processes(site.get('mkdocs processes', 1))}); page generation {site['pages']:.1f} s, "
                f"of which {site.get('pages: facts and scores', 0):.1f} s reading the checked facts and scores "
                "from the cache (each company's whole assessments are read by the processes rendering its "
                "pages and the data files)."
            )
    return lines


def pr_section(results: list[dict[str, Any]]) -> list[str]:
    """The pull-request check's figures (issue 16), when measured."""
    found = [r for r in results if isinstance(r.get("pr"), dict) and "pr check" in r["pr"]]
    if not found:
        return []
    lines = [
        "## Pull-request check (issue 16)",
        "",
        "A one-company pull request (a self-assessment added) checked as the Validate workflow checks it:",
        "`hrdd check-changes --no-cache --base main --published totals.csv`, from starting hrdd to its",
        "verdict and score preview (rank against the published totals), with no cache. Target: at most",
        "3 s at 1,000 × 3.",
        "",
    ]
    for r in found:
        pr = r["pr"]
        met = "**met**" if r["companies"] == 1000 and pr["pr check"] <= 3 else ""
        lines.append(
            f"- {r['companies']:,} × {CYCLES}: {_s(pr['pr check'])} s ({pr.get('verdict', '')}); load average "
            f"{_load(pr)} before, code {_commit(pr)}. {met}".rstrip()
        )
    return [*lines, ""]


KEPT = "\n## Before and after"
"""Where docs/benchmarks.md's hand-written part begins (comparisons of two commits measured in one
run): ``--write`` keeps it."""


def write_doc(results: list[dict[str, Any]], info: dict[str, str], command: str) -> None:
    before = DOC.read_text(encoding="utf-8") if DOC.is_file() else ""
    kept = before[before.index(KEPT) :] if KEPT in before else ""
    DOC.write_text(
        "\n".join(
            [
                "# Benchmarks",
                "",
                "<!-- Generated by scripts/benchmark.py --write; do not edit. Re-run it to update. -->",
                "",
                f"Written {dt.date.today().isoformat()} by `{command}`, on synthetic projects written by",
                "`scripts/make_synthetic.py` (N fictional companies × 3 cycles, about 60 KB per file). With",
                "`--only`, the parts not run come from earlier runs in the same work folder (its",
                "`results.json`); the rows *load average* and *code measured* say under which load and on",
                "which commit (`-dirty`: with uncommitted changes) each part was measured. What each phase",
                "covers is described at the top of `scripts/benchmark.py`; every phase runs in a fresh",
                "process and its time includes importing hrdd; the operating system's file cache is warm.",
                "",
                "## Machine",
                "",
                f"- CPUs (nproc): {info['nproc']}; CPU: {info['cpu']}",
                f"- memory: {info['memory']}; Python {info['python']}; {info['libraries']}",
                f"- load average when the run started: {info['load']}",
                "",
                "## Results",
                "",
                "Seconds, wall clock; peak memory in MB (maximum resident set of the phase's process,"
                " and of its worker processes).",
                "",
                table(results),
                "",
                "## Targets (issue 8)",
                "",
                *targets(results),
                "",
                "## Where the time goes",
                "",
                *notes(results),
                "",
                *pr_section(results),
            ]
        )
        + kept,
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000", help="companies per project (default: 100,1000,5000)")
    parser.add_argument("--site-sizes", default="100,1000", help="sizes to build the site for (default: 100,1000)")
    parser.add_argument(
        "--naive-sizes", default="100,1000", help="site sizes to build the naive baseline for (default: 100,1000)"
    )
    parser.add_argument("--serve-size", type=int, default=1000, help="size to measure hrdd serve at (0: none)")
    parser.add_argument("--pr-size", type=int, default=1000, help="size to measure the pull-request check at (0: none)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/hrdd-benchmark"), help="where projects are kept")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds after which a phase is stopped")
    parser.add_argument(
        "--naive-timeout",
        type=float,
        default=600,
        help="seconds after which the naive baseline is stopped; the ratio is then a lower bound",
    )
    parser.add_argument("--serve-timeout", type=float, default=900, help="seconds to wait for hrdd serve's first build")
    parser.add_argument(
        "--edit-timeout", type=float, default=900, help="seconds to wait for hrdd serve to show an edit"
    )
    parser.add_argument(
        "--only",
        choices=["core", "site", "serve", "pr"],
        action="append",
        help="run only these parts (repeatable); figures of earlier runs kept in WORK/results.json are reused",
    )
    parser.add_argument("--write", action="store_true", help=f"write the results into {DOC.relative_to(REPO)}")
    parser.add_argument("--phase", nargs=2, metavar=("NAME", "ROOT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        name, root = args.phase
        result = PHASES[name](Path(root))
        result.update(_peak())
        print(json.dumps(result))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s]
    site_sizes = {int(s) for s in args.site_sizes.split(",") if s}
    naive_sizes = {int(s) for s in args.naive_sizes.split(",") if s}
    parts = set(args.only or ["core", "site", "serve", "pr"])
    info = machine()
    saved = args.work / "results.json"
    # Figures by size, phase by phase: a partial run (--only) replaces only what it measured.
    merged: dict[int, dict[str, Any]] = {}
    if args.only and saved.is_file():
        merged = {r["companies"]: r for r in json.loads(saved.read_text(encoding="utf-8"))}
    for companies in sizes:
        sys.stderr.write(f"{companies} companies\n")
        found = measure(
            args.work,
            companies,
            core="core" in parts,
            site="site" in parts and companies in site_sizes,
            naive="site" in parts and companies in site_sizes and companies in naive_sizes,
            serve="serve" in parts and companies == args.serve_size,
            timeout=args.timeout,
            edit_timeout=args.edit_timeout,
            naive_timeout=args.naive_timeout,
            serve_timeout=args.serve_timeout,
            pr="pr" in parts and companies == args.pr_size,
        )
        merged.setdefault(companies, {}).update(found)
    results = [merged[n] for n in sorted(merged)]
    args.work.mkdir(parents=True, exist_ok=True)
    saved.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(json.dumps(results, indent=1))
    print(table(results))
    if args.write:
        command = "python scripts/benchmark.py " + " ".join(a for a in (argv or sys.argv[1:]) if a != "--write")
        write_doc(results, info, command.strip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
