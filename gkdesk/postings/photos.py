"""Photos of posted sheets: the evidence the county asks for.

The bytes are stored once, by content, under ``<data dir>/attachments/ab/<sha256>.<ext>``
(``ab`` = the first two hex digits), so the same photo attached twice costs nothing and a
sync package can carry it by hash. Only real JPEG/PNG images are accepted (Pillow opens
and verifies them). Before anything is stored, the metadata a phone writes is removed — GPS
position, camera serial, time, comments, XMP/IPTC — because the photo travels to the county:
losslessly, segment by segment (the pixels are not re-encoded); a JPEG's orientation is kept
as the only EXIF tag so the photo still shows upright. Thumbnails are a local cache under ``<data dir>/thumbnails`` and
never travel.
"""

from __future__ import annotations

import hashlib
import io
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from gkdesk import paths
from gkdesk.errors import InputRejected, UnreadableInput
from gkdesk.models.posting_lifecycle import POSTED_STATUSES, PostingPhoto, status_label
from gkdesk.postings.lifecycle import CHANGES, _event, find_posting, posting_dict
from gkdesk.result import OpResult

# The photo files travel to the county with their rows: declared in gkdesk.sync.registry.

MAX_PHOTO_BYTES = 25 * 1024 * 1024
FORMATS = {"JPEG": "jpg", "PNG": "png"}
THUMB_DIRNAME = "thumbnails"


def attachment_path(data_dir: Path, sha256: str, ext: str) -> Path:
    return Path(data_dir) / paths.ATTACHMENT_DIRNAME / sha256[:2] / f"{sha256}.{ext}"


def photo_path(data_dir: Path, photo: PostingPhoto) -> Path:
    return attachment_path(data_dir, photo.sha256, photo.ext)


def _inspect(raw: bytes, name: str) -> tuple[str, int, int]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(raw)) as im:
            fmt, (w, h) = im.format, im.size
            im.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UnreadableInput(f"文件“{name}”不是可以打开的图片(可能已损坏或被截断)") from exc
    if fmt not in FORMATS:
        raise InputRejected(f"文件“{name}”是 {fmt} 格式;公示照片只接受 JPEG 或 PNG")
    return FORMATS[fmt], w, h


# JPEG segments kept: JFIF (APP0), ICC colour profile (APP2), Adobe colour transform (APP14).
_JPEG_KEEP_APP = {0xE0, 0xE2, 0xEE}
# PNG chunks kept: what decoding and colour need; text, time and eXIf go.
_PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT",
             b"pHYs", b"bKGD", b"acTL", b"fcTL", b"fdAT"}


