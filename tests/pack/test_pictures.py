"""`grader.py show`: labelled pictures drawn with the learner's own functions (grading/pictures.py).

The pictures are checked by behaviour, never pixel by pixel: their size, that each panel lies where the layout
says and shows what it should, that the colour bars run from low to high, and that a stub or a bug in the
learner's code is reported as before."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFont

from grading import pictures
from grading.manifest import PACK_ROOT

SOLUTIONS = PACK_ROOT / "solutions" / "06_vision"


def grader(pack: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(pack)}
    return subprocess.run([sys.executable, "grader.py", *args], cwd=pack, capture_output=True, text=True,
                          timeout=300, env=env)


def mean(picture: Image.Image, box: pictures.Box) -> tuple[float, ...]:
    """The mean colour of ``box``, one value per band."""
    return tuple(np.asarray(picture.crop(box), dtype=float).reshape(-1, 3).mean(axis=0))


def bar_row(picture: Image.Image, box: pictures.Box) -> list[tuple[int, int, int]]:
    """The colour bar's colours, left to right, along its middle row."""
    y = (box[1] + box[3]) // 2
    return [picture.getpixel((x, y)) for x in range(box[0], box[2])]


def runs_up(values: list[int]) -> bool:
    return all(a <= b for a, b in zip(values, values[1:])) and values[-1] - values[0] > 200


@pytest.fixture(scope="module")
def drawn(tmp_path_factory) -> dict[str, Image.Image]:
    """Both pictures, drawn by `show --reference` as a learner would run it."""
    out = tmp_path_factory.mktemp("pictures")
    result = {}
    for exercise in pictures.DRAWERS:
        path = out / f"{exercise.split('/')[1]}.png"
        done = grader(PACK_ROOT, "show", exercise, str(path), "--reference")
        assert done.returncode == 0 and done.stdout.count("wrote") == 1 and str(path) in done.stdout, done
        result[exercise] = Image.open(path).convert("RGB")
    return result


# ---- through `grader.py show` ----------------------------------------------------------------------------------

@pytest.mark.slow
def test_feature_maps_picture_is_readable_and_laid_out_as_computed(drawn):
    picture = drawn["06_vision/feature_maps"]
    grid = pictures.grid_size(64, (32, 32))
    assert grid == (274, 274)  # the docstring's layout: 8 tiles a row of 32 + 2 px, plus the last border
    layout = pictures.feature_maps_layout(grid)
    assert picture.size == layout.size and 700 <= picture.width <= 1000, picture.size
    boxes = layout.boxes
    assert boxes["grid"][2] - boxes["grid"][0] >= 2 * 274, "tiles are enlarged"
    # the input: a white square (rows 75-104, columns 15-44 of 128) on black, at twice the size
    left, top = boxes["input"][:2]
    assert mean(picture, (left + 2 * 20, top + 2 * 80, left + 2 * 40, top + 2 * 100))[0] > 250
    assert mean(picture, (left + 2 * 90, top + 2 * 10, left + 2 * 120, top + 2 * 30))[0] < 5
    # every tile has its channel number on a dark tab with yellow text, and make_grid's black border around it
    for channel, tile in enumerate(pictures.tile_boxes(layout, 64, (32, 32))):
        r, g, b = np.asarray(picture.crop((tile[0], tile[1], tile[0] + 10, tile[1] + 10))).reshape(-1, 3).T
        assert ((r > 200) & (g > 150) & (b < 80)).any(), f"no number on tile {channel}"
        assert picture.getpixel((tile[0] - 1, tile[3] - 1)) == (0, 0, 0), f"no border left of tile {channel}"
    levels = [r for r, g, b in bar_row(picture, boxes["colour_bar"])]
    assert runs_up(levels), levels
    assert all(r == g == b for r, g, b in bar_row(picture, boxes["colour_bar"])), "the bar is grayscale"


