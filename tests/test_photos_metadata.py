"""Photos lose GPS and camera metadata before they are stored (they travel to the county)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from PIL import Image, PngImagePlugin

from gkdesk.postings import photos
from tests.test_postings_evidence import OP, _posted

GPS_IFD = 0x8825


def _phone_jpeg(path: Path, orientation: int = 6) -> Path:
    """A JPEG as a phone writes it: EXIF with GPS position, camera make, orientation, a comment."""
    im = Image.new("RGB", (64, 32), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (31.0, 12.0, 30.5), 3: "E", 4: (107.0, 30.0, 1.25)})
    buf = io.BytesIO()
    im.save(buf, "JPEG", exif=exif, comment=b"GPS 31.2084N 107.5003E")
    path.write_bytes(buf.getvalue())
    return path


def test_jpeg_gps_camera_and_comment_are_removed_orientation_kept(store, tmp_path: Path) -> None:
    src = _phone_jpeg(tmp_path / "公示栏.jpg")
    with Image.open(src) as im:
        assert im.getexif().get_ifd(GPS_IFD)  # the phone's position is really in the original
    with store.session() as s:
        pid = _posted(s)
        r = photos.attach_photo(s, store.data_dir, pid, src, OP, taken_on=date(2026, 12, 1))
    stored = store.data_dir / "attachments" / r.data["photo"]["path"]
    raw = stored.read_bytes()
    assert b"PhoneMaker" not in raw and b"107.5003" not in raw and b"GPS 31" not in raw
    with Image.open(stored) as im:
        exif = im.getexif()
        assert not exif.get_ifd(GPS_IFD) and 0x010F not in exif
        assert exif.get(0x0112) == 6  # still shows upright
        assert im.size == (64, 32)
        im.load()
    with Image.open(src) as a, Image.open(stored) as b:  # pixels untouched: no re-encoding
        assert a.tobytes() == b.tobytes()


def test_png_text_and_exif_chunks_are_removed(tmp_path: Path) -> None:
    im = Image.new("RGB", (20, 10), (10, 120, 10))
    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "31.2084N 107.5003E")
    exif = Image.Exif()
    exif.get_ifd(GPS_IFD).update({1: "N"})
    buf = io.BytesIO()
    im.save(buf, "PNG", pnginfo=info, exif=exif)
    clean = photos.strip_metadata(buf.getvalue(), "png", "x.png")
    assert b"Location" not in clean and b"eXIf" not in clean and b"107.5003" not in clean
    with Image.open(io.BytesIO(clean)) as out:
        assert out.tobytes() == im.tobytes()


def test_a_truncated_structure_is_refused_with_a_message(tmp_path: Path) -> None:
    import pytest

    from gkdesk.errors import UnreadableInput

    raw = _phone_jpeg(tmp_path / "a.jpg").read_bytes()
    with pytest.raises(UnreadableInput, match=r"a\.jpg"):
        photos.strip_metadata(raw[:40], "jpg", "a.jpg")
