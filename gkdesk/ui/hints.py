"""How the window says what would fix a refusal: the page, button or dialog to use.

The counterpart of ``gkdesk/cli/hints.py``: same :class:`~gkdesk.hints.Hint`, window words.
Pages that can act on a hint directly (add the villages, replace the batch) offer the
button themselves; every other refusal shows this sentence under the message. No text
here names a command or a flag (a test checks every string the window can show).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gkdesk.hints import Hint, render

_TEXT: dict[Hint, Callable[[dict[str, Any]], str]] = {
    Hint.INIT: lambda a: "请先完成首次设置向导(填写本乡镇名称和代码)。",
    Hint.NEW_DATA_DIR: lambda a: "如需另建,请在启动时选择一个新的数据文件夹。",
    Hint.RESTORE_BACKUP: lambda a: "请在“备份”页选择一个较早的备份恢复。",
    Hint.LIST_BACKUPS: lambda a: "请在“备份”页的列表中选择。",
    Hint.SET_HOLIDAYS: lambda a: (f"请在“设置”页录入{a['year']}年节假日安排(国务院办公厅通知)。"
                                  if a.get("year") else "请在“设置”页录入节假日安排(国务院办公厅通知)。"),
    Hint.COUNTY_ROLE: lambda a: "县级汇总只在县级单位的程序中可用。",
    Hint.ADD_VILLAGES: lambda a: "可在导入时选择“添加这些村(社区)”,或先在“村务公开”页添加。",
    Hint.REPLACE_BATCH: lambda a: "如需用本文件替换已导入的清册,请在导入时选择“替换”(替换前会自动备份)。",
    Hint.ADD_PROGRAM: lambda a: "请先在“补贴发放”页添加该补贴项目。",
    Hint.GIVE_PERIOD: lambda a: "请在导入时选择发放月份。",
    Hint.CHOOSE_DOMAIN: lambda a: "请在导入时选择该文件所属的领域。",
    Hint.REVIEW_POSTING: lambda a: "请先在“村务公开”页点“登记审核”。",
    Hint.NOTICE_PERIOD: lambda a: "请同时填写公示开始日期和公示天数。",
    Hint.NOTICE_TITLE: lambda a: "请填写公示标题。",
    Hint.TRUST_KEY: lambda a: "请先在“同步”页点“信任对方身份文件…”,导入对方的身份文件。",
    Hint.REPLACE_TRUST: lambda a: "电话核对对方的新指纹后,在“同步”页点“信任对方身份文件…”重新导入并确认替换。",
    Hint.RESEND_FULL: lambda a: "请乡镇在“同步”页重新导出完整数据包后发送。",
    Hint.RESYNC: lambda a: "请乡镇在“同步”页勾选“从旧备份恢复后重新同步”后导出数据包。",
    Hint.SEND_UPDATE: lambda a: "县级请在“同步”页向乡镇下发更新。",
    Hint.LIST_CONFLICTS: lambda a: "请在“同步”页的冲突列表中选择。",
    Hint.LIST_DOMAINS: lambda a: "全部领域列在“标准目录”页左侧。",
    Hint.LIST_BATCHES: lambda a: "请从“补贴发放”页的清册列表中选择。",
    Hint.NOTICE_MISSING_GLYPHS: lambda a: "可以选择在这些字的位置留出空白方框,打印后手写补上。",
    Hint.NOTICE_TOO_WIDE: lambda a: (f"请在左侧改选“{a['suggest']}”后重新预览。" if a.get("suggest")
                                     else "请改用横向或 A3 纸,或减少表格的列数。"),
    Hint.RESET_KEYS: lambda a: "请在“同步”页点“重新生成密钥…”,再导出身份文件交对方重新登记。",
    Hint.VERIFY_PEER: lambda a: "请电话核对指纹后,在“同步”页点“核验指纹…”输入对方读出的数字。",
    Hint.ENROL: lambda a: "请县级在“同步”页重新登记本乡镇的身份文件。",
    Hint.ALLOW_DUPLICATE: lambda a: "确认不是重复发放时,可在导入时选择“仍然导入”。",
    Hint.CHOOSE_VILLAGE: lambda a: "请在导入时选择整个文件所属的村(社区)。",
    Hint.MAP_VILLAGES: lambda a: "可在导入时把这些名称对应到已有的村(社区)。",
    Hint.STORE_TOTAL: lambda a: "可在导入时选择“作为乡镇合计保存”,用于核对各村名单。",
    Hint.LIST_LAYOUTS: lambda a: "请从列对应步骤的模板列表中选择。",
    Hint.IMPORT_ENROLMENT: lambda a: "请县级在“同步”页为该乡镇点“导出登记文件…”,乡镇在“同步”页用“信任对方身份文件…”导入这个登记文件后再发送数据。",
}


def hint_text(hint: Hint | str | None, args: dict[str, Any] | None = None) -> str:
    return render(_TEXT, hint, args)


def with_hint(message: str, hint: Hint | str | None, args: dict[str, Any] | None = None) -> str:
    """The message and, on its own paragraph, what the clerk can do in the window."""
    extra = hint_text(hint, args)
    return f"{message}\n\n{extra}" if extra else message


def rendered_hints() -> set[Hint]:
    return set(_TEXT)
