"""What a grading child does to itself before it runs any test: limits, quiet output, a private environment.

Called in the forked child, before pytest starts and so before any submission code is imported.
"""

from __future__ import annotations

import os
import resource

# RLIMIT_AS would break `import torch` (it maps far more address space than it uses); RLIMIT_DATA caps real heap.
DEFAULT_LIMITS = {
    "data_bytes": 12 * 1024**3,
    "cpu_seconds": 1800,
    "file_bytes": 512 * 1024**2,
    "open_files": 1024,
}

SAFE_ENV = {
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NO_COLOR": "1",
}


def _set(limit: int, value: int) -> None:
    soft, hard = resource.getrlimit(limit)
    value = value if hard == resource.RLIM_INFINITY else min(value, hard)
    resource.setrlimit(limit, (value, value))


def enter(limits: dict, log_path: str | None) -> None:
    merged = {**DEFAULT_LIMITS, **limits}
    _set(resource.RLIMIT_CORE, 0)
    _set(resource.RLIMIT_DATA, int(merged["data_bytes"]))
    _set(resource.RLIMIT_CPU, int(merged["cpu_seconds"]))
    _set(resource.RLIMIT_FSIZE, int(merged["file_bytes"]))
    _set(resource.RLIMIT_NOFILE, int(merged["open_files"]))
    os.environ.update(SAFE_ENV)
    # The child's own terminal output (pytest's progress, a submission's prints outside tests) goes to a log;
    # results travel on the plugin's pipe, not here.
    sink = os.open(log_path or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    null_in = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null_in, 0)
    os.dup2(sink, 1)
    os.dup2(sink, 2)
    os.close(sink)
    os.close(null_in)
