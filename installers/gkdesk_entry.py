"""Entry point of the frozen bundle.

``gkdesk`` runs the command line; ``gkdesk gui [--data-dir …]`` opens the window. On
Windows the spec also builds ``gkdesk-gui.exe`` (windowed, so no console window flashes
up for the clerk) from this same script; the executable's own name selects the window.
On Linux ``gkdesk-gui`` is a small launcher script that runs ``gkdesk gui``.
"""

import sys
from pathlib import Path


def _main() -> int:
    args = sys.argv[1:]
    if Path(sys.executable).stem.lower().endswith("-gui"):
        from gkdesk.ui.app import main

        return main(args)
    if args[:1] == ["gui"]:
        from gkdesk.ui.app import main

        return main(args[1:])
    from gkdesk.cli import main

    return main(args)


if __name__ == "__main__":
    raise SystemExit(_main())
