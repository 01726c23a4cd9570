"""Build the two-edition RDR example: ``python examples/rdr/build_example.py`` (``make example``).

Into ``examples/rdr/build/`` (or ``--dest``), a git repository of the example's own, ignored by
the project's git so that the project's branches are never touched:

1. copy this folder's mkdocs.yml, docs/ and companies.yaml (the company identity map);
2. import RDR's 2019 dataset, commit, publish edition 2019 (``hrdd publish``, mike's format, on
   the repository's gh-pages branch);
3. import RDR's 2022 dataset (its framework's changelog to 2019 is derived then), commit,
   publish edition 2022 as the latest.

Then it says how to serve the gh-pages branch. Run again, it starts from an empty build folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SHARED = REPO.parent / "shared" / "data"
# The example's commits are the example's, whoever builds it; a fixed date keeps it repeatable.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "hrdd example",
    "GIT_AUTHOR_EMAIL": "example@hrdd.invalid",
    "GIT_COMMITTER_NAME": "hrdd example",
    "GIT_COMMITTER_EMAIL": "example@hrdd.invalid",
}
EDITIONS = (
    # (edition, dataset, commit date: RDR's publication of that edition)
    (2019, "RDR_2019_ZIP", SHARED / "rdr-2019" / "rdr-2019-dev.zip", "2019-05-16T12:00:00+00:00"),
    (2022, "RDR_ZIP", SHARED / "rdr-2022" / "rdr-2022-dev.zip", "2022-04-21T12:00:00+00:00"),
)


def _run(args: list[str], cwd: Path, date: str | None = None) -> str:
    env = {**os.environ, **GIT_ENV}
    if date is not None:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"failed: {' '.join(args)}")
    return done.stdout


def _hrdd(*args: str, cwd: Path, date: str | None = None) -> str:
    hrdd = Path(sys.executable).with_name("hrdd")
    return _run([str(hrdd) if hrdd.exists() else "hrdd", *args], cwd, date)


def build(dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy(HERE / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(HERE / "docs", dest / "docs")
    shutil.copy(HERE / "companies.yaml", dest / "companies.yaml")
    (dest / ".gitignore").write_text("/site/\n/.hrdd-cache/\n", encoding="utf-8")
    _run(["git", "init", "-q", "-b", "main"], dest)
    for edition, variable, default, date in EDITIONS:
        dataset = Path(os.environ.get(variable, str(default))).resolve()
        print(_hrdd("import", "rdr", str(dataset), "--out", ".", "--companies", "companies.yaml", cwd=dest), end="")
        _run(["git", "add", "-A"], dest)
        _run(["git", "commit", "-q", "-m", f"RDR {edition} dataset ({dataset.name})"], dest, date)
        latest = ["--latest"] if edition == EDITIONS[-1][0] else []
        print(_hrdd("publish", "--project", ".", "--edition", str(edition), *latest, cwd=dest, date=date), end="")
    mike = Path(sys.executable).with_name("mike")
    print(
        f"\nThe example's editions are on the gh-pages branch of {dest}. Serve them with:\n"
        f"  cd {dest} && {mike if mike.exists() else 'mike'} serve\n"
        "and open http://localhost:8000/ (the root leads to the latest edition)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dest", type=Path, default=HERE / "build", help="where to build (default: examples/rdr/build)"
    )
    build(parser.parse_args().dest.resolve())


if __name__ == "__main__":
    main()
