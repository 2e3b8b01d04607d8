"""Column synonyms of payout lists, as seen in real 发放清册 from different systems.

Add a header text to the right list and the importer recognises it; texts are compared
after :func:`gkdesk.sheets.header.normalise_header` (NFKC, no spaces/line breaks), and a
header that starts with a synonym followed by a bracket (“补贴金额(元)”) matches too.
Order matters only within a list (earlier = preferred when several columns match).
"""

from __future__ import annotations

PAYOUT_COLUMNS: dict[str, list[str]] = {
    "village": ["村(社区)", "村(居)", "村名", "村", "村居", "行政村", "村委会", "社区", "所在村", "村(社区)名称",
                "村别", "村居委会", "所属社区", "所属村", "所属村(社区)", "所属村居", "村(居)委会"],
    "village_group": ["村组", "村(组)", "村、组", "村/组", "所在村组", "村社", "村民小组(村组)", "所属村组"],
    "group": ["村民小组", "组", "组别", "小组", "所在组", "组名", "村民组", "社(组)"],
    "name": ["户主姓名", "姓名", "收款人全称", "老人姓名", "领款人", "领款人姓名", "持卡人姓名", "补助对象", "救助对象",
             "救助对象姓名", "供养对象姓名", "补贴对象", "户主", "农户姓名", "补贴对象姓名", "收款人姓名", "收款人", "享受人姓名",
             "保障对象姓名", "生产者姓名", "申请人", "申请人姓名", "对象姓名"],
    "id_number": ["身份证号", "身份证号码", "公民身份号码", "居民身份证号码", "身份证", "证件号码", "户主身份证号",
                  "户主身份证号码", "身份证号(18位)", "收款人身份证号", "收款人身份证号码", "老人身份证号", "持卡人身份证号"],
    "account_number": ["一卡通账号", "一卡通帐号", "社保卡号", "社保卡账号", "社会保障卡号", "银行账号", "银行帐号",
                       "银行卡号", "存折账号", "账号", "帐号", "卡号", "一卡通卡号", "惠农卡号", "银行账户", "银行帐户",
                       "社保卡银行账号", "收款账号", "收款人账号"],
    "quantity": ["补贴面积", "面积", "补贴面积(亩)", "计补面积", "确权面积", "种植面积", "实际种植面积", "保障人数",
                 "享受人数", "人数", "数量", "补贴数量", "保障人口", "家庭人口", "保障人数(人)", "供养人数"],
    "rate": ["补贴标准", "标准", "补助标准", "保障标准", "人均补差", "月人均补差", "每亩补贴", "单价", "发放标准"],
    "amount": ["补贴金额", "金额", "发放金额", "补贴资金", "月保障金额", "应发金额", "实发金额", "保障金额", "补助金额",
               "合计金额", "补贴金额(元)", "最终确定发放该人补贴总金额", "合计", "发放总额", "实发金额(元)",
               "津贴金额", "补助资金", "救助金额", "发放金额(元)", "户月保障金额"],
    "month": ["发放月份", "月份", "发放月", "所属月份", "发放期", "期号"],
    "remark": ["备注", "说明"],
    "address": ["家庭住址", "收款人家庭地址", "户籍地址", "家庭地址", "住址", "地址", "居住地址"],
}

REQUIRED = ("name", "amount")

FIELD_LABELS = {
    "village": "村(社区)", "group": "村民小组", "name": "姓名", "id_number": "身份证号",
    "account_number": "账号", "quantity": "数量", "rate": "补贴标准", "amount": "补贴金额",
    "month": "发放月份", "remark": "备注", "village_group": "村组", "address": "地址",
}

# Rows whose first cells say this are totals, not people.
TOTAL_WORDS = ("合计", "总计", "小计", "共计", "总合计")
# Footer lines after the table (signatures, dates, notes).
FOOTER_WORDS = ("制表", "填表", "审核", "复核", "负责人", "经办人", "盖章", "签字", "签章", "日期", "说明", "注:",
                "注:", "监督电话", "举报电话", "联系电话")
# Sheets that summarise the others in a one-sheet-per-village workbook.
SUMMARY_SHEET_WORDS = ("汇总", "总表", "合计", "统计")
