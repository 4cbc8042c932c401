"""Process pools the library's bulk work runs on: scikit-learn's ``n_jobs`` convention, forked
children that share the parent's pages, and a garbage collector kept out of the way."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from contextlib import contextmanager


def resolve_n_jobs(n_jobs: int | None) -> int:
    """scikit-learn's convention: None -> 1, -1 -> all cores, -2 -> all but one..."""
    cores = os.cpu_count() or 1
    if n_jobs is None or n_jobs == 0:
        return 1
    return max(1, n_jobs if n_jobs > 0 else cores + 1 + n_jobs)


def fork_context():
    """The "fork" start method where the platform has it: children share the parent's pages
    (the loaded engine, the lexicon) instead of unpickling copies."""
    try:
        return multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - platforms without fork
        return multiprocessing.get_context()


@contextmanager
def gc_paused():
    """No garbage collection inside: analysing 100,000 documents allocates millions of lists,
    and every full collection walks every object of the process again (~10% of a fit)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def children_allowed():
    """Let a daemonic process start a pool inside: Celery's prefork workers are daemonic, and
    multiprocessing refuses them children ("daemonic processes are not allowed to have
    children") because a terminated daemon would orphan them. Our pools live inside one call
    and their processes die with their parent (`die_with_parent`), so the flag is lifted while
    the pool runs."""
    process = multiprocessing.current_process()
    daemonic = bool(process._config.get("daemon"))
    if daemonic:
        process._config["daemon"] = False
    try:
        yield
    finally:
        if daemonic:
            process._config["daemon"] = True


def die_with_parent(parent_pid: int) -> None:
    """In a pool process: be killed when the parent dies (Linux), so that a worker killed mid-task
    (OOM killer, Celery's time limit, kill -9) leaves no orphans behind."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)
