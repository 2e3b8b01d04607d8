"""A package that cannot be written whole (USB stick full or pulled out) leaves nothing
behind on the stick — no ``.partial`` file, no orphan parts — and the township's
sequence number is not used up."""

from __future__ import annotations

import errno
import os

import pytest

from gkdesk import sync
from gkdesk.sync import container

OP = "乡镇"


def _failing_fsync(after: int):
    calls = {"n": 0}
    real = os.fsync

    def fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] > after:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    return fsync


@pytest.mark.parametrize("part_bytes, ok_writes", [(container.DEFAULT_PART_BYTES, 0), (1100, 1)])
def test_a_failed_write_leaves_no_partial_files(pair, tmp_path, monkeypatch, part_bytes, ok_writes):
    usb = tmp_path / "usb"
    # Each part costs two fsyncs (the file, then its folder): fail in the middle of the set.
    monkeypatch.setattr(container.os, "fsync", _failing_fsync(ok_writes * 2))
    with pytest.raises(OSError):
        sync.export_data(pair.township, usb, OP, part_bytes=part_bytes)
    assert sorted(p.name for p in usb.iterdir()) == []
    monkeypatch.undo()
    res = sync.export_data(pair.township, usb, OP)
    assert res.seq == 1
    assert [p.name for p in usb.iterdir()] == [res.files[0].name]
