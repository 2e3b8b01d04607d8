"""The ``.gkpkg`` file: a signed, encrypted, hash-checked container, safe to open.

Format 2. Outer file (a stored zip): ``header.json`` in clear and ``payload.bin``.
The header says who sent it to whom, which sequence number, the SHA-256 and size of
the payload, and carries the sender's Ed25519 signature over all of that (with a
domain-separation prefix, so no identity-file or enrolment signature can pass for
it). The reader verifies that signature **before** the header decides anything: the
sender code only chooses which registered key to verify with.

``payload.bin`` = ``SealedBox(recipient, K)`` (80 bytes) followed by a libsodium
``secretstream`` (XChaCha20-Poly1305) of the inner zip under ``K``; ``K`` comes from
libsodium's key generator and the stream header from libsodium, so the application
chooses no nonce. Because the signed header fixes the payload's SHA-256, the payload
is authenticated by the sender's signature; it is hashed while it is decrypted in
64 KiB chunks into a temporary file, so memory stays bounded whatever the size. The
inner zip holds ``manifest.json`` (repeats the header and lists the SHA-256 of every
member), ``tables/<table>.jsonl``, ``attachments/<ab>/<sha256>[.ext]`` and
``payloads/<name>.json``.

Files are written to a temporary name, fsynced, then renamed, so a package on a USB
stick is either whole or absent. Large packages are split into parts
(``….part01of03.gkpkg``) that the reader joins into a temporary file, streaming.
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

from nacl import bindings as nb
from nacl.encoding import HexEncoder
from nacl.public import PublicKey, SealedBox
from nacl.signing import SigningKey

from gkdesk.errors import GkError

PACKAGE_FORMAT = "gkdesk-package"
PART_FORMAT = "gkdesk-part"
FORMAT_VERSION = 2
HEADER_DOMAIN = b"gkdesk/package-header/v2\n"
SUFFIX = ".gkpkg"
DEFAULT_PART_BYTES = 20 * 1024 * 1024
MAX_PACKAGE_BYTES = 2 * 1024 * 1024 * 1024
MAX_UNPACKED_BYTES = 8 * 1024 * 1024 * 1024
MAX_HEADER_BYTES = 64 * 1024
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_PARTS = 999
MAX_MEMBERS = 10000
MAX_RATIO = 200  # deflate rarely beats 1:20 on JSON; a bomb is 1:1000
CHUNK = 64 * 1024
_SEALED_KEY = 32 + 48  # SealedBox of a 32-byte key
_SS_HEADER = nb.crypto_secretstream_xchacha20poly1305_HEADERBYTES
_SS_ABYTES = nb.crypto_secretstream_xchacha20poly1305_ABYTES

_MEMBER = re.compile(r"^(manifest\.json|tables/[a-z][a-z0-9_]{0,62}\.jsonl|"
                     r"attachments/[0-9a-f]{2}/[0-9a-f]{64}(\.[a-z0-9]{1,8})?|payloads/[a-z][a-z0-9_]{0,62}\.json)$")
_PART_NAME = re.compile(r"^(?P<stem>.+)\.part(?P<i>\d{2,3})of(?P<n>\d{2,3})\.gkpkg$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_HEX32 = re.compile(r"^[0-9a-f]{32}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_CODE = re.compile(r"^[0-9]{6,12}$")
_FPR = re.compile(r"^[0-9A-Z -]{8,80}$")
KINDS = ("data", "receipt", "update", "restore")
MAX_SEQ = 2**31 - 1


class PackageRefused(GkError):
    """The package was refused before anything changed; ``message`` says why, in Chinese."""

    exit_code = 1


def clean(value: object, limit: int = 80) -> str:
    """Text from a file (a name, a header field) safe to print: no control or escape codes,
    no bidi overrides, at most ``limit`` characters."""
    s = _CONTROL.sub("?", str(value))
    return s if len(s) <= limit else s[:limit] + "…"


@dataclass
class Built:
    """A package ready to write: clear header plus its members."""

    header: dict[str, Any]
    manifest: dict[str, Any]
    members: dict[str, bytes] = field(default_factory=dict)
    payload_sha256: str = ""  # set by :func:`seal`; a receipt names the package by it


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical(body: dict[str, Any], leave_out: tuple[str, ...] = ("signature",)) -> bytes:
    return json.dumps({k: v for k, v in body.items() if k not in leave_out}, sort_keys=True,
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _encrypt(inner: bytes, recipient_box_hex: str) -> bytes:
    key = nb.crypto_secretstream_xchacha20poly1305_keygen()
    state = nb.crypto_secretstream_xchacha20poly1305_state()
    ss_header = nb.crypto_secretstream_xchacha20poly1305_init_push(state, key)
    out = [SealedBox(PublicKey(recipient_box_hex, encoder=HexEncoder)).encrypt(key), ss_header]
    n = max(1, -(-len(inner) // CHUNK))
    for i in range(n):
        tag = (nb.crypto_secretstream_xchacha20poly1305_TAG_FINAL if i == n - 1
               else nb.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE)
        out.append(nb.crypto_secretstream_xchacha20poly1305_push(state, inner[i * CHUNK:(i + 1) * CHUNK], None, tag))
    return b"".join(out)


def seal(built: Built, signing: SigningKey, recipient_box_hex: str) -> bytes:
    """Zip, encrypt, sign the header; returns the bytes of the whole ``.gkpkg``."""
    header = {k: v for k, v in built.header.items() if k not in ("payload_sha256", "payload_size", "signature")}
    header["version"] = FORMAT_VERSION
    manifest = dict(built.manifest, header=header,
                    members={name: sha256(data) for name, data in sorted(built.members.items())})
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        for name, data in sorted(built.members.items()):
            z.writestr(name, data)
    payload = _encrypt(inner.getvalue(), recipient_box_hex)
    built.payload_sha256 = sha256(payload)
    outer = dict(header, payload_sha256=built.payload_sha256, payload_size=len(payload))
    outer["signature"] = signing.sign(HEADER_DOMAIN + canonical(outer)).signature.hex()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr("header.json", json.dumps(outer, ensure_ascii=False, indent=1))
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


