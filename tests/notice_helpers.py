"""Reading generated PDFs the way a reviewer would: text per page and every byte."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

from pypdf import PdfReader


def page_texts(path: Path) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(str(path)).pages]


def all_bytes(path: Path) -> bytes:
    """The raw file plus every stream decompressed (content, fonts, ToUnicode maps, metadata)."""
    raw = path.read_bytes()
    parts = [raw]
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", raw, re.S):
        try:
            parts.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def assert_no_secrets(path: Path, secrets: list[str]) -> None:
    text = "\n".join(page_texts(path)).replace(" ", "").replace("\n", "")
    blob = all_bytes(path)
    meta = str(PdfReader(str(path)).metadata or {})
    for s in secrets:
        assert s not in text, f"{s} found in extracted text of {path.name}"
        assert s.encode() not in blob, f"{s} found in the bytes of {path.name}"
        assert s not in meta