@pytest.mark.slow
def test_grad_cam_picture_puts_input_heat_map_and_overlay_side_by_side(drawn):
    picture = drawn["06_vision/grad_cam"]
    layout = pictures.grad_cam_layout()
    assert picture.size == layout.size and picture.width <= 1000, picture.size
    boxes = layout.boxes
    panels = [boxes[name] for name in ("input", "heat_map", "overlay")]
    assert all(box[2] - box[0] >= 256 and box[3] - box[1] >= 256 for box in panels)
    assert all(a[2] < b[0] for a, b in zip(panels, panels[1:])), "panels overlap"
    image, heat = (np.asarray(picture.crop(box)).reshape(-1, 3).astype(int) for box in panels[:2])
    assert set(np.unique(image)) <= {0, 255} and (image.min(axis=1) == image.max(axis=1)).all(), "the plain input"
    assert (heat[:, 1] == 0).all() and (heat[:, 0] + heat[:, 2] > 200).all(), "the heat map is all colour map"
    assert mean(picture, boxes["overlay"]) != mean(picture, boxes["input"])
    assert mean(picture, boxes["overlay"]) != mean(picture, boxes["heat_map"])
    # the overlay keeps the input visible: its bright rectangle (rows 21-59, columns 69-91) is brighter there
    left, top = boxes["overlay"][:2]
    inside = mean(picture, (left + 2 * 72, top + 2 * 25, left + 2 * 88, top + 2 * 55))
    outside = mean(picture, (left + 2 * 10, top + 2 * 90, left + 2 * 40, top + 2 * 120))
    assert sum(inside) > sum(outside) + 150, (inside, outside)
    colours = bar_row(picture, boxes["colour_bar"])
    assert runs_up([r for r, g, b in colours]) and runs_up([-b for r, g, b in colours]), colours[::32]
    assert colours[0] == pictures.heat_colour(0) and colours[-1] == pictures.heat_colour(1)


@pytest.mark.slow
@pytest.mark.parametrize("exercise", pictures.DRAWERS)
def test_a_stub_is_not_done_yet(exercise, tmp_path):
    done = grader(PACK_ROOT, "show", exercise, str(tmp_path / "out.png"))  # exercises/ holds the stubs
    assert done.returncode == 1 and "not done yet" in done.stderr and "--reference" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "out.png").exists()


