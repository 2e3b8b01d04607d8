"""Draw the application icon: a red seal (印章) with 公开 in white, like a stamp on a notice.

Writes ``resources/icons/gkdesk.png`` (256 px), ``gkdesk-<N>.png`` for the Linux hicolor
theme and ``gkdesk.ico`` (16–256 px) for Windows. Needs Pillow and a CJK font; run it
again only to change the design — the outputs are committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"
RED = (200, 16, 46, 255)
WHITE = (255, 255, 255, 255)
FONT_FILES = [
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
]


def cjk_font(size: int) -> ImageFont.FreeTypeFont:
    for path in FONT_FILES:
        if not Path(path).exists():
            continue
        for index in range(12):
            try:
                font = ImageFont.truetype(path, size, index=index)
            except OSError:
                break
            if " SC" in font.getname()[0] or "WenQuanYi" in font.getname()[0]:
                return font
    sys.exit("没有找到可用的中文字体 / no CJK font found")


def draw(size: int = 1024) -> Image.Image:
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    m = size // 32
    d.rounded_rectangle([m, m, size - m, size - m], radius=size // 9, fill=RED)
    inner = size // 11
    d.rounded_rectangle([inner, inner, size - inner, size - inner], radius=size // 16,
                        outline=WHITE, width=max(2, size // 40))
    font = cjk_font(int(size * 0.40))
    text = "公开"
    box = d.textbbox((0, 0), text, font=font)
    w, h = box[2] - box[0], box[3] - box[1]
    d.text(((size - w) / 2 - box[0], (size - h) / 2 - box[1]), text, font=font, fill=WHITE)
    return img


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw()
    big.resize((256, 256), Image.LANCZOS).save(OUT / "gkdesk.png")
    for n in (48, 64, 128):  # 256 is gkdesk.png itself
        big.resize((n, n), Image.LANCZOS).save(OUT / f"gkdesk-{n}.png")
    big.resize((256, 256), Image.LANCZOS).save(
        OUT / "gkdesk.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    print(f"已写入 {OUT}")


if __name__ == "__main__":
    main()
