"""The do-nothing implementations `check` runs every test against: what they keep and what they replace."""

from __future__ import annotations

import textwrap

from grading.manifest import PACK_ROOT, Manifest
from grading.null_stubs import do_nothing_source, write_do_nothing_stubs

STUB = textwrap.dedent('''
    """Scenario."""
    from torch import nn

    SCALE = 2.0


    def helper(x):
        return x * SCALE


    def todo(x):
        """Doubles x."""
        # TODO: write it
        raise NotImplementedError("01_tensors/example: write todo")


    class Layer(nn.Module):
        def __init__(self, width: int) -> None:
            raise NotImplementedError("01_tensors/example: write Layer.__init__")

        def forward(self, x):
            raise NotImplementedError("01_tensors/example: write Layer.forward")
''')


def run(source: str) -> dict:
    namespace: dict = {}
    exec(compile(source, "<do-nothing>", "exec"), namespace)
    return namespace


def test_todo_bodies_do_nothing_and_the_rest_is_kept():
    namespace = run(do_nothing_source(STUB))
    assert namespace["todo"](3) is None
    assert namespace["todo"].__doc__ == "Doubles x."
    assert namespace["helper"](3) == 6.0, "code that is not a TODO must stay as written"
    layer = namespace["Layer"](4)
    assert list(layer.parameters()) == [] and layer(1) is None, "an nn.Module's __init__ still calls super().__init__()"


def test_a_fix_the_bug_stub_has_no_do_nothing_version():
    assert do_nothing_source("def train(model):\n    model.train()\n    return model\n") is None


def test_every_stub_of_the_pack_but_the_fix_the_bug_ones_gets_one(tmp_path):
    manifest = Manifest.load()
    written = write_do_nothing_stubs(list(manifest), PACK_ROOT / "exercises", tmp_path)
    fix_the_bug = {exercise.id for exercise in manifest} - {exercise.id for exercise in written}
    assert fix_the_bug and all(exercise_id.endswith("_bug") for exercise_id in fix_the_bug), fix_the_bug
    assert all((tmp_path / exercise.relpath).is_file() for exercise in written)
