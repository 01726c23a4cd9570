"""Builds that never damage the site they replace, and never run two at a time on one project.

* ``project_lock``: one build (``hrdd build``, ``hrdd publish``) per project at a time. Builds
  share the project's ``.hrdd-cache`` (the staged pages, the data files, the detached blocks), so a
  second build refuses to start, saying so, instead of corrupting the first one's files. The lock
  is a ``flock`` on ``.hrdd-cache/build.lock``: the system releases it when its process ends,
  however it ends, so a killed build never leaves a stale lock.
* ``new_site_folder``: the new site is built into a folder beside the old one
  (``.<name>-new-XXXX``), so that swapping is a rename on one file system.
* ``swap``: the new site takes the old one's place in one atomic step where the system offers one
  (Linux ``renameat2(RENAME_EXCHANGE)``, macOS ``renamex_np(RENAME_SWAP)``): at every instant the
  site folder holds either the whole old site or the whole new one. The old one, then in the
  ``.<name>-new-XXXX`` folder, is deleted; if the process is killed first, the next build deletes
  it (``remove_strays``). Elsewhere two renames, with the old site restored by the next build if a
  kill fell between them. Before swapping, the old site is checked to be removable (a file that is
  immutable, or a folder that is not writable, fails the build before anything is replaced).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from hrdd.errors import UsageError

LOCK_FILE = "build.lock"

PAUSE_ENV = "HRDD_TEST_PAUSE"
"""Test hook: the name of a point of the build (``pause``) at which to stop for a minute, after
saying so on stderr, so that a test can kill the build exactly there (tests/site/test_atomic.py)."""


def pause(point: str) -> None:
    """Stop at ``point`` when the test hook asks to (``PAUSE_ENV``); nothing otherwise."""
    if os.environ.get(PAUSE_ENV) == point:
        sys.stderr.write(f"hrdd: paused at {point}\n")
        sys.stderr.flush()
        time.sleep(60)


@contextlib.contextmanager
def project_lock(cache: Path, shown: str) -> Iterator[None]:
    """Hold the project's build lock, or raise ``UsageError`` when another build holds it."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; builds there are not guarded against each other
        yield
        return
    try:
        cache.mkdir(parents=True, exist_ok=True)
        handle = open(cache / LOCK_FILE, "a+b")  # noqa: SIM115 - held open for the whole build
    except OSError as exc:
        raise UsageError(f"cannot write to {shown}: {exc.strerror or exc}; check the folder's permissions") from exc
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(
                f"another hrdd build or publish is running on this project ({shown} is locked); "
                "wait for it to finish, then run again"
            ) from None
        yield
    finally:
        handle.close()  # releases the lock


def _prefixes(target: Path) -> tuple[str, str]:
    return f".{target.name}-new-", f".{target.name}-old-"


def remove_strays(target: Path) -> None:
    """Delete what killed builds left beside ``target``: new sites never swapped in, and old sites
    never deleted. Runs under the project lock, so no build is using them. If ``target`` itself is
    missing and an old site is there (a kill between two renames, where no atomic exchange
    exists), that old site is put back first."""
    parent = target.parent
    if not parent.is_dir():
        return
    new_prefix, old_prefix = _prefixes(target)
    # "." + a new site's name: the shard folders MkDocs' split build makes beside it (hrdd.site.shards).
    prefixes = (new_prefix, old_prefix, "." + new_prefix)
    strays = sorted(p for p in parent.iterdir() if p.name.startswith(prefixes) and p.is_dir() and not p.is_symlink())
    if not target.exists():
        olds = [p for p in strays if p.name.startswith(old_prefix)]
        if olds:
            olds[-1].rename(target)
            strays.remove(olds[-1])
    for stray in strays:
        shutil.rmtree(stray, ignore_errors=True)


def new_site_folder(target: Path) -> Path:
    """An empty folder beside ``target`` to build the new site in; a usage error when the folder
    the site goes in cannot be written."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        new = Path(tempfile.mkdtemp(prefix=_prefixes(target)[0], dir=target.parent))
    except OSError as exc:
        raise UsageError(
            f"cannot write the site into {_shown(target.parent)}: {exc.strerror or exc}; "
            "choose another --site-dir or make the folder writable"
        ) from exc
    new.chmod(0o755)  # mkdtemp makes it private; a site is for web servers to read
    return new


def check_removable(old: Path) -> None:
    """Raise ``UsageError`` naming the first file or folder of ``old`` that could not be deleted
    (an immutable file, a folder without write permission): found before the swap, the old site
    is left as it was."""
    if not old.is_dir() or old.is_symlink():
        return
    if not os.access(old, os.W_OK | os.X_OK):
        raise UsageError(_not_removable(old))
    for folder, dirs, files in os.walk(old):
        for name in dirs:
            path = os.path.join(folder, name)
            if not os.path.islink(path) and not os.access(path, os.W_OK | os.X_OK):
                raise UsageError(_not_removable(Path(path)))
        for name in files:
            path = os.path.join(folder, name)
            # access() reports an immutable or append-only file as not writable, even to root.
            if not os.path.islink(path) and not os.access(path, os.W_OK):
                raise UsageError(_not_removable(Path(path)))


def _not_removable(path: Path) -> str:
    return (
        f"cannot replace the site: {_shown(path)} cannot be removed (read-only, immutable or not yours); "
        "fix its permissions; the previous site is unchanged"
    )


def swap(new: Path, target: Path) -> None:
    """Put the site built in ``new`` at ``target`` (see the module docstring)."""
    if not target.exists():
        new.rename(target)
        return
    check_removable(target)
    if _exchange(new, target):
        pause("exchanged")
        shutil.rmtree(new, ignore_errors=True)  # the old site now; a leftover goes at the next build
        return
    old = Path(tempfile.mkdtemp(prefix=_prefixes(target)[1], dir=target.parent))
    old.rmdir()
    target.rename(old)
    pause("renamed")
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step; False where the system cannot."""
    if os.environ.get("HRDD_NO_EXCHANGE"):  # test hook: the two-rename fallback
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        at_fdcwd, rename_exchange = -100, 2
        done = libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        rename_swap = 2
        done = libc.renamex_np(os.fsencode(a), os.fsencode(b), rename_swap)
    else:
        return False
    if done == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: this file system cannot; rename instead
        return False
    raise OSError(errno, os.strerror(errno), str(b))


def _shown(path: Path) -> str:
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except ValueError:
        return str(path)
