"""Render the window's pages with demo data to PNG files under docs/ (offscreen).

Usage: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [page ...]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from gkdesk import demo
from gkdesk.store import open_store
from gkdesk.ui.app import make_app, start

DOCS = Path(__file__).resolve().parent.parent / "docs"
DEFAULT = {"home": "main-window.png", "catalogue": "catalogue.png", "villages": "villages.png",
           "payouts": "payouts.png", "notices": "notices.png", "sync": "sync.png", "settings": "settings.png"}


def settle(app, seconds: float) -> None:
    """Let background jobs (e.g. the notice preview) finish and paint."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def main(keys: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) / "demo"
        store = open_store(d)
        with store.session() as s:
            demo.fill_demo(s, "王小红")
        store.close()
        app = make_app(sys.argv[:1])
        win = start(d, "王小红", is_demo=True)
        assert win is not None
        win.resize(1280, 800)
        targets = {k: DEFAULT.get(k, f"{k}.png") for k in (keys or DEFAULT)}
        for key, name in targets.items():
            win.show_page(key)
            settle(app, 4.0 if key == "notices" else 0.5)  # background preview rendering
            win.grab().save(str(DOCS / name))
            print(DOCS / name)
        win.close()


if __name__ == "__main__":
    main(sys.argv[1:])
