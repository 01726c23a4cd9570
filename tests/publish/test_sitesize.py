"""``hrdd publish`` measures the gh-pages tree it leaves and warns past GitHub Pages' 1 GB."""

from __future__ import annotations

from pathlib import Path

from hrdd.sitesize import LIMIT_BYTES, tree_bytes, warning
from tests.publish.conftest import commit_all, git


def test_tree_bytes_counts_every_file_of_the_branch(tmp_path: Path) -> None:
    """Sizes and file count of a real branch's tree, subfolders included."""
    repo = tmp_path / "r"
    (repo / "a" / "b").mkdir(parents=True)
    (repo / "x.html").write_bytes(b"x" * 1000)
    (repo / "a" / "b" / "y.json").write_bytes(b"y" * 234)
    (repo / "a" / "z.txt").write_bytes(b"x" * 1000)  # same content as x.html: still two files served
    git(repo, "init", "-q", "-b", "gh-pages")
    commit_all(repo, "site")
    assert tree_bytes(repo, "gh-pages") == (2234, 3)


def test_warning_only_past_the_limit() -> None:
    """No warning at the limit; past it, one naming the branch, the size and GitHub Pages."""
    assert LIMIT_BYTES == 2**30
    assert warning(LIMIT_BYTES, 10, "gh-pages") is None
    text = warning(LIMIT_BYTES + 2**20, 5000, "gh-pages")
    assert text is not None
    assert "gh-pages tree is 1,025 MB in 5,000 files" in text and "GitHub Pages" in text
