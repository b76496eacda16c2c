"""04_training/checkpoint_resume, hidden: Adam + LambdaLR, str paths, no stray files, saving leaves the run alone."""

import random

import torch

from helpers import assert_tensor_equal, visible_tests

visible = visible_tests(__file__)


def test_adam_and_lambda_schedule_resume_bit_for_bit(ex, tmp_path):
    visible.resume_matches_uninterrupted(ex, "cpu", tmp_path, optimizer="adam")


def test_no_temporary_file_is_left_behind(ex, tmp_path, monkeypatch):
    path = tmp_path / "last.pt"
    model, opt, scheduler = visible.build("cpu", seed=0)
    ex.save_checkpoint(path, model, opt, scheduler, epoch=1)
    ex.save_checkpoint(path, model, opt, scheduler, epoch=2)  # replaces the first one
    assert sorted(p.name for p in tmp_path.iterdir()) == ["last.pt"], (
        f"expected only last.pt after two saves, found {sorted(p.name for p in tmp_path.iterdir())}: rename the "
        "temporary file onto the path with os.replace")
    visible.save_with_a_crash(ex, monkeypatch, path, model, opt, scheduler, epoch=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["last.pt"], (
        f"after a failed save, found {sorted(p.name for p in tmp_path.iterdir())}: remove the temporary file when "
        "the write fails (try/except, then re-raise)")
    assert ex.load_checkpoint(path, *visible.build("cpu", seed=1)) == 2, "expected the second save (epoch 2) to survive"


def test_string_paths_work(ex, tmp_path):
    model, opt, scheduler = visible.build("cpu", seed=0)
    ex.save_checkpoint(str(tmp_path / "last.pt"), model, opt, scheduler, epoch=7)
    epoch = ex.load_checkpoint(str(tmp_path / "last.pt"), *visible.build("cpu", seed=2))
    assert type(epoch) is int and epoch == 7, f"expected epoch 7 from a str path, got {epoch!r}"


def test_saving_does_not_disturb_the_run(ex, tmp_path):
    path = tmp_path / "last.pt"
    model, opt, scheduler = visible.build("cpu", seed=0)
    visible.run_epoch(model, opt, scheduler, "cpu")
    torch_state, python_state = torch.get_rng_state(), random.getstate()
    ex.save_checkpoint(path, model, opt, scheduler, epoch=1)
    assert torch.equal(torch.get_rng_state(), torch_state) and random.getstate() == python_state, (
        "save_checkpoint changed the random number generators: read their states, never reseed or draw from them")
    found = sorted(p.name for p in tmp_path.iterdir())
    assert path.is_file(), (f"expected save_checkpoint to write {path.name}, found {found}; likely cause: nothing "
                            "was saved, or the temporary file was never os.replace()d onto the path")
    checkpoint = torch.load(path, weights_only=True)
    weights = model.state_dict()
    values = list(checkpoint.values()) if isinstance(checkpoint, dict) else []
    saved = [value for value in values if isinstance(value, dict) and value.keys() == weights.keys()]
    assert saved, (f"expected the checkpoint to be one dict holding model.state_dict() among its values, got "
                   f"{type(checkpoint).__name__} with keys {list(checkpoint) if isinstance(checkpoint, dict) else []}"
                   "; likely cause: the model's state_dict() was not put into the saved dict")
    for name, value in weights.items():
        assert_tensor_equal(saved[0][name], value, what=f"saved model {name}",
                            hint="save the model's state_dict() as it is at the time of the call")


def test_loading_restores_the_random_streams(ex, tmp_path):
    model, opt, scheduler = visible.build("cpu", seed=0)
    ex.save_checkpoint(tmp_path / "last.pt", model, opt, scheduler, epoch=1)
    expected = torch.rand(3), random.random()
    ex.load_checkpoint(tmp_path / "last.pt", *visible.build("cpu", seed=9))
    got = torch.rand(3), random.random()
    assert torch.equal(got[0], expected[0]), "after loading, torch's RNG did not continue from the saved state"
    assert got[1] == expected[1], "after loading, Python's random did not continue from the saved state"
