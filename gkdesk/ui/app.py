"""Starting the window: open the database safely, first-run wizard, main window.

The top of this module imports only Qt and small gkdesk modules so that a start-up window
(:mod:`gkdesk.ui.splash`) is on screen before SQLAlchemy, the models and the pages load;
everything heavier is imported inside the functions that need it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from gkdesk import APP_NAME, APP_TITLE, paths
from gkdesk.ui.i18n import install_chinese
from gkdesk.ui.jobs import cancel_all_and_wait
from gkdesk.ui.qt import QtGui, QtWidgets
from gkdesk.ui.single import SingleInstance, bring_to_front
from gkdesk.ui.splash import StartupSplash, in_background

if TYPE_CHECKING:
    from gkdesk.store import Store
    from gkdesk.ui.mainwindow import MainWindow


def demo_dir_for(data_dir: Path) -> Path:
    """Demo data live beside, never inside, the real data."""
    return data_dir.parent / f"{data_dir.name}-demo"


def open_store_interactive(data_dir: Path, parent: QtWidgets.QWidget | None = None) -> Store | None:
    """Open the store; on a corrupt file offer the newest good backup instead of crashing."""
    from gkdesk import backups
    from gkdesk.app import backups as backup_ops
    from gkdesk.errors import DatabaseCorrupt, DatabaseTooNew, GkError
    from gkdesk.store import open_store
    from gkdesk.storeerrors import DatabaseReadOnly

    try:
        return open_store(data_dir)
    except (DatabaseTooNew, DatabaseReadOnly) as exc:  # read-only is not damage: never offer to replace it
        QtWidgets.QMessageBox.critical(parent, "无法打开数据库", exc.message)
        return None
    except DatabaseCorrupt as exc:
        damaged = exc
    except GkError as exc:  # e.g. another program is restoring this data directory right now
        QtWidgets.QMessageBox.critical(parent, "无法打开数据库", exc.message)
        return None
    good = backups.newest_good_backup(data_dir)
    if good is None:
        QtWidgets.QMessageBox.critical(parent, "数据库已损坏", damaged.message + "\n\n没有找到可用的备份。")
        return None
    answer = QtWidgets.QMessageBox.question(
        parent, "数据库已损坏",
        f"{damaged.message}\n\n是否用最新的完好备份恢复?\n{good.created:%Y-%m-%d %H:%M}({good.reason_label})\n"
        "损坏的文件会另存在备份目录中。")
    if answer != QtWidgets.QMessageBox.StandardButton.Yes:
        return None
    try:
        backup_ops.restore_directory(data_dir, good)
        return open_store(data_dir)
    except GkError as exc:
        QtWidgets.QMessageBox.critical(parent, "无法恢复", exc.message)
        return None


def _open_demo(data_dir: Path, operator: str | None) -> Store:
    """The demo data directory, filled with the demo township on first use."""
    from gkdesk import township
    from gkdesk.app import Workspace, setup
    from gkdesk.store import open_store

    ws = Workspace(open_store(data_dir), operator or "演示")
    with ws.session() as s:
        ready = township.is_initialised(s)
    if not ready:
        setup.load_demo(ws)
    return ws.store


def load_style(app: QtWidgets.QApplication) -> None:
    qss = paths.resources_dir() / "style.qss"
    if qss.exists():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
    icon = paths.resources_dir() / "icons" / "gkdesk.png"
    if icon.exists():
        app.setWindowIcon(QtGui.QIcon(str(icon)))


def make_app(argv: list[str]) -> QtWidgets.QApplication:
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    install_chinese(app)
    load_style(app)
    return app  # type: ignore[return-value]


def fill_demo_with_progress(data_dir: Path, operator: str | None, splash: StartupSplash | None = None) -> None:
    """Generate the demo township in a background thread while a window shows progress."""
    own = splash is None
    splash = splash or StartupSplash()
    if own:
        splash.show_centred()
    try:
        in_background(lambda: _open_demo(data_dir, operator).close(), splash,
                      "正在生成演示数据(一个乡镇一年的目录、发放清册和公示),约需十几秒……")
    finally:
        if own:
            splash.close()


def start(data_dir: Path, operator: str | None = None, is_demo: bool = False,
          splash: StartupSplash | None = None) -> MainWindow | None:
    """Open the database, run the wizard if needed, and return the shown main window."""
    from gkdesk import settings, township
    from gkdesk.ui.context import UiContext
    from gkdesk.ui.fonts import apply_font
    from gkdesk.ui.mainwindow import MainWindow, window_prefs
    from gkdesk.ui.wizard import FirstRunWizard

    app = QtWidgets.QApplication.instance()
    store = open_store_interactive(data_dir, splash)
    if store is None:
        return None
    with store.session() as s:
        ready = township.is_initialised(s)
    if not ready:
        if splash is not None:
            splash.close()
        wiz = FirstRunWizard(store)
        accepted = wiz.exec() == QtWidgets.QDialog.DialogCode.Accepted
        store = wiz.store  # a county may have chosen its database server in the wizard
        if not accepted:
            store.close()
            return None
        if wiz.choice == "demo":
            from gkdesk.store import open_store

            store.close()
            fill_demo_with_progress(demo_dir_for(data_dir), operator)
            store = open_store(demo_dir_for(data_dir))
            is_demo = True
    ctx = UiContext(store, operator)
    with store.session() as s:
        apply_font(app, settings.FONT_SIZE.get(s))  # type: ignore[arg-type]
    win = MainWindow(ctx, demo=is_demo, prefs=window_prefs(), defer_first_page=True)
    win.place()
    win.show()
    if splash is not None:
        splash.close()
    return win


def install_excepthook(data_dir: Path) -> None:
    """The last resort: an unexpected error shows a Chinese message and the log file's path.

    Qt calls Python slots without a Python caller: an exception there would otherwise print
    a traceback to a console the clerk never sees, or end the program.
    """
    from gkdesk import crashlog

    def hook(exc_type, exc, tb):  # type: ignore[no-untyped-def]
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log = crashlog.write(exc_type, exc, tb, data_dir)
        try:
            QtWidgets.QMessageBox.critical(QtWidgets.QApplication.activeWindow(), "意外错误", crashlog.message(log))
        except Exception:  # never raise from the hook itself
            print(crashlog.message(log), file=sys.stderr)

    sys.excepthook = hook
def _bring_running_window_forward() -> None:
    """Another launch on this data directory asked: show the main window (or the wizard)."""
    from gkdesk.ui.mainwindow import MainWindow

    tops = [w for w in QtWidgets.QApplication.topLevelWidgets() if w.isWindow() and not w.isHidden()]
    main = next((w for w in tops if isinstance(w, MainWindow)), tops[0] if tops else None)
    if main is not None:
        bring_to_front(main)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gkdesk-gui", description=f"{APP_TITLE}(窗口)")
    parser.add_argument("--data-dir", default=None, help="数据目录 / data directory")
    parser.add_argument("--operator", default=None, help="操作人 / operator")
    parser.add_argument("--demo", action="store_true", help="打开演示数据 / open the demo data")
    args, qt_args = parser.parse_known_args(argv if argv is not None else sys.argv[1:])
    from gkdesk import dirlock

    dirlock.set_program("window")  # how other processes name this one when it holds the data open
    app = make_app([sys.argv[0], *qt_args])
    data_dir = paths.resolve_data_dir(args.data_dir)
    install_excepthook(data_dir)
    if args.demo:
        data_dir = demo_dir_for(data_dir)
    guard = SingleInstance(data_dir)
    if not guard.acquire():  # this data directory is open in another window: bring that one forward
        if not guard.hand_over():
            QtWidgets.QMessageBox.information(None, APP_TITLE, f"本数据目录已在另一个窗口中打开:\n{data_dir}\n请切换到那个窗口。")
        return 0
    guard.activated.connect(_bring_running_window_forward)
    app.aboutToQuit.connect(guard.release)
    app.aboutToQuit.connect(lambda: cancel_all_and_wait(5000))  # no worker left running after the window
    splash = StartupSplash()
    splash.show_centred()  # on screen before the data layer is even imported
    if args.demo:
        fill_demo_with_progress(data_dir, args.operator, splash)
        splash.say("正在打开数据……")
    win = start(data_dir, args.operator, is_demo=args.demo, splash=splash)
    splash.close()
    if win is None:
        return 1
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
