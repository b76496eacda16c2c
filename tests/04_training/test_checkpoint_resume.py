"""04_training/checkpoint_resume: 2 + save + load + 2 epochs == 4 epochs bit for bit; atomic writes; safe loads."""

import builtins
import io
import pickle
import random

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from helpers import assert_tensor_equal, randn

INPUTS = randn(24, 6, seed=0)
LABELS = torch.arange(24) % 3
PAYLOAD_FLAG = "_kata_checkpoint_payload_ran"


def build(device, seed: int, optimizer: str = "sgd"):
    """A fresh model, optimizer and scheduler, as a new process would build them."""
    torch.manual_seed(seed)
    random.seed(seed)
    model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 3)).to(device)
    if optimizer == "sgd":
        opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        scheduler = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.7)
    else:
        opt = torch.optim.Adam(model.parameters(), lr=0.01)
        scheduler = torch.optim.lr_scheduler.LambdaLR(opt, lambda epoch: 1.0 / (1 + epoch))
    return model, opt, scheduler


def run_epoch(model: nn.Module, opt, scheduler, device) -> None:
    """Uses every RNG a real epoch does: torch's for the shuffle and the dropout masks, Python's for augmentation."""
    model.train()
    for batch in torch.randperm(len(INPUTS)).split(8):
        inputs, labels = INPUTS[batch].to(device), LABELS[batch].to(device)
        if random.random() < 0.5:
            inputs = inputs.flip(1)
        opt.zero_grad()
        F.cross_entropy(model(inputs), labels).backward()
        opt.step()
    scheduler.step()


def compare_runs(resumed, uninterrupted) -> None:
    (model, opt, scheduler), (model_ref, opt_ref, scheduler_ref) = resumed, uninterrupted
    assert scheduler.state_dict() == scheduler_ref.state_dict(), (
        f"after resuming, expected the scheduler state {scheduler_ref.state_dict()}, got {scheduler.state_dict()}; "
        "save scheduler.state_dict() and load it into the fresh scheduler")
    state, state_ref = opt.state_dict()["state"], opt_ref.state_dict()["state"]
    assert state.keys() == state_ref.keys(), f"optimizer state covers {sorted(state)}, expected {sorted(state_ref)}"
    hint = ("with model, optimizer and scheduler states restored, what is left is randomness: save and restore the "
            "RNG states (torch.get_rng_state(), the CUDA ones, random.getstate()), so the resumed run draws the same "
            "shuffles and dropout masks; and restore the optimizer's state_dict (momentum, Adam moments)")
    for (name, value), ref in zip(model.state_dict().items(), model_ref.state_dict().values()):
        assert_tensor_equal(value, ref, what=f"model {name} after 2 + resume + 2 epochs", hint=hint)
    for index in state_ref:
        for key, ref in state_ref[index].items():
            assert_tensor_equal(state[index][key], ref, what=f"optimizer state[{index}][{key!r}]", hint=hint)


def resume_matches_uninterrupted(ex, device, tmp_path, optimizer: str = "sgd") -> None:
    uninterrupted = build(device, seed=0, optimizer=optimizer)
    for _ in range(4):
        run_epoch(*uninterrupted, device)

    first_process = build(device, seed=0, optimizer=optimizer)
    for _ in range(2):
        run_epoch(*first_process, device)
    ex.save_checkpoint(tmp_path / "last.pt", *first_process, epoch=2)

    resumed = build(device, seed=1234, optimizer=optimizer)  # a new process: other weights, other RNG states
    start = ex.load_checkpoint(tmp_path / "last.pt", *resumed)
    assert type(start) is int and start == 2, f"expected load_checkpoint to return the saved epoch 2, got {start!r}"
    for _ in range(start, 4):
        run_epoch(*resumed, device)
    compare_runs(resumed, uninterrupted)


class Payload:
    """Unpickling this runs code: the reason torch.load must use weights_only=True for files you did not write."""

    def __reduce__(self):
        return exec, (f"import builtins; builtins.{PAYLOAD_FLAG} = True",)


def crashing_torch_save(real_save):
    """A torch.save that writes half of the file, then fails like a full disk or a killed job."""

    def save(obj, f, *args, **kwargs):
        buffer = io.BytesIO()
        real_save(obj, buffer, *args, **kwargs)
        partial = buffer.getvalue()[: len(buffer.getvalue()) // 2]
        if hasattr(f, "write"):
            f.write(partial)
            f.flush()
        else:
            with open(f, "wb") as file:
                file.write(partial)
        raise OSError(28, "No space left on device")

    return save


def save_with_a_crash(ex, monkeypatch, path, model, opt, scheduler, epoch: int) -> None:
    real_save = torch.save
    fake = crashing_torch_save(real_save)
    monkeypatch.setattr(torch, "save", fake)
    for name, value in vars(ex).items():  # also a `from torch import save` in the module under test
        if value is real_save:
            monkeypatch.setattr(ex, name, fake)
    try:
        with pytest.raises(OSError):
            ex.save_checkpoint(path, model, opt, scheduler, epoch=epoch)
    finally:
        monkeypatch.undo()


def test_resume_matches_the_uninterrupted_run_bit_for_bit(ex, device, tmp_path):
    resume_matches_uninterrupted(ex, device, tmp_path)


def test_a_crash_mid_save_leaves_the_old_checkpoint_intact(ex, tmp_path, monkeypatch):
    path = tmp_path / "last.pt"
    model, opt, scheduler = build("cpu", seed=0)
    run_epoch(model, opt, scheduler, "cpu")
    ex.save_checkpoint(path, model, opt, scheduler, epoch=1)
    good = path.read_bytes()
    run_epoch(model, opt, scheduler, "cpu")
    save_with_a_crash(ex, monkeypatch, path, model, opt, scheduler, epoch=2)
    intact = path.exists() and path.read_bytes() == good
    assert intact, (
        "a save that failed halfway changed the existing checkpoint: write to a temporary file in the same "
        "directory and os.replace() it onto the path only once the write has succeeded")
    assert ex.load_checkpoint(path, *build("cpu", seed=5)) == 1, "expected the surviving checkpoint to be epoch 1"


def test_loading_refuses_a_checkpoint_that_would_run_code(ex, tmp_path):
    model, opt, scheduler = build("cpu", seed=0)
    ex.save_checkpoint(tmp_path / "ours.pt", model, opt, scheduler, epoch=3)
    checkpoint = torch.load(tmp_path / "ours.pt", weights_only=True)
    assert isinstance(checkpoint, dict), f"expected the checkpoint to be one dict, got {type(checkpoint).__name__}"
    checkpoint["note"] = Payload()  # someone else's checkpoint, with something extra inside
    torch.save(checkpoint, tmp_path / "theirs.pt")
    try:
        try:
            ex.load_checkpoint(tmp_path / "theirs.pt", *build("cpu", seed=1))
            refused = False
        except pickle.UnpicklingError:
            refused = True
        ran = getattr(builtins, PAYLOAD_FLAG, False)
    finally:
        if hasattr(builtins, PAYLOAD_FLAG):
            delattr(builtins, PAYLOAD_FLAG)
    assert not ran and refused, (
        "loading a checkpoint that contains an arbitrary pickled object "
        + ("ran its code" if ran else "did not raise pickle.UnpicklingError")
        + ": load with torch.load(path, weights_only=True) and let its error propagate")
