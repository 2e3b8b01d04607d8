"""Issue 20, enrolment by the county's registry: the township id comes from the county, never
from a file; a township adopts it keeping every row; a lost PC is re-linked to its old records;
a county restore is re-based by the next ordinary package. Real key pairs, real SQLite files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from nacl.signing import SigningKey
from sqlalchemy import func, select

from gkdesk import backups, sync, township
from gkdesk.errors import InputRejected
from gkdesk.hints import Hint
from gkdesk.models import AuditEntry, SyncConflict, SyncPeer, Township, Village, VillageGroup
from gkdesk.store import open_store
from gkdesk.sync import enrolment, keys

from .helpers import db_fingerprint, enrol, make_county, make_township, self_id, township_rows


def _identity(store, path: Path) -> Path:
    with store.session() as s:
        keys.export_identity(s, path, store.data_dir)
    return path


def _county_enrols(c, t_file: Path, out: Path, *, replace: bool = False) -> dict:
    with c.session() as s:
        peer = keys.trust(s, t_file, "县级", replace=replace, data_dir=c.data_dir)["peer"]
        keys.verify(s, peer["code"], peer["fingerprint"], "县级")
        return keys.enrolment_file(s, peer["code"], out, c.data_dir)


def _township_takes(t, e_file: Path) -> dict:
    with t.session() as s:
        peer = keys.trust(s, e_file, "乡镇", data_dir=t.data_dir)["peer"]
        return keys.verify(s, peer["code"], peer["fingerprint"], "乡镇")


def _registry_id(c, code: str = "511702101") -> str:
    with c.session() as s:
        return s.scalar(select(SyncPeer.township_id).where(SyncPeer.code == code))


def _up(t, c, tmp: Path, name: str):
    res = sync.export_data(t, tmp / name, "乡镇")
    return res, sync.import_files(c, res.files, "县级")


def _conflicts(store) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(SyncConflict)) or 0)


def _counts(store, tid: str) -> dict[str, int]:
    return {k: len(v) for k, v in township_rows(store, tid).items() if v}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "root"
    r.mkdir()
    return r


def test_the_county_assigns_the_id_and_the_township_adopts_it_keeping_its_rows(root):
    import random
    from decimal import Decimal

    from gkdesk.notices.samples import ensure_program, make_batch, make_people

    t, c = make_township(root, "t"), make_county(root)
    with t.session() as s:  # a payout list (ID and account numbers) hangs off the township too
        people = make_people(township.villages(s), 6, random.Random(7))
        make_batch(s, ensure_program(s, "耕地地力保护补贴"), 2026, people, random.Random(7), Decimal("131.42"))
    own = self_id(t)
    before = _counts(t, own)
    assert before["township"] == 1 and before["village"] == 2 and before["payout"] == 12
    e = _county_enrols(c, _identity(t, root / "t.json"), root / "e.json")
    assigned = e["township_id"]
    assert assigned != own  # the file's id was not taken
    body = json.loads((root / "e.json").read_text(encoding="utf-8"))
    assert body["role"] == "county" and body["enrolment"]["township_id"] == assigned
    res = _township_takes(t, root / "e.json")
    assert res["adopted"] and self_id(t) == assigned
    assert _counts(t, assigned) == before and _counts(t, own) == {}  # every row moved, none lost
    with t.session() as s:
        assert s.scalar(select(func.count()).select_from(Township)) == 1
        assert {v.township_id for v in s.scalars(select(Village))} == {assigned}
        assert s.scalar(select(func.count()).select_from(VillageGroup)) == 5
        assert "keys.enrolment" in set(s.scalars(select(AuditEntry.action)))
    [rep] = _up(t, c, root, "u1")[1]
    assert rep.status == "applied", rep.reason
    assert township_rows(c, assigned) == township_rows(t, assigned) and _conflicts(c) == 0
    # the county holds one township for the code, under its own id
    with c.session() as s:
        assert s.scalar(select(func.count()).select_from(Township).where(Township.code == "511702101")) == 1
    # adopting again changes nothing (the enrolment in the receipt names the same id)
    [rr] = sync.import_files(t, [Path(rep.receipt_files[0])], "乡镇")
    assert rr.status == "applied" and not rr.totals.get("enrolment_adopted") and self_id(t) == assigned
    t.close()
    c.close()


def test_a_package_sent_before_the_enrolment_file_is_refused_then_the_update_enrols(root):
    t, c = make_township(root, "t"), make_county(root)
    with c.session() as s:
        keys.export_identity(s, root / "c.json", c.data_dir)
    with t.session() as s:  # the township trusts the county's plain identity file (no enrolment)
        p = keys.trust(s, root / "c.json", "乡镇", data_dir=t.data_dir)["peer"]
        keys.verify(s, p["code"], p["fingerprint"], "乡镇")
    _county_enrols(c, _identity(t, root / "t.json"), root / "e.json")
    before = db_fingerprint(c)
    [refused] = _up(t, c, root, "u1")[1]
    assert refused.status == "refused" and refused.hint == Hint.IMPORT_ENROLMENT and "登记文件" in refused.reason
    assert db_fingerprint(c) == before
    # the county's next update carries the enrolment: the township adopts it, no clerk step
    [u] = sync.import_files(t, sync.export_update(c, root / "down", "县级", options={"years": [2025]})[0].files, "乡镇")
    assert u.status == "applied" and u.totals.get("enrolment_adopted") == 1, u.reason
    assert self_id(t) == _registry_id(c)
    res, [ok] = _up(t, c, root, "u2")
    assert res.based_on == 0 and ok.status == "applied", ok.reason  # everything, under the county's id
    assert _counts(c, _registry_id(c)) == _counts(t, self_id(t))
    t.close()
    c.close()


def test_forged_enrolment_cannot_write_another_townships_records(root):
    """An attacker enrolled for its own code whose database carries the real township's id:
    the county's registry gave its key another id, so its rows are refused, data intact."""
    t, c = make_township(root, "t"), make_county(root)
    enrol(t, c, root)
    real = self_id(t)
    [ok] = _up(t, c, root, "u0")[1]
    assert ok.status == "applied"
    attacker = make_township(root, "evil", name="冒名镇", code="511702199", villages=(("高桥村", 1),))
    _county_enrols(c, _identity(attacker, root / "evil.json"), root / "evil-e.json")
    assert _registry_id(c, "511702199") not in (real, self_id(attacker))
    _township_takes(attacker, root / "evil-e.json")
    with attacker.session() as s:  # the attacker rewrites its own records to the real township's id
        enrolment.rekey(s, self_id(attacker), real)
    before = db_fingerprint(c)
    [rep] = _up(attacker, c, root, "evil")[1]
    assert rep.status == "refused" and db_fingerprint(c) == before
    assert {v["name"] for v in township_rows(c, real)["village"]} == {"高桥村", "柳树村"}
    attacker.close()
    t.close()
    c.close()


