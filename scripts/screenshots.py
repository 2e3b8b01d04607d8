"""Render the window's pages with demo data to PNG files under docs/ (offscreen).

Usage: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [page ...]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from gkdesk import demo
from gkdesk.store import open_store
from gkdesk.ui.app import make_app, start

DOCS = Path(__file__).resolve().parent.parent / "docs"
DEFAULT = {"home": "main-window.png", "settings": "settings.png"}


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
            for _ in range(5):
                app.processEvents()
            win.grab().save(str(DOCS / name))
            print(DOCS / name)
        win.close()


if __name__ == "__main__":
    main(sys.argv[1:])
