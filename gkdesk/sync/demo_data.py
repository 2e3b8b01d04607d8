"""Demo: the demo township gets its keys and trusts a demo county, so the 同步 page can export."""

from __future__ import annotations

import random

from nacl.encoding import HexEncoder
from nacl.public import PrivateKey
from nacl.signing import SigningKey
from sqlalchemy.orm import Session

from gkdesk import demo
from gkdesk.models.base import utcnow
from gkdesk.models.sync import SyncPeer
from gkdesk.models.township import ROLE_COUNTY
from gkdesk.sync import keys


@demo.contributor
def demo_sync(session: Session, operator: str, rng: random.Random) -> dict[str, int]:
    keys.ensure_keys(session)
    vk = SigningKey.generate().verify_key.encode(HexEncoder).decode()
    bk = PrivateKey.generate().public_key.encode(HexEncoder).decode()
    session.add(SyncPeer(code="511702", name="通川区政务公开办(演示)", role=ROLE_COUNTY, township_id="",
                         verify_key=vk, box_key=bk, fingerprint=keys.fingerprint(vk, bk, "511702", ROLE_COUNTY),
                         verified_at=utcnow()))  # a demo: as if the phone check was done
    session.flush()
    return {"sync_peers": 1}