def test_an_enrolment_signed_by_another_key_or_for_another_unit_is_refused(root):
    t, c = make_township(root, "t"), make_county(root)
    _county_enrols(c, _identity(t, root / "t.json"), root / "e.json")
    good = json.loads((root / "e.json").read_text(encoding="utf-8"))
    own = self_id(t)
    # 1. the whole file re-signed by an impostor's key, enrolment kept: the enrolment's own
    #    signature no longer matches the key of the file
    forged = dict(good)
    sk = SigningKey.generate()
    forged["verify_key"] = sk.verify_key.encode().hex()
    forged.pop("signature")
    forged.pop("fingerprint", None)
    forged["signature"] = sk.sign(keys.IDENTITY_DOMAIN + keys._canonical(forged)).signature.hex()
    (root / "f1.json").write_text(json.dumps(forged, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputRejected, match="签名无效"), t.session() as s:
        keys.trust(s, root / "f1.json", "乡镇", data_dir=t.data_dir)
    # 2. a genuine enrolment file for another township
    other = make_township(root, "o", name="石桥镇", code="511702102")
    with pytest.raises(InputRejected, match="另一个乡镇"), other.session() as s:
        keys.trust(s, root / "e.json", "乡镇", data_dir=other.data_dir)
    assert self_id(t) == own
    other.close()
    t.close()
    c.close()


def test_existing_enrolment_with_matching_id_needs_nothing(root):
    """A county that registered the township under its own id (as before this version): the
    registry keeps that id, the township's plain trust keeps working, receipts change nothing."""
    t, c = make_township(root, "t"), make_county(root)
    own = self_id(t)
    with c.session() as s:  # what an older county recorded at enrolment
        s.add(Township(id=own, code="511702101", name="高桥镇", role="township", revision=0))
    with c.session() as s:
        keys.export_identity(s, root / "c.json", c.data_dir)
    with t.session() as s:
        p = keys.trust(s, root / "c.json", "乡镇", data_dir=t.data_dir)["peer"]
        keys.verify(s, p["code"], p["fingerprint"], "乡镇")
    with c.session() as s:
        p = keys.trust(s, _identity(t, root / "t.json"), "县级", data_dir=c.data_dir)["peer"]
        keys.verify(s, p["code"], p["fingerprint"], "县级")
    assert _registry_id(c) == own
    [rep] = _up(t, c, root, "u1")[1]
    assert rep.status == "applied"
    [rr] = sync.import_files(t, [Path(rep.receipt_files[0])], "乡镇")
    assert rr.status == "applied" and not rr.totals.get("enrolment_adopted") and self_id(t) == own
    t.close()
    c.close()


def test_a_township_that_lost_its_data_folder_is_re_linked_to_its_records(root):
    t, c = make_township(root, "t"), make_county(root)
    enrol(t, c, root)
    tid = self_id(t)
    [r1] = _up(t, c, root, "u1")[1]
    assert r1.status == "applied"
    sync.import_files(t, [Path(r1.receipt_files[0])], "乡镇")
    held = _counts(c, tid)
    # the PC is stolen, no backup: a new clerk sets up a fresh data folder for the same unit
    t.close()
    shutil.rmtree(t.data_dir)
    n = make_township(root, "new-pc", villages=(("新村", 1),))
    assert self_id(n) != tid
    with c.session() as s:
        keys.revoke(s, "511702101", "县级")
    e = _county_enrols(c, _identity(n, root / "n.json"), root / "e2.json", replace=True)
    assert e["township_id"] == tid  # the registry keeps the id for the code
    _township_takes(n, root / "e2.json")
    assert self_id(n) == tid
    res, [rep] = _up(n, c, root, "u2")
    assert rep.status == "applied", rep.reason
    assert res.seq > r1.seq  # numbered above what the county holds: not a replay
    with c.session() as s:
        assert s.scalar(select(func.count()).select_from(Township).where(Township.code == "511702101")) == 1
    names = {v["name"] for v in township_rows(c, tid)["village"]}
    assert names == {"高桥村", "柳树村", "新村"}  # old records kept, the new PC writes the same township
    assert _counts(c, tid)["village_group"] == held["village_group"] + 1
    [rr] = sync.import_files(n, [Path(rep.receipt_files[0])], "乡镇")
    assert rr.status == "applied", rr.reason
    assert _conflicts(c) == 0  # the new PC's township row replaced the county's copy
    n.close()
    c.close()


def test_county_restore_then_ordinary_packages_lose_nothing(root):
    t, c = make_township(root, "t"), make_county(root)
    enrol(t, c, root)
    tid = self_id(t)
    [r1] = _up(t, c, root, "u1")[1]
    sync.import_files(t, [Path(r1.receipt_files[0])], "乡镇")
    info = backups.create_backup(c.data_dir, reason="manual", force=True)
    with t.session() as s:
        township.add_village(s, "二号村", 2, "乡镇")
    [r2] = _up(t, c, root, "u2")[1]
    sync.import_files(t, [Path(r2.receipt_files[0])], "乡镇")
    c.close()
    backups.restore_backup(c.data_dir, info)  # the county's disk failed: last week's backup
    c = open_store(c.data_dir)
    assert "二号村" not in {v["name"] for v in township_rows(c, tid)["village"]}
    with t.session() as s:
        township.add_village(s, "三号村", 1, "乡镇")
    res3, [r3] = _up(t, c, root, "u3")  # an ordinary package, counted from one the county lost
    assert res3.based_on == r2.seq and r3.status == "applied", r3.reason
    assert r3.totals.get("rebase") == 1
    [ack] = sync.import_files(t, [Path(r3.receipt_files[0])], "乡镇")
    assert ack.status == "applied" and ack.totals.get("rebase") == 1, ack.reason
    res4, [r4] = _up(t, c, root, "u4")  # the next ordinary package carries everything, no flag typed
    assert res4.based_on == 0 and r4.status == "applied", r4.reason
    assert _counts(c, tid) == _counts(t, tid) == {"township": 1, "village": 4, "village_group": 8}
    assert township_rows(c, tid) == township_rows(t, tid) and _conflicts(c) == 0
    [ack4] = sync.import_files(t, [Path(r4.receipt_files[0])], "乡镇")
    assert ack4.status == "applied" and not ack4.totals.get("rebase")
    with t.session() as s:
        township.add_village(s, "四号村", 1, "乡镇")
    res5, [r5] = _up(t, c, root, "u5")
    assert res5.based_on == r4.seq and r5.status == "applied" and res5.counts == {"village": 1, "village_group": 1}
    # the restored county's lower-numbered update is accepted too
    [u] = sync.import_files(t, sync.export_update(c, root / "down", "县级", options={"years": [2025]})[0].files, "乡镇")
    assert u.status == "applied", u.reason
    t.close()
    c.close()


def test_a_re_linked_township_gets_its_records_back_from_a_restore_package(root):
    from gkdesk.app import sync as ops
    from gkdesk.app.workspace import Workspace
    from gkdesk.catalogue import core as catalogue

    t, c = make_township(root, "t"), make_county(root)
    enrol(t, c, root)
    tid = self_id(t)
    with t.session() as s:
        township.add_village(s, "河口村", 2, "乡镇")
        catalogue.ensure_seeded(s, "乡镇")  # the catalogue, seeded on first use, travels too
    [r1] = _up(t, c, root, "u1")[1]
    assert r1.status == "applied"
    old_rows = township_rows(t, tid)
    t.close()
    shutil.rmtree(t.data_dir)  # lost, no backup
    # the new clerk starts the program (the catalogue seeds itself again) and types a village in
    n = make_township(root, "new-pc", villages=(("高桥村", 3),))
    with n.session() as s:
        catalogue.ensure_seeded(s, "乡镇")
    with c.session() as s:
        keys.revoke(s, "511702101", "县级")
    _county_enrols(c, _identity(n, root / "n.json"), root / "e.json", replace=True)
    _township_takes(n, root / "e.json")
    cw, nw = Workspace(c, "县级"), Workspace(n, "乡镇")
    sent = ops.send_restore(cw, "511702101", root / "restore-usb")
    assert {k: sent.result.counts[k] for k in ("township", "village", "village_group")} == {
        "township": 1, "village": 3, "village_group": 7}
    assert sent.result.counts == {k: len(v) for k, v in old_rows.items() if v}
    assert "恢复包" in sent.summary() and "gkdesk" not in sent.summary()
    # a county never takes a restore package, and another township cannot open this one
    other = make_township(root, "o", name="石桥镇", code="511702102")
    enrol(other, c, root)
    [wrong] = sync.import_files(other, sent.result.files, "乡镇")
    assert wrong.status == "refused" and "不是发给本单位" in wrong.reason
    other.close()
    before_backups = len(list((n.data_dir / "backups").rglob("*.sqlite3*")))
    res = ops.import_packages(nw, sent.result.files)
    [rep] = res.packages
    assert rep.status == "applied" and rep.kind == "restore", rep.reason
    assert "恢复本乡镇在县级的记录" in rep.describe() and rep.totals["replaced"] > 4  # seeds and the typed village
    assert len(list((n.data_dir / "backups").rglob("*.sqlite3*"))) > before_backups
    got = township_rows(n, tid)
    # exactly the county's copy (the township's own row is this PC's): no second 高桥村, no second catalogue
    assert {k: v for k, v in got.items() if k != "township"} == {k: v for k, v in old_rows.items() if k != "township"}
    assert got["catalogue_domain"] and got["township"][0]["code"] == "511702101"
    assert {v["name"] for v in got["village"]} == {"高桥村", "柳树村", "河口村"}
    assert [r["id"] for r in got["village_group"]] == [r["id"] for r in old_rows["village_group"]]
    # the clerk carries on: the next ordinary package is accepted and duplicates nothing
    with n.session() as s:
        township.add_village(s, "新建村", 1, "乡镇")
    [r2] = _up(n, c, root, "u2")[1]
    assert r2.status == "applied" and r2.totals["new"] == 2, r2.reason
    assert _counts(c, tid) == _counts(n, tid)
    assert {k: _counts(n, tid)[k] for k in ("township", "village", "village_group")} == {
        "township": 1, "village": 4, "village_group": 8}
    assert township_rows(c, tid) == township_rows(n, tid) and _conflicts(c) == _conflicts(n) == 0
    n.close()
    c.close()


@pytest.mark.postgres
def test_postgres_county_re_links_and_restores_a_lost_township(pg_url, root):
    """The same on a county running PostgreSQL: the registry keeps the id, the restore package
    carries the township's records back, the new PC's packages write the same township."""
    c = open_store(root / "county", database_url=pg_url)
    with c.session() as s:
        township.init_installation(s, "通川区政务公开办", "511702", "通川区", role="county", operator="县级")
    t = make_township(root, "t")
    enrol(t, c, root)
    tid = self_id(t)
    [r1] = _up(t, c, root, "u1")[1]
    assert r1.status == "applied", r1.reason
    t.close()
    shutil.rmtree(t.data_dir)
    n = make_township(root, "new-pc", villages=())
    with c.session() as s:
        keys.revoke(s, "511702101", "县级")
    assert _county_enrols(c, _identity(n, root / "n.json"), root / "e.json", replace=True)["township_id"] == tid
    _township_takes(n, root / "e.json")
    from gkdesk.sync import restore

    res = restore.export_restore(c, root / "restore", "县级", "511702101")
    [rep] = sync.import_files(n, res.files, "乡镇")
    assert rep.status == "applied" and rep.totals["new"] == 7, rep.reason  # 2 villages, 5 groups
    [r2] = _up(n, c, root, "u2")[1]
    assert r2.status == "applied" and r2.totals["new"] == 0, r2.reason
    assert township_rows(c, tid) == township_rows(n, tid)
    assert _conflicts(c) == _conflicts(n) == 0
    n.close()
    c.close()


def _county_restored_after_a_lost_package(root):
    """Enrolled pair; package 1 acknowledged, county backup, package 2 (adds 二号村) applied and
    acknowledged, then the county restores the backup: it lacks package 2."""
    t, c = make_township(root, "t"), make_county(root)
    enrol(t, c, root)
    [r1] = _up(t, c, root, "u1")[1]
    sync.import_files(t, [Path(r1.receipt_files[0])], "乡镇")
    info = backups.create_backup(c.data_dir, reason="manual", force=True)
    with t.session() as s:
        township.add_village(s, "二号村", 2, "乡镇")
    [r2] = _up(t, c, root, "u2")[1]
    sync.import_files(t, [Path(r2.receipt_files[0])], "乡镇")
    c.close()
    backups.restore_backup(c.data_dir, info)
    return t, open_store(c.data_dir)


def test_county_restore_a_delta_that_cannot_stand_alone_is_refused_and_re_based(root):
    t, c = _county_restored_after_a_lost_package(root)
    tid = self_id(t)
    with t.session() as s:  # a group added to 二号村, which the restored county does not have
        township.set_group_count(s, "二号村", 3, "乡镇")
    before = db_fingerprint(c)
    res3, [r3] = _up(t, c, root, "u3")
    assert res3.counts == {"village_group": 1}
    assert r3.status == "refused" and "下次自动发送全部数据" in r3.reason and r3.receipt_files
    with c.session() as s:  # no row of it was written (only the receipt was recorded)
        assert {v.name for v in s.scalars(select(Village).where(Village.township_id == tid))} == {"高桥村", "柳树村"}
    assert db_fingerprint(c) != before  # the receipt is recorded …
    [ack] = sync.import_files(t, [Path(r3.receipt_files[0])], "乡镇")
    assert ack.status == "applied" and ack.totals.get("rebase") == 1 and "自动发送全部数据" in ack.describe()
    res4, [r4] = _up(t, c, root, "u4")  # … and the next ordinary package carries everything
    assert res4.based_on == 0 and r4.status == "applied", r4.reason
    assert township_rows(c, tid) == township_rows(t, tid) and _conflicts(c) == 0
    t.close()
    c.close()


def test_county_restore_learned_from_its_next_update(root):
    t, c = _county_restored_after_a_lost_package(root)
    tid = self_id(t)
    [u] = sync.import_files(t, sync.export_update(c, root / "down", "县级", options={"years": [2025]})[0].files, "乡镇")
    assert u.status == "applied" and u.totals.get("rebase") == 1, u.reason
    assert "自动发送全部数据" in u.describe() and "其他" not in u.describe()
    res, [r] = _up(t, c, root, "u3")
    assert res.based_on == 0 and r.status == "applied" and not r.totals.get("rebase"), r.reason
    assert _counts(c, tid) == _counts(t, tid) == {"township": 1, "village": 3, "village_group": 7}
    t.close()
    c.close()


def test_a_restore_package_on_a_working_township_changes_nothing(root):
    """A restore package that reaches a PC which already sends data (it was made for a lost
    PC, or replayed) is refused whole: nothing this PC has not sent yet is replaced."""
    from gkdesk.sync import restore

    t, c = make_township(root, "t"), make_county(root)
    enrol(t, c, root)
    [r1] = _up(t, c, root, "u1")[1]
    assert r1.status == "applied"
    with t.session() as s:
        township.add_village(s, "未发送村", 1, "乡镇")  # not sent yet
    res = restore.export_restore(c, root / "restore", "县级", "511702101")
    before = db_fingerprint(t)
    [rep] = sync.import_files(t, res.files, "乡镇")
    assert rep.status == "refused" and "不需要恢复包" in rep.reason
    assert db_fingerprint(t) == before
    t.close()
    c.close()


def test_enrolment_file_name_from_a_hostile_township_name_stays_in_the_folder(tmp_path):
    """The name comes from the township's identity file: '/', '\\', ':' (an NTFS stream) or '..'
    must neither raise after the trust was saved nor write outside the stick's folder."""
    from gkdesk.app.sync import enrolment_file_name

    for name in ("高桥/../../镇", "高桥\\镇", "高桥镇:stream", "..", "高桥镇"):
        file_name = enrolment_file_name({"name": name, "code": "511702101"})
        target = (tmp_path / "identity.gkid").with_name(file_name)
        assert target.parent == tmp_path and not any(c in file_name for c in '/\\:')
        assert file_name.startswith("登记文件-") and file_name.endswith("-511702101.json")
    assert enrolment_file_name({"name": "高桥镇", "code": "511702101"}) == "登记文件-高桥镇-511702101.json"
