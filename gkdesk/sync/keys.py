"""Keys and enrolment: who this installation is, and whom it trusts.

Each installation has an Ed25519 signing key and a Curve25519 encryption key
(PyNaCl). They are made at ``init`` or at first use and kept in the database
(table ``sync_identity``) so every backup carries them. The public half travels
as a small JSON *identity file*; the other side trusts it after both clerks read
the fingerprint to each other over the phone.

Losing the keys is not fatal: ``gkdesk keys reset`` makes new ones and the other
side trusts the new identity file again (``keys trust --replace``).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nacl.encoding import HexEncoder
from nacl.exceptions import BadSignatureError
from nacl.public import PrivateKey, PublicKey
from nacl.signing import SigningKey, VerifyKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from gkdesk import audit, township
from gkdesk.errors import InputRejected, NotFound, UnreadableInput
from gkdesk.hints import Hint
from gkdesk.models.sync import SyncIdentity, SyncPeer
from gkdesk.models.township import ROLE_COUNTY, ROLE_TOWNSHIP, Township

IDENTITY_FORMAT = "gkdesk-identity"


def fingerprint(verify_key_hex: str, box_key_hex: str) -> str:
    """20 hex digits in groups of four, short enough to read out by phone."""
    h = hashlib.sha256(bytes.fromhex(verify_key_hex) + bytes.fromhex(box_key_hex)).hexdigest()[:20].upper()
    return "-".join(h[i:i + 4] for i in range(0, 20, 4))


@dataclass
class Identity:
    signing: SigningKey
    box: PrivateKey

    @property
    def verify_hex(self) -> str:
        return self.signing.verify_key.encode(HexEncoder).decode()

    @property
    def box_public_hex(self) -> str:
        return self.box.public_key.encode(HexEncoder).decode()

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.verify_hex, self.box_public_hex)


def ensure_keys(session: Session, data_dir: Path | None = None) -> Identity:
    """This installation's keys, creating them on first use."""
    row = session.get(SyncIdentity, 1)
    if row is None:
        sk, bk = SigningKey.generate(), PrivateKey.generate()
        row = SyncIdentity(id=1, signing_seed=sk.encode(HexEncoder).decode(),
                           box_secret=bk.encode(HexEncoder).decode())
        session.add(row)
        session.flush()
        _restrict(data_dir)
    return Identity(SigningKey(row.signing_seed, encoder=HexEncoder), PrivateKey(row.box_secret, encoder=HexEncoder))


def _restrict(data_dir: Path | None) -> None:
    """The database now holds private keys: owner-only permissions where the OS has them."""
    if data_dir is None or os.name != "posix":
        return
    from gkdesk import paths

    for p in [Path(data_dir) / paths.DB_FILENAME, Path(data_dir) / paths.BACKUP_DIRNAME]:
        if p.exists():
            os.chmod(p, 0o700 if p.is_dir() else 0o600)


def reset_keys(session: Session, operator: str, data_dir: Path | None = None) -> Identity:
    """Replace lost or leaked keys; the other side must trust the new identity file."""
    row = session.get(SyncIdentity, 1)
    if row is not None:
        session.delete(row)
        session.flush()
    ident = ensure_keys(session, data_dir)
    audit.record(session, operator, "keys.reset", ident.fingerprint)
    return ident


def identity_dict(session: Session, data_dir: Path | None = None) -> dict[str, Any]:
    t = township.current(session)
    ident = ensure_keys(session, data_dir)
    body = {"format": IDENTITY_FORMAT, "version": 1, "role": t.role, "code": t.code, "name": t.name,
            "county": t.county_name, "township_id": t.id, "verify_key": ident.verify_hex,
            "box_key": ident.box_public_hex, "fingerprint": ident.fingerprint}
    body["signature"] = ident.signing.sign(_canonical(body)).signature.hex()
    return body


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps({k: v for k, v in body.items() if k != "signature"}, sort_keys=True,
                      ensure_ascii=False).encode("utf-8")


