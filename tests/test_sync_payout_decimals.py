"""Payout quantities and rates (DecimalText) travel in sync packages as exact text.

Found by ``gkdesk selftest``: exporting any installation with a payout batch that had
亩/元每亩 columns failed with "Decimal is not JSON serializable".
"""

from __future__ import annotations

import json
from decimal import Decimal

from gkdesk.models.payout import Payout
from gkdesk.sync.tables import Codec


def test_decimal_text_columns_round_trip_exactly():
    codec = Codec(Payout.__table__)
    assert codec.kinds["quantity"] == "decimal" and codec.kinds["rate"] == "decimal"
    row = {c: None for c in codec.columns} | {"quantity": Decimal("3.275"), "rate": Decimal("131.42")}
    line = codec.line(row)
    obj = json.loads(line)
    assert obj["quantity"] == "3.275" and obj["rate"] == "131.42"
    back = codec.load(obj)
    assert back["quantity"] == Decimal("3.275") and back["rate"] == Decimal("131.42")
