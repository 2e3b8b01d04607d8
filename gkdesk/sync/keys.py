"""Keys and enrolment: who this installation is, and whom it trusts.

Each installation has an Ed25519 signing key and a Curve25519 encryption key
(PyNaCl), stored encrypted in ``sync_identity`` (:mod:`.keystore`: the key that
unlocks them never sits in the database or a backup). The public half travels as a
small self-signed *identity file*.

Trust is in two steps. Importing the other side's identity file makes the peer
*pending*; the clerks then read the fingerprint to each other over the phone and the
clerk types back the digits heard (:func:`verify`) — only then is the peer *verified*
(已核验) and packages flow. The fingerprint is 40 digits (> 132 bits) over both public
keys, the unit code and the role, so a file with another unit's code cannot share a
fingerprint with the real one.

The county's registry decides which township a key speaks for: enrolment binds the
code, name, township id and keys (signed by the county, kept in ``sync_peer.enrolment``);
an identity file naming a township id that belongs to another unit, or the county's
own, is refused; every incoming row is checked against the enrolled township
(:mod:`.apply`). The county can revoke a township (lost PC, departed clerk) and enrol
it again. When an installation makes new keys, its new identity file carries an
endorsement signed by the old key, so the other side can accept the change without
re-verifying by phone.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
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
from gkdesk.models.base import new_uuid, utcnow
from gkdesk.models.sync import SyncIdentity, SyncPeer
from gkdesk.models.township import ROLE_COUNTY, ROLE_TOWNSHIP, Township
from gkdesk.sync import enrolment, keystore

IDENTITY_FORMAT = "gkdesk-identity"
IDENTITY_VERSION = 2
IDENTITY_DOMAIN = b"gkdesk/identity/v2\n"
ENDORSE_DOMAIN = b"gkdesk/key-change/v2\n"
ENROL_DOMAIN = enrolment.ENROL_DOMAIN
FPR_DOMAIN = b"gkdesk/fingerprint/v2\n"
FPR_DIGITS = 40  # 10^40 > 2^132


def fingerprint(verify_key_hex: str, box_key_hex: str, code: str, role: str) -> str:
    """40 digits in groups of five, over both keys, the unit code and the role."""
    h = hashlib.sha256(FPR_DOMAIN + role.encode() + b"\n" + code.encode() + b"\n" +
                       bytes.fromhex(verify_key_hex) + bytes.fromhex(box_key_hex)).digest()
    n = int.from_bytes(h[:20], "big") % 10**FPR_DIGITS
    d = f"{n:0{FPR_DIGITS}d}"
    return " ".join(d[i:i + 5] for i in range(0, FPR_DIGITS, 5))


def digits_of(text: str) -> str:
    """What the clerk typed, digits only (spaces, dashes and full-width digits allowed)."""
    table = str.maketrans("０１２３４５６７８９", "0123456789")
    return re.sub(r"\D", "", str(text).translate(table))


@dataclass
class Identity:
    signing: SigningKey
    box: PrivateKey
    code: str = ""
    role: str = ""

    @property
    def verify_hex(self) -> str:
        return self.signing.verify_key.encode(HexEncoder).decode()

    @property
    def box_public_hex(self) -> str:
        return self.box.public_key.encode(HexEncoder).decode()

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.verify_hex, self.box_public_hex, self.code, self.role)


def _me(session: Session) -> tuple[str, str]:
    t = township.current(session)
    return t.code, t.role


def ensure_keys(session: Session, data_dir: Path | None = None) -> Identity:
    """This installation's keys, creating them on first use (encrypted at rest when the
    data directory is known: every caller in the program passes it)."""
    row = session.get(SyncIdentity, 1)
    if row is None:
        sk, bk = SigningKey.generate(), PrivateKey.generate()
        row = SyncIdentity(id=1, signing_seed=sk.encode(HexEncoder).decode(),
                           box_secret=bk.encode(HexEncoder).decode(), installation_id="")
        session.add(row)
        session.flush()
        _restrict(data_dir)
    if data_dir is not None and not row.installation_id:
        row.installation_id = new_uuid()
        kek = keystore.new_kek(Path(data_dir), row.installation_id)
        row.signing_seed = keystore.encrypt_secret(kek, keystore.decrypt_secret(kek, row.signing_seed))
        row.box_secret = keystore.encrypt_secret(kek, keystore.decrypt_secret(kek, row.box_secret))
        session.flush()
    if row.signing_seed.startswith(keystore.ENC_PREFIX):
        if data_dir is None:
            raise keystore.KeysElsewhere("本单位的私钥已加密保存,需要数据目录才能解开")
        kek = keystore.load_kek(Path(data_dir), row.installation_id)
        seed, box = keystore.decrypt_secret(kek, row.signing_seed), keystore.decrypt_secret(kek, row.box_secret)
    else:
        seed, box = row.signing_seed, row.box_secret
    code, role = _me(session)
    return Identity(SigningKey(seed.encode("ascii"), encoder=HexEncoder),
                    PrivateKey(box.encode("ascii"), encoder=HexEncoder), code, role)


def _restrict(data_dir: Path | None) -> None:
    """The database now holds (encrypted) private keys: owner-only where the OS has modes."""
    if data_dir is None or os.name != "posix":
        return
    from gkdesk import paths

    for p in [Path(data_dir) / paths.DB_FILENAME, Path(data_dir) / paths.BACKUP_DIRNAME]:
        if p.exists():
            os.chmod(p, 0o700 if p.is_dir() else 0o600)


def reset_keys(session: Session, operator: str, data_dir: Path | None = None) -> Identity:
    """Replace lost or leaked keys (or keys this PC cannot unlock). When the old keys can
    still be unlocked, the new identity is endorsed by the old signing key."""
    row = session.get(SyncIdentity, 1)
    endorser: SigningKey | None = None
    if row is not None:
        try:
            endorser = ensure_keys(session, data_dir).signing
        except keystore.KeysElsewhere:
            endorser = None  # copied or lost: the other side verifies the new keys by phone
        session.delete(row)
        session.flush()
    ident = ensure_keys(session, data_dir)
    row = session.get(SyncIdentity, 1)
    assert row is not None
    if endorser is not None:
        row.endorsement = json.dumps({
            "previous_verify_key": endorser.verify_key.encode(HexEncoder).decode(),
            "signature": endorser.sign(ENDORSE_DOMAIN + _endorsement_body(ident)).signature.hex()})
    audit.record(session, operator, "keys.reset", ident.fingerprint, endorsed=endorser is not None)
    return ident


def _endorsement_body(ident: Identity) -> bytes:
    return json.dumps({"code": ident.code, "role": ident.role, "verify_key": ident.verify_hex,
                       "box_key": ident.box_public_hex}, sort_keys=True).encode()


def identity_dict(session: Session, data_dir: Path | None = None) -> dict[str, Any]:
    t = township.current(session)
    ident = ensure_keys(session, data_dir)
    body: dict[str, Any] = {"format": IDENTITY_FORMAT, "version": IDENTITY_VERSION, "role": t.role,
                            "code": t.code, "name": t.name, "county": t.county_name, "township_id": t.id,
                            "verify_key": ident.verify_hex, "box_key": ident.box_public_hex,
                            "fingerprint": ident.fingerprint}
    row = session.get(SyncIdentity, 1)
    if row is not None and row.endorsement:
        body["endorsement"] = json.loads(row.endorsement)
    body["signature"] = ident.signing.sign(IDENTITY_DOMAIN + _canonical(body)).signature.hex()
    return body


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps({k: v for k, v in body.items() if k != "signature"}, sort_keys=True,
                      ensure_ascii=False).encode("utf-8")


def export_identity(session: Session, out: Path, data_dir: Path | None = None) -> dict[str, Any]:
    body = identity_dict(session, data_dir)
    from gkdesk.fileio import write_bytes

    write_bytes(Path(out), json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8"))
    return body


_CODE = re.compile(r"^[0-9]{6,12}$")
_HEX32 = re.compile(r"^[0-9a-f]{32}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def read_identity(path: Path) -> dict[str, Any]:
    path = Path(path)
    from gkdesk.sync.container import clean

    shown = clean(path.name)
    try:
        if path.stat().st_size > 64 * 1024:
            raise UnreadableInput(f"文件“{shown}”过大,不是 gkdesk 身份文件")
        body = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise UnreadableInput(f"无法读取身份文件“{shown}”(文件损坏或不是身份文件)") from exc
    need = ("format", "role", "code", "name", "township_id", "verify_key", "box_key", "signature")
    if not isinstance(body, dict) or body.get("format") != IDENTITY_FORMAT or any(k not in body for k in need):
        raise UnreadableInput(f"文件“{shown}”不是 gkdesk 身份文件(身份文件由对方的 gkdesk 导出)")
    if body.get("version") != IDENTITY_VERSION:
        raise InputRejected(f"身份文件“{shown}”是旧版 gkdesk 导出的,为安全起见不再接受:请对方升级 gkdesk 后重新导出")
    ok = (body["role"] in (ROLE_COUNTY, ROLE_TOWNSHIP) and isinstance(body["code"], str) and _CODE.match(body["code"])
          and isinstance(body["name"], str) and 0 < len(body["name"]) <= 64
          and isinstance(body["township_id"], str) and _HEX32.match(body["township_id"])
          and all(isinstance(body[k], str) and _HEX64.match(body[k]) for k in ("verify_key", "box_key"))
          and isinstance(body["signature"], str) and len(body["signature"]) == 128)
    if not ok:
        raise InputRejected(f"身份文件“{shown}”的内容格式不对,文件可能被改动过")
    try:
        VerifyKey(body["verify_key"], encoder=HexEncoder).verify(IDENTITY_DOMAIN + _canonical(body),
                                                                 bytes.fromhex(body["signature"]))
        PublicKey(body["box_key"], encoder=HexEncoder)
    except (BadSignatureError, ValueError, TypeError) as exc:
        raise InputRejected(f"身份文件“{shown}”的签名无效,文件可能被改动过") from exc
    body["name"] = clean(body["name"], 64)
    body["fingerprint"] = fingerprint(body["verify_key"], body["box_key"], body["code"], body["role"])
    return body


def _endorsed_by(body: dict[str, Any], peer: SyncPeer) -> bool:
    """The new identity carries a key-change endorsement signed by the key we trust now."""
    e = body.get("endorsement")
    if not isinstance(e, dict) or e.get("previous_verify_key") != peer.verify_key:
        return False
    msg = json.dumps({"code": body["code"], "role": body["role"], "verify_key": body["verify_key"],
                      "box_key": body["box_key"]}, sort_keys=True).encode()
    try:
        VerifyKey(peer.verify_key.encode("ascii"), encoder=HexEncoder).verify(ENDORSE_DOMAIN + msg, bytes.fromhex(str(e["signature"])))
    except (BadSignatureError, ValueError, TypeError, KeyError):
        return False
    return True


def trust(session: Session, path: Path, operator: str, *, replace: bool = False,
          data_dir: Path | None = None) -> dict[str, Any]:
    """Import another installation's identity file: the peer is *pending* until :func:`verify`.

    A township trusts its county (one county only); a county enrols a township, bound in
    its registry to that township's code and id. Different keys for a known code need
    ``replace=True`` (re-enrolment); a change endorsed by the old key stays verified."""
    me = township.current(session)
    body = read_identity(path)
    shown = Path(path).name
    if body["role"] == me.role:
        raise InputRejected(f"身份文件“{shown}”属于{township.ROLE_LABELS[body['role']]}“{body['name']}”,"
                            f"与本单位角色相同,不能互相信任(乡镇信任县级,县级登记乡镇)")
    if body["code"] == me.code or body["township_id"] == me.id:
        raise InputRejected(f"身份文件“{shown}”使用了本单位自己的代码或编号,不能信任(可能是伪造的身份文件)")
    peer = session.scalar(select(SyncPeer).where(SyncPeer.code == body["code"]))
    if me.role == ROLE_TOWNSHIP:
        other = session.scalar(select(SyncPeer).where(SyncPeer.role == ROLE_COUNTY, SyncPeer.code != body["code"]))
        if other is not None and not replace:
            raise InputRejected(f"本乡镇已信任县级“{other.name}”({other.code})。如县级单位更换,需要重新登记",
                                hint=Hint.REPLACE_TRUST)
        if other is not None:
            session.delete(other)
    else:
        _check_binding(session, body, peer)
    replaced = None
    endorsed = False
    if peer is not None:
        same = peer.verify_key == body["verify_key"] and peer.box_key == body["box_key"]
        if same and peer.revoked_at is None:
            if me.role == ROLE_TOWNSHIP and _take_enrolment(session, body, peer, shown, data_dir):
                adopted = adopt_enrolment(session, operator)
                return {"status": "enrolled", "peer": peer_dict(peer), "adopted": adopted}
            return {"status": "unchanged", "peer": peer_dict(peer)}
        endorsed = not same and _endorsed_by(body, peer)
        if not replace and not endorsed:
            what = "已被撤销登记" if peer.revoked_at else f"已登记,指纹 {peer.fingerprint};新文件指纹 {body['fingerprint']} 不同"
            raise InputRejected(f"“{peer.name}”({peer.code}){what}", hint=Hint.REPLACE_TRUST)
        replaced = peer.fingerprint
        if not endorsed:
            peer.verified_at = None
    else:
        # the county's registry assigns the township id (never the file); a township keeps
        # the id of its county's file only as a label
        tid = enrolment.assign_id(session, body["code"], None) if me.role == ROLE_COUNTY else body["township_id"]
        peer = SyncPeer(code=body["code"], role=body["role"], name=body["name"], verify_key="", box_key="",
                        fingerprint="", township_id=tid)
        session.add(peer)
    peer.name, peer.verify_key, peer.box_key = body["name"], body["verify_key"], body["box_key"]
    peer.fingerprint = body["fingerprint"]
    peer.revoked_at = None
    if me.role == ROLE_COUNTY:
        _register_township(session, body, peer.township_id)
        signer = ensure_keys(session, data_dir).signing if data_dir is not None else None
        peer.enrolment = json.dumps(enrolment.record(me, peer, signer), ensure_ascii=False)
    else:
        _take_enrolment(session, body, peer, shown, data_dir)
    session.flush()
    audit.record(session, operator, "keys.trust", body["code"], name=body["name"], fingerprint=body["fingerprint"],
                 replaced=replaced, endorsed=endorsed)
    status = "replaced" if replaced else "trusted"
    return {"status": status, "peer": peer_dict(peer), "old_fingerprint": replaced, "endorsed": endorsed}


def _check_binding(session: Session, body: dict[str, Any], peer: SyncPeer | None) -> None:
    """The county's registry decides: a township id belongs to one code, for good."""
    owner = session.scalar(select(SyncPeer).where(SyncPeer.township_id == body["township_id"]))
    if owner is not None and owner.code != body["code"]:
        raise InputRejected(f"身份文件“{body['name']}”({body['code']})使用的乡镇编号已登记给“{owner.name}”"
                            f"({owner.code}),不能登记(可能是伪造或复制的身份文件)")
    row = session.get(Township, body["township_id"])
    if row is not None and (row.code != body["code"] or row.role != ROLE_TOWNSHIP):
        raise InputRejected(f"身份文件“{body['name']}”({body['code']})使用的编号属于本县登记册中的"
                            f"“{row.name}”({row.code}),不能登记(可能是伪造的身份文件)")


