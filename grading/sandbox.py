"""What a grading child does to itself before it runs any test: limits, quiet output, isolation.

Called in the forked child, before pytest starts and so before any submission code is imported. Isolation
(`isolate=True`, used by `grade`) needs root: the child then enters its own network namespace (loopback only)
and mount namespace (the pack's instructor-only folders and the batch's original submissions hidden under
empty tmpfs mounts, and a private tmpfs on /tmp, /var/tmp and /dev/shm that goes with the child), and drops to a
user of its own, `job_uid(pid)`, that no other process on the machine has: it cannot signal the grader or
another submission, write outside its home and scratch folders, or read the solutions or another submission's
copy, and its process limit is its own (a flood in one submission cannot starve another graded beside it).
Whatever could not be applied is written to the log and reported by the grader.

POSIX only, and only on the fork path (grading.warm): `resource` and `fcntl` are imported where they are used,
so this module still imports on Windows, where grading.spawn reads SAFE_ENV from it and never calls `enter`.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import struct
import sys

# RLIMIT_AS would break `import torch` (it maps far more address space than it uses); RLIMIT_DATA caps real heap.
DEFAULT_LIMITS = {
    "data_bytes": 12 * 1024**3,
    "cpu_seconds": 1800,
    "file_bytes": 512 * 1024**2,
    "open_files": 1024,
    "processes": 512,
}

SAFE_ENV = {
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NO_COLOR": "1",
}

# Isolated children run as JOB_UID_BASE + their pid, a user with no account: pids are unique among live
# processes, so no two children share a user, and everything a child leaves behind is found by its uid.
JOB_UID_BASE = 1_000_000
CLONE_NEWNS, CLONE_NEWNET = 0x00020000, 0x40000000
MS_NOSUID, MS_NODEV, MS_BIND, MS_REC, MS_PRIVATE = 0x2, 0x4, 0x1000, 0x4000, 0x40000
MNT_DETACH = 0x2
SCRATCH_FOLDERS = ("/tmp", "/var/tmp", "/dev/shm")
SCRATCH_SIZE = "512m"  # each; tmpfs is memory, and RLIMIT_DATA does not count it
SIOCSIFFLAGS, IFF_UP, IFF_LOOPBACK, IFF_RUNNING = 0x8914, 0x1, 0x8, 0x40


def _set(limit: int, value: int) -> None:
    import resource

    soft, hard = resource.getrlimit(limit)
    value = value if hard == resource.RLIM_INFINITY else min(value, hard)
    resource.setrlimit(limit, (value, value))


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        raise OSError(ctypes.get_errno(), f"{what}: {os.strerror(ctypes.get_errno())}")


def _loopback_up() -> None:
    """A new network namespace starts with `lo` down; torch.distributed's gloo tests need it up."""
    import fcntl

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack("16sH14s", b"lo", flags, b"\0" * 14))


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None, what: str) -> None:
    encode = lambda text: text.encode() if text is not None else None  # noqa: E731
    _check(_libc().mount(encode(source), encode(target), encode(fstype), flags, encode(data)), what)


def job_uid(pid: int) -> int:
    return JOB_UID_BASE + pid


def kill_user(uid: int) -> None:
    """SIGKILL every process running as `uid`, including any that left the child's process group (setsid)."""
    killer = os.fork()
    if killer == 0:
        try:
            os.setuid(uid)  # kill(-1) as that user reaches exactly that user's processes
            os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.waitpid(killer, 0)


def _expose(needed: list[str], staging: str) -> None:
    """Let the job's user reach the folders Python and the pack live in, without changing their real permissions.

    A folder it may not traverse (say /root, mode 700, holding a pyenv Python) is covered, in this mount
    namespace only, by an empty tmpfs into which just the needed sub-folders are bind-mounted back.
    """
    blocked: dict[str, set[str]] = {}
    for path in needed:
        parts = os.path.realpath(path).split(os.sep)[1:]
        for depth in range(1, len(parts)):
            folder = os.sep + os.sep.join(parts[:depth])
            if os.path.isdir(folder) and not os.stat(folder).st_mode & 0o001:
                blocked.setdefault(folder, set()).add(parts[depth])
                break
    for folder, children in blocked.items():
        kept = []
        for child in sorted(children):
            source = os.path.join(folder, child)
            if os.path.isdir(source):
                spot = os.path.join(staging, f"{len(kept)}")
                os.mkdir(spot)
                _mount(source, spot, None, MS_BIND | MS_REC, None, f"stage {source}")
                kept.append((child, spot))
        _mount("tmpfs", folder, "tmpfs", 0, "mode=0755", f"cover {folder}")
        for child, spot in kept:
            os.mkdir(os.path.join(folder, child))
            _mount(spot, os.path.join(folder, child), None, MS_BIND | MS_REC, None, f"expose {folder}/{child}")


