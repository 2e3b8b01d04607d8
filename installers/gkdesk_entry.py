"""Entry point of the frozen bundle.

``gkdesk`` runs the command line; ``gkdesk gui [--data-dir …]`` opens the window. On
Windows the spec also builds ``gkdesk-gui.exe`` (windowed, so no console window flashes
up for the clerk) from this same script; the executable's own name selects the window.
On Linux ``gkdesk-gui`` is a small launcher script that runs ``gkdesk gui``.
"""

import os
import sys
from pathlib import Path


def _input_method_fallback() -> None:
    """Chinese input under fcitx on Linux (UOS/Kylin default to fcitx).

    The PySide6 wheels carry Qt's ibus and compose input-method plugins but no fcitx
    plugin, and Qt 6 has no XIM: with QT_IM_MODULE=fcitx the clerk could not type
    Chinese at all. fcitx5 also speaks the ibus protocol, so ask Qt for ibus instead;
    where that is not available either, nothing is lost.
    """
    if not sys.platform.startswith("linux"):
        return
    if not os.environ.get("QT_IM_MODULE", "").lower().startswith("fcitx"):
        return
    plugins = Path(getattr(sys, "_MEIPASS", "")) / "PySide6" / "Qt" / "plugins" / "platforminputcontexts"
    if not any(plugins.glob("*fcitx*")):
        os.environ["QT_IM_MODULE"] = "ibus"


# gkdesk.sheets.sandbox parses .xls/.xlsb/.ods in a child process: in the frozen bundle
# that child is this executable again (gkdesk or gkdesk-gui) with this flag first. It must
# be recognised before anything else, above all before the "-gui" check, or every .xls
# import would open a second window (gkdesk-gui.exe) or hit the command line's usage error.
SHEET_READER_FLAG = "--gkdesk-sheet-reader"


def _main() -> int:
    args = sys.argv[1:]
    if len(args) == 2 and args[0] == SHEET_READER_FLAG:
        from gkdesk.sheets.sandbox import child_main

        return child_main(args[1])
    _input_method_fallback()
    if Path(sys.executable).stem.lower().endswith("-gui"):
        from gkdesk.ui.app import main

        return main(args)
    if args[:1] == ["gui"]:
        from gkdesk.ui.app import main

        return main(args[1:])
    from gkdesk.headstart import prefetch_from_argv

    prefetch_from_argv(args)  # as gkdesk.cli.run does: read a big payout list while imports happen
    from gkdesk.cli import main

    return main(args)


if __name__ == "__main__":
    raise SystemExit(_main())
