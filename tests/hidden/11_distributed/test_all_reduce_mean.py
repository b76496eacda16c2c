"""11_distributed/all_reduce_mean, hidden: three ranks, a 0-d and a large tensor, a frozen layer, a gradient zero on one rank."""

import pytest

from helpers import visible_tests

visible = visible_tests(__file__)

# on a GPU the first job of a session waits for spawned ranks to import torch; a hung job is killed after
# dist_support.JOB_TIMEOUT_S: both fit in this timeout
pytestmark = [pytest.mark.slow, pytest.mark.distributed, pytest.mark.timeout(150)]

CONFIG = {
    "tensors": [((), "float32"), ((1000,), "float32"), ((3, 3), "float64")],
    "in_features": 5, "hidden": 7, "out_features": 2, "samples": 12, "seed": 3, "data_seed": 4,
    "frozen_first_layer": True,
}
WORLD_SIZE = 3


def test_three_ranks_get_the_mean(ex):
    visible.check_means(visible.job(ex, WORLD_SIZE, CONFIG).part("all_reduce_mean"), CONFIG, WORLD_SIZE)


def test_three_ranks_average_to_the_full_batch_gradient_and_skip_frozen_layers(ex):
    results = visible.job(ex, WORLD_SIZE, CONFIG).part("average_gradients")
    visible.check_gradients(results, CONFIG, WORLD_SIZE)
    for rank, result in enumerate(results):
        assert result["weights_changed"] == [], f"rank {rank}: the weights changed"


# rank 0's slice is all zeros (padding): its first-layer weight gradient is exactly 0, rank 1's is not
ZERO_SLICE_CONFIG = {**visible.CONFIG, "zero_rows": 4}


def test_a_gradient_that_is_zero_on_one_rank_is_still_averaged(ex):
    job = visible.job(ex, 2, ZERO_SLICE_CONFIG)
    try:
        results = job.part("average_gradients")
    except AssertionError as err:
        raise AssertionError(
            f"{err}\n  likely cause: a .grad that is all zeros on one rank (here rank 0's 0.weight: its slice is all "
            "zeros) was skipped there but reduced on the other rank; skip only .grad is None, which is the same on "
            "every rank, never decide from this rank's gradient values") from None
    visible.check_gradients(results, ZERO_SLICE_CONFIG, 2)
