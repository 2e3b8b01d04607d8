"""Issue 20's findings replayed as attacks; each is refused or harmless, with the data intact."""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from nacl.signing import SigningKey
from sqlalchemy import select

from gkdesk import backups, sync, township
from gkdesk.errors import InputRejected
from gkdesk.models import SyncIdentity, SyncPeer
from gkdesk.store import open_store
from gkdesk.sync import export as export_mod
from gkdesk.sync import keys, keystore

from .helpers import db_fingerprint, enrol, make_township, self_id, township_rows


def _identity(store, path: Path) -> Path:
    with store.session() as s:
        keys.export_identity(s, path, store.data_dir)
    return path


def _forge_identity(store, path: Path, **fields) -> Path:
    """An identity file re-signed by the attacker's own (valid) key with fields of their choosing."""
    body = json.loads(_identity(store, path).read_text(encoding="utf-8"))
    body.update(fields)
    body.pop("signature")
    body.pop("fingerprint")
    sk = SigningKey.generate()
    body["verify_key"] = sk.verify_key.encode().hex()
    body["signature"] = sk.sign(keys.IDENTITY_DOMAIN + keys._canonical(body)).signature.hex()
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return path


# --- 1. enrolment bound to the county's registry -------------------------------------------

def test_forged_enrolment_with_another_townships_id_is_refused(pair, tmp_path):
    real_id = self_id(pair.township)
    attacker = make_township(tmp_path, "attacker", name="冒名镇", code="511702199")
    f = _forge_identity(attacker, tmp_path / "evil.json", township_id=real_id)
    before = db_fingerprint(pair.county)
    with pytest.raises(InputRejected, match="已登记给“高桥镇”"), pair.county.session() as s:
        keys.trust(s, f, "县级", data_dir=pair.county.data_dir)
    assert db_fingerprint(pair.county) == before
    attacker.close()


def test_forged_enrolment_with_the_countys_own_id_is_refused(pair, tmp_path):
    with pair.county.session() as s:
        county_id = township.current(s).id
    attacker = make_township(tmp_path, "attacker", name="冒名镇", code="511702199")
    f = _forge_identity(attacker, tmp_path / "evil.json", township_id=county_id)
    with pytest.raises(InputRejected, match="本单位自己的"), pair.county.session() as s:
        keys.trust(s, f, "县级", data_dir=pair.county.data_dir)
    attacker.close()


def test_fingerprint_binds_code_and_role(pair, tmp_path):
    f = _identity(pair.township, tmp_path / "t.json")
    body = json.loads(f.read_text(encoding="utf-8"))
    fp = body["fingerprint"]
    assert len(keys.digits_of(fp)) == 40 and fp.count(" ") == 7  # 40 digits in groups of five
    other = keys.fingerprint(body["verify_key"], body["box_key"], "511702199", body["role"])
    assert other != fp and keys.fingerprint(body["verify_key"], body["box_key"], body["code"], "county") != fp


def test_revoked_township_is_refused_and_re_enrolled(pair, tmp_path):
    [pkg] = sync.export_data(pair.township, tmp_path / "usb", "乡镇").files
    with pair.county.session() as s:
        keys.revoke(s, "511702101", "县级")
    before = db_fingerprint(pair.county)
    [rep] = sync.import_files(pair.county, [pkg], "县级")
    assert rep.status == "refused" and "撤销" in rep.reason and db_fingerprint(pair.county) == before
    # the clerk's PC was stolen: new keys on a new PC from the restored data, enrolled again
    for k in (pair.township.data_dir / "keys").glob("*.kek"):
        k.unlink()
    with pair.township.session() as s:
        keys.reset_keys(s, "乡镇", pair.township.data_dir)
    f = _identity(pair.township, tmp_path / "new.json")
    with pair.county.session() as s:
        peer = keys.trust(s, f, "县级", replace=True, data_dir=pair.county.data_dir)["peer"]
        assert peer["state"] == "待核验"
        keys.verify(s, peer["code"], peer["fingerprint"], "县级")
    [rep] = sync.import_files(pair.county, sync.export_data(pair.township, tmp_path / "u2", "乡镇").files, "县级")
    assert rep.status == "applied"
    with pair.county.session() as s:
        enrolment = json.loads(s.scalar(select(SyncPeer.enrolment).where(SyncPeer.code == "511702101")))
    assert enrolment["township_id"] == self_id(pair.township) and len(enrolment["signature"]) == 128


