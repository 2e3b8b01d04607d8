"""A package's attachments (posting photos, documents), stored only once its rows are in.

Written after every row of the package was applied and before the commit, by an
allow-list of types (a ``.exe`` is skipped, a ``.jpg`` that is no JPEG too); the caller
removes what was written if the commit then fails.
"""

from __future__ import annotations

from pathlib import Path

from gkdesk import fileio, paths
from gkdesk.sync.container import PackageRefused, clean, sha256
from gkdesk.sync.reader import Opened

ATTACHMENT_TYPES = frozenset({"jpg", "jpeg", "png", "gif", "bmp", "webp", "tif", "tiff", "pdf", "ofd",
                              "doc", "docx", "xls", "xlsx", "wps", "et", "txt", "csv"})
_MAGIC = {"jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",), "png": (b"\x89PNG\r\n\x1a\n",),
          "pdf": (b"%PDF-",), "gif": (b"GIF87a", b"GIF89a")}


def attachment_ok(fname: str, content: bytes) -> bool:
    ext = fname.split(".", 1)[1] if "." in fname else ""
    if ext not in ATTACHMENT_TYPES:
        return False
    magic = _MAGIC.get(ext)
    return magic is None or content.startswith(magic)


def write_attachments(data_dir: Path, opened: Opened) -> tuple[list[Path], int]:
    """Store the package's attachments; returns the files newly written (to remove if the
    commit fails) and how many were skipped as a type the county does not keep."""
    written: list[Path] = []
    skipped = 0
    try:
        for member, content in opened.members.items():
            if not member.startswith("attachments/"):
                continue
            _, sub, fname = member.split("/")
            if sha256(content) != fname.split(".", 1)[0]:
                raise PackageRefused(f"附件“{clean(fname)}”的内容与其 SHA-256 不符")
            if not attachment_ok(fname, content):
                skipped += 1
                continue
            target = Path(data_dir) / paths.ATTACHMENT_DIRNAME / sub / fname
            if target.exists():
                continue
            written.append(fileio.write_bytes(target, content))  # atomic, owner-only (mkstemp)
    except BaseException:
        for w in written:
            w.unlink(missing_ok=True)
        raise
    return written, skipped
