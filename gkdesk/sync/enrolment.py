"""Enrolment: the county's registry decides which township id a township key speaks for.

A township used to choose its own id (a random hex at first setup) and the county
registered it under the id printed in the township's identity file — so whoever wrote the
file chose whose records a key could write. Now the county assigns: when it enrols a unit
code, its registry keeps the id it already knows for that code (an earlier enrolment, or
records it holds) or makes a new one, and signs an *enrolment* (code, name, township id,
the township's keys, the number the township's packages continue from). The enrolment
reaches the township

- in the **enrolment file** the county writes when it enrols the township (next to the
  identity file the township brought on its USB stick; 导出登记文件… writes it again): the
  county's own identity file with the enrolment inside, imported with the same action as
  any identity file; and
- inside every receipt and county update (payload ``enrolment``), so townships enrolled
  before this version learn it without any step.

The township **adopts** the assigned id (:func:`adopt`) once the county is verified: its
own ``township`` row and every row pointing at it move to the new id in one transaction,
after the backup the calling action makes; the next package is then a full one. A
township that lost its data folder is enrolled again by the county for the *same* code —
the registry keeps the id — so the new PC writes the township's existing records.
"""

from __future__ import annotations

import json
from typing import Any, cast

from nacl.encoding import HexEncoder
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey
from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session, object_session

from gkdesk import audit, settings, township
from gkdesk.errors import InputRejected
from gkdesk.models.base import new_uuid, utcnow
from gkdesk.models.sync import SyncPeer
from gkdesk.models.township import ROLE_COUNTY, ROLE_TOWNSHIP, Township

ENROL_DOMAIN = b"gkdesk/enrolment/v2\n"
FIELDS = ("county_code", "township_code", "township_name", "township_id", "verify_key", "box_key",
          "seq_base", "enrolled_at", "township_revision")


def canonical(rec: dict[str, Any]) -> bytes:
    return json.dumps({k: rec.get(k) for k in FIELDS if k in rec}, sort_keys=True, ensure_ascii=False).encode("utf-8")


# --- county ----------------------------------------------------------------------------------

def assign_id(session: Session, code: str, peer: SyncPeer | None) -> str:
    """The township id the county's registry holds for ``code``: the one of an earlier
    enrolment, else the one of records the county already holds for that code, else a new
    one. Never the id a file proposes."""
    if peer is not None and peer.township_id:
        return peer.township_id
    known = session.scalar(select(Township).where(Township.code == code))
    if known is not None:
        if known.role != ROLE_TOWNSHIP:
            raise InputRejected(f"区划代码 {code} 在本县登记册中属于县级单位,不能登记为乡镇")
        return known.id
    return new_uuid()


def _revision(peer: SyncPeer) -> int:
    """The revision of the township's own row in the county's registry (0 if none yet)."""
    s = object_session(peer)
    row = s.get(Township, peer.township_id) if s is not None and peer.township_id else None
    return int(row.revision or 0) if row is not None else 0


def record(county: Township, peer: SyncPeer, signing: Any) -> dict[str, Any]:
    """The county's signed statement of whom ``peer``'s key speaks for."""
    rec: dict[str, Any] = {"county_code": county.code, "township_code": peer.code, "township_name": peer.name,
                           "township_id": peer.township_id, "verify_key": peer.verify_key, "box_key": peer.box_key,
                           "seq_base": int(peer.last_seq_in), "enrolled_at": utcnow().isoformat(timespec="seconds"),
                           "township_revision": _revision(peer)}
    if signing is not None:
        rec["signature"] = signing.sign(ENROL_DOMAIN + canonical(rec)).signature.hex()
    return rec


def current_record(peer: SyncPeer, county: Township, signing: Any) -> dict[str, Any]:
    """The enrolment to send now: the stored one, signed again when its numbers moved on
    (``seq_base``) or it predates this version (no ``seq_base``)."""
    try:
        rec = json.loads(peer.enrolment) if peer.enrolment else {}
    except json.JSONDecodeError:
        rec = {}
    fresh = (rec.get("township_id") == peer.township_id and rec.get("verify_key") == peer.verify_key
             and rec.get("seq_base") == peer.last_seq_in and rec.get("township_revision") == _revision(peer)
             and rec.get("signature"))
    if not fresh:
        rec = record(county, peer, signing)
        peer.enrolment = json.dumps(rec, ensure_ascii=False)
    return rec


# --- township --------------------------------------------------------------------------------

def check(rec: Any, county_verify_key: str, me: Township, ident: Any, shown: str) -> dict[str, Any]:
    """A received enrolment: signed by the county's key, for this unit and these keys."""
    if not isinstance(rec, dict) or any(k not in rec for k in (*FIELDS[:6], "signature")):
        raise InputRejected(f"“{shown}”中的登记信息不完整,文件可能被改动过")
    try:
        VerifyKey(county_verify_key.encode("ascii"), encoder=HexEncoder).verify(
            ENROL_DOMAIN + canonical(rec), bytes.fromhex(str(rec["signature"])))
    except (BadSignatureError, ValueError, TypeError) as exc:
        raise InputRejected(f"“{shown}”中的登记信息签名无效,文件可能被改动过") from exc
    tid = rec["township_id"]
    if not (isinstance(tid, str) and len(tid) == 32 and all(c in "0123456789abcdef" for c in tid)):
        raise InputRejected(f"“{shown}”中的登记信息格式不对")
    if rec["township_code"] != me.code:
        raise InputRejected(f"“{shown}”是县级为另一个乡镇(代码 {str(rec['township_code'])[:12]})写的登记文件,"
                            f"不是给本乡镇({me.code})的")
    if rec["verify_key"] != ident.verify_hex or rec["box_key"] != ident.box_public_hex:
        raise InputRejected(f"“{shown}”登记的是本乡镇以前的密钥,不是本机现在的密钥。"
                            "请把本机现在的身份文件交给县级重新登记")
    for k in ("seq_base", "township_revision"):
        n = rec.get(k, 0)
        if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n < 2**31:
            raise InputRejected(f"“{shown}”中的登记信息格式不对")
    return rec


