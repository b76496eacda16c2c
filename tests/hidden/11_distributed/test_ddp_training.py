"""11_distributed/ddp_training, hidden: an uneven dataset (sampler padding), a short last batch, three epochs."""

import pytest
import torch

from helpers import visible_tests

visible = visible_tests(__file__)

# on a GPU the first job of a session waits for spawned ranks to import torch; a hung job is killed after
# dist_support.JOB_TIMEOUT_S: both fit in this timeout
pytestmark = [pytest.mark.slow, pytest.mark.distributed, pytest.mark.timeout(150)]

CONFIG = {
    "in_features": 3, "hidden": 6, "out_features": 1, "samples": 21, "seed": 5, "data_seed": 6,
    "epochs": 3, "batch_size": 4, "lr": 0.05, "sampler_seed": 11,
}


def test_uneven_shards_and_short_batches_match_one_process(ex):
    results = visible.trained(ex, 2, CONFIG)
    visible.check_against_single_process(results, CONFIG, 2, dict(atol=1e-5, rtol=1e-5))
    for name, tensor in results[0]["state"].items():
        assert torch.equal(results[1]["state"][name], tensor), f"rank 1's {name} differs from rank 0's"


def test_visible_job_leaves_no_open_group_and_plain_keys(ex):
    for result in visible.trained(ex):
        assert not result["group_left_open"]
        assert not any(key.startswith("module.") for key in result["keys"])
