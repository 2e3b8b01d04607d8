"""Private keys at rest: encrypted in the database, unlocked by a key the database never holds.

The database (and so every backup, copied or not) holds the private keys only as
``enc:<hex>`` — a libsodium SecretBox under a 32-byte *key-encryption key* (KEK). The
KEK lives in ``<data dir>/keys/<installation id>.kek``, a file backups do not contain
(they copy the database only), written owner-only and wrapped for this machine:

- on Windows with DPAPI (``CryptProtectData``, bound to the Windows user account);
- elsewhere with a key derived from the machine id (``/etc/machine-id``) and the user id —
  not a secret from an administrator of that PC, but it ties the file to it, so a data
  directory copied to a second PC cannot unwrap it.

So a copied backup yields no usable key, and a data directory copied to a second PC is
*detected* (:class:`KeysElsewhere`): that PC must make new keys and be re-enrolled,
instead of two PCs sending with one identity and being refused alternately as replays.
``GKDESK_MACHINE_ID`` overrides the machine id (tests, and support moving a PC's disk).
The threat model and the choices are argued in ``docs/SECURITY.md``.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import sys
from pathlib import Path

from nacl import bindings as nb
from nacl.exceptions import CryptoError
from nacl.secret import SecretBox

from gkdesk.errors import GkError
from gkdesk.hints import Hint

ENC_PREFIX = "enc:"
KEYS_DIRNAME = "keys"


class KeysElsewhere(GkError):
    """The private keys cannot be unlocked on this PC (copied data directory, lost key file)."""

    exit_code = 1
    code = "keys_elsewhere"


def machine_id() -> str:
    env = os.environ.get("GKDESK_MACHINE_ID")
    if env:
        return env
    for p in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            v = Path(p).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            continue
        if v:
            return v
    if sys.platform == "win32":
        try:
            import winreg

            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Cryptography") as k:
                return str(winreg.QueryValueEx(k, "MachineGuid")[0])
        except OSError:
            pass
    import platform

    return platform.node() or "unknown"


def _user() -> str:
    return str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "")


def _binding_key() -> bytes:
    return hashlib.blake2b(f"gkdesk/kek-binding/v1\n{machine_id()}\n{_user()}".encode(), digest_size=32).digest()


# --- Windows DPAPI --------------------------------------------------------------------------

class _Blob(ctypes.Structure):
    _fields_ = [("cbData", ctypes.c_uint32), ("pbData", ctypes.POINTER(ctypes.c_char))]


def _dpapi(data: bytes, protect: bool) -> bytes:  # pragma: no cover - Windows only
    crypt32, kernel32 = ctypes.windll.crypt32, ctypes.windll.kernel32  # type: ignore[attr-defined]
    buf = ctypes.create_string_buffer(data, len(data))
    src, out = _Blob(len(data), ctypes.cast(buf, ctypes.POINTER(ctypes.c_char))), _Blob()
    fn = crypt32.CryptProtectData if protect else crypt32.CryptUnprotectData
    ok = fn(ctypes.byref(src), None, None, None, None, 0x1, ctypes.byref(out))  # UI_FORBIDDEN
    if not ok:
        raise OSError("DPAPI")
    try:
        return ctypes.string_at(out.pbData, out.cbData)
    finally:
        kernel32.LocalFree(out.pbData)


def _wrap(kek: bytes) -> bytes:
    if sys.platform == "win32":  # pragma: no cover
        return b"D" + _dpapi(kek, True)
    return b"M" + SecretBox(_binding_key()).encrypt(kek)


def _unwrap(blob: bytes) -> bytes:
    if blob[:1] == b"D" and sys.platform == "win32":  # pragma: no cover
        return _dpapi(blob[1:], False)
    if blob[:1] == b"M":
        return SecretBox(_binding_key()).decrypt(blob[1:])
    raise CryptoError("unknown wrapping")


# --- the KEK file ----------------------------------------------------------------------------

def _kek_path(data_dir: Path, installation_id: str) -> Path:
    return Path(data_dir) / KEYS_DIRNAME / f"{installation_id}.kek"


def _elsewhere() -> KeysElsewhere:
    return KeysElsewhere(
        "本机无法解开本单位的私钥:这个数据目录是从另一台电脑复制来的,或本机的密钥文件已丢失。"
        "为避免两台电脑用同一身份交替发送(县级会当作重放拒收),本机需要重新生成密钥,"
        "再把新的身份文件交给对方重新登记", hint=Hint.RESET_KEYS)


def new_kek(data_dir: Path, installation_id: str) -> bytes:
    """Make and store a new KEK for ``installation_id`` (owner-only file, wrapped for this PC)."""
    kek = nb.randombytes(32)
    p = _kek_path(data_dir, installation_id)
    p.parent.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(p.parent, 0o700)
    tmp = p.with_name(p.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(_wrap(kek))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, p)
    return kek


def load_kek(data_dir: Path, installation_id: str) -> bytes:
    p = _kek_path(data_dir, installation_id)
    try:
        blob = p.read_bytes()
    except OSError as exc:
        raise _elsewhere() from exc
    try:
        return _unwrap(blob)
    except (CryptoError, OSError, ValueError) as exc:
        raise _elsewhere() from exc


def encrypt_secret(kek: bytes, secret_hex: str) -> str:
    return ENC_PREFIX + SecretBox(kek).encrypt(bytes.fromhex(secret_hex)).hex()


def decrypt_secret(kek: bytes, stored: str) -> str:
    if not stored.startswith(ENC_PREFIX):
        return stored  # a key from before 0011: encrypted on first use (gkdesk.sync.keys)
    try:
        return SecretBox(kek).decrypt(bytes.fromhex(stored[len(ENC_PREFIX):])).hex()
    except (CryptoError, ValueError) as exc:
        raise _elsewhere() from exc
