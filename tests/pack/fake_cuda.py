"""A pytest plugin (`-p fake_cuda`) that makes this machine look like a two-GPU box during collection.

Loaded before tests/conftest.py, so the CUDA gating there sees a GPU. For each `cuda` test it prints one line,
`CUDA-TEST <nodeid> <verdict>`, where the verdict is `runs` or the reason it would still be skipped.
"""

import pytest
import torch
from _pytest.skipping import evaluate_skip_marks

torch.cuda.is_available = lambda: True
torch.cuda.device_count = lambda: 2


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("cuda"):
            skip = evaluate_skip_marks(item)
            print(f"CUDA-TEST {item.nodeid} {'runs' if skip is None else 'SKIPPED: ' + skip.reason}")
