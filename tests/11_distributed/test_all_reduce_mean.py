"""11_distributed/all_reduce_mean: two real gloo processes; the mean over ranks in place, and full-batch gradients.

Each test reads the results of one job per module, run on rank processes that tests/dist_support.py starts once.
"""

import pytest
import torch

import dist_support
from helpers import assert_tensor_close

# on a GPU the first job of a session waits for spawned ranks to import torch; a hung job is killed after
# dist_support.JOB_TIMEOUT_S: both fit in this timeout
pytestmark = [pytest.mark.slow, pytest.mark.distributed, pytest.mark.timeout(150)]

CONFIG = {
    "tensors": [((3,), "float32"), ((2, 5), "float32"), ((4, 1, 2), "float64")],
    "in_features": 6, "hidden": 8, "out_features": 3, "samples": 8, "seed": 0, "data_seed": 1,
}
WORLD_SIZE = 2

two_gpus = pytest.mark.skipif(torch.cuda.device_count() < 2, reason="needs 2 CUDA devices")


def job(ex, world_size: int = WORLD_SIZE, config: dict = CONFIG) -> dist_support.Job:
    return dist_support.run_job(ex.__file__, "collectives", world_size, config)


def expected_mean(index: int, shape, dtype_name: str, world_size: int) -> torch.Tensor:
    dtype = getattr(torch, dtype_name)
    return torch.stack([dist_support.rank_tensor(tuple(shape), rank, index, dtype)
                        for rank in range(world_size)]).mean(dim=0)


def check_means(results, config: dict, world_size: int, loose: bool = False) -> None:
    for rank, checked in enumerate(results):
        for index, ((shape, dtype_name), got) in enumerate(zip(config["tensors"], checked)):
            expected = expected_mean(index, shape, dtype_name, world_size)
            tol = dict(atol=1e-6, rtol=1e-6) if dtype_name == "float32" else dict(atol=1e-12, rtol=1e-12)
            if loose:  # GPU reductions may add in another order
                tol = dict(atol=1e-5, rtol=1e-5)
            assert_tensor_close(got["after"], expected, **tol,
                                what=f"rank {rank}: tensor {index} {tuple(shape)} after all_reduce_mean",
                                hint="the mean over the ranks must land in the tensor itself (all_reduce works in place; "
                                     "then divide by dist.get_world_size())")
            assert got["returned"] is not None, (
                f"rank {rank}: expected all_reduce_mean to return the tensor, got {got['returned_type']}")
            assert_tensor_close(got["returned"], expected, **tol, what=f"rank {rank}: tensor {index} returned")


def check_gradients(results, config: dict, world_size: int, loose: bool = False) -> None:
    expected = dist_support.full_batch_gradients({**config, "world_size": world_size})
    for rank, result in enumerate(results):
        for name, grad in result["grads"].items():
            if expected[name] is None:
                assert grad is None, f"rank {rank}: {name} is frozen; its .grad must stay None, got a tensor"
                continue
            assert grad is not None, f"rank {rank}: {name}.grad is None after average_gradients"
            assert_tensor_close(grad, expected[name], atol=1e-5 if loose else 1e-6, rtol=1e-4 if loose else 1e-5,
                                what=f"rank {rank}: {name}.grad after average_gradients",
                                hint="expected the gradient of the mean loss over the full batch: the mean (not the sum) "
                                     "of the ranks' gradients, written back into each .grad")


def test_every_rank_gets_the_mean_in_place(ex):
    check_means(job(ex).part("all_reduce_mean"), CONFIG, WORLD_SIZE)


def test_averaged_gradients_equal_the_full_batch_gradient(ex):
    check_gradients(job(ex).part("average_gradients"), CONFIG, WORLD_SIZE)


def test_replicas_hold_identical_gradients(ex):
    first, *others = job(ex).part("average_gradients")
    for rank, result in enumerate(others, start=1):
        for name, grad in result["grads"].items():
            assert grad is not None and torch.equal(grad, first["grads"][name]), (
                f"rank {rank}'s {name}.grad differs from rank 0's: the replicas would step differently and drift apart")


def test_weights_are_left_alone(ex):
    results = job(ex).part("average_gradients")
    for rank, result in enumerate(results):
        assert result["weights_changed"] == [], (
            f"rank {rank}: average_gradients changed the parameters {result['weights_changed']}; "
            "it must only average the .grad tensors (the optimizer updates the weights)")
        assert result["returned_type"] == "NoneType", f"expected None, got a {result['returned_type']}"
    check_gradients(results, CONFIG, WORLD_SIZE)  # while the gradients were averaged: leaving them is not enough


@pytest.mark.cuda
@two_gpus
def test_two_gpus_with_nccl(ex):
    config = {**CONFIG, "device": "cuda"}
    results = job(ex, 2, config)
    check_means(results.part("all_reduce_mean"), config, 2, loose=True)
    check_gradients(results.part("average_gradients"), config, 2, loose=True)