def _register_township(session: Session, body: dict[str, Any], tid: str) -> None:
    """The county's registry row for an enrolled code, under the id the registry assigned."""
    if session.get(Township, tid) is not None:
        return  # a code the county already knows (re-enrolment, or records it holds): kept
    # revision 0: the township's own row (revision ≥ 1) replaces it on the first package.
    session.add(Township(id=tid, code=body["code"], name=body["name"],
                         county_name=str(body.get("county", ""))[:64], role=ROLE_TOWNSHIP, revision=0))


def _take_enrolment(session: Session, body: dict[str, Any], peer: SyncPeer, shown: str,
                    data_dir: Path | None) -> bool:
    """Township: keep the enrolment an enrolment file carries (checked against this unit and
    its current keys); True if it is new. It is adopted once the county is verified."""
    rec = body.get("enrolment")
    if rec is None:
        return False
    me = township.current(session)
    rec = enrolment.check(rec, body["verify_key"], me, ensure_keys(session, data_dir), shown)
    new = json.dumps(rec, ensure_ascii=False)
    if new == peer.enrolment:
        return False
    peer.enrolment = new
    return True


def adopt_enrolment(session: Session, operator: str) -> bool:
    """Township: take the township id the verified county assigned (see :mod:`.enrolment`)."""
    return enrolment.adopt(session, operator)


