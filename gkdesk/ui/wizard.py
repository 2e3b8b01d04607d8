"""First start: set up the township and its villages, or try the demo data.

A county office also chooses where its data live: this PC's file (SQLite, the default) or a
PostgreSQL server (数据库服务器) for a county that outgrows one PC. The server's settings are
tested off the GUI thread (测试连接), saved with the password wrapped (:mod:`gkdesk.dbconfig`)
and the wizard reopens the data directory on the server at once; the window opens it there
every time after.
"""

from __future__ import annotations

import re

from gkdesk.app import Workspace, setup
from gkdesk.errors import GkError
from gkdesk.store import Store
from gkdesk.ui.hints import with_hint
from gkdesk.ui.qt import QtCore, QtWidgets

LINE = re.compile(r"^\s*(\S+?)\s*(?:[,,\s]\s*(\d+)\s*(?:个)?(?:组|小组)?)?\s*$")


def parse_village_lines(text: str) -> list[tuple[str, int]]:
    """'高桥村 8' per line → [('高桥村', 8)]; a bare name has no groups."""
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        m = LINE.match(line)
        if not m:
            raise ValueError(f"无法识别这一行:“{line.strip()}”(格式:村名 组数)")
        out.append((m.group(1), int(m.group(2) or 0)))
    return out


