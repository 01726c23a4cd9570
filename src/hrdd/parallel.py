"""How many worker processes to use, and whether they may be forked."""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.context
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

_T = TypeVar("_T")


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


_forked_jobs: Sequence[Callable[[], object]] | None = None
"""The jobs of the running ``run_forked``: set just before its pool forks the workers, so that
they inherit them (with everything they refer to) instead of receiving them pickled."""


def run_forked(
    jobs: Sequence[Callable[[], _T]],
    workers: int,
    context: multiprocessing.context.BaseContext,
    *,
    on_result: Callable[[int, _T], None] | None = None,
) -> list[_T]:
    """Run each job in one of ``workers`` processes forked with ``context`` (``fork_context()``),
    and return their results in the order of ``jobs``.

    Jobs may be closures over anything in memory: the workers inherit them. Only their results
    travel back (pickled). Jobs are handed out in order, as workers free up: put the longest
    first. ``on_result(n, result)`` is called in this process as each result arrives, in the
    order of ``jobs`` (for progress). The heap is frozen meanwhile (``frozen_heap``). One run
    at a time per process."""
    global _forked_jobs
    if _forked_jobs is not None:
        raise RuntimeError("run_forked is already running in this process")
    _forked_jobs = jobs
    try:
        with frozen_heap(), ProcessPoolExecutor(workers, mp_context=context) as pool:
            results: list[Any] = []
            result: Any
            for n, result in enumerate(pool.map(_run_forked_job, range(len(jobs)))):
                if on_result is not None:
                    on_result(n, result)
                results.append(result)
            return results
    finally:
        _forked_jobs = None


def _run_forked_job(number: int) -> object:
    assert _forked_jobs is not None, "not a worker forked by run_forked"
    return _forked_jobs[number]()
