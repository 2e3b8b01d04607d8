"""Making small real photos for tests (JPEG/PNG bytes written by Pillow)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image


def make_photo(path: Path, fmt: str = "JPEG", size: tuple[int, int] = (640, 480),
               colour: tuple[int, int, int] = (200, 30, 30)) -> Path:
    im = Image.new("RGB", size, colour)
    buf = io.BytesIO()
    im.save(buf, fmt)
    path.write_bytes(buf.getvalue())
    return path
