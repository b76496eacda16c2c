"""04_training/checkpoint_resume, hidden: Adam + LambdaLR, str paths, no stray files, saving leaves the run alone,
the temporary file beside the target, the CUDA generators of every device (faked on a CPU machine)."""

import os
import random
from pathlib import Path

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


def state_dicts_like(value, weights: dict) -> list[dict]:
    """Every dict with the model state_dict's keys, anywhere inside value: the contract fixes no layout."""
    if isinstance(value, dict):
        found = [value] if value.keys() == weights.keys() else []
        return found + [d for v in value.values() for d in state_dicts_like(v, weights)]
    if isinstance(value, (list, tuple)):
        return [d for v in value for d in state_dicts_like(v, weights)]
    return []


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
    saved = state_dicts_like(checkpoint, weights) if isinstance(checkpoint, dict) else []
    assert saved, (f"expected the checkpoint to be one dict holding model.state_dict() (at any depth), got "
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


def test_the_temporary_file_lies_beside_the_target(ex, tmp_path, monkeypatch):
    (tmp_path / "runs").mkdir()
    path = tmp_path / "runs" / "last.pt"
    moves = []
    for name in ("replace", "rename"):
        real = getattr(os, name)

        def spy(src, dst, *args, _real=real, **kwargs):
            moves.append((Path(src).resolve(), Path(dst).resolve()))
            return _real(src, dst, *args, **kwargs)

        monkeypatch.setattr(os, name, spy)
    model, opt, scheduler = visible.build("cpu", seed=0)
    ex.save_checkpoint(path, model, opt, scheduler, epoch=1)
    monkeypatch.undo()
    onto = [src for src, dst in moves if dst == path.resolve()]
    assert onto, (f"expected save_checkpoint to os.replace() a temporary file onto {path.name}, saw no move onto it "
                  f"(moves: {moves}); likely cause: torch.save straight onto the path, which a crash leaves truncated")
    assert all(src.parent == path.parent.resolve() for src in onto), (
        f"expected the temporary file in the target's directory {path.parent}, it was {onto[0]}; os.replace is "
        "only atomic within one file system: tempfile.mkstemp(dir=path.parent) (not the system temp dir)")
    assert ex.load_checkpoint(path, *visible.build("cpu", seed=1)) == 1, "expected the saved epoch 1 back"


class FakeCudaGenerators:
    """Two CUDA devices' RNG states, so a CPU machine can check that every device's generator is saved and restored.
    Serves both the per-device API (get_rng_state(device)) and the *_all one."""

    def __init__(self) -> None:
        self.states = [torch.full((8,), 11, dtype=torch.uint8), torch.full((8,), 22, dtype=torch.uint8)]

    @staticmethod
    def _index(device="cuda") -> int:
        if isinstance(device, int):
            return device
        return torch.device(device).index or 0

    def get_rng_state(self, device="cuda"):
        return self.states[self._index(device)].clone()

    def set_rng_state(self, new_state, device="cuda"):
        self.states[self._index(device)] = new_state.clone()

    def get_rng_state_all(self):
        return [state.clone() for state in self.states]

    def set_rng_state_all(self, new_states):
        for index, state in enumerate(new_states):
            self.states[index] = state.clone()

    def install(self, ex, monkeypatch) -> None:
        fakes = {"is_available": lambda: True, "device_count": lambda: 2, "get_rng_state": self.get_rng_state,
                 "set_rng_state": self.set_rng_state, "get_rng_state_all": self.get_rng_state_all,
                 "set_rng_state_all": self.set_rng_state_all}
        for name, fake in fakes.items():
            real = getattr(torch.cuda, name)
            monkeypatch.setattr(torch.cuda, name, fake)
            if getattr(torch.cuda.random, name, None) is real:
                monkeypatch.setattr(torch.cuda.random, name, fake)
            for attribute, value in vars(ex).items():  # also a `from torch.cuda import ...` in the module under test
                if value is real:
                    monkeypatch.setattr(ex, attribute, fake)


def test_every_cuda_generator_is_saved_and_restored_when_cuda_is_available(ex, tmp_path, monkeypatch):
    cuda = FakeCudaGenerators()
    cuda.install(ex, monkeypatch)
    model, opt, scheduler = visible.build("cpu", seed=0)
    ex.save_checkpoint(tmp_path / "last.pt", model, opt, scheduler, epoch=1)
    saved = cuda.get_rng_state_all()
    cuda.states = [torch.zeros(8, dtype=torch.uint8), torch.zeros(8, dtype=torch.uint8)]  # a new process
    assert ex.load_checkpoint(tmp_path / "last.pt", *visible.build("cpu", seed=1)) == 1, "expected epoch 1 back"
    monkeypatch.undo()
    for index, (got, want) in enumerate(zip(cuda.states, saved)):
        assert torch.equal(got, want), (
            f"with CUDA available, CUDA device {index}'s RNG state was not restored (expected {want.tolist()}, got "
            f"{got.tolist()}): save torch.cuda.get_rng_state_all() (every device, not only the current one) and "
            "restore it with torch.cuda.set_rng_state_all()")


def test_a_checkpoint_without_cuda_states_loads_where_cuda_is_available(ex, tmp_path, monkeypatch):
    model, opt, scheduler = visible.build("cpu", seed=0)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)  # written on a CPU-only machine
    ex.save_checkpoint(tmp_path / "last.pt", model, opt, scheduler, epoch=4)
    monkeypatch.undo()
    cuda = FakeCudaGenerators()
    cuda.install(ex, monkeypatch)
    before = cuda.get_rng_state_all()
    try:
        epoch = ex.load_checkpoint(tmp_path / "last.pt", *visible.build("cpu", seed=1))
    except (KeyError, IndexError, TypeError) as err:
        raise AssertionError(
            f"loading a checkpoint written without CUDA, on a machine with CUDA, raised {type(err).__name__}: {err}; "
            "restore the CUDA states only when the checkpoint holds them") from None
    finally:
        monkeypatch.undo()
    assert type(epoch) is int and epoch == 4, f"expected the saved epoch 4, got {epoch!r}"
    assert all(torch.equal(a, b) for a, b in zip(cuda.states, before)), (
        "a checkpoint without CUDA states changed the CUDA generators: leave them alone")