# --- 2. keys at rest ------------------------------------------------------------------------

def test_a_copied_backup_holds_no_usable_private_key(pair, tmp_path):
    with pair.township.session() as s:
        ident = keys.ensure_keys(s, pair.township.data_dir)
        seed = ident.signing.encode().hex()
        box = ident.box.encode().hex()
    info = backups.create_backup(pair.township.data_dir, reason="manual", force=True)
    raw = info.path.read_bytes()
    assert seed.encode() not in raw and box.encode() not in raw
    assert bytes.fromhex(seed) not in raw and bytes.fromhex(box) not in raw
    # the thief opens the copied backup elsewhere: the keys do not open
    stolen = tmp_path / "stolen"
    stolen.mkdir()
    shutil.copy(info.path, stolen / "gkdesk.sqlite3")
    st = open_store(stolen)
    with st.session() as s, pytest.raises(keystore.KeysElsewhere):
        keys.ensure_keys(s, stolen)
    with st.session() as s:
        row = s.get(SyncIdentity, 1)
        assert row.signing_seed.startswith("enc:") and row.box_secret.startswith("enc:")
    st.close()


def test_a_data_directory_copied_to_a_second_pc_is_detected(pair, tmp_path, monkeypatch):
    second = tmp_path / "second-pc"
    pair.township.close()
    shutil.copytree(pair.township.data_dir, second)
    monkeypatch.setenv("GKDESK_MACHINE_ID", "another-machine-0001")
    st = open_store(second)
    with pytest.raises(keystore.KeysElsewhere) as exc:
        sync.export_data(st, tmp_path / "usb", "乡镇")
    assert "复制" in exc.value.message and exc.value.hint is not None
    # the second PC re-keys (not endorsed: it cannot open the old keys) and must be enrolled again
    with st.session() as s:
        new = keys.reset_keys(s, "乡镇", second)
    with st.session() as s:
        assert keys.ensure_keys(s, second).fingerprint == new.fingerprint
        assert not s.get(SyncIdentity, 1).endorsement
    st.close()


# --- 3. nothing decided on unsigned fields -------------------------------------------------

def test_a_forged_package_id_is_refused_not_reported_as_duplicate(pair, tmp_path, capsys):
    from gkdesk.cli import main as cli_main

    [pkg] = sync.export_data(pair.township, tmp_path / "usb", "乡镇").files
    assert sync.import_files(pair.county, [pkg], "县级")[0].status == "applied"
    [pkg2] = sync.export_data(pair.township, tmp_path / "usb2", "乡镇").files
    with zipfile.ZipFile(pkg) as z:
        applied_id = json.loads(z.read("header.json"))["package_id"]
    with zipfile.ZipFile(pkg2) as z:
        header, payload = json.loads(z.read("header.json")), z.read("payload.bin")
    header["package_id"] = applied_id  # a new package dressed as the old one
    forged = tmp_path / "forged.gkpkg"
    with zipfile.ZipFile(forged, "w") as z:
        z.writestr("header.json", json.dumps(header))
        z.writestr("payload.bin", payload)
    code = cli_main(["--data-dir", str(pair.county.data_dir), "sync", "import", str(forged)])
    out = capsys.readouterr().out
    assert code == 1 and "签名" in out and "重复" not in out
    assert "forged.gkpkg" in (pair.county.data_dir / "sync" / "refused.jsonl").read_text(encoding="utf-8")


