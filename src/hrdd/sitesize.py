"""How big the published site is: GitHub Pages refuses a published site over 1 GB (GitLab
Pages too, and 200,000 files), and with mike every edition lives on the same ``gh-pages``
branch, so all editions together must fit. ``hrdd publish`` warns past the limit."""

from __future__ import annotations

import subprocess
from pathlib import Path

LIMIT_BYTES = 1 << 30
"""GitHub Pages' limit on a published site (1 GB)."""


def tree_bytes(repo: Path, ref: str) -> tuple[int, int]:
    """The size in bytes and the number of files of ``ref``'s tree (each file counted, as a
    host serving the checkout stores it)."""
    done = subprocess.run(["git", "ls-tree", "-r", "-l", "-z", ref], cwd=repo, capture_output=True, check=True)
    size = files = 0
    for entry in done.stdout.split(b"\0"):
        if not entry:
            continue
        meta = entry.split(b"\t", 1)[0].split()
        if len(meta) == 4 and meta[1] == b"blob":
            size += int(meta[3])
            files += 1
    return size, files


def warning(size: int, files: int, branch: str, limit: int = LIMIT_BYTES) -> str | None:
    """The warning for a ``branch`` tree of ``size`` bytes, or None within the limit."""
    if size <= limit:
        return None
    return (
        f"the {branch} tree is {size / 2**20:,.0f} MB in {files:,} files, over the {limit / 2**30:g} GB "
        f"GitHub Pages accepts for a published site (every edition counts): it may not be served; "
        f"see docs/benchmarks.md for what makes a site large"
    )
