"""同步: export packages to a folder (USB stick), import by file dialog or drag-and-drop,
history with reports, receipts — on the township and on the county side."""

from __future__ import annotations

import json
from pathlib import Path

from gkdesk import county, county_xlsx, sync, township
from gkdesk.errors import GkError
from gkdesk.models.township import ROLE_COUNTY
from gkdesk.sync import keys
from gkdesk.ui.jobs import run_job
from gkdesk.ui.pages.base import Page
from gkdesk.ui.pages.sync_county import CountyPanel
from gkdesk.ui.qt import Qt, QtWidgets, Signal

DIRECTION = {"out": "导出", "in": "导入"}



def _local(stamp: str) -> str:
    """History times are stored in UTC (ISO text); the clerk reads local time."""
    from datetime import datetime

    from gkdesk.audit import local_time

    try:
        return f"{local_time(datetime.fromisoformat(stamp).replace(tzinfo=None)):%Y-%m-%d %H:%M:%S}"
    except ValueError:
        return stamp

class DropArea(QtWidgets.QLabel):
    """A box that takes ``.gkpkg`` files dropped from the file manager."""

    dropped = Signal(object)  # list[Path]

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__("把同步包(.gkpkg)拖到这里导入,或点击“导入同步包…”", parent)
        self.setAcceptDrops(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumHeight(56)
        self.setObjectName("dropArea")
        self.setStyleSheet("#dropArea { border: 2px dashed #8a9bb0; border-radius: 6px; color: #4a5a70; }")

    @staticmethod
    def _paths(mime) -> list[Path]:
        return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile() and u.toLocalFile().endswith(".gkpkg")]

    def dragEnterEvent(self, event) -> None:
        if self._paths(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if self._paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = self._paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.dropped.emit(paths)


class SyncPage(Page):
    watches = frozenset({"sync", "township", "all"})

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.last_job = None
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.heading("同步"))
        self.identity = QtWidgets.QLabel()
        self.identity.setWordWrap(True)
        self.identity.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.identity)

        keys_row = QtWidgets.QHBoxLayout()
        self.export_id_btn = QtWidgets.QPushButton("导出本单位身份文件…")
        self.trust_btn = QtWidgets.QPushButton("信任对方身份文件…")
        self.export_id_btn.clicked.connect(self._ask_export_identity)
        self.trust_btn.clicked.connect(self._ask_trust)
        keys_row.addWidget(self.export_id_btn)
        keys_row.addWidget(self.trust_btn)
        keys_row.addStretch(1)
        layout.addLayout(keys_row)

        act = QtWidgets.QHBoxLayout()
        self.export_btn = QtWidgets.QPushButton("导出数据包到U盘/文件夹…")
        self.export_btn.setShortcut("Ctrl+E")
        self.full_box = QtWidgets.QCheckBox("重新发送全部数据")
        self.resync_box = QtWidgets.QCheckBox("从旧备份恢复后重新同步")
        self.resync_box.setToolTip("县级因“旧包或重放的包”拒收时勾选:发送全部数据,县级接受一次并重新接续包序号")
        self.update_btn = QtWidgets.QPushButton("向乡镇下发更新(节假日等)…")
        self.import_btn = QtWidgets.QPushButton("导入同步包…")
        self.import_btn.setShortcut("Ctrl+I")
        self.xlsx_btn = QtWidgets.QPushButton("导出汇总表…")
        self.export_btn.clicked.connect(self._ask_export)
        self.update_btn.clicked.connect(self._ask_update)
        self.import_btn.clicked.connect(self._ask_import)
        self.xlsx_btn.clicked.connect(self._ask_xlsx)
        for w in (self.export_btn, self.full_box, self.resync_box, self.update_btn, self.import_btn, self.xlsx_btn):
            act.addWidget(w)
        act.addStretch(1)
        layout.addLayout(act)

        self.drop = DropArea()
        self.drop.dropped.connect(self.import_paths)
        layout.addWidget(self.drop)
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("syncMessage")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)

        self.county_panel = CountyPanel(self)  # county: the views across townships, conflicts
        self.county_panel.setMinimumHeight(230)
        self.status_table = self.county_panel.status_table
        layout.addWidget(self.county_panel, 3)

        split = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        self.history = QtWidgets.QTableWidget(0, 7)
        self.history.setHorizontalHeaderLabels(["时间", "方向", "类型", "对方", "序号", "结果", "文件"])
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.itemSelectionChanged.connect(self._show_report)
        self.report = QtWidgets.QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setPlaceholderText("选择左侧一条记录查看报告")
        split.addWidget(self.history)
        split.addWidget(self.report)
        split.setSizes([620, 380])
        layout.addWidget(split, 2)
        self.entries: list[dict] = []
        self.is_county = False

    # --- data -------------------------------------------------------------------------
    def refresh(self) -> None:
        with self.ctx.store.session() as s:
            me = township.current(s)
            ident = keys.ensure_keys(s, self.ctx.store.data_dir)
            peers = keys.peers(s)
            self.is_county = me.role == ROLE_COUNTY
            hist = sync.history(s)
            if self.is_county:
                self.county_panel.refresh(s)
        trusted = ";".join(f"{p.name}({p.code})指纹 {p.fingerprint}" for p in peers) or "尚未信任任何单位"
        self.identity.setText(f"本单位:{me.name}({me.code}),密钥指纹 <b>{ident.fingerprint}</b><br>"
                              f"{'已登记的乡镇' if self.is_county else '已信任的县级单位'}:{trusted}")
        self.export_btn.setVisible(not self.is_county)
        self.full_box.setVisible(not self.is_county)
        self.update_btn.setVisible(self.is_county)
        self.xlsx_btn.setVisible(self.is_county)
        self.county_panel.setVisible(self.is_county)
        self.resync_box.setVisible(not self.is_county)
        refused = [{"direction": "in", "kind": r.get("kind") or "", "kind_label": "", "peer_code": r.get("sender_code", ""),
                    "seq": r.get("seq") or "", "processed_at": r["at"], "file": r["file"], "status": "refused",
                    "report": r} for r in sync.refused_history(self.ctx.store, 50)]
        names = {p.code: p.name for p in peers}
        self.entries = sorted(hist + refused, key=lambda e: e["processed_at"], reverse=True)
        self.history.setRowCount(len(self.entries))
        for r, e in enumerate(self.entries):
            result = {"sent": "已发出", "applied": "已导入", "resync": "已导入(重新同步)", "refused": "已拒绝"}.get(e["status"], e["status"])
            vals = [_local(e["processed_at"]), DIRECTION[e["direction"]],
                    e["kind_label"] or sync.importer.KIND_LABELS.get(e["kind"], "未知"),
                    names.get(e["peer_code"], e["peer_code"] or "未知"), str(e["seq"]), result, e["file"]]
            for c, v in enumerate(vals):
                item = QtWidgets.QTableWidgetItem(v)
                if e["status"] == "refused":
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.history.setItem(r, c, item)
        self.history.resizeColumnsToContents()

    def _show_report(self) -> None:
        rows = self.history.selectionModel().selectedRows()
        if not rows:
            return
        e = self.entries[rows[0].row()]
        rep = e.get("report") or {}
        lines = [f"文件:{e['file']}"]
        if e["status"] == "refused":
            lines.append(f"已拒绝,数据未改动。原因:{rep.get('reason', '')}")
        for t, c in (rep.get("tables") or {}).items():
            lines.append(f"{county.TABLE_LABELS.get(t, t)}:新增 {c['new']},更新 {c['updated']},"
                         f"未变 {c['unchanged']},冲突 {c['conflicting']}")
        if rep.get("counts"):
            lines.append("包含:" + ",".join(f"{county.TABLE_LABELS.get(k, k)} {v}" for k, v in rep["counts"].items()))
        for f in rep.get("receipt_files") or []:
            lines.append(f"回执:{f}")
        if rep.get("totals") and e["kind"] != "data":
            lines.append(json.dumps(rep["totals"], ensure_ascii=False))
        self.report.setPlainText("\n".join(lines))

    # --- actions (the ask_* wrappers only add a dialog) ---------------------------------
    def _folder(self, title: str) -> Path | None:
        d = QtWidgets.QFileDialog.getExistingDirectory(self, title)
        return Path(d) if d else None

    def _ask_export(self) -> None:
        folder = self._folder("选择 U 盘或文件夹")
        if folder:
            self.export_to(folder)

    def _ask_update(self) -> None:
        folder = self._folder("选择 U 盘或文件夹")
        if folder:
            self.update_to(folder)

    def _ask_import(self) -> None:
        files, _ = QtWidgets.QFileDialog.getOpenFileNames(self, "选择同步包", "", "同步包 (*.gkpkg)")
        if files:
            self.import_paths([Path(f) for f in files])

    def _ask_xlsx(self) -> None:
        f, _ = QtWidgets.QFileDialog.getSaveFileName(self, "导出汇总表", "县级汇总.xlsx", "Excel (*.xlsx)")
        if f:
            with self.ctx.store.session() as s:
                county_xlsx.export_xlsx(s, Path(f))
            self.message.setText(f"已导出汇总表:{f}")

    def _ask_export_identity(self) -> None:
        f, _ = QtWidgets.QFileDialog.getSaveFileName(self, "导出身份文件", "身份文件.json", "身份文件 (*.json)")
        if f:
            with self.ctx.store.session() as s:
                body = keys.export_identity(s, Path(f), self.ctx.store.data_dir)
            self.message.setText(f"已导出身份文件:{f}。指纹 {body['fingerprint']},请与对方电话核对。")

    def _ask_trust(self) -> None:
        f, _ = QtWidgets.QFileDialog.getOpenFileName(self, "选择对方的身份文件", "", "身份文件 (*.json)")
        if f:
            self.trust_file(Path(f))

    def trust_file(self, path: Path, replace: bool = False) -> None:
        try:
            with self.ctx.store.session() as s:
                res = keys.trust(s, path, self.ctx.operator, replace=replace)
        except GkError as exc:
            self.message.setText(exc.message)
            return
        p = res["peer"]
        self.message.setText(f"已信任:{p['name']}({p['code']}),指纹 {p['fingerprint']}。请与对方电话核对指纹。")
        self.ctx.notify({"sync"})

    def _fail(self, exc: BaseException) -> None:
        self.message.setText(exc.message if isinstance(exc, GkError) else f"出错:{exc}")

    def export_to(self, folder: Path) -> None:
        full, resync = self.full_box.isChecked(), self.resync_box.isChecked()

        def work(report, cancelled):
            return sync.export_data(self.ctx.store, folder, self.ctx.operator, full=full, resync=resync,
                                    report=report, cancelled=cancelled)

        def done(res) -> None:
            counts = ",".join(f"{county.TABLE_LABELS.get(k, k)} {v}" for k, v in res.counts.items()) or "无变化"
            what = "重新同步包" if res.kind == "resync" else "数据包"
            self.message.setText(f"第 {res.seq} 号{what}:{counts}。{res.safe_message}")
            self.resync_box.setChecked(False)
            self.ctx.notify({"sync"})

        self.last_job = run_job(self, "导出数据包", work, done, self._fail)

    def update_to(self, folder: Path) -> None:
        def work(report, cancelled):
            return sync.export_update(self.ctx.store, folder, self.ctx.operator)

        def done(results) -> None:
            self.message.setText(f"已为 {len(results)} 个乡镇写入更新包。现在可以安全拔出 U 盘。")
            self.ctx.notify({"sync"})

        self.last_job = run_job(self, "下发更新", work, done, self._fail)

    def import_paths(self, paths: list[Path]) -> None:
        def work(report, cancelled):
            return sync.import_files(self.ctx.store, paths, self.ctx.operator, report=report, cancelled=cancelled)

        def done(reps) -> None:
            lines = [r.describe() for r in reps]
            for r in reps:
                lines += [f"回执已写入:{f}(请交回乡镇)" for f in r.receipt_files]
            self.message.setText("\n".join(lines))
            self.ctx.notify({"sync", "all"})

        self.last_job = run_job(self, "导入同步包", work, done, self._fail)
