"""同步 page, trust panel: whom this installation trusts, in what state, and the phone check.

Every text here that comes from an identity file or a package is shown as plain text (no
rich text from another installation). The phone check: each clerk reads their own
fingerprint to the other, who types back the digits heard; only then is the peer 已核验.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from gkdesk.app import sync as ops
from gkdesk.sync.keys import digits_of
from gkdesk.ui.qt import Qt, QtGui, QtWidgets

STATE_COLOURS = {"已核验": Qt.GlobalColor.darkGreen, "待核验": Qt.GlobalColor.darkYellow,
                 "已撤销": Qt.GlobalColor.darkRed}


def plain_label(text: str = "") -> QtWidgets.QLabel:
    lab = QtWidgets.QLabel()
    lab.setTextFormat(Qt.TextFormat.PlainText)
    lab.setWordWrap(True)
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    lab.setText(text)
    return lab


def qr_pixmap(text: str, scale: int = 4) -> QtGui.QPixmap | None:
    """``text`` as a QR code (None when the qrcode package is missing: the digits suffice)."""
    try:
        import qrcode
    except ImportError:
        return None
    q = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    q.add_data(text)
    q.make(fit=True)
    matrix = q.get_matrix()
    n = len(matrix)
    img = QtGui.QImage(n * scale, n * scale, QtGui.QImage.Format.Format_RGB32)
    img.fill(QtGui.QColor("white"))
    painter = QtGui.QPainter(img)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.fillRect(x * scale, y * scale, scale, scale, QtGui.QColor("black"))
    painter.end()
    return QtGui.QPixmap.fromImage(img)


class VerifyDialog(QtWidgets.QDialog):
    """Type back the digits the other clerk read out on the phone."""

    def __init__(self, peer: dict, my_fingerprint: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("核验对方指纹")
        self.setMinimumWidth(580)
        self.peer = peer
        self.want = len(digits_of(peer["fingerprint"]))
        lay = QtWidgets.QVBoxLayout(self)
        lay.addWidget(plain_label(
            f"1. 打电话给“{peer['name']}”({peer['code']})。请用您平时联系对方的电话号码,"
            "不要用随文件一起送来的号码。"))
        lay.addWidget(plain_label("2. 把本单位的指纹读给对方,由对方在其电脑上输入:"))
        mine = plain_label(my_fingerprint)
        mine.setObjectName("myFingerprint")
        mine.setStyleSheet("font-size: 18px; font-family: monospace; letter-spacing: 1px;")
        row = QtWidgets.QHBoxLayout()
        row.addWidget(mine, 1)
        pix = qr_pixmap(my_fingerprint.replace(" ", ""))
        if pix is not None:  # when both clerks are in one room, the other may scan it instead
            self.qr = plain_label()
            self.qr.setWordWrap(False)
            self.qr.setPixmap(pix)
            self.qr.setToolTip("同在一处时,对方可用手机扫码,与其电脑上显示的本单位指纹逐位核对")
            row.addWidget(self.qr)
        lay.addLayout(row)
        lay.addWidget(plain_label(f"3. 请对方读出其指纹({self.want} 位数字,每 5 位一组),在下面输入听到的数字:"))
        self.edit = QtWidgets.QLineEdit()
        self.edit.setPlaceholderText("例如 12345 67890 ……")
        self.edit.setStyleSheet("font-size: 18px; font-family: monospace;")
        self.edit.textChanged.connect(self._typed)
        lay.addWidget(self.edit)
        self.count = plain_label(f"已输入 0 / {self.want} 位")
        lay.addWidget(self.count)
        lay.addWidget(plain_label("输入的数字与对方身份文件的指纹完全一致,才会标为“已核验”;核验前不收发同步包。"))
        self.buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Ok |
                                                  QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setText("核验")
        self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self._typed("")

    def _typed(self, text: str) -> None:
        n = len(digits_of(text))
        self.count.setText(f"已输入 {n} / {self.want} 位")
        self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setEnabled(n == self.want)

    def digits(self) -> str:
        return digits_of(self.edit.text())


class TrustPanel(QtWidgets.QWidget):
    """The peers table and the buttons that change trust."""

    def __init__(self, page, act: Callable, parent: QtWidgets.QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.page, self.act = page, act
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.table = QtWidgets.QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["单位", "代码", "状态", "指纹"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setMaximumHeight(130)
        lay.addWidget(self.table)
        row = QtWidgets.QHBoxLayout()
        self.verify_btn = QtWidgets.QPushButton("核验指纹…")
        self.revoke_btn = QtWidgets.QPushButton("撤销登记…")
        self.enrol_btn = QtWidgets.QPushButton("导出登记文件…")
        self.enrol_btn.setToolTip("为选中的乡镇写登记文件(含县级为其登记的编号),交乡镇导入")
        self.enrol_btn.clicked.connect(self._ask_enrolment)
        self.restore_btn = QtWidgets.QPushButton("导出恢复包…")
        self.restore_btn.setToolTip("乡镇数据目录丢失、重新登记后:把县级保存的该乡镇记录写成恢复包,交乡镇导入")
        self.restore_btn.clicked.connect(self._ask_restore)
        self.reset_btn = QtWidgets.QPushButton("重新生成密钥…")
        self.verify_btn.clicked.connect(self._ask_verify)
        self.revoke_btn.clicked.connect(self._ask_revoke)
        self.reset_btn.clicked.connect(self._ask_reset)
        for b in (self.verify_btn, self.enrol_btn, self.restore_btn, self.revoke_btn, self.reset_btn):
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        self.peers: list[dict] = []
        self.my_fingerprint = ""

    def refresh(self, me: ops.IdentityView) -> None:
        self.peers, self.my_fingerprint = me.peers, me.fingerprint
        self.revoke_btn.setVisible(me.is_county)
        self.enrol_btn.setVisible(me.is_county)
        self.restore_btn.setVisible(me.is_county)
        self.table.setRowCount(len(self.peers))
        for r, p in enumerate(self.peers):
            for c, v in enumerate([p["name"], p["code"], p["state"], p["fingerprint"]]):
                item = QtWidgets.QTableWidgetItem(str(v))  # items never interpret rich text
                if c == 2:
                    item.setForeground(STATE_COLOURS.get(p["state"], Qt.GlobalColor.black))
                self.table.setItem(r, c, item)
        pending = next((r for r, p in enumerate(self.peers) if p["state"] == "待核验"), None)
        if pending is not None and not self.table.selectionModel().selectedRows():
            self.table.selectRow(pending)
        self.table.resizeColumnsToContents()

    def selected(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return self.peers[rows[0].row()]
        return self.peers[0] if len(self.peers) == 1 else None

    def verify(self, code: str, digits: str):  # type: ignore[no-untyped-def]
        return self.act(lambda ws: ops.verify_peer(ws, code, digits), "核验指纹")

    def _ask_verify(self) -> None:
        p = self.selected()
        if p is None:
            QtWidgets.QMessageBox.information(self, "核验指纹", "请先在上面的列表中选择要核验的单位。")
            return
        dlg = VerifyDialog(p, self.my_fingerprint, self)
        if dlg.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self.verify(p["code"], dlg.digits())

    def export_enrolment(self, code: str, out: Path):  # type: ignore[no-untyped-def]
        return self.act(lambda ws: ops.export_enrolment(ws, code, out), "导出登记文件")

    def _ask_enrolment(self) -> None:
        p = self.selected()
        if p is None:
            QtWidgets.QMessageBox.information(self, "导出登记文件", "请先在上面的列表中选择乡镇。")
            return
        f, _ = QtWidgets.QFileDialog.getSaveFileName(self, "导出登记文件", ops.enrolment_file_name(p),
                                                     "登记文件 (*.json)")
        if f:
            self.export_enrolment(p["code"], Path(f))

    def send_restore(self, code: str, folder: Path):  # type: ignore[no-untyped-def]
        return self.act(lambda ws: ops.send_restore(ws, code, folder), "导出恢复包")

    def _ask_restore(self) -> None:
        p = self.selected()
        if p is None:
            QtWidgets.QMessageBox.information(self, "导出恢复包", "请先在上面的列表中选择乡镇。")
            return
        folder = QtWidgets.QFileDialog.getExistingDirectory(self, f"把“{p['name']}”的恢复包写到(如 U 盘)")
        if folder:
            self.send_restore(p["code"], Path(folder))

    def _ask_revoke(self) -> None:
        p = self.selected()
        if p is None:
            QtWidgets.QMessageBox.information(self, "撤销登记", "请先在上面的列表中选择要撤销的乡镇。")
            return
        if QtWidgets.QMessageBox.question(
                self, "撤销登记", f"撤销“{p['name']}”({p['code']})的登记?\n\n撤销后不再接受它的同步包"
                "(已有数据保留)。电脑丢失、被盗或经办人离开时使用;之后导入其新的身份文件并核验指纹即可重新登记。"
        ) == QtWidgets.QMessageBox.StandardButton.Yes:
            self.act(lambda ws: ops.revoke_peer(ws, p["code"]), "撤销登记")

    def _ask_reset(self) -> None:
        if QtWidgets.QMessageBox.question(
                self, "重新生成密钥", "只在本机密钥丢失、泄露或提示“无法解开本单位的私钥”时使用。\n\n"
                "生成后请导出新的身份文件交给对方;能解开旧密钥时,新密钥由旧密钥签名确认,对方导入后无需重新核验。"
                "(生成前会自动备份)") == QtWidgets.QMessageBox.StandardButton.Yes:
            self.act(lambda ws: ops.reset_keys(ws), "重新生成密钥")