class FirstRunWizard(QtWidgets.QWizard):
    """Collects the township and villages; ``choice`` is "setup" or "demo" after accept."""

    def __init__(self, store: Store, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.choice = "setup"
        self.setWindowTitle("首次使用设置")
        self.setWizardStyle(QtWidgets.QWizard.WizardStyle.ClassicStyle)
        self.setButtonText(QtWidgets.QWizard.WizardButton.NextButton, "下一步 >")
        self.setButtonText(QtWidgets.QWizard.WizardButton.BackButton, "< 上一步")
        self.setButtonText(QtWidgets.QWizard.WizardButton.FinishButton, "完成")
        self.setButtonText(QtWidgets.QWizard.WizardButton.CancelButton, "取消")

        # 1. welcome
        self.welcome = QtWidgets.QWizardPage()
        self.welcome.setTitle("欢迎使用基层政务公开桌面助手")
        wl = QtWidgets.QVBoxLayout(self.welcome)
        wl.addWidget(QtWidgets.QLabel(f"数据将保存在:{store.data_dir}"))
        self.opt_setup = QtWidgets.QRadioButton("乡镇(街道):设置本乡镇和村(社区)")
        self.opt_county = QtWidgets.QRadioButton("县(区)政务公开办:汇总各乡镇报来的数据")
        self.opt_demo = QtWidgets.QRadioButton("先用演示数据看看(演示数据单独存放,不影响正式数据)")
        self.opt_setup.setChecked(True)
        wl.addWidget(self.opt_setup)
        wl.addWidget(self.opt_county)
        wl.addWidget(self.opt_demo)
        self.addPage(self.welcome)

        # 1b. county: where the data live
        self.dpage = DatabasePage(self)
        self.addPage(self.dpage)

        # 2. township
        self.tpage = QtWidgets.QWizardPage()
        self.tpage.setTitle("本乡镇(街道)信息")
        form = QtWidgets.QFormLayout(self.tpage)
        self.name = QtWidgets.QLineEdit(placeholderText="例:高桥镇")
        self.code = QtWidgets.QLineEdit(placeholderText="6–12位数字,例:511702101")
        self.county = QtWidgets.QLineEdit(placeholderText="例:通川区")
        self.role = QtWidgets.QComboBox()
        self.role.addItem("乡镇(街道)", "township")
        self.role.addItem("县(区)政务公开办", "county")
        self.phone = QtWidgets.QLineEdit(placeholderText="公示单上印的监督举报电话")
        self.operator = QtWidgets.QLineEdit(placeholderText="您的姓名,记入操作日志")
        self.labels: dict[str, QtWidgets.QLabel] = {}
        for key, label, w in [("name", "乡镇名称*", self.name), ("code", "行政区划代码*", self.code),
                              ("county", "所属县(区)*", self.county), ("role", "角色", self.role),
                              ("phone", "监督电话", self.phone), ("operator", "操作人", self.operator)]:
            self.labels[key] = QtWidgets.QLabel(label)
            form.addRow(self.labels[key], w)
        self.role.currentIndexChanged.connect(lambda _i: self._word_for_role())
        self.addPage(self.tpage)

        # 3. villages
        self.vpage = QtWidgets.QWizardPage()
        self.vpage.setTitle("村(社区)")
        self.vpage.setSubTitle("每行一个:村名 村民小组数。以后也可在“设置”页添加或从 Excel 导入。")
        vl = QtWidgets.QVBoxLayout(self.vpage)
        self.villages = QtWidgets.QPlainTextEdit()
        self.villages.setPlaceholderText("高桥村 8\n柳树村 6\n新华社区 3")
        vl.addWidget(self.villages)
        self.addPage(self.vpage)

    @property
    def is_county(self) -> bool:
        return self.role.currentData() == "county"

    def _word_for_role(self) -> None:
        """A county office is set up in a county's words: its own name, no villages page."""
        county = self.is_county
        self.tpage.setTitle("本县(区)政务公开办信息" if county else "本乡镇(街道)信息")
        self.tpage.setSubTitle("县级汇总各乡镇报来的同步包;村(社区)由各乡镇自己维护。" if county else "")
        self.labels["name"].setText("单位名称*" if county else "乡镇名称*")
        self.name.setPlaceholderText("例:通川区政务公开办" if county else "例:高桥镇")
        self.labels["code"].setText("本县(区)行政区划代码*" if county else "行政区划代码*")
        self.code.setPlaceholderText("6位数字,例:511702" if county else "6–12位数字,例:511702101")
        self.labels["county"].setText("县(区)名称*" if county else "所属县(区)*")
        self.phone.setPlaceholderText("县级监督举报电话" if county else "公示单上印的监督举报电话")
        self.setButtonText(QtWidgets.QWizard.WizardButton.FinishButton, "完成")

    def nextId(self) -> int:
        if self.currentPage() is self.welcome and self.opt_demo.isChecked():
            return -1
        if self.currentPage() is self.welcome and not self.opt_county.isChecked():
            return self.pageIds()[2]  # a township keeps its data in this PC's file
        if self.currentPage() is self.dpage and self.dpage.existing:
            return -1  # the server already holds this county: nothing more to set up
        if self.currentPage() is self.tpage and self.is_county:
            return -1  # a county has no villages of its own to list
        return super().nextId()

    def validateCurrentPage(self) -> bool:
        page = self.currentPage()
        if page is self.welcome:
            self.choice = "demo" if self.opt_demo.isChecked() else "setup"
            self.role.setCurrentIndex(self.role.findData("county" if self.opt_county.isChecked() else "township"))
            self._word_for_role()
            return True
        if page is self.dpage:
            ok = self.dpage.apply()
            if ok and self.dpage.existing:  # the server already holds this county: done
                QtCore.QTimer.singleShot(0, self.accept)
            return ok
        if page is self.tpage:
            if not (self.name.text().strip() and self.code.text().strip() and self.county.text().strip()):
                QtWidgets.QMessageBox.warning(self, "信息不完整", "请填写单位名称、行政区划代码和县(区)名称。" if self.is_county
                                              else "请填写乡镇名称、行政区划代码和所属县(区)。")
                return False
            if not re.fullmatch(r"\d{6,12}", self.code.text().strip()):
                QtWidgets.QMessageBox.warning(self, "代码无效", "行政区划代码应为 6 至 12 位数字。")
                return False
            return self._save() if self.is_county else True
        if page is self.vpage:
            return self._save()
        return True

    def _save(self) -> bool:
        try:
            villages = [] if self.is_county else parse_village_lines(self.villages.toPlainText())
            setup.initialise(Workspace(self.store), self.name.text(), self.code.text(), self.county.text(),
                             self.role.currentData(), supervision_phone=self.phone.text(),
                             villages=villages, operator=self.operator.text().strip() or None)
        except GkError as exc:
            QtWidgets.QMessageBox.warning(self, "无法保存", with_hint(exc.message, exc.hint, exc.hint_args))
            return False
        except ValueError as exc:
            QtWidgets.QMessageBox.warning(self, "无法保存", str(exc))
            return False
        return True


class DatabasePage(QtWidgets.QWizardPage):
    """县级数据保存在哪里: this PC's file, or a PostgreSQL server (fields, 测试连接)."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        from gkdesk.ui.widgets.database_box import DatabaseBox

        self.wiz = wizard
        self.existing = False
        self.setTitle("县级数据保存在哪里")
        self.setSubTitle("一般选“本机文件”。全县数据量很大,或要在多台电脑上使用同一份县级数据时,"
                         "选“数据库服务器”(需要信息中心先按说明准备好 PostgreSQL 数据库)。")
        lay = QtWidgets.QVBoxLayout(self)
        self.opt_local = QtWidgets.QRadioButton("本机文件(推荐):数据保存在本电脑的数据目录中")
        self.opt_server = QtWidgets.QRadioButton("数据库服务器(PostgreSQL):数据保存在单位的数据库服务器上")
        self.opt_local.setChecked(True)
        lay.addWidget(self.opt_local)
        lay.addWidget(self.opt_server)
        self.box = DatabaseBox(lambda: Workspace(self.wiz.store))
        for name in ("host", "port", "database", "user", "password", "test_btn", "result", "loader"):
            setattr(self, name, getattr(self.box, name))
        lay.addWidget(self.box)
        lay.addStretch(1)
        self.opt_server.toggled.connect(self._enable)
        self._enable()

    def _enable(self, *_a: object) -> None:
        self.box.setEnabled(self.opt_server.isChecked())

    def apply(self) -> bool:
        """On 下一步: keep the choice; with a server, save it and reopen the data directory there."""
        if not self.opt_server.isChecked():
            self.existing = False
            return True
        from gkdesk import township
        from gkdesk.store import open_store

        QtWidgets.QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
        try:
            chosen = setup.connect_database(Workspace(self.wiz.store), *self.box.fields())
            data_dir = self.wiz.store.data_dir
            self.wiz.store.close()
            self.wiz.store = open_store(data_dir)  # now on the server (schema created on first use)
            with self.wiz.store.session() as s:
                self.existing = chosen.existing and township.is_initialised(s)
        except GkError as exc:
            self.box.say_error(exc)
            return False
        finally:
            QtWidgets.QApplication.restoreOverrideCursor()
        self.box.say(chosen.summary(), True)
        return True
