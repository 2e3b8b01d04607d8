"""Developer tool: render the sample notice pages shown in the README (docs/*.png).

Usage: python scripts/render_notice_samples.py  (needs poppler's pdftoppm)
"""

import random
import subprocess
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from gkdesk import township
from gkdesk.notices.samples import ensure_program, make_batch, make_people
from gkdesk.notices.service import NoticeOptions, print_payout_notices
from gkdesk.store import open_store

DOCS = Path(__file__).resolve().parent.parent / "docs"

with tempfile.TemporaryDirectory() as tmp:
    store = open_store(Path(tmp) / "data")
    rng = random.Random(11)
    with store.session() as s:
        township.init_installation(s, "高桥镇", "511702101", "通川区", operator="样例", supervision_phone="0818-2345678")
        from gkdesk.notices.sources import COUNTY_PHONES

        COUNTY_PHONES.set(s, "通川区农业农村局 0818-2112345")
        township.add_village(s, "高桥村", 3, "样例")
    with store.session() as s:
        people = make_people(township.villages(s), 16, rng, groups=3)
        b = make_batch(s, ensure_program(s, "耕地地力保护补贴"), 2026, people, rng, Decimal("131.42"), "第1期")
        bid = b.id
    for name, opts in (("notice-a4", NoticeOptions(mask="id-partial", start=date(2026, 3, 2), days=7)),
                       ("notice-large-print", NoticeOptions(large_print=True, start=date(2026, 3, 2), days=7))):
        pdf = Path(tmp) / f"{name}.pdf"
        with store.session() as s:
            print_payout_notices(s, store.data_dir, bid, pdf, opts)
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(DOCS / name)], check=True)
        print(DOCS / f"{name}.png")
    store.close()
