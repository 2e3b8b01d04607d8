"""Every refusal: the package is refused with a Chinese reason and the county database is
byte-for-byte (logically) unchanged; a bad package never stops the good one after it."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from nacl.signing import SigningKey
from sqlalchemy import select

from gkdesk import sync, township
from gkdesk.models import SyncPeer, Village
from gkdesk.models.base import utcnow
from gkdesk.store import head_revision
from gkdesk.sync import keys
from gkdesk.sync.container import Built, seal
from gkdesk.sync.export import _header
from gkdesk.sync.tables import Codec

from .helpers import db_fingerprint, enrol, make_township


def _export(pair, tmp_path, **kw):
    return sync.export_data(pair.township, tmp_path / "usb", "乡镇", **kw).files[0]


def forge(pair, tmp_path, members, *, seq=1, based_on=0, signing=None, header=None, manifest=None, name="forged"):
    """A package built like the township's, but with whatever members the attacker wants."""
    with pair.township.session() as s:
        me = township.current(s)
        peer = keys.county_peer(s)
        ident = keys.ensure_keys(s, pair.township.data_dir)
        h = _header("data", me, ident, peer, seq, based_on, utcnow())
        m = {"township_code": me.code, "township_id": me.id, "seq": seq, "based_on": based_on,
             "schema": head_revision(), "counts": {}}
        box = peer.box_key
    h.update(header or {})
    m.update(manifest or {})
    p = tmp_path / f"{name}.gkpkg"
    p.write_bytes(seal(Built(h, m, members), signing or ident.signing, box))
    return p


def _refused(pair, files, *, contains, **kw):
    before = db_fingerprint(pair.county)
    reps = sync.import_files(pair.county, files, "县级", **kw)
    assert reps[0].status == "refused", reps[0]
    assert contains in reps[0].reason, reps[0].reason
    assert db_fingerprint(pair.county) == before
    return reps


def test_damaged_package(pair, tmp_path):
    f = _export(pair, tmp_path)
    data = bytearray(f.read_bytes())
    data[len(data) // 2] ^= 0xFF
    f.write_bytes(bytes(data))
    _refused(pair, [f], contains="损坏")


def test_truncated_package(pair, tmp_path):
    f = _export(pair, tmp_path)
    f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])
    _refused(pair, [f], contains="损坏")


def test_replayed_older_package(pair, tmp_path):
    first = _export(pair, tmp_path)
    second = _export(pair, tmp_path)
    assert sync.import_files(pair.county, [second], "县级")[0].status == "applied"
    _refused(pair, [first], contains="旧包或重放")


def test_package_from_unregistered_township(pair, tmp_path):
    other = make_township(tmp_path, "other", name="石桥镇", code="511702102")
    cf = tmp_path / "county.json"
    with pair.county.session() as s:
        keys.export_identity(s, cf, pair.county.data_dir)
    with other.session() as s:
        peer = keys.trust(s, cf, "乡镇", data_dir=other.data_dir)["peer"]  # the county never registered it
        keys.verify(s, peer["code"], peer["fingerprint"], "乡镇")
    f = sync.export_data(other, tmp_path / "usb2", "乡镇").files[0]
    other.close()
    _refused(pair, [f], contains="未登记")


def test_package_signed_with_a_key_the_county_does_not_know(pair, tmp_path):
    with pair.township.session() as s:
        keys.reset_keys(s, "乡镇", pair.township.data_dir)  # keys lost and remade, county not told yet
    f = _export(pair, tmp_path)
    _refused(pair, [f], contains="指纹")


def test_forged_signature_with_copied_header(pair, tmp_path):
    f = forge(pair, tmp_path, {}, signing=SigningKey.generate())
    _refused(pair, [f], contains="签名")


def test_oversized_package(pair, tmp_path):
    f = _export(pair, tmp_path)
    _refused(pair, [f], contains="过大", max_bytes=1000)


def test_path_traversal_in_outer_container(pair, tmp_path):
    good = _export(pair, tmp_path)
    evil = tmp_path / "evil.gkpkg"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(evil, "w") as zout:
        for i in zin.infolist():
            zout.writestr(i, zin.read(i))
        zout.writestr("../../etc/evil.txt", b"x")
    _refused(pair, [evil], contains="不安全")
    assert not (tmp_path.parent / "etc").exists()


def test_path_traversal_inside_signed_payload(pair, tmp_path):
    f = forge(pair, tmp_path, {"attachments/../../../evil.sh": b"rm -rf /"})
    _refused(pair, [f], contains="不安全")


