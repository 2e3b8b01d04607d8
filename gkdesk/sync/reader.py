"""Reading a ``.gkpkg``: authenticate first, then stream, with bounded memory.

Order (each step refuses with a Chinese reason, nothing changed):

1. the container: exactly ``header.json`` (≤ 64 KiB) and a stored ``payload.bin``
   within the size limit, read from the file on disk — never the whole file in memory;
   split parts are checked field by field and joined by streaming into a temporary file;
2. every header field validated by type and range (a forged ``"seq":"abc"`` is a
   refusal, not a crash);
3. the header signature verified with the key registered for the sender — before
   the header's recipient, kind, number or package id decide anything
   (:func:`verify_header`);
4. the payload decrypted in 64 KiB chunks into a temporary file while its SHA-256 is
   compared with the signed one; the inner zip then checked member by member.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeGuard

from nacl import bindings as nb
from nacl.encoding import HexEncoder
from nacl.exceptions import BadSignatureError, CryptoError
from nacl.public import PrivateKey, SealedBox
from nacl.signing import VerifyKey

from gkdesk.hints import Hint
from gkdesk.sync.container import (
    _CODE,
    _FPR,
    _HEX32,
    _HEX64,
    _MEMBER,
    _PART_NAME,
    _SEALED_KEY,
    _SS_ABYTES,
    _SS_HEADER,
    CHUNK,
    FORMAT_VERSION,
    HEADER_DOMAIN,
    KINDS,
    MAX_HEADER_BYTES,
    MAX_MANIFEST_BYTES,
    MAX_MEMBERS,
    MAX_PACKAGE_BYTES,
    MAX_PARTS,
    MAX_RATIO,
    MAX_SEQ,
    MAX_UNPACKED_BYTES,
    PACKAGE_FORMAT,
    PART_FORMAT,
    SUFFIX,
    PackageRefused,
    canonical,
    clean,
    sha256,
)

FIELD_LABELS = {"format": "格式", "version": "格式版本", "package_id": "包编号", "kind": "类型",
                "sender_code": "发送方代码", "sender_name": "发送方名称", "sender_fingerprint": "发送方指纹",
                "recipient_code": "接收方代码", "recipient_fingerprint": "接收方指纹", "seq": "序号",
                "based_on": "基准包号", "created_at": "制作时间", "resync": "重新同步标记",
                "payload_sha256": "内容校验和", "payload_size": "内容大小", "signature": "签名",
                "index": "分卷序号", "count": "分卷数", "stem": "包名", "whole_sha256": "整包校验和",
                "whole_size": "整包大小"}


def _int(v: object) -> TypeGuard[int]:
    return isinstance(v, int) and not isinstance(v, bool)


def _bad(name: str, key: str) -> PackageRefused:
    return PackageRefused(f"文件“{name}”的包头字段“{FIELD_LABELS.get(key, clean(key, 20))}”无效"
                          "(可能是伪造或损坏的包),已拒绝")


def _directory_ok(path: Path, max_entries: int, max_dir_bytes: int) -> bool:
    """Read the zip's end record ourselves: ``zipfile`` would allocate an object for every
    central-directory entry (millions in a hostile file) before we could count them."""
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        f.seek(max(0, size - (65536 + 22)))
        tail = f.read()
    i = tail.rfind(b"PK\x05\x06")
    if i < 0 or len(tail) - i < 22:
        return True  # not a zip at all: zipfile says so in its own words
    entries = int.from_bytes(tail[i + 10:i + 12], "little")
    dir_bytes = int.from_bytes(tail[i + 12:i + 16], "little")
    return entries <= max_entries and dir_bytes <= max_dir_bytes


def _zip(path: Path, name: str, max_entries: int = 4, max_dir_bytes: int = 64 * 1024) -> zipfile.ZipFile:
    try:
        if not _directory_ok(path, max_entries, max_dir_bytes):
            raise PackageRefused(f"文件“{name}”的结构不对(成员过多),已拒绝")
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise PackageRefused(f"文件“{name}”已损坏或不完整(不是有效的同步包)") from exc


def _exact_members(z: zipfile.ZipFile, name: str, allowed: set[str]) -> dict[str, zipfile.ZipInfo]:
    infos = z.infolist()
    out = {}
    for i in infos[:len(allowed) + 1]:
        if i.filename not in allowed or i.filename in out:
            raise PackageRefused(f"文件“{name}”含有不安全的成员名“{clean(i.filename)}”(可能试图写到别处),已拒绝")
        out[i.filename] = i
    if set(out) != allowed:
        missing = sorted(allowed - set(out))[0]
        raise PackageRefused(f"文件“{name}”缺少“{missing}”,不完整")
    return out


def _read_small(z: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limit: int, what: str) -> dict[str, Any]:
    if info.file_size > limit or info.compress_size > limit:
        raise PackageRefused(f"文件“{name}”的{what}过大,已拒绝")
    try:
        with z.open(info) as f:
            raw = f.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise PackageRefused(f"文件“{name}”的{what}已损坏(校验失败)") from exc
    if len(raw) > limit:
        raise PackageRefused(f"文件“{name}”的{what}过大,已拒绝")
    try:
        obj = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise PackageRefused(f"文件“{name}”的{what}已损坏(不是有效的 JSON)") from exc
    if not isinstance(obj, dict):
        raise PackageRefused(f"文件“{name}”的{what}格式不对")
    return obj


# --- parts ------------------------------------------------------------------------------

def _part_meta(path: Path, max_bytes: int) -> tuple[dict[str, Any], zipfile.ZipInfo, zipfile.ZipFile]:
    name = clean(path.name)
    z = _zip(path, name)
    infos = _exact_members(z, name, {"part.json", "data.bin"})
    m = _read_small(z, infos["part.json"], name, 4096, "分卷说明")
    if m.get("format") != PART_FORMAT:
        raise PackageRefused(f"文件“{name}”不是同步包的分卷")
    count, index, size = m.get("count"), m.get("index"), m.get("whole_size")
    if not _int(count) or not 1 <= count <= MAX_PARTS:
        raise _bad(name, "count")
    if not _int(index) or not 1 <= index <= count:
        raise _bad(name, "index")
    if not isinstance(m.get("whole_sha256"), str) or not _HEX64.match(m["whole_sha256"]):
        raise _bad(name, "whole_sha256")
    if not _int(size) or not 0 < size <= max_bytes:
        raise _bad(name, "whole_size")
    if not isinstance(m.get("stem"), str) or not 0 < len(m["stem"]) <= 200:
        raise _bad(name, "stem")
    data = infos["data.bin"]
    if data.compress_type != zipfile.ZIP_STORED or data.file_size > max_bytes:
        raise PackageRefused(f"分卷“{name}”的结构不对或过大,已拒绝")
    return m, data, z


def _join_parts(paths: list[Path], out: Path, max_bytes: int) -> str:
    """Join the parts of one split package (any order) into ``out``; returns the package name."""
    if len(paths) > MAX_PARTS:
        raise PackageRefused(f"分卷过多(超过 {MAX_PARTS} 个),已拒绝")
    parts: dict[int, tuple[Path, zipfile.ZipInfo, zipfile.ZipFile]] = {}
    meta: dict[str, Any] | None = None
    try:
        for p in paths:
            m, info, z = _part_meta(p, max_bytes)
            if meta is not None and (m["whole_sha256"], m["count"]) != (meta["whole_sha256"], meta["count"]):
                z.close()
                raise PackageRefused(f"分卷“{clean(p.name)}”与同组其他分卷不属于同一个同步包")
            meta = m
            if m["index"] in parts:
                z.close()
                raise PackageRefused(f"分卷“{clean(p.name)}”重复")
            parts[m["index"]] = (p, info, z)
        assert meta is not None
        stem = clean(meta["stem"], 200)
        missing = [i for i in range(1, meta["count"] + 1) if i not in parts]
        if missing:
            shown = "、".join(map(str, missing[:10])) + ("……" if len(missing) > 10 else "")
            raise PackageRefused(f"同步包“{stem}”共 {meta['count']} 个分卷,缺少第 {shown} 卷,请一并导入")
        h, total = hashlib.sha256(), 0
        with open(out, "wb") as f:
            for i in range(1, meta["count"] + 1):
                _p, info, z = parts[i]
                try:
                    with z.open(info) as src:
                        while chunk := src.read(CHUNK * 16):
                            total += len(chunk)
                            if total > meta["whole_size"]:
                                raise PackageRefused(f"同步包“{stem}”的分卷拼接后大小不符,已拒绝")
                            h.update(chunk)
                            f.write(chunk)
                except (zipfile.BadZipFile, OSError, EOFError) as exc:
                    raise PackageRefused(f"同步包“{stem}”的第 {i} 卷已损坏(校验失败)") from exc
        if total != meta["whole_size"] or h.hexdigest() != meta["whole_sha256"]:
            raise PackageRefused(f"同步包“{stem}”的分卷拼接后校验失败(某个分卷已损坏)")
        return stem + SUFFIX
    finally:
        for _p, _i, z in parts.values():
            z.close()


def group_files(paths: list[Path]) -> list[tuple[str, list[Path]]]:
    """Group the given files into packages: a whole file alone, parts by their stem."""
    groups: dict[str, list[Path]] = {}
    order: list[str] = []
    for p in paths:
        m = _PART_NAME.match(p.name)
        key = "part:" + str(p.parent / m.group("stem")) if m else "file:" + str(p)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(p)
    return [(k, groups[k]) for k in order]


@contextmanager
def staged(paths: list[Path], work: Path, max_bytes: int = MAX_PACKAGE_BYTES) -> Iterator[tuple[str, Path]]:
    """The package as one file on disk: a whole file as it is, parts joined into ``work``."""
    if len(paths) == 1 and ".part" not in paths[0].name:
        p = paths[0]
        try:
            size = p.stat().st_size
        except OSError as exc:
            raise PackageRefused(f"无法读取文件“{clean(p.name)}”:{exc.strerror or '读取失败'}") from exc
        if size > max_bytes:
            raise PackageRefused(f"文件“{clean(p.name)}”过大({size // (1024 * 1024)} MB,"
                                 f"上限 {max_bytes // (1024 * 1024)} MB),已拒绝")
        yield clean(p.name, 200), p
        return
    fd, tmp = tempfile.mkstemp(prefix="join-", suffix=".tmp", dir=work)
    os.close(fd)
    try:
        name = _join_parts(paths, Path(tmp), max_bytes)
        yield name, Path(tmp)
    finally:
        Path(tmp).unlink(missing_ok=True)


# --- header -----------------------------------------------------------------------------

def check_header(h: dict[str, Any], name: str) -> dict[str, Any]:
    """Every header field by type and range; returns the header with ``created_at`` parsed
    under ``created``. Format 1 (before signed headers) is refused with its own message."""
    if h.get("format") != PACKAGE_FORMAT:
        raise PackageRefused(f"文件“{name}”不是 gkdesk 同步包")
    v = h.get("version")
    if not _int(v):
        raise _bad(name, "version")
    if v < FORMAT_VERSION:
        raise PackageRefused(f"文件“{name}”是旧版 gkdesk 生成的同步包(包格式 {v}),为安全起见本机不再接受:"
                             "请对方升级 gkdesk 后重新导出")
    if v > FORMAT_VERSION:
        raise PackageRefused(f"文件“{name}”由更新版本的 gkdesk 生成(包格式 {v}),请升级本机 gkdesk")
    checks = {
        "package_id": lambda x: isinstance(x, str) and bool(_HEX32.match(x)),
        "kind": lambda x: x in KINDS,
        "sender_code": lambda x: isinstance(x, str) and bool(_CODE.match(x)),
        "recipient_code": lambda x: isinstance(x, str) and bool(_CODE.match(x)),
        "sender_name": lambda x: isinstance(x, str) and 0 < len(x) <= 64,
        "sender_fingerprint": lambda x: isinstance(x, str) and bool(_FPR.match(x)),
        "recipient_fingerprint": lambda x: isinstance(x, str) and bool(_FPR.match(x)),
        "seq": lambda x: _int(x) and 1 <= x <= MAX_SEQ,
        "based_on": lambda x: _int(x) and 0 <= x <= MAX_SEQ,
        "created_at": lambda x: isinstance(x, str) and len(x) <= 40,
        "payload_sha256": lambda x: isinstance(x, str) and bool(_HEX64.match(x)),
        "payload_size": lambda x: _int(x) and _SEALED_KEY + _SS_HEADER + _SS_ABYTES <= x <= MAX_PACKAGE_BYTES,
        "signature": lambda x: isinstance(x, str) and len(x) == 128,
    }
    for key, ok in checks.items():
        if not ok(h.get(key)):
            raise _bad(name, key)
    if "resync" in h and not isinstance(h["resync"], bool):
        raise _bad(name, "resync")
    try:
        created = datetime.fromisoformat(h["created_at"])
    except ValueError as exc:
        raise _bad(name, "created_at") from exc
    if created.tzinfo is not None:
        raise _bad(name, "created_at")
    return dict(h, created=created)


def read_header(path: Path, name: str, max_bytes: int = MAX_PACKAGE_BYTES) -> dict[str, Any]:
    """The clear header, validated but NOT yet authenticated (see :func:`verify_header`)."""
    with _zip(path, name) as z:
        infos = _exact_members(z, name, {"header.json", "payload.bin"})
        payload = infos["payload.bin"]
        if payload.compress_type != zipfile.ZIP_STORED or payload.file_size != payload.compress_size:
            raise PackageRefused(f"文件“{name}”的结构不对(内容被压缩),已拒绝")
        if payload.file_size > max_bytes:
            raise PackageRefused(f"文件“{name}”过大,已拒绝")
        h = _read_small(z, infos["header.json"], name, MAX_HEADER_BYTES, "包头")
    h = check_header(h, name)
    if h["payload_size"] != payload.file_size:
        raise PackageRefused(f"文件“{name}”已损坏或被截断(大小不符)")
    return h


def verify_header(h: dict[str, Any], name: str, verify_hex: str, sender: str = "发送方") -> None:
    """The sender's signature over the whole header (domain-separated)."""
    body = {k: v for k, v in h.items() if k != "created"}
    try:
        VerifyKey(verify_hex.encode("ascii"), encoder=HexEncoder).verify(HEADER_DOMAIN + canonical(body),
                                                         bytes.fromhex(body["signature"]))
    except (BadSignatureError, ValueError) as exc:
        raise PackageRefused(f"文件“{name}”的签名与“{sender}”登记的密钥(指纹)不符(可能是伪造的包,"
                             "或对方更换了密钥),已拒绝", hint=Hint.REPLACE_TRUST) from exc


