"""关于: version, where the data are, and the libraries in use."""

from __future__ import annotations

import platform

from gkdesk import APP_TITLE, __version__
from gkdesk.ui.pages.base import Page
from gkdesk.ui.qt import Qt, QtCore, QtWidgets


class AboutPage(Page):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.heading("关于"))
        self.text = QtWidgets.QLabel()
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        row = QtWidgets.QHBoxLayout()
        self.check_btn = QtWidgets.QPushButton("检查数据完整性")
        self.check_btn.setToolTip("逐页读取数据库文件,并检查结构版本和节假日数据(数据多时需要几秒)")
        self.check_btn.clicked.connect(lambda: self.check())
        row.addWidget(self.check_btn)
        row.addStretch(1)
        layout.addLayout(row)
        self.check_result = QtWidgets.QLabel()
        self.check_result.setWordWrap(True)
        self.check_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.check_result)
        layout.addStretch(1)

    def check(self) -> None:
        """The full check (what the county asks for after a power cut) runs off the GUI thread."""
        from gkdesk import health
        from gkdesk.ui.hints import with_hint
        from gkdesk.ui.jobs import run_job

        store = self.ctx.store
        self.check_btn.setEnabled(False)
        self.check_result.setText("正在检查……")

        def done(rep) -> None:  # type: ignore[no-untyped-def]
            self.check_btn.setEnabled(True)
            lines = [("✔ " if i["ok"] else "✘ ") + (str(i["detail"]) if i["ok"] else with_hint(
                str(i["detail"]), *rep.hints.get(str(i["check"]), (None, {}))).replace("\n\n", " "))
                for i in rep.items]
            self.check_result.setText(("数据检查通过。" if rep.ok else "数据检查发现问题:") + "\n" + "\n".join(lines))

        def failed(exc: BaseException) -> None:
            self.check_btn.setEnabled(True)
            self.check_result.setText(f"检查没有完成:{exc}")

        run_job(self, "检查数据完整性", lambda _report, _cancelled: health.run_checks(store), done, failed)

    def refresh(self) -> None:
        import sqlalchemy

        store = self.ctx.store
        self.text.setText(
            f"<h3>{APP_TITLE}(gkdesk){__version__}</h3>"
            "<p>离线使用的基层政务公开助手:标准目录、村务公开、补贴发放公示、公示打印、与县级同步。</p>"
            f"<p>数据目录:{store.data_dir}<br>数据库:{store.db_path or store.engine.url.render_as_string()}</p>"
            f"<p>Python {platform.python_version()} · Qt {QtCore.qVersion()} · SQLAlchemy {sqlalchemy.__version__}</p>"
        )