def test_a_huge_forged_part_count_is_refused_without_allocation(pair, tmp_path):
    p = tmp_path / "x.part01of02.gkpkg"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("part.json", json.dumps({"format": "gkdesk-part", "stem": "x", "index": 1, "count": 10**9,
                                            "whole_sha256": "0" * 64, "whole_size": 10}))
        z.writestr("data.bin", b"")
    [rep] = sync.import_files(pair.county, [p], "县级")
    assert rep.status == "refused" and "分卷数" in rep.reason


# --- 5/6. no silent loss, no poisoned counters ---------------------------------------------

def test_clock_ahead_once_loses_no_later_edit(pair, tmp_path, monkeypatch):
    t, c = pair.township, pair.county
    ahead = datetime(2031, 1, 1)
    monkeypatch.setattr(export_mod, "utcnow", lambda: ahead)
    [r1] = sync.import_files(c, sync.export_data(t, tmp_path / "u1", "乡镇").files, "县级")
    sync.import_files(t, [Path(r1.receipt_files[0])], "乡镇")
    monkeypatch.undo()  # the clock is put right; the clerk keeps working
    with t.session() as s:
        township.add_village(s, "晚到村", 2, "乡镇")
    res = sync.export_data(t, tmp_path / "u2", "乡镇")
    assert res.based_on == 1 and res.counts == {"village": 1, "village_group": 2}  # by number, not by time
    [r2] = sync.import_files(c, res.files, "县级")
    assert r2.status == "applied"
    assert "晚到村" in {v["name"] for v in township_rows(c, self_id(t))["village"]}


def test_resync_made_with_a_clock_years_ahead_poisons_nothing(pair, tmp_path, monkeypatch):
    t, c = pair.township, pair.county
    monkeypatch.setattr(export_mod, "utcnow", lambda: datetime(2039, 1, 1))
    [r1] = sync.import_files(c, sync.export_data(t, tmp_path / "u1", "乡镇", resync=True).files, "县级")
    assert r1.status == "applied"
    monkeypatch.undo()
    sync.import_files(t, [Path(r1.receipt_files[0])], "乡镇")
    with t.session() as s:
        township.add_village(s, "次日村", 1, "乡镇")
    [r2] = sync.import_files(c, sync.export_data(t, tmp_path / "u2", "乡镇").files, "县级")
    assert r2.status == "applied" and r2.totals["new"] == 2


def test_old_receipt_after_a_township_restore_acknowledges_nothing(pair, tmp_path):
    t, c = pair.township, pair.county
    info = backups.create_backup(t.data_dir, reason="manual", force=True)
    [r1] = sync.import_files(c, sync.export_data(t, tmp_path / "u1", "乡镇").files, "县级")
    old_receipt = Path(r1.receipt_files[0])
    t.close()
    backups.restore_backup(t.data_dir, info)
    t = open_store(t.data_dir)
    with t.session() as s:
        township.add_village(s, "恢复后村", 1, "乡镇")
    [refused] = sync.import_files(c, sync.export_data(t, tmp_path / "u2", "乡镇").files, "县级")
    assert refused.status == "refused"  # its number was already used before the restore
    [rr] = sync.import_files(t, [old_receipt], "乡镇")
    assert rr.status == "applied" and rr.totals.get("unknown_receipt") == 1 and "未作确认" in rr.describe()
    res = sync.export_data(t, tmp_path / "u3", "乡镇")
    assert res.based_on == 0  # nothing acknowledged: everything goes again
    [ok] = sync.import_files(c, res.files, "县级")
    assert ok.status == "applied"
    assert "恢复后村" in {v["name"] for v in township_rows(c, self_id(t))["village"]}
    t.close()