# --- payload ----------------------------------------------------------------------------

@dataclass
class Opened:
    header: dict[str, Any]
    manifest: dict[str, Any]
    members: dict[str, bytes]
    payload_sha256: str


def _decrypt_to(path: Path, h: dict[str, Any], name: str, my_box: PrivateKey, out: Path) -> None:
    digest = hashlib.sha256()
    with _zip(path, name) as z, z.open("payload.bin") as src, open(out, "wb") as dst:
        def take(n: int) -> bytes:
            b = src.read(n)
            digest.update(b)
            return b

        try:
            sealed_key = take(_SEALED_KEY)
            ss_header = take(_SS_HEADER)
            try:
                key = SealedBox(my_box).decrypt(sealed_key)
                state = nb.crypto_secretstream_xchacha20poly1305_state()
                nb.crypto_secretstream_xchacha20poly1305_init_pull(state, ss_header, key)
            except (CryptoError, ValueError, TypeError) as exc:
                raise PackageRefused(f"文件“{name}”无法解密:它不是发给本单位的,或已损坏") from exc
            final = False
            while chunk := take(CHUNK + _SS_ABYTES):
                if final:
                    raise PackageRefused(f"文件“{name}”在结尾之后还有多余内容,已拒绝")
                try:
                    plain, tag = nb.crypto_secretstream_xchacha20poly1305_pull(state, chunk, None)
                except (CryptoError, ValueError, RuntimeError) as exc:
                    raise PackageRefused(f"文件“{name}”的加密内容已损坏或被改动,已拒绝") from exc
                final = tag == nb.crypto_secretstream_xchacha20poly1305_TAG_FINAL
                dst.write(plain)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise PackageRefused(f"文件“{name}”已损坏或被截断(校验失败)") from exc
    if digest.hexdigest() != h["payload_sha256"]:
        raise PackageRefused(f"文件“{name}”的内容与签名的校验和不符(已损坏或被改动),已拒绝")
    if not final:
        raise PackageRefused(f"文件“{name}”不完整(加密内容被截断),已拒绝")


