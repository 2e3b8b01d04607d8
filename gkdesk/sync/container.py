"""The ``.gkpkg`` file: a signed, encrypted, hash-checked container, safe to open.

Outer file (a stored zip): ``header.json`` in clear (who sent it to whom, which
sequence number — enough to refuse a foreign or replayed package before
decrypting) and ``payload.bin`` = NaCl ``SealedBox`` to the recipient of an
Ed25519-signed inner zip. The inner zip holds ``manifest.json`` (which repeats the
header, so the clear header is authenticated too, and lists the SHA-256 of every
member), ``tables/<table>.jsonl`` and ``attachments/<ab>/<sha256>[.ext]``.

Files are written to a temporary name, fsynced, then renamed, so a package on a
USB stick is either whole or absent. Large packages are split into parts
(``….part01of03.gkpkg``) that the reader joins.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nacl.encoding import HexEncoder
from nacl.exceptions import BadSignatureError, CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.signing import SigningKey, VerifyKey

from gkdesk.errors import GkError

PACKAGE_FORMAT = "gkdesk-package"
PART_FORMAT = "gkdesk-part"
FORMAT_VERSION = 1
SUFFIX = ".gkpkg"
DEFAULT_PART_BYTES = 20 * 1024 * 1024
MAX_PACKAGE_BYTES = 2 * 1024 * 1024 * 1024
MAX_UNPACKED_BYTES = 8 * 1024 * 1024 * 1024
MAX_RATIO = 200  # deflate rarely beats 1:20 on JSON; a bomb is 1:1000

_MEMBER = re.compile(r"^(manifest\.json|tables/[a-z][a-z0-9_]{0,62}\.jsonl|"
                     r"attachments/[0-9a-f]{2}/[0-9a-f]{64}(\.[a-z0-9]{1,8})?|payloads/[a-z][a-z0-9_]{0,62}\.json)$")
_PART_NAME = re.compile(r"^(?P<stem>.+)\.part(?P<i>\d{2,3})of(?P<n>\d{2,3})\.gkpkg$")


class PackageRefused(GkError):
    """The package was refused before anything changed; ``message`` says why, in Chinese."""

    exit_code = 1


@dataclass
class Built:
    """A package ready to write: clear header plus its members."""

    header: dict[str, Any]
    manifest: dict[str, Any]
    members: dict[str, bytes] = field(default_factory=dict)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def seal(built: Built, signing: SigningKey, recipient_box_hex: str) -> bytes:
    """Sign, encrypt and wrap; returns the bytes of the whole ``.gkpkg``."""
    manifest = dict(built.manifest, header=built.header,
                    members={name: sha256(data) for name, data in sorted(built.members.items())})
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        for name, data in sorted(built.members.items()):
            z.writestr(name, data)
    signed = signing.sign(inner.getvalue())
    payload = SealedBox(PublicKey(recipient_box_hex, encoder=HexEncoder)).encrypt(signed)
    header = dict(built.header, payload_sha256=sha256(payload), payload_size=len(payload))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr("header.json", json.dumps(header, ensure_ascii=False, indent=1))
        z.writestr("payload.bin", payload)
    return out.getvalue()


def write_atomic(path: Path, data: bytes) -> None:
    """Temp name, fsync, rename, fsync the folder: after this the stick may be removed."""
    path = Path(path)
    tmp = path.with_name(path.name + ".partial")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # never leave half a package on the stick
        raise
    if os.name == "posix":
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_package(folder: Path, stem: str, data: bytes, part_bytes: int = DEFAULT_PART_BYTES) -> list[Path]:
    """Write one file, or numbered parts when larger than ``part_bytes``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if len(data) <= part_bytes:
        p = folder / f"{stem}{SUFFIX}"
        write_atomic(p, data)
        return [p]
    chunk = max(part_bytes - 4096, 1024)
    pieces = [data[i:i + chunk] for i in range(0, len(data), chunk)]
    n = len(pieces)
    width = 2 if n < 100 else 3
    whole = sha256(data)
    out: list[Path] = []
    try:
        for i, piece in enumerate(pieces, 1):
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
                z.writestr("part.json", json.dumps({"format": PART_FORMAT, "stem": stem, "index": i, "count": n,
                                                    "whole_sha256": whole, "whole_size": len(data)}))
                z.writestr("data.bin", piece)
            p = folder / f"{stem}.part{i:0{width}d}of{n:0{width}d}{SUFFIX}"
            write_atomic(p, buf.getvalue())
            out.append(p)
    except BaseException:
        for p in out:  # an incomplete set of parts is no package: remove the parts already written
            p.unlink(missing_ok=True)
        raise
    return out


