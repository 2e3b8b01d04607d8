"""Column synonyms of payout lists, as seen in real 发放清册 from different systems.

Add a header text to the right list and the importer recognises it; texts are compared
after :func:`gkdesk.sheets.header.normalise_header` (NFKC, no spaces/line breaks), and a
header that starts with a synonym followed by a bracket (“补贴金额(元)”) matches too.
Order matters only within a list (earlier = preferred when several columns match).
"""

from __future__ import annotations

PAYOUT_COLUMNS: dict[str, list[str]] = {
    "village": ["村(社区)", "村(居)", "村名", "村", "村居", "行政村", "村委会", "社区", "所在村", "村(社区)名称",
                "村别", "村居委会", "村组"],
    "group": ["村民小组", "组", "组别", "小组", "所在组", "组名", "村民组", "社(组)"],
    "name": ["户主姓名", "姓名", "补贴对象", "户主", "农户姓名", "补贴对象姓名", "收款人姓名", "收款人", "享受人姓名",
             "保障对象姓名", "生产者姓名", "申请人", "申请人姓名", "对象姓名"],
    "id_number": ["身份证号", "身份证号码", "公民身份号码", "居民身份证号码", "身份证", "证件号码", "户主身份证号",
                  "户主身份证号码", "身份证号(18位)"],
    "account_number": ["一卡通账号", "一卡通帐号", "社保卡号", "社保卡账号", "社会保障卡号", "银行账号", "银行帐号",
                       "银行卡号", "存折账号", "账号", "帐号", "卡号", "一卡通卡号", "惠农卡号"],
    "quantity": ["补贴面积", "面积", "补贴面积(亩)", "计补面积", "确权面积", "种植面积", "实际种植面积", "保障人数",
                 "享受人数", "人数", "数量", "补贴数量"],
    "rate": ["补贴标准", "标准", "补助标准", "保障标准", "人均补差", "月人均补差", "每亩补贴", "单价", "发放标准"],
    "amount": ["补贴金额", "金额", "发放金额", "补贴资金", "月保障金额", "应发金额", "实发金额", "保障金额", "补助金额",
               "合计金额", "补贴金额(元)"],
    "month": ["发放月份", "月份", "发放月", "所属月份", "发放期", "期号"],
    "remark": ["备注", "说明"],
}

REQUIRED = ("name", "amount")

FIELD_LABELS = {
    "village": "村(社区)", "group": "村民小组", "name": "姓名", "id_number": "身份证号",
    "account_number": "账号", "quantity": "数量", "rate": "补贴标准", "amount": "补贴金额",
    "month": "发放月份", "remark": "备注",
}

# Rows whose first cells say this are totals, not people.
TOTAL_WORDS = ("合计", "总计", "小计", "共计", "总合计")
# Footer lines after the table (signatures, dates, notes).
FOOTER_WORDS = ("制表", "填表", "审核", "复核", "负责人", "经办人", "盖章", "签字", "签章", "日期", "说明", "注:",
                "注:", "监督电话", "举报电话", "联系电话")
# Sheets that summarise the others in a one-sheet-per-village workbook.
SUMMARY_SHEET_WORDS = ("汇总", "总表", "合计", "统计")
