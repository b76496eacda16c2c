"""Runs 11_distributed exercise code in real torch.distributed process groups: gloo, loopback, one process a rank.

For each job a rank process receives the exercise *file path*, loads it by path (the ``ex`` fixture's private
module name means nothing in another process), runs one of the ``TASKS`` below as its rank and sends the results
back through a queue as ``torch.save`` bytes. Every rendezvous uses a free loopback port chosen at run time,
process groups get a timeout, and the parent kills ranks that outlive the job's deadline, so a hung collective
fails a test instead of hanging the suite.

CPU ranks are forked from the test process, which has torch imported already: starting them costs milliseconds,
where spawning costs each one a full ``import torch`` (seconds, three at once on two cores). CUDA ranks are
spawned, because a forked child cannot use a CUDA context its parent created, and so are all ranks on Windows
and macOS (see ``start_method``). Either way the rank processes
start once per session and serve every job, and a job's results are cached per (exercise file, task, world
size, config) so all the tests of a module share one job. A job that times out or dies takes its pool down with
it; the next job starts a fresh one. Nothing here imports pytest or numpy: spawned children import torch and
this file (``tests/`` is on their ``sys.path`` because spawn copies the parent's).
"""

from __future__ import annotations

import atexit
import datetime
import importlib.util
import io
import itertools
import os
import queue as queue_module
import socket
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn
from torch.utils.data import DistributedSampler, TensorDataset

GROUP_TIMEOUT_S = 20  # a collective waiting longer than this for a peer raises in the child
JOB_TIMEOUT_S = 45  # the parent kills ranks still running this long after a job started (see the tests' timeout)


# ---- deterministic builders, shared by the children and the single-process references in the parent ----

def make_model(config: dict, seed: int) -> nn.Sequential:
    """A small MLP; the same seed gives the same weights in every process."""
    generator_state = torch.random.get_rng_state()
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(config["in_features"], config["hidden"]), nn.Tanh(),
                          nn.Linear(config["hidden"], config["out_features"]))
    torch.random.set_rng_state(generator_state)
    return model


def make_data(config: dict) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(config["data_seed"])
    x = torch.randn(config["samples"], config["in_features"], generator=generator)
    y = torch.randn(config["samples"], config["out_features"], generator=generator)
    # the first rows all zero (a rank whose slice is padding): the first layer's weight gradient is 0 there only
    x[:config.get("zero_rows", 0)] = 0.0
    return x, y


def asymmetric_loss(outputs: torch.Tensor, targets: torch.Tensor, tau: float = 0.8) -> torch.Tensor:
    """Expectile loss: under-predictions cost 4x over-predictions, so loss(targets, outputs) trains differently."""
    diff = targets - outputs
    weight = torch.where(diff > 0, tau, 1.0 - tau).to(diff.dtype)
    return (weight * diff.pow(2)).mean()


class PlantedLossError(RuntimeError):
    """What the loss_fn of a ``raise_at_call`` job raises: ddp_worker must let it through."""


