"""The labelled pictures `grader.py show` draws, with the learner's own functions.

`show` runs this module in a child process, so the learner's code (and torch) never runs in the grader:

    python -m grading.pictures 06_vision/feature_maps PATH/TO/feature_maps.py OUT.png

It imports the exercise file from its path, calls the learner's functions on an untrained ResNet-18 and a
synthetic input, and composes the result with Pillow: a title, captioned panels and a colour bar. For the
feature maps it shows the PNG the learner's ``save_feature_grid`` wrote, upscaled but otherwise as it is, so a
wrong grid shows up in the picture.

Exit status: 0 drawn, NOT_DONE when the learner's code raises NotImplementedError (a stub), 1 for any other
error, whose traceback is printed from the learner's first frame on.

Each picture's layout (its size and where every panel lies) is computed from the input sizes alone, never from
the text, so the tests can ask ``feature_maps_layout`` or ``grad_cam_layout`` where to look.
"""

from __future__ import annotations

import importlib.util
import math
import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Callable

from PIL import Image, ImageDraw, ImageFont

NOT_DONE = 3
MODEL = "resnet18"
FEATURE_LAYER = "layer1.0.conv1"
CAM_LAYER = "layer3"
CAM_CLASS = 0
INPUT_SIZE = 128
NROW, PADDING = 8, 2  # the grid layout save_feature_grid's docstring fixes (make_grid's border)

MARGIN, GAP = 20, 24
TITLE_H, CAPTION_H = 64, 24
BAR_H, BAR_LABEL_H = 16, 20
TITLE_PT, SUBTITLE_PT, CAPTION_PT, TILE_PT = 20, 14, 14, 11
BACKGROUND, INK, MUTED = (255, 255, 255), (20, 20, 20), (90, 90, 90)

Box = tuple[int, int, int, int]  # left, top, right, bottom (right and bottom exclusive), as Pillow's boxes


@dataclass
class Layout:
    """A picture's size and its named panels, in pixels of the finished PNG."""

    size: tuple[int, int]
    boxes: dict[str, Box] = field(default_factory=dict)


class ResultError(Exception):
    """The learner's function returned something the picture cannot be drawn from; the message says what."""


# ---- text ------------------------------------------------------------------------------------------------------

def font(size: int) -> ImageFont.ImageFont:
    """Pillow's own font at ``size`` pixels, so no font file is needed.

    Pillow >= 10.1 scales its built-in Aileron to any size. Older Pillow (torchvision 0.19 accepts 5.3 on, but
    not 8.3; 8.4 is the oldest of those with wheels for Python 3.10) has only a fixed 11-pixel bitmap font;
    `text` then enlarges that bitmap by a whole factor so titles stay larger than captions."""
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, ImportError, OSError):  # TypeError: no size before 10.1; ImportError: built without FreeType
        return ImageFont.load_default()


def _scalable(face: ImageFont.ImageFont) -> bool:
    return hasattr(face, "size")  # FreeTypeFont has a size; the bitmap ImageFont has none


def _extent(face: ImageFont.ImageFont, words: str) -> tuple[int, int]:
    """How far ``words`` reach right and down from where they are drawn, in the font's own pixels."""
    if hasattr(face, "getbbox"):
        _, _, right, bottom = face.getbbox(words)
        return right, bottom
    return face.getsize(words)  # Pillow < 9.2: the bitmap font has no getbbox yet


def text_size(words: str, size: int) -> tuple[int, int]:
    """The (width, height) `text` draws ``words`` at."""
    face = font(size)
    width, height = _extent(face, words)
    factor = 1 if _scalable(face) else max(1, round(size / 11))
    return width * factor, height * factor


def text(canvas: Image.Image, xy: tuple[int, int], words: str, size: int, fill=INK, anchor: str = "left") -> None:
    """Draw ``words`` with its top at ``xy[1]``; ``anchor`` says whether ``xy[0]`` is its left or its right end."""
    x = xy[0] - text_size(words, size)[0] if anchor == "right" else xy[0]
    face = font(size)
    if _scalable(face):
        ImageDraw.Draw(canvas).text((x, xy[1]), words, font=face, fill=fill)
        return
    # the bitmap font: draw it small, enlarge the mask without smoothing, paint through it
    mask = Image.new("L", tuple(max(1, side) for side in _extent(face, words)), 0)
    ImageDraw.Draw(mask).text((0, 0), words, font=face, fill=255)
    factor = max(1, round(size / 11))
    mask = mask.resize((mask.width * factor, mask.height * factor), Image.NEAREST)
    canvas.paste(fill, (x, xy[1], x + mask.width, xy[1] + mask.height), mask)


