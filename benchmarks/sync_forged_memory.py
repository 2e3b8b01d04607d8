"""Peak memory of the county refusing forged 200 MB packages (issue 20: ≤ 64 MB).

Three files, each imported by a fresh ``gkdesk sync import`` child whose maximum resident set
size is read from ``/usr/bin/time -v`` (the whole process: Python, SQLAlchemy, PyNaCl):

- floor: a 16-byte junk file (the cost of starting the command at all);
- forged: a genuine header copied onto 200 MB of random payload (size field edited to match);
- tampered: a genuinely signed 200 MB package with one byte flipped in transit — refused only
  after streaming decryption of the whole payload, the worst case for memory.

Usage: ``python benchmarks/sync_forged_memory.py [--mb 200]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gkdesk import sync, township  # noqa: E402
from gkdesk.models.base import utcnow  # noqa: E402
from gkdesk.store import head_revision  # noqa: E402
from gkdesk.sync import keys  # noqa: E402
from gkdesk.sync.container import Built, seal, sha256  # noqa: E402
from gkdesk.sync.export import _header  # noqa: E402
from tests.sync.helpers import make_pair  # noqa: E402


def peak_rss_mb(data_dir: Path, pkg: Path) -> tuple[float, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.run(["/usr/bin/time", "-v", sys.executable, "-m", "gkdesk", "--data-dir", str(data_dir),
                        "sync", "import", str(pkg)], capture_output=True, text=True, env=env)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    assert m, p.stderr
    return int(m.group(1)) / 1024, (p.stdout.strip().splitlines() or [""])[0]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=200)
    args = ap.parse_args()
    size = args.mb * 1024 * 1024
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        pair = make_pair(root / "pair")
        [good] = sync.export_data(pair.township, root / "usb", "乡镇").files
        # floor
        junk = root / "junk.gkpkg"
        junk.write_bytes(b"not a package...")
        # forged: genuine header, attacker's payload
        with zipfile.ZipFile(good) as z:
            header = json.loads(z.read("header.json"))
        header["payload_size"] = size
        forged = root / "forged.gkpkg"
        with zipfile.ZipFile(forged, "w", zipfile.ZIP_STORED) as z:
            z.writestr("header.json", json.dumps(header))
            with z.open("payload.bin", "w", force_zip64=True) as f:
                for _ in range(size // (1 << 20)):
                    f.write(os.urandom(1 << 20))
        # tampered: genuinely signed, one byte flipped
        blob = os.urandom(size)
        h = sha256(blob)
        with pair.township.session() as s:
            me = township.current(s)
            peer = keys.county_peer(s)
            ident = keys.ensure_keys(s, pair.township.data_dir)
            hd = _header("data", me, ident, peer, 1, 0, utcnow())
            manifest = {"township_code": me.code, "township_id": me.id, "seq": 1, "based_on": 0,
                        "schema": head_revision(), "counts": {}}
            box = peer.box_key
        data = bytearray(seal(Built(hd, manifest, {f"attachments/{h[:2]}/{h}.pdf": blob}), ident.signing, box))
        del blob
        data[len(data) - 4096] ^= 0xFF
        tampered = root / "tampered.gkpkg"
        tampered.write_bytes(bytes(data))
        del data
        pair.close()
        county = root / "pair" / "county"
        results = {}
        for name, pkg in (("floor", junk), ("forged", forged), ("tampered", tampered)):
            rss, line = peak_rss_mb(county, pkg)
            results[name] = rss
            print(f"{name:9s} {pkg.stat().st_size / 1048576:7.1f} MB file → peak RSS {rss:6.1f} MB  | {line[:90]}")
        worst = max(results["forged"], results["tampered"])
        print(f"worst refusal: {worst:.1f} MB (limit 64 MB); above the command's floor: "
              f"{worst - results['floor']:.1f} MB")
        return 0 if worst <= 64 else 1


if __name__ == "__main__":
    raise SystemExit(main())
