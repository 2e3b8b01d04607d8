"""gkdesk — 基层政务公开桌面助手.

The package root holds the Qt-free core; only :mod:`gkdesk.ui` imports Qt.
"""

__version__ = "0.1.0"
APP_NAME = "gkdesk"
APP_TITLE = "基层政务公开桌面助手"
