"""The county summary export when the target file is open in Excel/WPS on Windows.

Windows refuses to replace a file another program holds open (PermissionError, WinError
5/32); Linux never does, so the refusal is reproduced by making ``os.replace`` fail the way
Windows does. The clerk must get a message naming the file, the old file must be intact,
and no ``.partial`` file may be left beside it.
"""

from __future__ import annotations

import os

import pytest

from gkdesk import county_xlsx, township
from gkdesk.errors import InputRejected
from gkdesk.store import open_store


def _county(root):
    store = open_store(root / "data")
    with store.session() as s:
        township.init_installation(s, "通川区政务公开办", "511702", "通川区", role="county", operator="县级")
    return store


def test_export_onto_a_file_open_elsewhere_names_it_and_keeps_the_old_one(tmp_path, monkeypatch):
    store = _county(tmp_path)
    out = tmp_path / "县级汇总.xlsx"
    out.write_bytes(b"the clerk's previous export")

    def windows_replace(src, dst):
        raise PermissionError(13, "另一个程序正在使用此文件,进程无法访问。", str(dst))

    real_replace = os.replace
    monkeypatch.setattr(os, "replace", windows_replace)  # what fileio.write_with calls
    try:
        with store.session() as s, pytest.raises(InputRejected) as err:
            county_xlsx.export_xlsx(s, out, views=["status"])
    finally:
        monkeypatch.setattr(os, "replace", real_replace)
        store.close()
    assert "县级汇总.xlsx" in err.value.message and "打开" in err.value.message
    assert out.read_bytes() == b"the clerk's previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "县级汇总.xlsx"]


def test_export_writes_the_workbook_when_the_file_is_free(tmp_path):
    from openpyxl import load_workbook

    store = _county(tmp_path)
    out = tmp_path / "县级汇总.xlsx"
    out.write_bytes(b"old")
    try:
        with store.session() as s:
            county_xlsx.export_xlsx(s, out, views=["status"])
    finally:
        store.close()
    assert load_workbook(out).sheetnames == ["同步状态"]
    assert not list(tmp_path.glob("*.partial"))
