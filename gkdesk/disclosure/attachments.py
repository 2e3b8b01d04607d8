"""Scans of a request (or of a signed reply) kept by content hash, like posting photos.

The bytes go under ``<data dir>/attachments/ab/<sha256>.<ext>`` (the layout of
:mod:`gkdesk.postings.photos`, so the sync engine carries them the same way). Only PDF,
JPEG and PNG files are accepted, checked by their content, not their name.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy.orm import Session

from gkdesk.errors import InputRejected, UnreadableInput
from gkdesk.models.disclosure import DisclosureAttachment, DisclosureRequest
from gkdesk.postings.photos import attachment_path

MAX_BYTES = 50 * 1024 * 1024
_MAGIC = ((b"%PDF-", "pdf"), (b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"))


def _kind(raw: bytes, name: str) -> str:
    for magic, ext in _MAGIC:
        if raw.startswith(magic):
            return ext
    raise InputRejected(f"文件“{name}”不是 PDF、JPEG 或 PNG:申请材料扫描件只接受这三种格式")


def _write_once(target: Path, raw: bytes) -> None:
    """Write atomically (``fileio.write_bytes``); an existing file with the same hash is the same file already."""
    if target.exists() and target.stat().st_size == len(raw):
        return
    from gkdesk.fileio import write_bytes

    write_bytes(target, raw)


def attach(session: Session, data_dir: Path, r: DisclosureRequest, file: str | Path,
           operator: str) -> DisclosureAttachment:
    file = Path(file)
    if not file.is_file():
        raise UnreadableInput(f"找不到文件“{file}”")
    size = file.stat().st_size
    if size == 0:
        raise UnreadableInput(f"文件“{file.name}”是空文件")
    if size > MAX_BYTES:
        raise InputRejected(f"文件“{file.name}”过大({size // (1024 * 1024)} MB),请控制在 50 MB 以内")
    raw = file.read_bytes()
    ext = _kind(raw, file.name)
    sha = hashlib.sha256(raw).hexdigest()
    if any(a.sha256 == sha and a.deleted_at is None for a in r.attachments):
        raise InputRejected(f"文件“{file.name}”已附在申请 {r.number} 上")
    _write_once(attachment_path(data_dir, sha, ext), raw)
    a = DisclosureAttachment(request=r, sha256=sha, ext=ext, size=len(raw), original_name=file.name[:255],
                             attached_by=operator)
    session.add(a)
    session.flush()
    return a