def _inner_members(z: zipfile.ZipFile, name: str) -> list[zipfile.ZipInfo]:
    infos = z.infolist()
    if len(infos) > MAX_MEMBERS:
        raise PackageRefused(f"文件“{name}”的成员过多,已拒绝")
    total, seen = 0, set()
    for info in infos:
        n = info.filename
        if not _MEMBER.match(n) or n in seen:
            raise PackageRefused(f"文件“{name}”含有不安全的成员名“{clean(n)}”(可能试图写到别处),已拒绝")
        seen.add(n)
        total += info.file_size
        if total > MAX_UNPACKED_BYTES:
            raise PackageRefused(f"文件“{name}”解压后过大,已拒绝")
        if info.file_size > (1 << 20) and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise PackageRefused(f"文件“{name}”的成员“{clean(n)}”压缩比异常(疑似“压缩炸弹”),已拒绝")
    return infos


def open_payload(path: Path, h: dict[str, Any], name: str, my_box: PrivateKey, work: Path) -> Opened:
    """Decrypt (streaming, hash-checked against the signed header) and read the inner zip."""
    fd, tmp = tempfile.mkstemp(prefix="inner-", suffix=".tmp", dir=work)
    os.close(fd)
    try:
        _decrypt_to(path, h, name, my_box, Path(tmp))
        with _zip(Path(tmp), name, MAX_MEMBERS, MAX_MEMBERS * 1024) as z:
            infos = {i.filename: i for i in _inner_members(z, name)}
            if "manifest.json" not in infos:
                raise PackageRefused(f"文件“{name}”缺少清单,不完整")
            manifest = _read_small(z, infos.pop("manifest.json"), name, MAX_MANIFEST_BYTES, "清单")
            signed = {k: v for k, v in h.items() if k not in ("payload_sha256", "payload_size", "signature", "created")}
            if manifest.get("header") != signed:
                raise PackageRefused(f"文件“{name}”的包头与加密清单不一致(包头被改动),已拒绝")
            listed = manifest.get("members")
            if not isinstance(listed, dict) or set(listed) != set(infos):
                raise PackageRefused(f"文件“{name}”的成员与清单不一致")
            members = {}
            for m in sorted(infos):
                try:
                    data = z.read(infos[m])
                except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
                    raise PackageRefused(f"文件“{name}”的“{clean(m)}”已损坏(校验失败)") from exc
                if sha256(data) != listed[m]:
                    raise PackageRefused(f"文件“{name}”中“{clean(m)}”的 SHA-256 与清单不符")
                members[m] = data
    finally:
        Path(tmp).unlink(missing_ok=True)
    return Opened(h, manifest, members, h["payload_sha256"])


def work_dir(data_dir: Path) -> Path:
    """``<data dir>/sync/tmp``, owner-only. Leftovers of a killed import older than a day are
    removed here (a younger file may belong to an import running in another process)."""
    import time

    d = Path(data_dir) / "sync" / "tmp"
    d.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(d, 0o700)
    cutoff = time.time() - 86400
    for f in d.glob("*.tmp"):
        with contextlib.suppress(OSError):
            if f.stat().st_mtime < cutoff:
                f.unlink()
    return d
