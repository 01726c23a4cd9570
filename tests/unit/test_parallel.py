"""hrdd.parallel.run_forked: the one way hrdd runs work in forked worker processes."""

from __future__ import annotations

import functools
import multiprocessing
import os

import pytest

from hrdd.parallel import run_forked

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")


def test_jobs_run_in_forked_workers_and_come_back_in_order() -> None:
    """Jobs are closures over memory the workers inherit (nothing sent but their results)."""
    data = {n: str(n) * 3 for n in range(20)}  # not passed to the workers: inherited

    def job(n: int) -> tuple[str, int]:
        return data[n], os.getpid()

    results = run_forked([functools.partial(job, n) for n in range(20)], 2, multiprocessing.get_context("fork"))
    assert [text for text, _ in results] == [str(n) * 3 for n in range(20)]
    assert os.getpid() not in {pid for _, pid in results}


def test_a_failing_job_raises_in_the_caller_and_the_next_run_works() -> None:
    def fail() -> int:
        raise ValueError("job failed")

    context = multiprocessing.get_context("fork")
    with pytest.raises(ValueError, match="job failed"):
        run_forked([lambda: 1, fail], 2, context)
    assert run_forked([lambda: 1, lambda: 2], 2, context) == [1, 2]


def test_each_result_is_handed_over_as_it_arrives_in_job_order() -> None:
    """``on_result`` sees every result in this process, in the order of the jobs (the checker
    advances its progress bar and builds its results there)."""
    seen: list[tuple[int, int, int]] = []
    results = run_forked(
        [functools.partial(lambda n: n * n, n) for n in range(12)],
        2,
        multiprocessing.get_context("fork"),
        on_result=lambda n, result: seen.append((n, result, os.getpid())),
    )
    assert seen == [(n, n * n, os.getpid()) for n in range(12)]
    assert results == [n * n for n in range(12)]
