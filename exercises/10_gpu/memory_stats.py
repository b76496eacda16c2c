"""GPU memory: measure the peak of one step, and know what ``empty_cache()`` can and cannot give back.

Scenario (001 Q10, 003 Q35). A training step runs out of memory at batch size 64. Before trying activation
checkpointing you want a number: how much memory does the step need at its worst moment, and how much does
checkpointing save? ``nvidia-smi`` shows what PyTorch's caching allocator has *reserved* from the driver, not what
tensors use; the seed's ``torch.cuda.empty_cache()`` "to clear GPU memory" only hands unused cached blocks back,
it never frees a tensor you still hold. The allocator's own statistics answer the question:
``torch.cuda.memory_allocated()`` is the memory tensors hold now, ``torch.cuda.max_memory_allocated()`` the
highest it has been since ``torch.cuda.reset_peak_memory_stats()``, ``torch.cuda.memory_reserved()`` what the
cache holds from the driver.

Task:
- ``peak_memory(fn, device)``: run ``fn()`` once and return, in bytes (an int), how far the allocated memory rose
  above its level at the start of the call, at its highest point during the call. Memory the caller already
  holds is not counted, and neither is a peak reached before the call. On a CPU device PyTorch keeps no allocator
  statistics: run ``fn()`` once and return ``None``.
- ``free_cached_memory(device)``: release the allocator's unused cached blocks with ``torch.cuda.empty_cache()``
  and return how many bytes of reserved memory that gave back to the driver (an int). On a CPU device return 0.
  (``empty_cache()`` takes no device: it empties the current device's cache, which is what the tests use.)
- A CPU device may come as a string (``"cpu"``, ``"cpu:0"``) or as a ``torch.device``: tell it by its ``.type``.

Use ``torch.cuda.reset_peak_memory_stats``, ``memory_allocated``, ``max_memory_allocated``, ``memory_reserved`` and
``empty_cache`` (``synchronize`` and ``memory_stats`` are fine too), passing the device where they take one. The
CPU tests stand a simulated allocator in for exactly these functions.
"""

from __future__ import annotations

from typing import Callable

import torch


def peak_memory(fn: Callable[[], object], device: torch.device | str = "cuda") -> int | None:
    """Bytes the allocated memory rose above its starting level at the peak of ``fn()``; None on the CPU."""
    raise NotImplementedError("10_gpu/memory_stats: reset the peak counter, note the baseline, run fn, return peak - baseline")


def free_cached_memory(device: torch.device | str = "cuda") -> int:
    """Bytes of reserved (cached, unused) memory that ``empty_cache()`` handed back to the driver."""
    raise NotImplementedError("10_gpu/memory_stats: return how much reserved memory torch.cuda.empty_cache() released")
