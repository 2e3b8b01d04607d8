"""A notice PDF is written whole or not at all: a failed write (disk full, USB stick
pulled out) keeps the file that was there, leaves no temp file, and records no posting
— a half-written PDF must never be what the register says was posted."""

from __future__ import annotations

import errno
import os
from datetime import date

import pytest
from sqlalchemy import func, select

from gkdesk.models import Posting
from gkdesk.notices.service import NoticeOptions, print_table_notice


def _no_fsync(fd: int) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_failed_pdf_write_keeps_the_old_file_and_records_nothing(store, tmp_path, monkeypatch):
    src = tmp_path / "通知.txt"
    src.write_text("关于村级财务收支情况的公示\n本年度收入合计 125,000.00 元。\n", encoding="utf-8")
    usb = tmp_path / "usb"
    usb.mkdir()
    out = usb / "公示.pdf"
    out.write_bytes(b"%PDF-1.4 the notice printed yesterday")
    opts = NoticeOptions(start=date(2026, 1, 5), days=7)
    monkeypatch.setattr(os, "fsync", _no_fsync)
    with pytest.raises(OSError), store.session() as s:
        print_table_notice(s, store.data_dir, src, "村级财务公开", out, opts, operator="测试员")
    monkeypatch.undo()
    assert out.read_bytes() == b"%PDF-1.4 the notice printed yesterday"
    assert [p.name for p in usb.iterdir()] == ["公示.pdf"]
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Posting)) == 0
    # …and when the disk is fine, the PDF is there and the posting recorded.
    with store.session() as s:
        print_table_notice(s, store.data_dir, src, "村级财务公开", out, opts, operator="测试员")
    assert out.read_bytes().startswith(b"%PDF") and b"yesterday" not in out.read_bytes()
    assert [p.name for p in usb.iterdir()] == ["公示.pdf"]
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Posting)) == 1
