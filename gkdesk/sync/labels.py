"""Chinese names for what sync reports contain: tables, columns and report figures.

Package reports, refusals, conflict details and the county views name tables and
columns; the clerk must read 村(社区)/名称, never ``village``/``name``. Kept here, free
of imports, so the engine's refusal texts, the county views and both faces share them.
An unknown name (a newer township's table) falls back to a neutral Chinese phrase.
"""

from __future__ import annotations

from typing import Any

TABLE_LABELS = {
    "township": "乡镇", "village": "村(社区)", "village_group": "村民小组", "program": "补贴项目",
    "payout_batch": "发放清册", "payout": "发放记录", "catalogue_domain": "目录领域",
    "catalogue_item": "目录事项", "catalogue_publication": "发布记录", "posting": "公示",
    "posting_photo": "公示照片", "posting_objection": "公示异议", "posting_event": "公示经过",
    "village_catalogue_item": "村务公开目录", "village_disclosure_profile": "村务公开设置",
}

FIELD_LABELS = {
    "name": "名称", "code": "代码", "kind": "类型", "sort_order": "排序", "county_name": "所属县(区)",
    "role": "角色", "aliases": "别名", "group_number": "组号", "group_name": "组名", "unit": "单位",
    "rate": "标准", "quantity": "数量", "amount_fen": "金额", "total_fen": "合计金额", "year": "年度",
    "month": "月份", "period": "期间", "recipient_name": "姓名", "id_number": "身份证号",
    "account_number": "账号", "remark": "备注", "note": "备注", "title": "标题", "content": "内容",
    "status": "状态", "source": "来源", "source_file": "来源文件", "source_name": "来源名称",
    "level1": "一级事项", "level2": "二级事项", "level3": "三级事项", "basis": "依据",
    "time_limit": "公开时限", "channel": "公开渠道", "channels": "公开渠道", "audience": "公开对象",
    "department": "责任单位", "applicable": "是否适用", "not_applicable_reason": "不适用原因",
    "frequency": "公开频次", "min_frequency": "最低公开频次", "category": "类别", "scheme": "公开分类",
    "published_on": "发布日期", "publisher": "发布人", "link": "链接", "doc_number": "文号",
    "posted_on": "张贴日期", "ended_on": "公示结束日期", "period_start": "公示开始日期",
    "period_end": "公示截止日期", "period_days": "公示天数", "period_unit": "天数计法",
    "reviewer": "审核人", "reviewed_on": "审核日期", "reviewer_body": "审核组织", "location": "张贴地点",
    "archived_on": "归档日期", "archive_place": "归档位置", "taken_on": "拍摄日期",
    "raised_by": "异议人", "raised_on": "异议日期", "answer": "答复", "answered_by": "答复人",
    "answered_on": "答复日期", "supervision_head": "监督委员会主任", "supervision_phone": "监督电话",
    "finance": "财务公开", "busy_finance": "农忙时财务公开", "finance_group_head": "理财小组组长",
    "fixed_day": "固定公开日", "village_count": "村(社区)数", "row_count": "记录数", "tracking_from": "开始跟踪月份",
    "warning_count": "提示数", "deleted_at": "删除时间", "mode": "方式", "rule": "公开规则",
    "origin": "来源", "extra": "附加信息", "detail": "详情", "operator": "操作人", "action": "经过",
    "household": "按户名单", "persons_label": "人口列名称",
}

# Figures in package reports (``PackageReport.totals``) and what they mean to a clerk.
TOTAL_LABELS = {
    "new": "新增", "updated": "更新", "unchanged": "未变", "conflicting": "冲突",
    "acked_seq": "县级已确认收到第 {} 号包", "attachments_skipped": "类型不允许、未保存的附件",
    "calendar_added": "新增节假日年份", "calendar_replaced": "更新节假日年份",
    "calendar_unchanged": "节假日年份未变",
    "catalogue_added": "目录新增事项", "catalogue_changed": "目录修改事项", "catalogue_removed": "目录停用事项",
    "layouts_added": "新增导入模板", "layouts_replaced": "更新导入模板", "layouts_unchanged": "导入模板未变",
    "layouts_renamed": "与本乡镇模板同名、另存为“(县级)”的导入模板", "layouts_kept_local": "保留本乡镇自己模板的表头",
}


def table_label(name: str) -> str:
    return TABLE_LABELS.get(name, "其他数据")


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, "其他字段")


def totals_text(totals: dict[str, Any]) -> str:
    """``{"acked_seq": 3}`` → "县级已确认收到第 3 号包"; counts as "新增节假日年份 1"."""
    parts = []
    for k, v in totals.items():
        label = TOTAL_LABELS.get(k)
        if label is None:
            parts.append(f"其他 {v}")
        elif "{}" in label:
            parts.append(label.format(v))
        else:
            parts.append(f"{label} {v}")
    return ",".join(parts)