def raising_loss(raise_at_call: int) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    """asymmetric_loss until its ``raise_at_call``-th call (1-based), which raises ``PlantedLossError``."""
    calls = itertools.count(1)

    def loss_fn(outputs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        call = next(calls)
        if call == raise_at_call:
            raise PlantedLossError(f"planted failure at loss_fn call {call}")
        return asymmetric_loss(outputs, targets)

    return loss_fn


def rank_tensor(shape: tuple[int, ...], rank: int, index: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """The tensor rank ``rank`` contributes to the ``index``-th all_reduce_mean check."""
    generator = torch.Generator().manual_seed(1000 * index + rank)
    return torch.randn(tuple(shape), generator=generator, dtype=torch.float64).to(dtype)


def shard(rank: int, world_size: int, samples: int) -> slice:
    per_rank = samples // world_size
    return slice(rank * per_rank, (rank + 1) * per_rank)


def full_batch_gradients(config: dict) -> dict[str, torch.Tensor | None]:
    """Single process: the gradient of the mean loss over the whole batch (every rank's shard)."""
    model = make_model(config, config["seed"])
    if config.get("frozen_first_layer"):
        model[0].requires_grad_(False)
    x, y = make_data(config)
    used = slice(0, config["samples"] // config["world_size"] * config["world_size"])
    nn.functional.mse_loss(model(x[used]), y[used]).backward()
    return {name: None if p.grad is None else p.grad.clone() for name, p in model.named_parameters()}


def ddp_reference(config: dict, world_size: int) -> dict[str, torch.Tensor]:
    """Single process: what ``world_size`` DDP ranks with per-rank batch b must compute together.

    At step k every rank takes its k-th batch from its DistributedSampler shard; DDP averages the ranks' mean
    losses' gradients, which for equal batch sizes is one step on the union of those batches.
    """
    model = make_model(config, config["seed"])  # rank 0's weights: DDP broadcasts them at wrap time
    dataset = TensorDataset(*make_data(config))
    batch = config["batch_size"]
    for epoch in range(config["epochs"]):
        orders = []
        for rank in range(world_size):
            sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=True,
                                         seed=config["sampler_seed"])
            sampler.set_epoch(epoch)
            orders.append(list(sampler))
        for start in range(0, len(orders[0]), batch):
            model.zero_grad()
            losses = []
            for order in orders:
                x, y = dataset[order[start:start + batch]]
                losses.append(asymmetric_loss(model(x), y))
            torch.stack(losses).mean().backward()
            with torch.no_grad():  # plain SGD, what torch.optim.SGD(lr) does (without importing its machinery)
                for parameter in model.parameters():
                    parameter -= config["lr"] * parameter.grad
    return {name: tensor.detach().clone() for name, tensor in model.state_dict().items()}


# ---- tasks: what one rank does in a child process; each returns a dict of plain data and tensors ----

def _init_group(rank: int, world_size: int, port: int, device: str) -> None:
    backend = "nccl" if device == "cuda" else "gloo"
    if device == "cuda":
        torch.cuda.set_device(rank)
    dist.init_process_group(backend, init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world_size,
                            timeout=datetime.timedelta(seconds=GROUP_TIMEOUT_S))


def _part(results: dict, name: str, run: Callable[[], Any]) -> None:
    """Runs one checked part; an exception is recorded for the tests of that part, and the job goes on."""
    try:
        results[name] = run()
    except Exception:  # noqa: BLE001  reported to the parent verbatim
        results[name + ":error"] = _format_error()


def task_collectives(ex: ModuleType, rank: int, world_size: int, port: int, config: dict) -> dict:
    """all_reduce_mean on rank-dependent tensors, then average_gradients after a backward on this rank's shard."""
    device = config.get("device", "cpu")
    place = torch.device(f"cuda:{rank}") if device == "cuda" else torch.device("cpu")
    _init_group(rank, world_size, port, device)
    results: dict = {}

    def reduce_tensors():
        checked = []
        for index, (shape, dtype_name) in enumerate(config["tensors"]):
            tensor = rank_tensor(tuple(shape), rank, index, getattr(torch, dtype_name)).to(place)
            returned = ex.all_reduce_mean(tensor)
            checked.append({
                "after": tensor.cpu(),
                "returned": returned.detach().cpu() if isinstance(returned, torch.Tensor) else None,
                "returned_type": type(returned).__name__,
            })
        return checked

    def average():
        model = make_model(config, config["seed"]).to(place)
        if config.get("frozen_first_layer"):
            model[0].requires_grad_(False)
        x, y = make_data(config)
        rows = shard(rank, world_size, config["samples"])
        nn.functional.mse_loss(model(x[rows].to(place)), y[rows].to(place)).backward()
        weights = {name: p.detach().clone() for name, p in model.named_parameters()}
        returned = ex.average_gradients(model)
        return {
            "grads": {name: None if p.grad is None else p.grad.cpu() for name, p in model.named_parameters()},
            "weights_changed": [name for name, p in model.named_parameters() if not torch.equal(p, weights[name])],
            "returned_type": type(returned).__name__,
        }

    _part(results, "all_reduce_mean", reduce_tensors)
    _part(results, "average_gradients", average)
    return results


def task_ddp(ex: ModuleType, rank: int, world_size: int, port: int, config: dict) -> dict:
    """ddp_worker on a model each rank builds differently, then a look at what it left behind.

    With ``raise_at_call`` in the config, loss_fn raises PlantedLossError at that call on every rank (the same step,
    so no rank waits in a collective for one that left): the result says what propagated and whether the group
    was left.
    """
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = str(port)
    # each rank builds its own replica with its own seed, as separate processes do: DDP must make them equal
    model = make_model(config, config["seed"] + rank)
    dataset = TensorDataset(*make_data(config))
    results: dict = {}

    def train():
        raise_at = config.get("raise_at_call")
        loss_fn = raising_loss(raise_at) if raise_at else asymmetric_loss
        try:
            # every argument by the name the docstring gives it: the stub's signature is part of the contract
            state = ex.ddp_worker(rank=rank, world_size=world_size, model=model, dataset=dataset, loss_fn=loss_fn,
                                  epochs=config["epochs"], batch_size=config["batch_size"], lr=config["lr"],
                                  seed=config["sampler_seed"], device=config.get("device", "cpu"))
        except PlantedLossError as err:
            if not raise_at:
                raise
            return {"raised": f"{type(err).__name__}: {err}", "group_left_open": dist.is_initialized()}
        out = {"returned_type": type(state).__name__, "group_left_open": dist.is_initialized(), "raised": None}
        if hasattr(state, "items"):
            out["keys"] = [str(key) for key in state.keys()]
            out["devices"] = {str(k): str(v.device) for k, v in state.items() if isinstance(v, torch.Tensor)}
            out["state"] = {str(k): v.detach().cpu().clone() for k, v in state.items() if isinstance(v, torch.Tensor)}
        return out

    _part(results, "ddp_worker", train)
    return results


TASKS: dict[str, Callable[[ModuleType, int, int, int, dict], dict]] = {
    "collectives": task_collectives,
    "ddp": task_ddp,
}


# ---- the rank processes: started once per session, each runs one rank of every job ----

def _format_error() -> str:
    """The exception and the last frames of its traceback, the learner's code last."""
    lines = traceback.format_exc().rstrip().splitlines()
    return "\n".join(lines[-14:])


def load_exercise(path: str, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickle look a module up by name
    spec.loader.exec_module(module)
    return module


def _run_rank(job_id: int, rank: int, world_size: int, port: int, exercise_path: str, task: str,
              config: dict) -> tuple[str, bytes | str]:
    """One rank of one job, leaving the process as clean as it found it for the next job."""
    name = f"_kata_rank_job{job_id}_{Path(exercise_path).stem}"
    saved_env = {key: os.environ.get(key) for key in ("MASTER_ADDR", "MASTER_PORT")}
    dtype, grad_enabled = torch.get_default_dtype(), torch.is_grad_enabled()
    try:
        try:
            module = load_exercise(exercise_path, name)
            payload = TASKS[task](module, rank, world_size, port, config)
        finally:
            if dist.is_available() and dist.is_initialized():
                dist.destroy_process_group()
            sys.modules.pop(name, None)
            for key, value in saved_env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            torch.set_default_dtype(dtype)
            torch.set_grad_enabled(grad_enabled)
        buffer = io.BytesIO()
        torch.save(payload, buffer)
        return "ok", buffer.getvalue()
    except BaseException:  # noqa: BLE001  everything goes back to the parent as text
        return "error", _format_error()


def _rank_process(inbox, results) -> None:
    """A rank process: reports ready (a spawned one once torch is imported), then runs jobs until it receives None."""
    torch.set_num_threads(1)  # the ranks share the machine's cores
    results.put((-1, os.getpid(), "ready", b""))
    while True:
        job = inbox.get()
        if job is None:
            return
        job_id, rank = job[0], job[1]
        status, data = _run_rank(*job)
        results.put((job_id, rank, status, data))


# ---- the parent side ----

STARTUP_TIMEOUT_S = 90  # spawned ranks import torch before their first job: slow on a loaded machine


def free_port() -> int:
    """A TCP port on the loopback interface that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_method(device: str) -> str:
    """fork for CPU ranks where forking a process that holds torch is safe (Linux); spawn for CUDA ranks, and
    on Windows (no fork) and macOS (fork after torch's threads started is unsafe)."""
    if device == "cuda" or sys.platform == "darwin" or "fork" not in mp.get_all_start_methods():
        return "spawn"
    return "fork"


class _Pool:
    """Rank processes started once, with ``method`` (fork or spawn), and reused by every job of the session."""

    def __init__(self, method: str) -> None:
        self.context = mp.get_context(method)
        self.results = self.context.Queue()
        self.workers: list[tuple[Any, Any]] = []

    def ensure(self, count: int) -> None:
        starting = []
        while len(self.workers) < count:
            inbox = self.context.Queue()
            process = self.context.Process(target=_rank_process, args=(inbox, self.results), daemon=True,
                                           name=f"kata-rank-{len(self.workers)}")
            process.start()
            self.workers.append((process, inbox))
            starting.append(process)
        ready, deadline = 0, time.monotonic() + STARTUP_TIMEOUT_S
        while ready < len(starting):
            dead = [process for process in starting if not process.is_alive()]
            if dead:
                raise RuntimeError(f"rank process {dead[0].name} exited with code {dead[0].exitcode} before its "
                                   "first job (out of memory or processes? see the test's captured output)")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the rank processes did not start within {STARTUP_TIMEOUT_S} s")
            try:
                job_id, *_ = self.results.get(timeout=0.5)
            except queue_module.Empty:
                continue
            ready += job_id == -1

    def alive(self, count: int) -> bool:
        return all(process.is_alive() for process, _ in self.workers[:count])

    def close(self, kill: bool = False) -> None:
        for process, inbox in self.workers:
            if not kill and process.is_alive():
                inbox.put(None)
        for process, _ in self.workers:
            process.join(timeout=0 if kill else 5)
            if process.is_alive():
                process.kill()
                process.join(timeout=5)
        for _, inbox in self.workers:
            inbox.close()
            inbox.cancel_join_thread()
        self.results.close()
        self.results.cancel_join_thread()
        self.workers = []


_POOLS: dict[str, _Pool] = {}  # start method -> its pool
_JOB_IDS = itertools.count()


def _pool(method: str) -> _Pool:
    if method not in _POOLS:
        if not _POOLS:
            atexit.register(_close_pools)
        _POOLS[method] = _Pool(method)
    return _POOLS[method]


def _close_pool(method: str, kill: bool = False) -> None:
    pool = _POOLS.pop(method, None)
    if pool is not None:
        pool.close(kill=kill)


def _close_pools() -> None:
    for method in list(_POOLS):
        _close_pool(method)


class Job:
    """The per-rank results of one job, or the reason it failed as a whole."""

    def __init__(self, task: str, ranks: list[dict] | None, failure: str | None) -> None:
        self.task, self.ranks, self.failure = task, ranks, failure

    def part(self, name: str) -> list[Any]:
        """The results of part ``name`` on every rank, in rank order; a failure anywhere fails the test with it."""
        if self.failure:
            raise AssertionError(self.failure)
        errors = [(rank, result[name + ":error"]) for rank, result in enumerate(self.ranks) if name + ":error" in result]
        if errors:
            hint = ("\n  likely cause: the ranks did not all make the same collective calls in the same order, so a rank "
                    "waited for partners that never came (or that had already left the group)"
                    if len(errors) < len(self.ranks) else "")
            raise AssertionError(f"{name} raised in {len(errors)} of {len(self.ranks)} processes:\n"
                                 f"{_describe(errors)}{hint}")
        return [result[name] for result in self.ranks]


def _describe(errors: list[tuple[int, str]]) -> str:
    """Each distinct error once, in rank order (a peer's error is often only the echo of the first one)."""
    shown: dict[str, list[int]] = {}
    for rank, text in errors:
        shown.setdefault(text, []).append(rank)
    return "\n\n".join(f"--- rank{'s' if len(ranks) > 1 else ''} {', '.join(map(str, ranks))} ---\n{text}"
                        for text, ranks in shown.items())


_CACHE: dict[tuple, Job] = {}


def run_job(exercise_file: str, task: str, world_size: int, config: dict, timeout: float = JOB_TIMEOUT_S) -> Job:
    """Runs ``task`` on ``world_size`` ranks against the exercise at ``exercise_file``; cached per arguments."""
    key = (str(exercise_file), task, world_size, repr(sorted(config.items())))
    if key not in _CACHE:
        _CACHE[key] = _run(str(exercise_file), task, world_size, config, timeout)
    return _CACHE[key]


def _run(exercise_file: str, task: str, world_size: int, config: dict, timeout: float) -> Job:
    method = start_method(config.get("device", "cpu"))
    pool = _pool(method)
    finished = False
    try:
        pool.ensure(world_size)
        job_id, port = next(_JOB_IDS), free_port()
        for rank in range(world_size):
            pool.workers[rank][1].put((job_id, rank, world_size, port, exercise_file, task, config))
        received: dict[int, tuple[str, bytes | str]] = {}
        deadline = time.monotonic() + timeout
        while len(received) < world_size and time.monotonic() < deadline and pool.alive(world_size):
            try:
                got_id, rank, status, data = pool.results.get(timeout=0.2)
            except queue_module.Empty:
                continue
            if got_id == job_id:
                received[rank] = (status, data)
        finished = len(received) == world_size
        exitcodes = [process.exitcode for process, _ in pool.workers[:world_size]]
    finally:
        if not finished:
            # a rank is stuck (or died, or the test was interrupted): its process cannot be trusted with another job
            _close_pool(method, kill=True)
    return _collect(task, world_size, timeout, exitcodes, received)


def _collect(task: str, world_size: int, timeout: float, exitcodes: list, received: dict) -> Job:
    problems = []
    for rank in range(world_size):
        if rank not in received:
            code = exitcodes[rank]
            problems.append((rank, f"no result within {timeout:.0f} s: a collective is probably waiting for a rank "
                                   "that never calls it (every rank must join the group and make the same collective "
                                   "calls, in the same order)"
                             if code is None else f"the process died (exit code {code}) without reporting"))
        elif received[rank][0] == "error":
            problems.append((rank, received[rank][1]))
    if problems:
        return Job(task, None, f"the {task} job failed on {len(problems)} of {world_size} processes:\n"
                               + _describe(problems))
    ranks = [torch.load(io.BytesIO(received[rank][1]), weights_only=True) for rank in range(world_size)]
    return Job(task, ranks, None)