def enrolment_file(session: Session, code: str, out: Path, data_dir: Path | None = None) -> dict[str, Any]:
    """County: this county's identity file with the signed enrolment of township ``code``
    inside — what the township imports to learn the id the county assigned it."""
    me = township.current(session)
    if me.role != ROLE_COUNTY:
        raise InputRejected("只有县级单位可以写登记文件")
    peer = session.scalar(select(SyncPeer).where(SyncPeer.code == str(code).strip(), SyncPeer.role == ROLE_TOWNSHIP))
    if peer is None:
        raise NotFound(f"没有登记代码为 {str(code)[:12]} 的乡镇", hint=Hint.TRUST_KEY)
    if peer.revoked_at is not None:
        raise InputRejected(f"“{peer.name}”({peer.code})的登记已撤销,请先导入其新的身份文件重新登记", hint=Hint.ENROL)
    ident = ensure_keys(session, data_dir)
    rec = enrolment.current_record(peer, me, ident.signing)
    body = {k: v for k, v in identity_dict(session, data_dir).items() if k != "signature"}
    body["enrolment"] = rec
    body["signature"] = ident.signing.sign(IDENTITY_DOMAIN + _canonical(body)).signature.hex()
    from gkdesk.fileio import write_bytes

    write_bytes(Path(out), json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8"))
    return {"peer": peer_dict(peer), "township_id": peer.township_id, "file": str(out)}


def verify(session: Session, code: str, typed: str, operator: str) -> dict[str, Any]:
    """The clerk typed back the fingerprint digits heard on the phone: the peer is 已核验."""
    peer = session.scalar(select(SyncPeer).where(SyncPeer.code == str(code).strip()))
    if peer is None:
        raise NotFound(f"没有登记代码为 {str(code)[:12]} 的单位", hint=Hint.TRUST_KEY)
    got, want = digits_of(typed), digits_of(peer.fingerprint)
    if len(got) != len(want):
        raise InputRejected(f"请输入对方读出的全部 {len(want)} 位数字(现在是 {len(got)} 位)")
    if got != want:
        wrong = next(i for i in range(len(want)) if got[i] != want[i]) // 5 + 1
        raise InputRejected(f"输入的数字与“{peer.name}”身份文件的指纹不一致(第 {wrong} 组不同)。"
                            "请再核对一次;仍不一致时不要信任这个文件,它可能被调换过")
    already = peer.verified_at is not None
    if not already:
        peer.verified_at = utcnow()
        audit.record(session, operator, "keys.verify", peer.code, name=peer.name, fingerprint=peer.fingerprint)
    adopted = peer.role == ROLE_COUNTY and adopt_enrolment(session, operator)
    return {"status": "unchanged" if already and not adopted else "verified", "peer": peer_dict(peer),
            "adopted": adopted}


def revoke(session: Session, code: str, operator: str) -> dict[str, Any]:
    """County: stop accepting packages signed by this township's key (lost PC, departed clerk).
    Its data stays; it is enrolled again with its new identity file (``replace``)."""
    me = township.current(session)
    if me.role != ROLE_COUNTY:
        raise InputRejected("只有县级单位可以撤销乡镇的登记")
    peer = session.scalar(select(SyncPeer).where(SyncPeer.code == str(code).strip(), SyncPeer.role == ROLE_TOWNSHIP))
    if peer is None:
        raise NotFound(f"没有登记代码为 {str(code)[:12]} 的乡镇", hint=Hint.TRUST_KEY)
    if peer.revoked_at is None:
        peer.revoked_at = utcnow()
        audit.record(session, operator, "keys.revoke", peer.code, name=peer.name, fingerprint=peer.fingerprint)
    return {"status": "revoked", "peer": peer_dict(peer)}


def peer_state(p: SyncPeer) -> str:
    if p.revoked_at is not None:
        return "已撤销"
    return "已核验" if p.verified_at is not None else "待核验"


def peer_dict(p: SyncPeer) -> dict[str, Any]:
    return {"code": p.code, "name": p.name, "role": p.role, "fingerprint": p.fingerprint,
            "state": peer_state(p), "verified": p.verified_at is not None, "revoked": p.revoked_at is not None,
            "last_seq_in": p.last_seq_in, "last_seq_out": p.last_seq_out, "acked_seq": p.acked_seq,
            "last_package_at": p.last_package_at.isoformat(timespec="seconds") if p.last_package_at else None}


def peers(session: Session) -> list[SyncPeer]:
    return list(session.scalars(select(SyncPeer).order_by(SyncPeer.code)))


def county_peer(session: Session) -> SyncPeer:
    p = session.scalar(select(SyncPeer).where(SyncPeer.role == ROLE_COUNTY))
    if p is None:
        raise NotFound("尚未信任县级单位的身份文件。请向县政务公开办索取身份文件", hint=Hint.TRUST_KEY)
    return p


def require_verified(p: SyncPeer) -> None:
    """Packages flow only with a verified, not revoked peer."""
    if p.revoked_at is not None:
        raise InputRejected(f"“{p.name}”({p.code})的登记已被撤销,不再收发同步包", hint=Hint.ENROL)
    if p.verified_at is None:
        raise InputRejected(f"“{p.name}”({p.code})的指纹尚未核验:请电话核对指纹并输入对方读出的数字后再收发同步包",
                            hint=Hint.VERIFY_PEER, unit=p.code)