def test_county_restore_is_re_based_not_poisoned(pair, tmp_path):
    t, c = pair.township, pair.county
    [r1] = sync.import_files(c, sync.export_data(t, tmp_path / "u1", "乡镇").files, "县级")
    sync.import_files(t, [Path(r1.receipt_files[0])], "乡镇")
    info = backups.create_backup(c.data_dir, reason="manual", force=True)
    with t.session() as s:
        township.add_village(s, "二号村", 1, "乡镇")
    [r2] = sync.import_files(c, sync.export_data(t, tmp_path / "u2", "乡镇").files, "县级")
    sync.import_files(t, [Path(r2.receipt_files[0])], "乡镇")
    c.close()
    backups.restore_backup(c.data_dir, info)  # the county's disk failed: last week's backup
    c = open_store(c.data_dir)
    with t.session() as s:
        township.add_village(s, "三号村", 1, "乡镇")
    [gap] = sync.import_files(c, sync.export_data(t, tmp_path / "u3", "乡镇").files, "县级")
    assert gap.status == "applied" and gap.totals["rebase"] == 1  # applied; its receipt asks for everything
    sync.import_files(t, [Path(gap.receipt_files[0])], "乡镇")
    [full] = sync.import_files(c, sync.export_data(t, tmp_path / "u4", "乡镇").files, "县级")  # no flag
    assert full.status == "applied"
    [ack] = sync.import_files(t, [Path(full.receipt_files[0])], "乡镇")
    assert ack.status == "applied", ack.reason  # the restored county's lower numbers are accepted
    up = sync.export_update(c, tmp_path / "down", "县级", options={"years": [2025]})
    [u] = sync.import_files(t, up[0].files, "乡镇")
    assert u.status == "applied", u.reason
    names = {v["name"] for v in township_rows(c, self_id(t))["village"]}
    assert {"二号村", "三号村"} <= names
    c.close()


# --- 6. attachments only by allow-list, only after acceptance -------------------------------

def test_an_exe_from_a_trusted_township_is_never_stored(pair, tmp_path):
    from gkdesk import paths
    from gkdesk.sync.container import sha256

    from .test_refusals import forge

    exe = b"MZ\x90\x00 this would run"
    h = sha256(exe)
    f = forge(pair, tmp_path, {f"attachments/{h[:2]}/{h}.exe": exe})
    [rep] = sync.import_files(pair.county, [f], "县级")
    att = pair.county.data_dir / paths.ATTACHMENT_DIRNAME
    assert not list(att.rglob("*.exe")) if att.exists() else True
    assert rep.status == "applied" and rep.totals.get("attachments_skipped") == 1


def test_attachments_of_a_refused_package_are_not_left_behind(pair, tmp_path):
    from gkdesk import paths
    from gkdesk.sync.container import sha256

    from .test_refusals import forge

    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    h = sha256(png)
    bad_row = b'{"id":"x","revision":"not a number"}\n'
    f = forge(pair, tmp_path, {f"attachments/{h[:2]}/{h}.png": png, "tables/village.jsonl": bad_row})
    [rep] = sync.import_files(pair.county, [f], "县级")
    assert rep.status == "refused"
    att = pair.county.data_dir / paths.ATTACHMENT_DIRNAME
    assert not (att.exists() and list(att.rglob(f"{h}*")))


def test_unverified_peer_exchanges_nothing(tmp_path):
    root = tmp_path / "p"
    root.mkdir()
    from .helpers import make_county

    t, c = make_township(root, "t"), make_county(root)
    cf = _identity(c, root / "c.json")
    with t.session() as s:
        keys.trust(s, cf, "乡镇", data_dir=t.data_dir)
    with pytest.raises(InputRejected) as exc:
        sync.export_data(t, root / "usb", "乡镇")
    assert "尚未核验" in exc.value.message
    with t.session() as s, pytest.raises(InputRejected, match="第 2 组不同"):
        fp = keys.county_peer(s).fingerprint
        wrong = fp[:6] + ("1" if fp[6] != "1" else "2") + fp[7:]
        keys.verify(s, "511702", wrong, "乡镇")
    t.close()
    c.close()
    assert enrol  # the helper used by every other test verifies both sides
