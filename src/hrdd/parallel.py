"""How many worker processes to use, and whether they may be forked."""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.context
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager


def cpu_count() -> int:
    """The CPUs this process may run on (a container's or a CI job's share, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def fork_context() -> multiprocessing.context.BaseContext | None:
    """The fork start method when it is safe here, else None.

    Forked workers start in milliseconds and inherit everything already in memory (a whole
    scorecard, with nothing to send them). But a forked child of a process with other threads
    can inherit a lock one of them held (``hrdd serve`` works from a thread while its web
    server's threads run), and some platforms have no fork at all.
    """
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return None


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Keep the garbage collector off the objects that exist now, while forked workers run.

    A forked worker shares its parent's memory until it writes to it, and the collector writes
    to every object it examines: with a whole scorecard in memory (millions of objects), each
    full collection in a worker copies much of the heap and takes seconds. Frozen objects are
    never examined; they are handed back to the collector afterwards."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