@pytest.fixture
def pack(tmp_path) -> Path:
    """A pack with just what `show` needs, whose exercises/ the test may rewrite."""
    root = tmp_path / "pack"
    shutil.copytree(PACK_ROOT / "grading", root / "grading", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PACK_ROOT / "grader.py", root)
    shutil.copytree(PACK_ROOT / "exercises", root / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
    return root


@pytest.mark.slow
def test_a_bug_in_the_learners_code_shows_the_learners_traceback(pack, tmp_path):
    solution = (SOLUTIONS / "grad_cam.py").read_text()
    buggy = solution.replace("    alpha = gradients.mean(", "    raise ValueError('my own bug')\n    alpha = gradients.mean(")
    assert buggy != solution
    (pack / "exercises" / "06_vision" / "grad_cam.py").write_text(buggy)
    done = grader(pack, "show", "06_vision/grad_cam", str(tmp_path / "cam.png"))
    assert done.returncode == 1 and "not done" not in done.stderr and "wrote" not in done.stdout, done
    lines = done.stderr.splitlines()
    assert lines[0] == "Traceback (most recent call last):" and lines[-1] == "ValueError: my own bug", lines
    assert "grad_cam.py" in lines[1] and "pictures.py" not in done.stderr, "the frames are the learner's own"


@pytest.mark.slow
def test_a_grid_that_is_not_laid_out_as_asked_shows_as_it_is(pack, tmp_path):
    solution = (SOLUTIONS / "feature_maps.py").read_text()
    four = solution.replace("nrow=nrow,", "nrow=4,")
    assert four != solution
    (pack / "exercises" / "06_vision" / "feature_maps.py").write_text(four)
    done = grader(pack, "show", "06_vision/feature_maps", str(tmp_path / "maps.png"))
    assert done.returncode == 0 and done.stdout.count("wrote") == 1, done
    picture = Image.open(tmp_path / "maps.png")
    layout = pictures.feature_maps_layout((4 * 34 + 2, 16 * 34 + 2))
    assert picture.size == layout.size, "the picture shows the learner's 4-wide grid, not the expected one"


@pytest.mark.slow
def test_a_result_of_the_wrong_shape_is_named(pack, tmp_path):
    solution = (SOLUTIONS / "grad_cam.py").read_text()
    flat = solution.replace(".sum(dim=1)).detach()", ".sum(dim=1)).detach()[0]")
    assert flat != solution
    (pack / "exercises" / "06_vision" / "grad_cam.py").write_text(flat)
    done = grader(pack, "show", "06_vision/grad_cam", str(tmp_path / "cam.png"))
    assert done.returncode == 1 and "(1, h, w)" in done.stderr and "(8, 8)" in done.stderr, done.stderr


# ---- composing, without torch ------------------------------------------------------------------------------------

def one_white_tile(channels: int = 64, tile: tuple[int, int] = (32, 32), white: int = 5) -> Image.Image:
    """A make_grid-like grid, black but for channel ``white``'s tile."""
    grid = Image.new("RGB", pictures.grid_size(channels, tile))
    x, y = (2 + (white % 8) * (tile[1] + 2), 2 + (white // 8) * (tile[0] + 2))
    grid.paste((255, 255, 255), (x, y, x + tile[1], y + tile[0]))
    return grid


def test_the_grid_shown_is_the_one_written_tile_by_tile():
    picture = pictures.compose_feature_maps(Image.new("L", (128, 128)), one_white_tile(), 64, (32, 32))
    layout = pictures.feature_maps_layout((274, 274))
    tiles = pictures.tile_boxes(layout, 64, (32, 32))
    # the bottom-right quarter of each tile, clear of its number
    brightness = [mean(picture, ((l + r) // 2, (t + b) // 2, r, b))[0] for l, t, r, b in tiles]
    assert brightness[5] == 255 and max(brightness[:5] + brightness[6:]) == 0, brightness


@pytest.fixture
def old_pillow(monkeypatch) -> None:
    """Pillow before 10.1: load_default takes no size and gives only its 11-px bitmap font."""
    try:
        ImageFont.load_default(size=11)
    except TypeError:
        return  # this Pillow is that old already
    if not hasattr(ImageFont, "load_default_imagefont"):
        pytest.skip("this Pillow has no separate bitmap loader to stand in for an old Pillow")
    bitmap = ImageFont.load_default_imagefont

    def load_default(**kwargs):
        if kwargs:
            raise TypeError("load_default() got an unexpected keyword argument 'size'")
        return bitmap()

    monkeypatch.setattr(ImageFont, "load_default", load_default)


def test_pictures_are_labelled_with_the_bitmap_font_of_pillow_before_10_1(old_pillow):
    assert not hasattr(pictures.font(20), "size"), "the bitmap font stands in"
    assert pictures.text_size("abc", 22)[1] > pictures.text_size("abc", 11)[1], "titles are drawn larger"
    cam = pictures.compose_grad_cam(Image.new("L", (128, 128)), [[0.5] * 128] * 128, (8, 8), 0.25)
    maps = pictures.compose_feature_maps(Image.new("L", (128, 128)), one_white_tile(), 64, (32, 32))
    for picture, layout in ((cam, pictures.grad_cam_layout()), (maps, pictures.feature_maps_layout((274, 274)))):
        assert picture.size == layout.size
        title = np.asarray(picture.crop((0, 0, picture.width, pictures.TITLE_H)))
        assert (title < 128).any(), "the title is drawn"


LONGEST = [  # the longest label of each picture's title and subtitle, and the picture it is drawn in
    (pictures.TITLE_PT, "resnet18 (untrained), layer1.0.conv1: 64 channels, 32x32 each", "feature_maps"),
    (pictures.SUBTITLE_PT, "each tile min-max scaled on its own (a constant channel is black); "
                           "numbers are channel indices", "feature_maps"),
    (pictures.TITLE_PT, "Grad-CAM of resnet18 (untrained) at layer3, class 0", "grad_cam"),
    (pictures.SUBTITLE_PT, "the 8x8 map, upsampled (bilinear) to the 128x128 input, divided by its max", "grad_cam"),
]


@pytest.mark.parametrize("font", ["scalable", "bitmap"])
def test_every_title_fits_inside_its_picture(font, request):
    if font == "bitmap":
        request.getfixturevalue("old_pillow")
    widths = {"feature_maps": pictures.feature_maps_layout((274, 274)).size[0],
              "grad_cam": pictures.grad_cam_layout().size[0]}
    for size, words, picture in LONGEST:
        right = pictures.MARGIN + pictures.text_size(words, size)[0]
        assert right <= widths[picture] - pictures.MARGIN // 2, (words, right, widths[picture])


def test_a_bitmap_font_without_getbbox_is_measured_with_getsize():
    """Pillow before 9.2 gave its bitmap font getsize only (and 10 took getsize away)."""
    class OldBitmapFont:
        def getsize(self, words: str) -> tuple[int, int]:
            return 6 * len(words), 11

    assert pictures._extent(OldBitmapFont(), "layer3") == (36, 11)
