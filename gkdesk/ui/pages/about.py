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
        layout.addStretch(1)

    def refresh(self) -> None:
        import sqlalchemy

        store = self.ctx.store
        self.text.setText(
            f"<h3>{APP_TITLE}(gkdesk){__version__}</h3>"
            "<p>离线使用的基层政务公开助手:标准目录、村务公开、补贴发放公示、公示打印、与县级同步。</p>"
            f"<p>数据目录:{store.data_dir}<br>数据库:{store.db_path or store.engine.url.render_as_string()}</p>"
            f"<p>Python {platform.python_version()} · Qt {QtCore.qVersion()} · SQLAlchemy {sqlalchemy.__version__}</p>"
        )