def export_identity(session: Session, out: Path, data_dir: Path | None = None) -> dict[str, Any]:
    body = identity_dict(session, data_dir)
    out = Path(out)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(json.dumps(body, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, out)
    return body


def read_identity(path: Path) -> dict[str, Any]:
    path = Path(path)
    try:
        body = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UnreadableInput(f"无法读取身份文件“{path.name}”:{exc}") from exc
    need = ("format", "role", "code", "name", "township_id", "verify_key", "box_key", "signature")
    if not isinstance(body, dict) or body.get("format") != IDENTITY_FORMAT or any(k not in body for k in need):
        raise UnreadableInput(f"文件“{path.name}”不是 gkdesk 身份文件(身份文件由对方的 gkdesk 导出)")
    try:
        VerifyKey(body["verify_key"], encoder=HexEncoder).verify(_canonical(body), bytes.fromhex(body["signature"]))
        PublicKey(body["box_key"], encoder=HexEncoder)
    except (BadSignatureError, ValueError, TypeError) as exc:
        raise InputRejected(f"身份文件“{path.name}”的签名无效,文件可能被改动过") from exc
    body["fingerprint"] = fingerprint(body["verify_key"], body["box_key"])
    return body


def trust(session: Session, path: Path, operator: str, *, replace: bool = False) -> dict[str, Any]:
    """Trust another installation's identity file.

    A township trusts its county (one county only); a county registers a township,
    which also creates that township's row with the township's own id so its records
    attach to it. Different keys for a known code need ``replace=True`` (re-enrolment).
    """
    me = township.current(session)
    body = read_identity(path)
    if body["role"] == me.role:
        raise InputRejected(f"身份文件“{Path(path).name}”属于{township.ROLE_LABELS[body['role']]}“{body['name']}”,"
                            f"与本单位角色相同,不能互相信任(乡镇信任县级,县级登记乡镇)")
    if body["code"] == me.code:
        raise InputRejected("不能信任本单位自己的身份文件")
    peer = session.scalar(select(SyncPeer).where(SyncPeer.code == body["code"]))
    if me.role == ROLE_TOWNSHIP:
        other = session.scalar(select(SyncPeer).where(SyncPeer.role == ROLE_COUNTY, SyncPeer.code != body["code"]))
        if other is not None and not replace:
            raise InputRejected(f"本乡镇已信任县级“{other.name}”({other.code})。如县级单位更换,需要重新登记",
                                hint=Hint.REPLACE_TRUST)
        if other is not None:
            session.delete(other)
    replaced = None
    if peer is not None:
        if peer.verify_key == body["verify_key"] and peer.box_key == body["box_key"]:
            return {"status": "unchanged", "peer": peer_dict(peer)}
        if not replace:
            raise InputRejected(f"“{peer.name}”({peer.code})已登记,指纹 {peer.fingerprint};新文件指纹 "
                                f"{body['fingerprint']} 不同", hint=Hint.REPLACE_TRUST)
        if peer.township_id and body["township_id"] != peer.township_id:
            raise InputRejected(f"“{peer.name}”的数据目录是新建的(编号不同)。请对方从备份恢复原数据目录后再导出身份文件")
        replaced = peer.fingerprint
    else:
        peer = SyncPeer(code=body["code"], role=body["role"], name=body["name"], verify_key="", box_key="",
                        fingerprint="", township_id=body["township_id"])
        session.add(peer)
    peer.name, peer.verify_key, peer.box_key = body["name"], body["verify_key"], body["box_key"]
    peer.fingerprint = body["fingerprint"]
    if me.role == ROLE_COUNTY:
        _register_township(session, body)
    session.flush()
    audit.record(session, operator, "keys.trust", body["code"], name=body["name"], fingerprint=body["fingerprint"],
                 replaced=replaced)
    return {"status": "replaced" if replaced else "trusted", "peer": peer_dict(peer), "old_fingerprint": replaced}


def _register_township(session: Session, body: dict[str, Any]) -> None:
    existing = session.get(Township, body["township_id"])
    if existing is not None:
        return
    clash = session.scalar(select(Township).where(Township.code == body["code"]))
    if clash is not None:
        raise InputRejected(f"区划代码 {body['code']} 已被“{clash.name}”占用,不能登记“{body['name']}”")
    # revision 0: the township's own row (revision ≥ 1) replaces it on the first package.
    session.add(Township(id=body["township_id"], code=body["code"], name=body["name"],
                         county_name=body.get("county", ""), role=ROLE_TOWNSHIP, revision=0))


def peer_dict(p: SyncPeer) -> dict[str, Any]:
    return {"code": p.code, "name": p.name, "role": p.role, "fingerprint": p.fingerprint,
            "last_seq_in": p.last_seq_in, "last_seq_out": p.last_seq_out, "acked_seq": p.acked_seq,
            "last_package_at": p.last_package_at.isoformat(timespec="seconds") if p.last_package_at else None}


def peers(session: Session) -> list[SyncPeer]:
    return list(session.scalars(select(SyncPeer).order_by(SyncPeer.code)))


def county_peer(session: Session) -> SyncPeer:
    p = session.scalar(select(SyncPeer).where(SyncPeer.role == ROLE_COUNTY))
    if p is None:
        raise NotFound("尚未信任县级单位的身份文件。请向县政务公开办索取身份文件", hint=Hint.TRUST_KEY)
    return p