def _read_file(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PackageRefused(f"无法读取文件“{path.name}”:{exc.strerror or exc}") from exc
    if size > max_bytes:
        raise PackageRefused(f"文件“{path.name}”过大({size // (1024 * 1024)} MB,上限 {max_bytes // (1024 * 1024)} MB),已拒绝")
    return path.read_bytes()


def _open_zip(data: bytes, name: str, allowed: set[str] | None, max_bytes: int) -> zipfile.ZipFile:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise PackageRefused(f"文件“{name}”已损坏或不完整(不是有效的同步包)") from exc
    total = 0
    for info in z.infolist():
        n = info.filename
        bad_name = ("\\" in n or n.startswith("/") or ".." in n.split("/") or
                    (allowed is not None and n not in allowed) or (allowed is None and not _MEMBER.match(n)))
        if bad_name:
            raise PackageRefused(f"文件“{name}”含有不安全的成员名“{n[:80]}”(可能试图写到别处),已拒绝")
        total += info.file_size
        if info.file_size > max_bytes or total > MAX_UNPACKED_BYTES:
            raise PackageRefused(f"文件“{name}”解压后过大,已拒绝")
        if info.compress_size and info.file_size > MAX_RATIO * info.compress_size and info.file_size > 1 << 20:
            raise PackageRefused(f"文件“{name}”的成员“{n}”压缩比异常(疑似“压缩炸弹”),已拒绝")
    return z


def _member(z: zipfile.ZipFile, member: str, name: str) -> bytes:
    try:
        return z.read(member)
    except KeyError as exc:
        raise PackageRefused(f"文件“{name}”缺少“{member}”,不完整") from exc
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:  # CRC mismatch, truncation
        raise PackageRefused(f"文件“{name}”的“{member}”已损坏(校验失败)") from exc


def _json(data: bytes, what: str) -> dict[str, Any]:
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageRefused(f"{what}已损坏(不是有效的 JSON)") from exc
    if not isinstance(obj, dict):
        raise PackageRefused(f"{what}格式不对")
    return obj


def join_parts(paths: list[Path], max_bytes: int = MAX_PACKAGE_BYTES) -> tuple[str, bytes]:
    """Join the parts of one split package (any order); refuses missing or foreign parts."""
    infos: dict[int, bytes] = {}
    meta: dict[str, Any] | None = None
    for p in paths:
        z = _open_zip(_read_file(p, max_bytes), p.name, {"part.json", "data.bin"}, max_bytes)
        m = _json(_member(z, "part.json", p.name), f"分卷“{p.name}”的说明")
        if m.get("format") != PART_FORMAT:
            raise PackageRefused(f"文件“{p.name}”不是同步包的分卷")
        if meta is not None and (m.get("whole_sha256"), m.get("count")) != (meta.get("whole_sha256"), meta.get("count")):
            raise PackageRefused(f"分卷“{p.name}”与同组其他分卷不属于同一个同步包")
        meta = m
        infos[int(m["index"])] = _member(z, "data.bin", p.name)
    assert meta is not None
    count = int(meta["count"])
    missing = [i for i in range(1, count + 1) if i not in infos]
    stem = str(meta.get("stem", ""))
    if missing:
        raise PackageRefused(f"同步包“{stem}”共 {count} 个分卷,缺少第 {'、'.join(map(str, missing))} 卷,请一并导入")
    data = b"".join(infos[i] for i in range(1, count + 1))
    if len(data) > max_bytes:
        raise PackageRefused(f"同步包“{stem}”过大,已拒绝")
    if sha256(data) != meta["whole_sha256"]:
        raise PackageRefused(f"同步包“{stem}”的分卷拼接后校验失败(某个分卷已损坏)")
    return stem + SUFFIX, data


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


def read_header(data: bytes, name: str, max_bytes: int = MAX_PACKAGE_BYTES) -> tuple[dict[str, Any], bytes]:
    z = _open_zip(data, name, {"header.json", "payload.bin"}, max_bytes)
    header = _json(_member(z, "header.json", name), f"文件“{name}”的包头")
    if header.get("format") != PACKAGE_FORMAT:
        raise PackageRefused(f"文件“{name}”不是 gkdesk 同步包")
    if int(header.get("version", 0)) > FORMAT_VERSION:
        raise PackageRefused(f"文件“{name}”由更新版本的 gkdesk 生成(包格式 {header.get('version')}),请升级本机 gkdesk")
    payload = _member(z, "payload.bin", name)
    if sha256(payload) != header.get("payload_sha256") or len(payload) != header.get("payload_size"):
        raise PackageRefused(f"文件“{name}”已损坏或被截断(校验和不符)")
    return header, payload


@dataclass
class Opened:
    header: dict[str, Any]
    manifest: dict[str, Any]
    members: dict[str, bytes]


def open_payload(header: dict[str, Any], payload: bytes, name: str, my_box: PrivateKey,
                 sender_verify_hex: str, max_bytes: int = MAX_PACKAGE_BYTES) -> Opened:
    """Decrypt, verify the sender's signature and every member's SHA-256."""
    try:
        signed = SealedBox(my_box).decrypt(payload)
    except CryptoError as exc:
        raise PackageRefused(f"文件“{name}”无法解密:它不是发给本单位的,或已损坏") from exc
    try:
        inner = VerifyKey(sender_verify_hex, encoder=HexEncoder).verify(signed)
    except BadSignatureError as exc:
        raise PackageRefused(f"文件“{name}”的签名与“{header.get('sender_code')}”登记的密钥不符(可能是伪造的包或对方更换了密钥),已拒绝") from exc
    z = _open_zip(inner, name, None, max_bytes)
    manifest = _json(_member(z, "manifest.json", name), f"文件“{name}”的清单")
    if manifest.get("header", {}) != {k: v for k, v in header.items() if k not in ("payload_sha256", "payload_size")}:
        raise PackageRefused(f"文件“{name}”的包头与签名清单不一致(包头被改动),已拒绝")
    listed = manifest.get("members", {})
    names = {i.filename for i in z.infolist()} - {"manifest.json"}
    if set(listed) != names:
        raise PackageRefused(f"文件“{name}”的成员与清单不一致")
    members = {}
    for m in sorted(names):
        data = _member(z, m, name)
        if sha256(data) != listed[m]:
            raise PackageRefused(f"文件“{name}”中“{m}”的 SHA-256 与清单不符")
        members[m] = data
    return Opened(header, manifest, members)
