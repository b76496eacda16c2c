"""11_distributed/ddp_training: two gloo processes train with DDP exactly like one process on the whole batch.

Each rank builds its own replica with a different seed (separate processes would); DDP must make them equal.
The loss is asymmetric (dist_support.asymmetric_loss, an expectile loss): loss_fn(targets, outputs), or a
hard-coded MSE, trains to other weights.
All tests read one job that runs ddp_worker on both ranks (tests/dist_support.py starts the ranks and runs it).
"""

import pytest
import torch

import dist_support
from helpers import assert_tensor_close

# on a GPU the first job of a session waits for spawned ranks to import torch; a hung job is killed after
# dist_support.JOB_TIMEOUT_S: both fit in this timeout
pytestmark = [pytest.mark.slow, pytest.mark.distributed, pytest.mark.timeout(150)]

CONFIG = {
    "in_features": 5, "hidden": 8, "out_features": 2, "samples": 32, "seed": 0, "data_seed": 1,
    "epochs": 2, "batch_size": 4, "lr": 0.1, "sampler_seed": 3,
}
WORLD_SIZE = 2

two_gpus = pytest.mark.skipif(torch.cuda.device_count() < 2, reason="needs 2 CUDA devices")


def trained(ex, world_size: int = WORLD_SIZE, config: dict = CONFIG) -> list[dict]:
    results = dist_support.run_job(ex.__file__, "ddp", world_size, config).part("ddp_worker")
    for rank, result in enumerate(results):
        assert "state" in result, f"rank {rank}: expected ddp_worker to return a state_dict, got {result['returned_type']}"
    return results


def check_against_single_process(results: list[dict], config: dict, world_size: int, tol: dict) -> None:
    expected = dist_support.ddp_reference(config, world_size)
    for rank, result in enumerate(results):
        for name, tensor in expected.items():
            assert name in result["state"], (
                f"rank {rank}: the returned state_dict has no {name!r}, its keys are {result['keys']} "
                "(return the unwrapped model's state_dict: ddp_model.module.state_dict())")
            assert_tensor_close(result["state"][name], tensor, **tol, what=f"rank {rank}: {name} after training",
                                hint="expected the weights of single-process training on each step's union of the rank "
                                     "batches: DDP must wrap the model, the DistributedSampler must get shuffle=True and "
                                     "seed=seed, sampler.set_epoch(epoch) must run every epoch, and the loss must be "
                                     "loss_fn(outputs, targets), the loss_fn given, in that order")


def test_returns_the_unwrapped_state_dict_on_the_cpu(ex):
    expected = list(dist_support.make_model(CONFIG, 0).state_dict())
    for rank, result in enumerate(trained(ex)):
        assert result["keys"] == expected, (
            f"rank {rank}: expected state_dict keys {expected}, got {result['keys']} "
            "(a 'module.' prefix means the DDP wrapper's state_dict: return ddp_model.module.state_dict())")
        assert set(result["devices"].values()) == {"cpu"}, f"rank {rank}: tensors must be on the CPU, got {result['devices']}"


def test_replicas_end_identical(ex):
    first, *others = trained(ex)
    for rank, result in enumerate(others, start=1):
        for name, tensor in first["state"].items():
            assert torch.equal(result["state"][name], tensor), (
                f"rank {rank}'s {name} differs from rank 0's after training: the replicas drifted apart "
                "(wrap the model in DistributedDataParallel: it syncs the start weights and averages every gradient)")


def test_training_equals_one_process_on_the_full_batch(ex):
    check_against_single_process(trained(ex), CONFIG, WORLD_SIZE, dict(atol=1e-5, rtol=1e-5))


def test_the_process_group_is_left(ex):
    for rank, result in enumerate(trained(ex)):
        assert not result["group_left_open"], (
            f"rank {rank}: the process group was still initialised after ddp_worker returned "
            "(call dist.destroy_process_group() in a finally: block)")


def test_an_error_in_training_propagates_and_the_group_is_left(ex):
    config = {**CONFIG, "raise_at_call": 3}  # every rank's loss_fn raises at its 3rd call, mid epoch 0
    results = dist_support.run_job(ex.__file__, "ddp", WORLD_SIZE, config).part("ddp_worker")
    for rank, result in enumerate(results):
        assert result["raised"] is not None, (
            f"rank {rank}: loss_fn raised PlantedLossError at its 3rd call, but ddp_worker returned a "
            f"{result['returned_type']} instead of re-raising it (the launcher must learn that training failed: "
            "leave the group in a finally: block, do not catch the error)")
        assert result["raised"].startswith("PlantedLossError: planted failure at loss_fn call 3"), (
            f"rank {rank}: expected loss_fn's own PlantedLossError to propagate, got {result['raised']}")
        assert not result["group_left_open"], (
            f"rank {rank}: the process group was still initialised after training raised "
            "(call dist.destroy_process_group() in a finally: block, so it runs on the error path too)")


@pytest.mark.cuda
@two_gpus
def test_two_gpus_with_nccl(ex):
    config = {**CONFIG, "device": "cuda"}
    check_against_single_process(trained(ex, 2, config), config, 2, dict(atol=1e-4, rtol=1e-4))