def stored(session: Session) -> bool:
    """Township: the county's enrolment is held here and names another id (adoption to come
    once the county is verified — the calling action backs up first)."""
    peer = session.scalar(select(SyncPeer).where(SyncPeer.role == ROLE_COUNTY))
    if peer is None or not peer.enrolment or township.current(session).role != ROLE_TOWNSHIP:
        return False
    try:
        return json.loads(peer.enrolment).get("township_id") != township.current(session).id
    except (json.JSONDecodeError, AttributeError):
        return False


def state(session: Session) -> str:
    """Township: where its enrolment stands, in the clerk's words ("" for a county)."""
    me = township.current(session)
    if me.role != ROLE_TOWNSHIP:
        return ""
    peer = session.scalar(select(SyncPeer).where(SyncPeer.role == ROLE_COUNTY))
    if peer is None:
        return ""
    try:
        rec = json.loads(peer.enrolment) if peer.enrolment else None
    except json.JSONDecodeError:
        rec = None
    if not isinstance(rec, dict):
        return "县级登记:尚未收到(可向县级索取登记文件;县级的回执和更新包也会带来)"
    if rec.get("township_id") == me.id:
        return "县级登记:已采用(本乡镇的编号与县级登记一致)"
    return "县级登记:已收到,核验县级指纹后采用"


def pending(session: Session) -> bool:
    """The verified county enrolled this township under an id it has not adopted yet."""
    me = township.current(session)
    if me.role != ROLE_TOWNSHIP:
        return False
    peer = session.scalar(select(SyncPeer).where(SyncPeer.role == ROLE_COUNTY))
    if peer is None or peer.verified_at is None or not peer.enrolment:
        return False
    try:
        rec = json.loads(peer.enrolment)
    except json.JSONDecodeError:
        return False
    return rec.get("township_id") not in (None, me.id) or int(rec.get("seq_base", 0)) > peer.last_seq_out


def adopt(session: Session, operator: str) -> bool:
    """Take the id (and the number to continue from) the verified county assigned; True if
    anything changed. The caller has made the backup; one transaction with the caller's."""
    if not pending(session):
        return False
    peer = session.scalar(select(SyncPeer).where(SyncPeer.role == ROLE_COUNTY))
    assert peer is not None
    rec = json.loads(peer.enrolment)
    me = township.current(session)
    old, new, code = me.id, str(rec["township_id"]), me.code
    if old != new:
        # above the county's copy of our row, so our row replaces it there (no conflict)
        rekey(session, old, new, int(rec.get("township_revision", 0)) + 1)
        peer.acked_seq = 0  # every row now names the new id: the next package carries everything
    peer.last_seq_out = max(peer.last_seq_out, int(rec.get("seq_base", 0)))
    audit.record(session, operator, "keys.enrolment", code, old_id=old, new_id=new,
                 seq_base=int(rec.get("seq_base", 0)))
    return True


def take(session: Session, peer: SyncPeer, rec: Any, ident: Any, file: str, operator: str) -> list[str]:
    """Township: the enrolment inside a county package (already authenticated as the
    county's): checked, kept, adopted; returns what happened ("enrolment_adopted", "rebase")."""
    from gkdesk.hints import Hint
    from gkdesk.sync.container import PackageRefused

    try:
        rec = check(rec, peer.verify_key, township.current(session), ident, file)
    except InputRejected as exc:
        raise PackageRefused(exc.message, hint=Hint.ENROL) from exc
    peer.enrolment = json.dumps(rec, ensure_ascii=False)
    done = ["enrolment_adopted"] if adopt(session, operator) else []
    if int(rec.get("seq_base", 0)) < peer.acked_seq:
        # the county holds fewer of our packages than it once acknowledged (it restored a
        # backup): the next ordinary package carries everything again
        peer.acked_seq = 0
        done.append("rebase")
    return done


def rekey(session: Session, old: str, new: str, min_revision: int = 0) -> None:
    """Move this township's row and every row pointing at it from ``old`` to ``new``."""
    if session.get(Township, new) is not None:
        raise InputRejected("本机数据库中已有县级登记的乡镇编号,无法改用(请联系技术支持)")
    session.flush()
    conn = session.connection()
    t = cast(Table, Township.__table__)
    row = dict(conn.execute(select(t).where(t.c.id == old)).mappings().one())
    # the code is unique: park the old row's code, add the new row, move the children, drop the old
    conn.execute(update(t).where(t.c.id == old).values(code="~" + row["code"][:11]))
    conn.execute(insert(t).values({**row, "id": new, "revision": max(int(row["revision"] or 0) + 1, min_revision)}))
    for table, col in township._referencing("township"):
        conn.execute(update(table).where(col == old).values({col.name: new}))
    settings.SELF_TOWNSHIP.set(session, new)
    session.flush()
    conn.execute(t.delete().where(t.c.id == old))
    session.expire_all()