def _title(canvas: Image.Image, title: str, subtitle: str) -> None:
    text(canvas, (MARGIN, MARGIN // 2), title, TITLE_PT)
    text(canvas, (MARGIN, MARGIN // 2 + 30), subtitle, SUBTITLE_PT, fill=MUTED)


def _caption(canvas: Image.Image, box: Box, words: str) -> None:
    text(canvas, (box[0], box[1] - CAPTION_H + 4), words, CAPTION_PT)


def _colour_bar(canvas: Image.Image, box: Box, colour: Callable[[float], tuple[int, int, int]],
                low: str, high: str) -> None:
    """A horizontal bar from colour(0) at the left to colour(1) at the right, labelled under both ends."""
    left, top, right, bottom = box
    draw = ImageDraw.Draw(canvas)
    for x in range(left, right):
        draw.line([(x, top), (x, bottom - 1)], fill=colour((x - left) / max(1, right - left - 1)))
    draw.rectangle([left - 1, top - 1, right, bottom], outline=MUTED)
    text(canvas, (left, bottom + 4), low, CAPTION_PT)
    text(canvas, (right, bottom + 4), high, CAPTION_PT, anchor="right")


def _gray(t: float) -> tuple[int, int, int]:
    level = round(255 * t)
    return level, level, level


def heat_colour(t: float) -> tuple[int, int, int]:
    """The heat map's colours: blue for no evidence, red for the most (the overlay uses the same)."""
    return round(255 * t), 0, round(255 * (1 - t))


# ---- feature maps ----------------------------------------------------------------------------------------------

def grid_size(channels: int, tile: tuple[int, int], nrow: int = NROW, padding: int = PADDING) -> tuple[int, int]:
    """The (width, height) of make_grid's grid of ``channels`` tiles of ``tile`` = (h, w), ``nrow`` a row."""
    columns = min(nrow, channels)
    rows = math.ceil(channels / columns)
    return columns * (tile[1] + padding) + padding, rows * (tile[0] + padding) + padding


def _zoom(size: tuple[int, int], target: int = 560) -> int:
    """The whole factor that brings the larger side of ``size`` closest to ``target`` pixels without passing it."""
    return max(1, target // max(size))


def feature_maps_layout(grid: tuple[int, int], input_size: int = INPUT_SIZE) -> Layout:
    """Input (with the colour bar under it) on the left, the grid on the right, both enlarged."""
    shown = input_size * _zoom((input_size, input_size), 256)
    zoom = _zoom(grid)
    top = TITLE_H + CAPTION_H
    image = (MARGIN, top, MARGIN + shown, top + shown)
    bar_top = image[3] + CAPTION_H + 8
    bar = (MARGIN, bar_top, MARGIN + shown, bar_top + BAR_H)
    grid_box = (image[2] + GAP, top, image[2] + GAP + grid[0] * zoom, top + grid[1] * zoom)
    height = max(grid_box[3], bar[3] + BAR_LABEL_H) + MARGIN
    width = max(grid_box[2], grid_box[0] + 320) + MARGIN  # room for the grid's caption however narrow the grid
    return Layout((width, height), {"input": image, "colour_bar": bar, "grid": grid_box})


def tile_boxes(layout: Layout, channels: int, tile: tuple[int, int], nrow: int = NROW,
               padding: int = PADDING) -> list[Box]:
    """Where channel c's tile lies in the picture: make_grid fills rows left to right, top to bottom."""
    left, top, right, _ = layout.boxes["grid"]
    zoom = (right - left) // grid_size(channels, tile, nrow, padding)[0]
    columns = min(nrow, channels)
    boxes = []
    for channel in range(channels):
        x = padding + (channel % columns) * (tile[1] + padding)
        y = padding + (channel // columns) * (tile[0] + padding)
        boxes.append((left + x * zoom, top + y * zoom, left + (x + tile[1]) * zoom, top + (y + tile[0]) * zoom))
    return boxes


def compose_feature_maps(image: Image.Image, grid: Image.Image, channels: int, tile: tuple[int, int]) -> Image.Image:
    """The labelled picture of a feature-map grid (the PNG the learner wrote) beside the input it came from."""
    layout = feature_maps_layout(grid.size, image.width)
    canvas = Image.new("RGB", layout.size, BACKGROUND)
    boxes = layout.boxes
    _paste(canvas, image, boxes["input"])
    _caption(canvas, boxes["input"], f"input ({image.width}x{image.height})")
    _paste(canvas, grid, boxes["grid"])
    expected = grid_size(channels, tile)
    laid_out = grid.size == expected
    if laid_out:
        _caption(canvas, boxes["grid"], f"save_feature_grid: {NROW} tiles a row, 2-px border")
        for channel, box in enumerate(tile_boxes(layout, channels, tile)):
            _tile_number(canvas, box, channel)
    else:  # the learner's grid is not laid out as the docstring says: show it as it is, and say so
        _caption(canvas, boxes["grid"], f"your grid: {grid.width}x{grid.height} px, expected "
                                        f"{expected[0]}x{expected[1]}")
    _title(canvas, f"{MODEL} (untrained), {FEATURE_LAYER}: {channels} channels, {tile[0]}x{tile[1]} each",
           "each tile min-max scaled on its own (a constant channel is black); "
           + ("numbers are channel indices" if laid_out else "not numbered: not laid out as expected"))
    _caption(canvas, boxes["colour_bar"], "low -> high (per tile)")
    _colour_bar(canvas, boxes["colour_bar"], _gray, "low", "high")
    return canvas


def _paste(canvas: Image.Image, picture: Image.Image, box: Box) -> None:
    canvas.paste(picture.convert("RGB").resize((box[2] - box[0], box[3] - box[1]), Image.NEAREST), box[:2])


def _tile_number(canvas: Image.Image, box: Box, channel: int) -> None:
    """The channel index on a dark tab in the tile's top-left corner, readable on a white or a black tile."""
    width, height = text_size(str(channel), TILE_PT)
    tab = (box[0], box[1], box[0] + width + 4, box[1] + height + 3)
    ImageDraw.Draw(canvas).rectangle([tab[0], tab[1], tab[2] - 1, tab[3] - 1], fill=(0, 0, 0))
    text(canvas, (box[0] + 2, box[1] + 1), str(channel), TILE_PT, fill=(255, 220, 0))


def draw_feature_maps(module: ModuleType, out: str) -> str:
    import torch
    from torchvision.models import resnet18

    torch.manual_seed(0)
    model = resnet18(weights=None).eval()
    # a synthetic picture: a bright diagonal bar and a square on a dark background
    rows, cols = torch.meshgrid(torch.arange(INPUT_SIZE), torch.arange(INPUT_SIZE), indexing="ij")
    image = ((rows - cols).abs() < 6).float() + ((rows - 90).abs() < 15).float() * ((cols - 30).abs() < 15).float()
    maps = module.capture_activations(model, [FEATURE_LAYER], image.expand(1, 3, INPUT_SIZE, INPUT_SIZE))
    fmap = maps.get(FEATURE_LAYER) if isinstance(maps, dict) else None
    if not isinstance(fmap, torch.Tensor) or fmap.dim() != 4 or fmap.shape[0] != 1:
        raise ResultError(f"capture_activations should return {{{FEATURE_LAYER!r}: a (1, C, H, W) tensor}}; "
                          f"it returned {_describe(maps)}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "grid.png"
        module.save_feature_grid(fmap[0], path)
        if not path.is_file():
            raise ResultError("save_feature_grid(fmap, path) wrote no file at path")
        with Image.open(path) as written:
            grid = written.convert("RGB")
    channels, height, width = fmap.shape[1:]
    picture = compose_feature_maps(_to_image(image.clamp(0, 1)), grid, channels, (height, width))
    _save(picture, out)
    return f"the {channels} feature maps of {FEATURE_LAYER}"


# ---- Grad-CAM --------------------------------------------------------------------------------------------------

def grad_cam_layout(input_size: int = INPUT_SIZE) -> Layout:
    """Input | heat map | overlay in one row, each at least 256 px; the heat map's colour bar under it."""
    shown = input_size * _zoom((input_size, input_size), 256)
    top = TITLE_H + CAPTION_H
    boxes = {}
    for index, name in enumerate(("input", "heat_map", "overlay")):
        left = MARGIN + index * (shown + GAP)
        boxes[name] = (left, top, left + shown, top + shown)
    heat = boxes["heat_map"]
    boxes["colour_bar"] = (heat[0], heat[3] + 12, heat[2], heat[3] + 12 + BAR_H)
    size = (boxes["overlay"][2] + MARGIN, boxes["colour_bar"][3] + BAR_LABEL_H + MARGIN)
    return Layout(size, boxes)


def compose_grad_cam(image: Image.Image, heat: list[list[float]], cam_size: tuple[int, int],
                     cam_max: float) -> Image.Image:
    """The labelled picture: ``heat`` is the map upsampled to the input's size and scaled to [0, 1]."""
    layout = grad_cam_layout(image.width)
    canvas = Image.new("RGB", layout.size, BACKGROUND)
    _title(canvas, f"Grad-CAM of {MODEL} (untrained) at {CAM_LAYER}, class {CAM_CLASS}",
           f"the {cam_size[0]}x{cam_size[1]} map, upsampled (bilinear) to the {image.width}x{image.height} "
           "input, divided by its max")
    coloured = Image.new("RGB", image.size)
    coloured.putdata([heat_colour(value) for row in heat for value in row])
    overlay = Image.blend(image.convert("RGB"), coloured, 0.5)
    boxes = layout.boxes
    for name, picture, caption in (("input", image, f"input ({image.width}x{image.height})"),
                                   ("heat_map", coloured, f"heat map ({cam_size[0]}x{cam_size[1]}, upsampled)"),
                                   ("overlay", overlay, "overlay: input + heat map, half each")):
        _paste(canvas, picture, boxes[name])
        _caption(canvas, boxes[name], caption)
    _colour_bar(canvas, boxes["colour_bar"], heat_colour, "0", f"max {cam_max:.3g}")
    return canvas


def draw_grad_cam(module: ModuleType, out: str) -> str:
    import torch
    import torch.nn.functional as F
    from torchvision.models import resnet18

    torch.manual_seed(0)
    model = resnet18(weights=None).eval()
    rows, cols = torch.meshgrid(torch.arange(INPUT_SIZE), torch.arange(INPUT_SIZE), indexing="ij")
    image = (((rows - 40).abs() < 20) & ((cols - 80).abs() < 12)).float().expand(1, 3, INPUT_SIZE, INPUT_SIZE)
    cam = module.grad_cam(model, getattr(model, CAM_LAYER), image, class_idx=CAM_CLASS)
    if not isinstance(cam, torch.Tensor) or cam.dim() != 3 or cam.shape[0] != 1 or not cam.isfinite().all():
        raise ResultError(f"grad_cam should return a finite (1, h, w) tensor; it returned {_describe(cam)}")
    cam = cam.detach().float()
    heat = F.interpolate(cam[:, None], size=image.shape[-2:], mode="bilinear", align_corners=False)[0, 0]
    cam_max = cam.max().item()
    heat = (heat / max(cam_max, 1e-12)).clamp(0, 1)  # an all-zero map stays blue instead of dividing by zero
    picture = compose_grad_cam(_to_image(image[0, 0]), heat.tolist(), tuple(cam.shape[1:]), cam_max)
    _save(picture, out)
    return f"the Grad-CAM of class {CAM_CLASS} at {CAM_LAYER} (input, heat map, overlay)"


# ---- running the learner's file ---------------------------------------------------------------------------------

def _to_image(gray) -> Image.Image:
    """A (H, W) tensor in [0, 1] as a grayscale image."""
    height, width = gray.shape
    picture = Image.new("L", (width, height))
    picture.putdata([round(255 * value) for value in gray.flatten().tolist()])
    return picture


def _describe(value) -> str:
    shape = getattr(value, "shape", None)
    return f"a {type(value).__name__} of shape {tuple(shape)}" if shape is not None else repr(value)[:200]


def _save(picture: Image.Image, out: str) -> None:
    try:
        picture.save(out, format="PNG")
    except OSError as err:
        raise SystemExit(f"grader: cannot write {out}: {err.strerror or err}") from None


DRAWERS: dict[str, Callable[[ModuleType, str], str]] = {
    "06_vision/feature_maps": draw_feature_maps,
    "06_vision/grad_cam": draw_grad_cam,
}


def load(source: Path) -> ModuleType:
    """Import the exercise file at ``source`` as a module of its own name."""
    spec = importlib.util.spec_from_file_location(source.stem, source)
    module = importlib.util.module_from_spec(spec)
    sys.modules[source.stem] = module  # dataclasses and pickling look a module up by name
    spec.loader.exec_module(module)
    return module


def _print_learners_traceback(err: BaseException, source: Path) -> None:
    """The traceback from the first frame in the learner's file on: the frames above it are this module's."""
    report = traceback.TracebackException.from_exception(err)
    frames = list(report.stack)
    first = next((index for index, frame in enumerate(frames) if Path(frame.filename) == source), None)
    if first is not None:
        report.stack = traceback.StackSummary.from_list(frames[first:])
    elif isinstance(err, SyntaxError):  # raised while importing: its message names the file, line and column
        report.stack = traceback.StackSummary.from_list([])
    print("".join(report.format()), end="", file=sys.stderr)


def main(argv: list[str]) -> int:
    exercise, source, out = argv[0], Path(argv[1]).resolve(), argv[2]
    try:
        drawn = DRAWERS[exercise](load(source), out)
    except NotImplementedError:
        return NOT_DONE
    except ResultError as err:
        print(f"{source.name}: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # the learner's bug: theirs to read, in their own frames
        _print_learners_traceback(err, source)
        return 1
    print(f"wrote {drawn} to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
