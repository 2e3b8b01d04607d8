"""How the command line says what would fix a refusal: the flag or the command to type.

The core's messages never name a flag (the window shows them too); the CLI appends the
sentence for the error's :class:`~gkdesk.hints.Hint` here. Every member has an entry
(a test checks it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gkdesk.hints import Hint, render

_TEXT: dict[Hint, Callable[[dict[str, Any]], str]] = {
    Hint.INIT: lambda a: "请先运行 gkdesk init(或在窗口中完成首次设置向导)。",
    Hint.NEW_DATA_DIR: lambda a: "如需另建,请使用新的数据目录,例如 gkdesk --data-dir 新目录 …",
    Hint.RESTORE_BACKUP: lambda a: "请从备份恢复:gkdesk backup restore",
    Hint.LIST_BACKUPS: lambda a: "用 gkdesk backup list 查看可用备份。",
    Hint.SET_HOLIDAYS: lambda a: (f"请录入:gkdesk calendar set-year {a.get('year', 'YYYY')} "
                                  "--holidays … --workdays …"),
    Hint.COUNTY_ROLE: lambda a: "县级汇总视图需要县级数据目录(gkdesk init --role county)。",
    Hint.ADD_VILLAGES: lambda a: "可加 --add-villages 自动添加。",
    Hint.REPLACE_BATCH: lambda a: "如需用本文件替换,请加 --replace(替换前会自动备份)。",
    Hint.ADD_PROGRAM: lambda a: ("可用 gkdesk payouts programs add 名称 --kind area|person_month|person "
                                 "--unit 单位 添加。"),
    Hint.GIVE_PERIOD: lambda a: "请用 --period YYYY-MM 给出发放月份。",
    Hint.CHOOSE_DOMAIN: lambda a: "请用 --domain 指定领域。",
    Hint.REVIEW_POSTING: lambda a: "请先登记审核:gkdesk posting review。",
    Hint.NOTICE_PERIOD: lambda a: "请同时给出 --start 和 --days。",
    Hint.NOTICE_TITLE: lambda a: "请用 --title 给出公示标题。",
    Hint.TRUST_KEY: lambda a: "请先用 gkdesk keys trust 身份文件 登记对方。",
    Hint.REPLACE_TRUST: lambda a: "确认对方重新生成了密钥(电话核对指纹)后,请加 --replace 重新登记。",
    Hint.RESEND_FULL: lambda a: "请乡镇用 gkdesk sync export --full 重新导出。",
    Hint.RESYNC: lambda a: "请乡镇用 gkdesk sync export --resync 导出重新同步包。",
    Hint.SEND_UPDATE: lambda a: "县级请用 gkdesk sync update 向乡镇下发更新。",
    Hint.LIST_CONFLICTS: lambda a: "用 gkdesk sync conflicts 查看。",
    Hint.LIST_DOMAINS: lambda a: "可用 gkdesk catalogue domains 查看全部领域。",
    Hint.LIST_BATCHES: lambda a: "可用 gkdesk payouts list 查看清册编号。",
    Hint.NOTICE_MISSING_GLYPHS: lambda a: "加上 --allow-missing-glyphs 可在这些字的位置留出空白方框,打印后手写补上。",
    Hint.NOTICE_TOO_WIDE: lambda a: (f"可加上 {a['flags']} 重新打印。" if a.get("flags")
                                     else "可用 --landscape 或 --paper A3 换更宽的纸,或减少表格列数。"),
    Hint.RESET_KEYS: lambda a: "请用 gkdesk keys reset --yes 生成新密钥,再用 gkdesk keys export 导出身份文件交对方重新登记。",
    Hint.VERIFY_PEER: lambda a: f"请电话核对指纹后用 gkdesk keys verify {a.get('unit', '代码')} 数字 输入听到的数字。",
    Hint.ENROL: lambda a: "请县级用 gkdesk keys trust 登记本乡镇的身份文件(已撤销的用 --replace 重新登记)。",
    Hint.ALLOW_DUPLICATE: lambda a: "确认不是重复发放时,可加 --allow-duplicate 仍然导入。",
    Hint.CHOOSE_VILLAGE: lambda a: "可加 --village 村名 指定整个文件所属的村(社区)。",
    Hint.MAP_VILLAGES: lambda a: "可加 --village-map 名单中的名称=已有村名 对应到已有的村(社区)。",
    Hint.STORE_TOTAL: lambda a: "如需作为本项目的乡镇合计保存(用于核对各村名单),请加 --as-total。",
    Hint.LIST_LAYOUTS: lambda a: "可用 gkdesk payouts layouts list 查看已保存的导入模板。",
    Hint.IMPORT_ENROLMENT: lambda a: f"请县级用 gkdesk keys enrolment {a.get('unit', '代码')} -o 文件 写登记文件,乡镇用 gkdesk keys trust 文件 导入后再导出数据包。",
}


def hint_text(hint: Hint | str | None, args: dict[str, Any] | None = None) -> str:
    """The CLI's sentence for ``hint`` ("" for none or an unknown code)."""
    return render(_TEXT, hint, args)


def with_hint(message: str, hint: Hint | str | None, args: dict[str, Any] | None = None) -> str:
    """``message`` followed by the hint's sentence, as the CLI prints a refusal."""
    extra = hint_text(hint, args)
    if not extra:
        return message
    sep = "" if message.endswith(("。", "!", "?", "!", "?")) else "。"
    return f"{message}{sep}{extra}"


def rendered_hints() -> set[Hint]:
    return set(_TEXT)