def _orientation(raw: bytes) -> int:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(raw)) as im:
            value = im.getexif().get(0x0112, 1)
    except Exception:  # metadata we cannot read is metadata we drop
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _strip_jpeg(raw: bytes) -> bytes:
    out = bytearray(raw[:2])  # SOI
    i = 2
    orientation = _orientation(raw)
    inserted = False
    while i + 4 <= len(raw):
        if raw[i] != 0xFF:
            raise ValueError("not at a marker")
        marker = raw[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0xDA:  # start of scan: the rest is image data
            out += raw[i:]
            return bytes(out)
        length = int.from_bytes(raw[i + 2:i + 4], "big")
        segment = raw[i:i + 2 + length]
        if not inserted and marker != 0xE0 and orientation != 1:
            from PIL import Image

            exif = Image.Exif()
            exif[0x0112] = orientation
            body = exif.tobytes()
            out += b"\xff\xe1" + (len(body) + 2).to_bytes(2, "big") + body
            inserted = True
        if not (0xE0 <= marker <= 0xEF or marker == 0xFE) or marker in _JPEG_KEEP_APP:
            out += segment
        i += 2 + length
    raise ValueError("no image data")


def _strip_png(raw: bytes) -> bytes:
    out = bytearray(raw[:8])
    i = 8
    while i + 12 <= len(raw):
        length = int.from_bytes(raw[i:i + 4], "big")
        kind = raw[i + 4:i + 8]
        chunk = raw[i:i + 12 + length]
        if kind in _PNG_KEEP:
            out += chunk
        i += 12 + length
        if kind == b"IEND":
            return bytes(out)
    raise ValueError("no IEND")


def strip_metadata(raw: bytes, ext: str, name: str) -> bytes:
    """The image without GPS, camera, time or text metadata; the pixels untouched."""
    try:
        clean = _strip_jpeg(raw) if ext == "jpg" else _strip_png(raw)
    except (ValueError, IndexError) as exc:
        raise UnreadableInput(f"文件“{name}”的图片结构无法识别(可能已损坏或被截断)") from exc
    _inspect(clean, name)  # still a valid image of the same kind
    return clean


def _write_once(target: Path, raw: bytes) -> None:
    """Write atomically (``fileio.write_bytes``); an existing file with the same hash is the same file already."""
    if target.exists() and target.stat().st_size == len(raw):
        return
    from gkdesk.fileio import write_bytes

    write_bytes(target, raw)


def attach_photo(session: Session, data_dir: Path, posting_id: str, file: str | Path, operator: str,
                 taken_on: date | None = None) -> OpResult:
    """Attach a photo of the posted sheet to a posting (JPEG/PNG, stored by SHA-256)."""
    file = Path(file)
    p = find_posting(session, posting_id)
    if p.status not in POSTED_STATUSES:
        raise InputRejected(f"公示“{p.title}”尚未张贴(当前“{status_label(p)}”),不能附张贴照片")
    if not file.is_file():
        raise UnreadableInput(f"找不到照片文件“{file}”")
    size = file.stat().st_size
    if size == 0:
        raise UnreadableInput(f"照片文件“{file.name}”是空文件")
    if size > MAX_PHOTO_BYTES:
        raise InputRejected(f"照片文件“{file.name}”过大({size // (1024 * 1024)} MB),请压缩到 25 MB 以内")
    raw = file.read_bytes()
    ext, w, h = _inspect(raw, file.name)
    raw = strip_metadata(raw, ext, file.name)  # no GPS or camera data goes into the store or to the county
    sha = hashlib.sha256(raw).hexdigest()
    if any(ph.sha256 == sha and ph.deleted_at is None for ph in p.photos):
        raise InputRejected(f"照片“{file.name}”已附在公示“{p.title}”上")
    _write_once(attachment_path(data_dir, sha, ext), raw)
    ph = PostingPhoto(posting=p, sha256=sha, ext=ext, size=len(raw), width=w, height=h,
                      original_name=file.name[:255], taken_on=taken_on, attached_by=operator)
    session.add(ph)
    session.flush()
    _event(session, p, "attach", operator, taken_on or date.today(), f"{file.name}({sha[:12]})")
    return OpResult(changes=CHANGES, data={"photo": {"id": ph.id, "sha256": sha, "path": ph.relpath,
                                                     "width": w, "height": h},
                                           "posting": posting_dict(p)})


def read_photo(data_dir: Path, photo: PostingPhoto) -> bytes:
    """The stored bytes, checked against the recorded hash (a damaged file is reported, not shown)."""
    path = photo_path(data_dir, photo)
    if not path.exists():
        raise UnreadableInput(f"照片文件“{photo.relpath}”不在数据目录中(可能尚未随同步包到达)")
    raw = path.read_bytes()
    if hashlib.sha256(raw).hexdigest() != photo.sha256:
        raise UnreadableInput(f"照片文件“{photo.relpath}”已损坏(校验值不符)")
    return raw


def thumbnail(data_dir: Path, photo: PostingPhoto, size: int = 240) -> Path:
    """A cached JPEG thumbnail at most ``size`` pixels on its long side (EXIF rotation applied)."""
    from PIL import Image, ImageOps

    target = Path(data_dir) / THUMB_DIRNAME / photo.sha256[:2] / f"{photo.sha256}_{size}.jpg"
    if target.exists():
        return target
    with Image.open(io.BytesIO(read_photo(data_dir, photo))) as im:
        im = ImageOps.exif_transpose(im)
        im.thumbnail((size, size))
        if im.mode not in ("RGB", "L"):
            bg = Image.new("RGB", im.size, "white")
            bg.paste(im, mask=im.convert("RGBA").getchannel("A"))
            im = bg
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=85)
    _write_once(target, buf.getvalue())
    return target
