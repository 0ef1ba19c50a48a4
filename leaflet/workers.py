"""Worker processes for a batch build: at most `jobs`, each building one item
after another.

Each worker is forked, so it inherits the loaded content, and it returns each
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
from collections.abc import Callable, Generator
from multiprocessing.connection import Connection, wait
from multiprocessing.context import ForkContext
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar, cast

Item = TypeVar("Item")
Result = TypeVar("Result")

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def run(task: Callable[[Item], Result], items: list[Item], jobs: int,
        died: Callable[[Item, str], Result]) -> Generator[Result, None, None]:
    """Yield task(item) for every item, in order of completion; died(item, how) for
    an item whose worker died. Use with contextlib.closing: closing the generator
    (an error or Ctrl-C in the caller) kills the workers still running."""
    if jobs == 1:  # in this process: nothing to fork, nothing to outlive the build
        yield from map(task, items)
        return
    context = multiprocessing.get_context("fork")
    pending = list(items)
    busy: dict[Connection, tuple[Item, BaseProcess]] = {}  # the pipe to a worker with an item -> (item, worker)
    # (pipe, worker) waiting for an item; a worker builds one item after another
    idle: list[tuple[Connection, BaseProcess]] = []

    def assign() -> None:
        while pending and len(busy) < jobs:
            pipe, worker = idle.pop() if idle else _start(context, task)
            try:
                pipe.send((pending[0],))
            except OSError:  # it died while idle: the item goes to another worker
                worker.join()
                continue
            busy[pipe] = (pending.pop(0), worker)

    def collect(pipe: Connection) -> Result:
        item, worker = busy.pop(pipe)
        result = _receive(pipe)
        if result is None:  # end of file: the worker died
            worker.join()
            pipe.close()
            return died(item, _how(worker.exitcode))
        idle.append((pipe, worker))
        answer: Result = result[0]
        return answer

    try:
        assign()
        while busy:
            # wait gives back the connections it was given
            finished = [collect(cast(Connection, pipe)) for pipe in wait(list(busy))]
            assign()  # the workers go on while the caller handles what they finished
            yield from finished
    finally:
        for pipe, _ in idle:
            with contextlib.suppress(OSError):
                pipe.send(None)  # no more items: the worker exits
        for _, worker in busy.values():
            worker.kill()
        for _, worker in idle + list(busy.values()):
            worker.join()


def _start(context: ForkContext, task: Callable[[Item], Result]) -> tuple[Connection, BaseProcess]:
    mine, theirs = context.Pipe()
    worker = context.Process(target=_serve, args=(task, theirs, os.getpid()), daemon=True)
    worker.start()
    theirs.close()  # the worker holds the only copy of its end: end of file means it died
    return mine, worker


def _receive(reader: Connection) -> tuple[Any] | None:  # what the pipe carries is unpickled, untyped
    try:
        return (reader.recv(),)
    except (EOFError, OSError):
        return None


def _how(exitcode: int | None) -> str:
    return f"died (signal {-exitcode})" if exitcode and exitcode < 0 else f"died (exit status {exitcode})"


def _serve(task: Callable[[Item], Result], pipe: Connection, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the parent decides
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with(parent)
    while True:
        message = _receive(pipe)
        if message is None or message[0] is None:  # the build has gone, or has no more items
            return
        (item,) = message[0]
        pipe.send(task(item))


def _die_with(parent: int) -> None:
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