def _outermost(paths: list[str]) -> list[str]:
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(outer + os.sep) for outer in kept):
            kept.append(path)
    return kept


def _private_scratch(keep: list[str]) -> None:
    """A fresh tmpfs on each scratch folder, so what a job writes there dies with its mount namespace.

    What the job needs inside one (its home, made under /tmp) is bind-mounted back at the same path, through a
    descriptor opened before the folder was covered.
    """
    folders = {os.path.realpath(folder) for folder in SCRATCH_FOLDERS if os.path.isdir(folder)}
    keep = [os.path.realpath(path if os.path.isdir(path) else os.path.dirname(path)) for path in keep]
    for folder in sorted(folders):
        inside = _outermost([path for path in keep if path.startswith(folder + os.sep)])
        handles = [(path, os.open(path, os.O_PATH | os.O_DIRECTORY)) for path in inside]
        try:
            _mount("tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, f"size={SCRATCH_SIZE},mode=1777",
                   f"private {folder}")
            try:
                for path, handle in handles:
                    os.makedirs(path, exist_ok=True)
                    _mount(f"/proc/self/fd/{handle}", path, None, MS_BIND | MS_REC, None, f"keep {path}")
            except OSError:
                _libc().umount2(folder.encode(), MNT_DETACH)  # the job's home must stay reachable
                raise
        finally:
            for _, handle in handles:
                os.close(handle)


def isolate(hide: list[str], home: str, needed: list[str]) -> list[str]:
    """Namespaces, hidden folders, then the job's own user. Returns what could not be applied (empty when all was)."""
    missing = []
    if os.geteuid() != 0:
        return ["not running as root: no network or mount namespace, no private /tmp, /var/tmp and /dev/shm, "
                "no privilege drop"]
    libc = _libc()
    try:
        _check(libc.unshare(CLONE_NEWNET), "unshare(network)")
        _loopback_up()
    except OSError as err:
        missing.append(f"network still reachable ({err})")
    try:
        _check(libc.unshare(CLONE_NEWNS), "unshare(mount)")
        _check(libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "make mounts private")
        keep = [os.path.realpath(path) for path in needed + [home]]
        for path in map(os.path.realpath, hide):
            # never a folder holding what the job needs (a submission graded in place inside the pack, say)
            if os.path.isdir(path) and not any(kept == path or kept.startswith(path + os.sep) for kept in keep):
                _mount("tmpfs", path, "tmpfs", 0, "size=1k,mode=0555", f"hide {path}")
    except OSError as err:
        missing.append(f"instructor-only folders still readable ({err})")
        return missing + ["still root: without a mount namespace the job's user could not reach Python"]
    try:
        _private_scratch(needed + [home])
    except OSError as err:
        missing.append(f"no private /tmp, /var/tmp and /dev/shm: files written there outlive the job ({err})")
    try:
        staging = os.path.join(home, ".mounts")
        os.mkdir(staging)
        _expose(needed + [home], staging)
    except OSError as err:
        return missing + [f"still root: the Python installation could not be exposed to the job's user ({err})"]
    uid = job_uid(os.getpid())
    os.chown(home, uid, uid)
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    # no account exists for this user: getpass.getuser() (torch's cache folders) reads these first
    os.environ.update({"USER": f"kata{uid}", "LOGNAME": f"kata{uid}"})
    return missing


def enter(limits: dict, log_path: str | None, isolation: dict | None = None) -> list[str]:
    """Apply everything; returns what isolation could not apply, for the grader to report."""
    import resource

    merged = {**DEFAULT_LIMITS, **limits}
    # The child's own terminal output (pytest's progress, a submission's prints outside tests) goes to a log;
    # results travel on the plugin's pipe, not here. Opened before dropping privileges: the log dir is root's.
    sink = os.open(log_path or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    null_in = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null_in, 0)
    os.dup2(sink, 1)
    os.dup2(sink, 2)
    os.close(sink)
    os.close(null_in)
    os.environ.update(SAFE_ENV)
    problems = []
    if isolation:
        home = isolation["home"]
        needed = [entry for entry in sys.path if entry and os.path.exists(entry)]
        needed += [sys.prefix, sys.base_prefix, sys.executable, os.getcwd()]
        problems = isolate(isolation.get("hide", []), home, needed)
        os.environ.update({"HOME": home, "TMPDIR": home})
        _set(resource.RLIMIT_NPROC, int(merged["processes"]))  # counted per user: this job's own
    _set(resource.RLIMIT_CORE, 0)
    _set(resource.RLIMIT_DATA, int(merged["data_bytes"]))
    _set(resource.RLIMIT_CPU, int(merged["cpu_seconds"]))
    _set(resource.RLIMIT_FSIZE, int(merged["file_bytes"]))
    _set(resource.RLIMIT_NOFILE, int(merged["open_files"]))
    return problems
