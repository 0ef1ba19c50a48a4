"""Writing files so that a crash, Ctrl-C, kill -9 or a second build never
leaves a half-written PDF or a manifest that disagrees with the PDFs beside it.

A batch build is a transaction on its output folder (`Publication`): it holds
an exclusive lock on the folder, stages every file in a private folder inside
it, and publishes them together, the manifest last."""
from __future__ import annotations

import errno
import fcntl
import os
import secrets
import shutil
import signal
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import Location, OutputError

STAGING = ".staging-"  # a build in progress: removed by the next build
PUBLISHING = ".publish-"  # + "<random>-<name of the file to rename last>": a complete build being renamed
# into place, finished by the next build if a power cut stopped it
_REASONS: dict[int | None, str] = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is exceeded",
            errno.EROFS: "the disk is read-only", errno.EACCES: "permission denied"}


def reason(exc: OSError) -> str:
    """The OS's reason, in words a reviewer can act on."""
    return _REASONS.get(exc.errno, exc.strerror or str(exc))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def target_in(folder: Path, name: str) -> Path:
    """`folder/name`, refusing a name that would land anywhere but directly in `folder`."""
    if not name or name.startswith(".") or "/" in name or "\\" in name or "\0" in name:
        raise OutputError(f"refusing to write '{name}': an output file name must not name another folder "
                          "or be hidden", Location(Path(folder)),
                          fix="use plain names (letters, digits, '.', '-') in the content")
    return Path(folder) / name


def write_atomically(path: Path, data: bytes, shown: Path | None = None) -> None:
    """Write to a temporary file beside `path`, then rename it into place.
    Errors name `shown` (default `path`): the file the user will look for."""
    path = Path(path)
    shown = shown or path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise OutputError(f"cannot write to the output folder ({reason(exc)})", Location(shown.parent),
                          fix="choose a folder you can write to with --out") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes files private; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {shown.name} ({reason(exc)})", Location(shown),
                              fix="free space or fix permissions, then build again") from None
        raise


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Publication:
    """One build's output: `with Publication(out) as pub: pub.stage(name, data); ...; pub.publish(last=name)`.

    Other builds into the same folder wait for the lock (or fail with wait=False).
    Until `publish`, the folder shows the previous build; an interrupted build
    leaves only its staging folder, which the next build removes."""

    def __init__(self, folder: Path, wait: bool = True, on_wait: Callable[[], None] | None = None):
        self.folder = Path(folder)
        self.wait = wait
        self.on_wait = on_wait
        self.staging: Path | None = None
        self._lock: int | None = None

    def __enter__(self) -> Publication:
        self._lock = _lock(self.folder, self.wait, self.on_wait)
        try:
            recover(self.folder)
            self.staging = self.folder / f"{STAGING}{secrets.token_hex(8)}"  # hex: no '-', see PUBLISHING
            self.staging.mkdir(mode=0o700)
        except OSError as exc:
            self.__exit__(None, None, None)
            raise OutputError(f"cannot write to the output folder ({reason(exc)})", Location(self.folder),
                              fix="choose a folder you can write to with --out") from None
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
        if self._lock is not None:  # always, once entered
            os.close(self._lock)  # releases the lock

    def stage(self, name: str, data: bytes) -> None:
        assert self.staging is not None, "stage inside the with block"
        shown = target_in(self.folder, name)
        write_atomically(target_in(self.staging, name), data, shown)

    def publish(self, last: str) -> None:
        """Rename every staged file into place, `last` (the manifest) last.

        Renaming `.staging-*` to `.publish-*-<last>` is the commit point. The renames
        run in a child process of its own session, with Ctrl-C and SIGTERM held
        back here: killing this build or its process group cannot stop half way.
        Only a power cut can; then the next build finishes the renames."""
        assert self.staging is not None, "publish inside the with block, once"
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            committed = self.folder / f"{PUBLISHING}{self.staging.name[len(STAGING):]}-{last}"
            try:
                os.rename(self.staging, committed)
                _fsync_dir(self.folder)
            except OSError as exc:
                raise OutputError(f"cannot publish the build ({reason(exc)})", Location(self.folder)) from None
            self.staging = None
            _publish_detached(committed, self.folder)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _lock(folder: Path, wait: bool, on_wait: Callable[[], None] | None) -> int:
    """An exclusive lock on the folder itself (no lock file left among the outputs).
    The kernel releases it when the build ends, however it ends."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise OutputError(f"cannot write to the output folder ({reason(exc)})", Location(folder),
                          fix="choose a folder you can write to with --out") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        if not wait:
            os.close(fd)
            raise OutputError("another build is writing into this folder", Location(folder),
                              fix="wait for it to finish, or build without --no-wait") from None
        if on_wait:
            on_wait()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
    return fd


def recover(folder: Path) -> None:
    """Under the lock, no other build is running: remove what interrupted builds
    staged, and finish a publication a power cut stopped half way."""
    for leftover in sorted(folder.glob(PUBLISHING + "*")):
        _move_into_place(leftover, folder)
    for leftover in folder.glob(STAGING + "*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _move_into_place(committed: Path, folder: Path) -> None:
    """Rename the committed files into `folder`, the one its name ends with last, then remove `committed`."""
    last = committed.name[len(PUBLISHING):].split("-", 1)[-1]
    names = sorted(p.name for p in committed.iterdir() if p.name != last)
    for name in names + [last]:
        if (committed / name).exists():
            os.replace(committed / name, folder / name)
    _fsync_dir(folder)
    committed.rmdir()


def _publish_detached(committed: Path, folder: Path) -> None:
    """Run `_move_into_place` in a child of its own session, and wait for it."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: the renames, then _exit (none of the parent's clean-up runs twice)
        status = 0
        try:
            os.close(read)
            os.setsid()
            _move_into_place(committed, folder)
        except BaseException as exc:  # noqa: BLE001 - reported to the parent through the pipe
            os.write(write, (reason(exc) if isinstance(exc, OSError) else repr(exc)).encode())
            status = 1
        finally:
            os._exit(status)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        problem = pipe.read().decode()
    _, status = os.waitpid(pid, 0)
    if problem or status:
        problem = problem or f"the renaming process ended with status {status}"
        raise OutputError(f"the build could not be put in place ({problem})", Location(folder),
                          fix=f"fix the cause; the next build into {folder} completes it")