def test_zip_bomb(pair, tmp_path):
    f = forge(pair, tmp_path, {"tables/village.jsonl": b" " * (16 * 1024 * 1024)})
    _refused(pair, [f], contains="压缩炸弹")


def test_sequence_gap(pair, tmp_path):
    [rep] = sync.import_files(pair.county, [_export(pair, tmp_path)], "县级")
    sync.import_files(pair.township, [Path(rep.receipt_files[0])], "乡镇")
    second = _export(pair, tmp_path)
    with pair.county.session() as s:  # the county restored an older backup
        s.scalar(select(SyncPeer)).last_seq_in = 0
    # applied all the same (its rows stand on their own revisions); the receipt asks for a re-base
    [rep2] = sync.import_files(pair.county, [second], "县级")
    assert rep2.status == "applied" and rep2.totals["rebase"] == 1


def test_package_for_another_county(pair, tmp_path):
    other_county = tmp_path / "other-county"
    from .helpers import make_county

    oc = make_county(other_county, name="达川区政务公开办", code="511703")
    t2 = make_township(tmp_path, "t2", name="石桥镇", code="511703101")
    enrol(t2, oc, tmp_path)
    f = sync.export_data(t2, tmp_path / "usb3", "乡镇").files[0]
    t2.close()
    oc.close()
    _refused(pair, [f], contains="不是发给本单位")  # its sender is unknown here: nothing is decided on it


def test_rows_of_another_township_are_refused(pair, tmp_path):
    with pair.county.session() as s:
        county_row_id = township.current(s).id
    row = {"id": "f" * 32, "created_at": utcnow(), "updated_at": utcnow(), "revision": 1, "deleted_at": None,
           "township_id": county_row_id, "name": "冒充村", "kind": "村", "code": "", "sort_order": 1}
    f = forge(pair, tmp_path, {"tables/village.jsonl": Codec(Village.__table__).line(row)})
    _refused(pair, [f], contains="不属于")


def test_malformed_row_is_refused(pair, tmp_path):
    f = forge(pair, tmp_path, {"tables/village.jsonl": b'{"id": "x", "revision": "not a number"}\n'})
    _refused(pair, [f], contains="第 1 行")


def test_newer_schema_is_refused(pair, tmp_path):
    f = forge(pair, tmp_path, {}, manifest={"schema": "9999_future"})
    _refused(pair, [f], contains="更新版本")


def test_a_bad_package_does_not_stop_the_next(pair, tmp_path):
    good = _export(pair, tmp_path)
    bad = tmp_path / "bad.gkpkg"
    bad.write_bytes(b"PK\x03\x04 this is not a package")
    reps = sync.import_files(pair.county, [bad, good], "县级")
    assert [r.status for r in reps] == ["refused", "applied"]
    log = (pair.county.data_dir / "sync" / "refused.jsonl").read_text(encoding="utf-8")
    assert "bad.gkpkg" in json.loads(log.splitlines()[-1])["file"]


@pytest.mark.parametrize("kind", ["receipt", "update"])
def test_county_package_kinds_are_refused_by_the_county(pair, tmp_path, kind):
    f = forge(pair, tmp_path, {}, header={"kind": kind})
    _refused(pair, [f], contains="不接收")


def test_identity_file_tampered(pair, tmp_path):
    f = tmp_path / "id.json"
    with pair.township.session() as s:
        keys.export_identity(s, f, pair.township.data_dir)
    body = json.loads(f.read_text(encoding="utf-8"))
    body["name"] = "冒名镇"
    f.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    from gkdesk.errors import InputRejected

    with pytest.raises(InputRejected, match="签名无效"), pair.county.session() as s:
        keys.trust(s, f, "县级")





def test_batch_whose_summary_disagrees_with_its_rows(pair, tmp_path):
    """The county's views read each batch's row count and total: a package carrying a batch
    that claims more money than its rows hold is refused whole, the county unchanged."""
    import random
    from decimal import Decimal

    from gkdesk.models.payout import PayoutBatch
    from gkdesk.notices.samples import ensure_program, make_batch, make_people

    with pair.township.session() as s:
        people = make_people(township.villages(s), 4, random.Random(3))
        b = make_batch(s, ensure_program(s, "耕地地力保护补贴"), 2026, people, random.Random(4), Decimal("131.42"))
        s.flush()
        s.get(PayoutBatch, b.id).total_fen += 10_000_000  # 10 万元 more than the rows
    before = db_fingerprint(pair.county)
    rep = sync.import_files(pair.county, [_export(pair, tmp_path)], "县级")[0]
    assert rep.status == "refused" and "合计与明细不符" in rep.reason
    assert db_fingerprint(pair.county) == before
