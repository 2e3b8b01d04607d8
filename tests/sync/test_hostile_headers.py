"""Forged clear headers and parts (issue 12 item 5): every field is validated before use, each
forgery is a Chinese refusal (exit 1, never a traceback), the good package after it in the same
run is still imported, escape codes are never printed raw, and refused.jsonl stays bounded and
never quotes a raw value."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from gkdesk import sync
from gkdesk.cli import main as cli_main
from gkdesk.sync import refusals

from .helpers import db_fingerprint

FORGED = [
    ("seq", "abc", "序号"),
    ("seq", -1, "序号"),
    ("seq", True, "序号"),
    ("version", "1.0", "格式版本"),
    ("based_on", "x", "基准包号"),
    ("package_id", {"a": 1}, "包编号"),
    ("created_at", "yesterday", "制作时间"),
    ("payload_size", 10**30, "内容大小"),
    ("sender_name", "x" * 5000, "发送方名称"),
    ("kind", ["data"], "类型"),
]


def _rewrite_header(src: Path, dest: Path, **changes) -> Path:
    with zipfile.ZipFile(src) as z:
        header = json.loads(z.read("header.json"))
        payload = z.read("payload.bin")
    header.update(changes)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_STORED) as z:
        z.writestr("header.json", json.dumps(header, ensure_ascii=False))
        z.writestr("payload.bin", payload)
    return dest


@pytest.fixture
def good(pair, tmp_path):
    return sync.export_data(pair.township, tmp_path / "usb", "乡镇").files[0]


@pytest.mark.parametrize("field, value, label", FORGED)
def test_forged_field_is_refused_and_the_good_package_after_it_imported(pair, good, tmp_path, field, value, label):
    bad = _rewrite_header(good, tmp_path / f"forged-{field}.gkpkg", **{field: value})
    before = db_fingerprint(pair.county)
    bad_rep, good_rep = sync.import_files(pair.county, [bad, good], "县级")
    assert bad_rep.status == "refused" and label in bad_rep.reason, bad_rep.reason
    assert good_rep.status == "applied"
    assert before != db_fingerprint(pair.county)


def test_version_1_packages_are_refused_with_a_clear_message(pair, good, tmp_path):
    bad = _rewrite_header(good, tmp_path / "old.gkpkg", version=1)
    [rep] = sync.import_files(pair.county, [bad], "县级")
    assert rep.status == "refused" and "旧版" in rep.reason and "升级" in rep.reason


def test_escape_codes_in_a_forged_header_are_never_printed(pair, good, tmp_path, capsys):
    evil = "\x1b[2J\x1b[32m✔ 全部导入成功\x1b[0m\u202e"
    bad = _rewrite_header(good, tmp_path / "evil\x1b[31m.gkpkg", sender_name=evil, sender_code="51170299")
    code = cli_main(["--data-dir", str(pair.county.data_dir), "sync", "import", str(bad)])
    out = capsys.readouterr()
    assert code == 1
    for stream in (out.out, out.err):
        assert "\x1b" not in stream and "\u202e" not in stream and "Traceback" not in stream
    log = (pair.county.data_dir / "sync" / "refused.jsonl").read_text(encoding="utf-8")
    assert "\x1b" not in json.loads(log.splitlines()[-1])["file"]


def test_cli_forged_seq_exits_1_and_still_imports_the_good_one(pair, good, tmp_path, capsys):
    bad = _rewrite_header(good, tmp_path / "a-forged.gkpkg", seq="abc")
    code = cli_main(["--data-dir", str(pair.county.data_dir), "sync", "import", str(bad), str(good), "--json"])
    out = capsys.readouterr()
    assert code == 1 and "Traceback" not in out.err
    statuses = [p["status"] for p in json.loads(out.out)["packages"]]
    assert statuses == ["refused", "applied"]


def _part(dest: Path, meta: dict, data: bytes = b"x") -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_STORED) as z:
        z.writestr("part.json", json.dumps(meta))
        z.writestr("data.bin", data)
    return dest


@pytest.mark.parametrize("meta, label", [
    ({"index": "一", "count": 2}, "分卷序号"),
    ({"index": 1, "count": 10**9}, "分卷数"),
    ({"index": 3, "count": 2}, "分卷序号"),
    ({"index": 1, "count": 2, "whole_size": "big"}, "整包大小"),
])
def test_forged_part_fields_are_refused(pair, good, tmp_path, meta, label):
    base = {"format": "gkdesk-part", "stem": "p", "whole_sha256": "0" * 64, "whole_size": 10}
    p = _part(tmp_path / "p.part01of02.gkpkg", {**base, **meta})
    bad, ok = sync.import_files(pair.county, [p, good], "县级")
    assert bad.status == "refused" and label in bad.reason, bad.reason
    assert ok.status == "applied"


def test_refused_log_is_bounded_and_quotes_no_raw_value(pair, good, tmp_path, monkeypatch):
    monkeypatch.setattr(refusals, "REFUSED_LOG_MAX", 20_000)
    full_id = "513101198201130014"
    bad = _rewrite_header(good, tmp_path / ("长" * 70 + ".gkpkg"), seq=full_id, sender_name="x" * 20_000)
    for _ in range(60):
        sync.import_files(pair.county, [bad], "县级")
    log = pair.county.data_dir / "sync" / "refused.jsonl"
    assert log.stat().st_size <= 20_000
    text = log.read_text(encoding="utf-8")
    assert full_id not in text and "x" * 100 not in text
    assert all(json.loads(line)["status"] == "refused" for line in text.splitlines())
    assert len(sync.refused_history(pair.county)) >= 10


def test_a_huge_directory_is_refused_before_it_is_read(pair, good, tmp_path):
    """A hostile outer zip whose end record claims 65,534 entries is refused from that record,
    before zipfile would build an object per entry."""
    p = tmp_path / "many.gkpkg"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_STORED) as z:
        for i in range(5):
            z.writestr(f"m{i}", b"")
    data = bytearray(p.read_bytes())
    eocd = data.rfind(b"PK\x05\x06")
    data[eocd + 8:eocd + 12] = (0xFFFE).to_bytes(2, "little") * 2
    p.write_bytes(bytes(data))
    bad, ok = sync.import_files(pair.county, [p, good], "县级")
    assert bad.status == "refused" and "成员过多" in bad.reason
    assert ok.status == "applied"


def test_a_deflate_bomb_in_the_clear_header_is_refused_bounded(pair, good, tmp_path):
    p = tmp_path / "bomb.gkpkg"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("header.json", b"{" + b" " * (50 * 1024 * 1024) + b"}")
        z.writestr("payload.bin", b"x", compress_type=zipfile.ZIP_STORED)
    assert p.stat().st_size < 1024 * 1024
    [rep] = sync.import_files(pair.county, [p], "县级")
    assert rep.status == "refused" and "包头过大" in rep.reason
