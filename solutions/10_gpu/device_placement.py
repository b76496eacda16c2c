"""Device placement: one switch for CPU or GPU, and batches that never end up half on the wrong device.

Scenario (001 Q10, 001 Q3, 002 Q10). The training script guesses its device with
``torch.device("cuda" if torch.cuda.is_available() else "cpu")`` in five places, and its loader yields nested
batches such as ``{"image": tensor, "target": {"boxes": [tensor, ...], "labels": tensor}, "id": 7}``. One
forgotten ``.to(device)`` on a nested tensor and the step dies with "Expected all tensors to be on the same
device". (The seed moves such a batch with ``torch.utils.data.nested.map``, which does not exist in PyTorch: you
write that helper here.)

Task:
- ``pick_device(prefer)``: the device to run on. ``"cpu"`` gives the CPU. ``"cuda"`` or ``"cuda:<i>"`` gives that
  GPU when this machine has it (``i < torch.cuda.device_count()``) and falls back to the CPU otherwise. ``None``
  means "a GPU if there is one" (like ``"cuda"``). Any other device type (``"gpu"``, ``"tpu"``, ``"mps"``) raises
  ``ValueError``. Ask ``torch.cuda.is_available()`` and ``torch.cuda.device_count()``: the CPU tests simulate GPU
  machines by patching exactly these two.
- ``move_to(obj, device, non_blocking)``: a copy of ``obj`` with every tensor moved to ``device``, however deeply
  it sits in dicts, lists and tuples. Containers keep their type (a tuple stays a tuple, a named tuple the same
  named tuple, an ``OrderedDict`` an ``OrderedDict``), dicts keep their keys and order, anything else (ints,
  strings, ``None``) comes back as it is, and ``obj`` itself is left unmodified.
  ``non_blocking=True`` lets a copy from pinned host memory onto a GPU overlap with work already queued there.
  A copy whose destination is the CPU must block, whatever the caller asked: a non-blocking device-to-host copy
  hands back a tensor the CPU can read before the data has landed.
"""

from __future__ import annotations

from typing import Any

import torch


def pick_device(prefer: str | None = None) -> torch.device:
    """The device to compute on: ``prefer`` when this machine has it, else the CPU."""
    wanted = "cuda" if prefer is None else prefer
    try:
        device = torch.device(wanted)
    except (RuntimeError, TypeError):
        device = None
    if device is None or device.type not in ("cpu", "cuda"):
        raise ValueError(f"unknown device {prefer!r}: expected 'cpu', 'cuda', 'cuda:<index>' or None")
    if device.type == "cuda" and not _gpu_exists(device.index):
        return torch.device("cpu")
    return device


def _gpu_exists(index: int | None) -> bool:
    if not torch.cuda.is_available():
        return False
    return index is None or index < torch.cuda.device_count()


def move_to(obj: Any, device: torch.device | str, non_blocking: bool = False) -> Any:
    """``obj`` with every tensor in its nested dicts, lists and tuples moved to ``device``."""
    device = torch.device(device)
    # a non-blocking copy into host memory can be read before it lands: only GPU-bound copies may overlap
    return _move(obj, device, non_blocking and device.type != "cpu")


def _move(obj: Any, device: torch.device, non_blocking: bool) -> Any:
    if isinstance(obj, torch.Tensor):
        return obj.to(device, non_blocking=non_blocking)
    if isinstance(obj, dict):
        return type(obj)((key, _move(value, device, non_blocking)) for key, value in obj.items())
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        # a named tuple's constructor takes its fields as separate arguments, not one iterable
        return type(obj)(*(_move(value, device, non_blocking) for value in obj))
    if isinstance(obj, (list, tuple)):
        return type(obj)(_move(value, device, non_blocking) for value in obj)
    return obj
