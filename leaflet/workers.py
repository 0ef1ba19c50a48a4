"""Worker processes for a batch build: one per edition, at most `jobs` at once.

Each worker is forked, so it inherits the loaded content, and it returns its
result (the PDF as bytes) through a pipe: workers never write a file, so a
worker that outlives its build cannot change the output folder. They cannot
outlive it anyway: on Linux the kernel kills a worker whose parent dies, and a
worker whose parent is already gone when it starts exits at once. A worker
that dies fails only its own item."""
from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
from multiprocessing.connection import wait

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def run(task, items: list, jobs: int, died):
    """Yield task(item) for every item, in order of completion; died(item, how) for
    an item whose worker died. Use with contextlib.closing: closing the generator
    (an error or Ctrl-C in the caller) kills the workers still running."""
    if jobs == 1:  # in this process: nothing to fork, nothing to outlive the build
        yield from map(task, items)
        return
    context = multiprocessing.get_context("fork")
    pending = list(items)
    running: dict = {}  # the pipe a worker answers through -> (item, worker)
    try:
        while pending or running:
            while pending and len(running) < jobs:
                item = pending.pop(0)
                reader, writer = context.Pipe(duplex=False)
                worker = context.Process(target=_work, args=(task, item, writer, os.getpid()), daemon=True)
                worker.start()
                writer.close()  # the worker holds the only write end: end of file means it died
                running[reader] = (item, worker)
            for reader in wait(list(running)):
                item, worker = running.pop(reader)
                with contextlib.closing(reader):
                    result = _receive(reader)
                worker.join()
                yield died(item, _how(worker.exitcode)) if result is None else result[0]
    finally:
        for _, worker in running.values():
            worker.kill()
        for _, worker in running.values():
            worker.join()


def _receive(reader):
    try:
        return (reader.recv(),)
    except (EOFError, OSError):
        return None


def _how(exitcode: int | None) -> str:
    return f"died (signal {-exitcode})" if exitcode and exitcode < 0 else f"died (exit status {exitcode})"


def _work(task, item, writer, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the parent decides
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with(parent)
    writer.send(task(item))


def _die_with(parent: int) -> None:
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
