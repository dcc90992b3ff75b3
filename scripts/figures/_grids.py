"""Shared drawing code for the animated figures: numbered grids drawn with Pillow, saved as GIF.

Not a figure family (the leading underscore tells scripts/figures/runner.py). Frames are
drawn directly with Pillow, which is fast (a few milliseconds a frame) and gives
byte-identical GIFs on every run: the fonts are the DejaVu files shipped with
matplotlib, and a GIF holds no timestamp.
"""

import io
from pathlib import Path

import matplotlib
import numpy as np
from PIL import Image, ImageDraw, ImageFont

_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = ImageFont.truetype(str(_FONTS / "DejaVuSans.ttf"), 14)
SMALL = ImageFont.truetype(str(_FONTS / "DejaVuSans.ttf"), 10)
BOLD = ImageFont.truetype(str(_FONTS / "DejaVuSans-Bold.ttf"), 15)
MONO = ImageFont.truetype(str(_FONTS / "DejaVuSansMono.ttf"), 13)

INK, GRID, MUTED = (25, 25, 25), (150, 150, 150), (120, 120, 120)
WINDOW = (255, 200, 120)  # input cells under the kernel
TARGET = (150, 200, 255)  # the output cell being written
DONE = (215, 232, 255)  # output cells already written
PADDED = (232, 232, 232)  # cells added by padding
KERNEL = (255, 235, 205)
CELL = 40


def frame(width, height):
    """A blank white frame and its drawing context."""
    image = Image.new("RGB", (width, height), "white")
    return image, ImageDraw.Draw(image)


def number(value):
    """``50`` for whole numbers, ``7.5`` / ``-0.25`` otherwise, ``""`` for NaN (a cell not yet written)."""
    if np.isnan(value):
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0")


def grid(draw, x0, y0, values, title=None, fills=None, cell=CELL, font=FONT, corner=None):
    """Draw ``values`` (2-D) as numbered cells with top-left corner at (x0, y0).

    ``fills`` maps (row, col) to a background colour; ``corner`` maps (row, col) to a
    small note written in the cell's top-left corner (a kernel weight).
    """
    fills, corner = fills or {}, corner or {}
    rows, cols = values.shape
    if title:
        draw.text((x0, y0 - 8), title, font=BOLD, fill=INK, anchor="ld")
    for (r, c), v in np.ndenumerate(values):
        box = [x0 + c * cell, y0 + r * cell, x0 + (c + 1) * cell, y0 + (r + 1) * cell]
        draw.rectangle(box, fill=fills.get((r, c), "white"), outline=GRID)
        draw.text((box[0] + cell / 2, box[1] + cell / 2 + 2), number(v), font=font, fill=INK, anchor="mm")
        if (r, c) in corner:
            draw.text((box[0] + 3, box[1] + 2), corner[(r, c)], font=SMALL, fill=MUTED, anchor="lt")
    return x0 + cols * cell, y0 + rows * cell  # bottom-right corner


def outline(draw, x0, y0, r0, c0, rows, cols, color=(220, 90, 0), cell=CELL, width=3):
    """A thick rectangle around cells [r0, r0 + rows) x [c0, c0 + cols) of a grid drawn at (x0, y0)."""
    draw.rectangle([x0 + c0 * cell, y0 + r0 * cell, x0 + (c0 + cols) * cell, y0 + (r0 + rows) * cell],
                   outline=color, width=width)


def palette_of(frames, colors=48):
    """A shared palette for all frames, (colors, 3) ints, with the page's white exactly white."""
    sheet = Image.new("RGB", (frames[0].width, frames[0].height * len(frames)))
    for i, f in enumerate(frames):
        sheet.paste(f, (0, i * f.height))
    quantized = sheet.quantize(colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette = np.array(quantized.getpalette()[:3 * colors]).reshape(colors, 3)
    palette[np.argmax(quantized.histogram()[:colors])] = 255  # the most common colour: the background
    return palette


def indexed(frame, palette):
    """``frame`` as a palette image, each pixel mapped to the exactly nearest palette colour.

    (Pillow's own palette mapping goes through a coarse colour cube and can map white
    to a light grey.)
    """
    rgb = np.asarray(frame, dtype=np.int64).reshape(-1, 3)  # (P, 3)
    codes, inverse = np.unique(rgb @ [65536, 256, 1], return_inverse=True)  # a few hundred colours
    unique = np.stack([codes // 65536, codes // 256 % 256, codes % 256], axis=1)  # (U, 3)
    nearest = ((unique[:, None, :] - palette[None]) ** 2).sum(axis=2).argmin(axis=1)  # (U,)
    image = Image.frombytes("P", frame.size, nearest[inverse].astype(np.uint8).tobytes())
    image.putpalette(palette.ravel().tolist())
    return image


def gif(frames, durations):
    """Encode frames (PIL images) as a looping GIF; ``durations`` in milliseconds, one per frame.

    One palette serves all frames, so unchanged pixels keep their indices and Pillow
    stores only the part of each frame that changed.
    """
    palette = palette_of(frames)
    frames = [indexed(f, palette) for f in frames]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=list(durations),
                   loop=0, optimize=False, disposal=1)
    return buf.getvalue()
