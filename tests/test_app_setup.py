"""The Workspace and the setup/backup operations, on a real data directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from gkdesk import township
from gkdesk.app import Workspace, setup
from gkdesk.app import backups as backup_ops
from gkdesk.errors import InputRejected, NotFound
from gkdesk.hints import Hint
from gkdesk.models import AuditEntry, Village


def _audit(ws: Workspace, action: str) -> list[AuditEntry]:
    with ws.session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _backups(data_dir: Path, reason: str = "") -> list[Path]:
    return sorted(p for p in (data_dir / "backups").glob("*.sqlite3") if reason in p.name)


def test_initialise_records_who_and_remembers_the_operator(data_dir: Path) -> None:
    ws = Workspace.open(data_dir)
    res = setup.initialise(ws, "高桥镇", "511702101", "通川区", villages=[("高桥村", 5), ("柳树村", 3)],
                           operator="王小红")
    assert res.township["name"] == "高桥镇" and res.villages == ["高桥村", "柳树村"]
    assert "高桥镇" in res.summary() and "高桥村、柳树村" in res.summary()
    assert [e.operator for e in _audit(ws, "init")] == ["王小红"]
    assert {e.operator for e in _audit(ws, "village.add")} == {"王小红"}
    ws.close()
    again = Workspace.open(data_dir)  # a later run: the name typed in the wizard is the default
    assert again.operator == "王小红"
    with pytest.raises(InputRejected) as exc:
        setup.initialise(again, "别的镇", "511702102", "通川区")
    assert exc.value.hint == Hint.NEW_DATA_DIR and "--" not in exc.value.message
    again.close()


def test_an_explicit_operator_wins_over_the_saved_one(store) -> None:
    Workspace(store).set_operator("李会计")
    assert Workspace(store).operator == "李会计"
    assert Workspace(store, "张主任").operator == "张主任"
    setup.add_village(Workspace(store, "张主任"), "红星村", 2)
    assert [e.operator for e in _audit(Workspace(store), "village.add")][-1] == "张主任"


def test_a_failed_change_is_rolled_back_but_its_backup_stays(store, data_dir: Path) -> None:
    ws = Workspace(store)
    setup.add_village(ws, "红星村", 1)  # something new since the last backup
    with pytest.raises(RuntimeError), ws.change(backup="before-import") as s:
        township.add_village(s, "半截村", 1, ws.operator)
        raise RuntimeError("disk pulled out")
    with ws.session() as s:
        assert s.scalar(select(func.count()).select_from(Village).where(Village.name == "半截村")) == 0
    assert len(_backups(data_dir, "before-import")) == 1


def test_importing_villages_backs_up_first_and_says_what_changed(store, data_dir: Path, tmp_path: Path) -> None:
    wb = Workbook()
    ws_ = wb.active
    ws_.append(["村名", "村民小组数"])
    ws_.append(["高桥村", 6])
    ws_.append(["红星村", 4])
    path = tmp_path / "村名单.xlsx"
    wb.save(path)
    res = setup.import_villages(Workspace(store), path)
    assert (res.added, res.existing, res.groups_added) == (1, 1, 5)
    assert res.changes == {"villages"} and "新增 1 个村" in res.summary()
    assert len(_backups(data_dir, "before-import")) == 1


def test_restore_through_the_workspace_reopens_and_audits(store, data_dir: Path) -> None:
    ws = Workspace(store, "测试员")
    made = backup_ops.create(ws, force=True)
    assert made.info is not None and made.changes == {"backups"}
    setup.add_village(ws, "红星村", 2)
    res = backup_ops.restore(ws, made.info.path.name)
    assert res.safety is not None and res.safety.path.exists() and res.changes == {"all"}
    with ws.session() as s:  # the workspace is open on the restored file
        assert "红星村" not in [v.name for v in township.villages(s)]
    assert [e.target for e in _audit(ws, "backup.restore")] == [made.info.path.name]
    with pytest.raises(NotFound) as exc:
        backup_ops.restore(ws, "没有这个备份.sqlite3")
    assert exc.value.hint == Hint.LIST_BACKUPS


def test_demo_refused_in_a_used_directory_names_no_flag_in_the_window(store, cli) -> None:
    with pytest.raises(InputRejected) as exc:
        setup.load_demo(Workspace(store))
    assert exc.value.hint == Hint.NEW_DATA_DIR and "--data-dir" not in exc.value.message
    r = cli("demo", "--json")
    assert r.code == 1
    body = r.json if r.out.strip() else {}
    assert body["code"] == "rejected" and body["hint"] == "new_data_dir" and "--data-dir" in body["message"]
