"""The categories of the disclosure-request register, in the words of the 条例 and of table 三.

Codes are stable machine names (stored, synced, printed by ``--json``); the labels are what
the clerk and the public outputs show. Outcome codes follow table 三 of the 2021 annual-report
format row by row, so the annual report counts the register without any mapping table.
"""

from __future__ import annotations

# --- how the request arrived (国办公开办函〔2015〕207号: the receipt day differs) -----------
CH_IN_PERSON, CH_REGISTERED, CH_LETTER, CH_EMAIL, CH_FAX, CH_ONLINE = (
    "in_person", "registered_post", "letter", "email", "fax", "online")
CHANNELS = (CH_IN_PERSON, CH_REGISTERED, CH_LETTER, CH_EMAIL, CH_FAX, CH_ONLINE)
CHANNEL_LABELS = {
    CH_IN_PERSON: "当面提交", CH_REGISTERED: "挂号信/邮政快递", CH_LETTER: "平信",
    CH_EMAIL: "电子邮件", CH_FAX: "传真", CH_ONLINE: "网上申请平台",
}
#: what the day the clerk enters means for each channel (shown next to the date field)
CHANNEL_RULES = {
    CH_IN_PERSON: "以申请人提交之日为收到申请之日",
    CH_REGISTERED: "以本机关签收之日为收到申请之日",
    CH_LETTER: "以与申请人电话确认之日为收到申请之日(未能联系上的,自联系上之日起算)",
    CH_EMAIL: "以邮件系统收到之日为收到申请之日",
    CH_FAX: "以双方确认收到之日为收到申请之日",
    CH_ONLINE: "以平台收到之日为收到申请之日(本机关另有公布规则的从其规则)",
}
#: channels whose receipt day is a confirmation with the applicant, not the arrival itself
CONFIRMED_CHANNELS = (CH_LETTER, CH_FAX)

# --- applicant (table 三 columns) ----------------------------------------------------------
AP_NATURAL, AP_BUSINESS, AP_RESEARCH, AP_PUBLIC, AP_LEGAL, AP_OTHER = (
    "natural", "business", "research", "public_interest", "legal_service", "other_org")
APPLICANT_TYPES = (AP_NATURAL, AP_BUSINESS, AP_RESEARCH, AP_PUBLIC, AP_LEGAL, AP_OTHER)
APPLICANT_LABELS = {
    AP_NATURAL: "自然人", AP_BUSINESS: "商业企业", AP_RESEARCH: "科研机构", AP_PUBLIC: "社会公益组织",
    AP_LEGAL: "法律服务机构", AP_OTHER: "其他组织",
}

# --- outcomes (table 三 rows （一）…（六）) ---------------------------------------------------
OUTCOME_GROUPS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("open", "（一）予以公开", ()),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ()),
    ("deny", "（三）不予公开", (
        ("deny_1", "1.属于国家秘密"),
        ("deny_2", "2.其他法律行政法规禁止公开"),
        ("deny_3", "3.危及“三安全一稳定”"),
        ("deny_4", "4.保护第三方合法权益"),
        ("deny_5", "5.属于三类内部事务信息"),
        ("deny_6", "6.属于四类过程性信息"),
        ("deny_7", "7.属于行政执法案卷"),
        ("deny_8", "8.属于行政查询事项"),
    )),
    ("unable", "（四）无法提供", (
        ("unable_1", "1.本机关不掌握相关政府信息"),
        ("unable_2", "2.没有现成信息需要另行制作"),
        ("unable_3", "3.补正后申请内容仍不明确"),
    )),
    ("noproc", "（五）不予处理", (
        ("noproc_1", "1.信访举报投诉类申请"),
        ("noproc_2", "2.重复申请"),
        ("noproc_3", "3.要求提供公开出版物"),
        ("noproc_4", "4.无正当理由大量反复申请"),
        ("noproc_5", "5.要求行政机关确认或重新出具已获取信息"),
    )),
    ("other", "（六）其他处理", (
        ("other_1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("other_2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other_3", "3.其他"),
    )),
)
#: every code a reply can carry (the leaves of table 三)
OUTCOMES: tuple[str, ...] = tuple(
    code for g, _label, subs in OUTCOME_GROUPS for code in ((g,) if not subs else tuple(c for c, _ in subs)))
_GROUP_SHORT = {"open": "予以公开", "partial": "部分公开", "deny": "不予公开", "unable": "无法提供",
                "noproc": "不予处理", "other": "其他处理"}
OUTCOME_LABELS: dict[str, str] = {}
for _g, _label, _subs in OUTCOME_GROUPS:
    if not _subs:
        OUTCOME_LABELS[_g] = _GROUP_SHORT[_g]
    for _c, _l in _subs:
        OUTCOME_LABELS[_c] = f"{_GROUP_SHORT[_g]}—{_l.split('.', 1)[1]}"


def outcome_group(code: str) -> str:
    return code.split("_", 1)[0]


# --- delivery (国办公开办函〔2016〕235号) ------------------------------------------------------
DL_DIRECT, DL_POST, DL_ELECTRONIC = "direct", "post", "electronic"
DELIVERIES = (DL_DIRECT, DL_POST, DL_ELECTRONIC)
DELIVERY_LABELS = {DL_DIRECT: "直接送达", DL_POST: "邮政企业邮寄", DL_ELECTRONIC: "电子送达"}

# --- 行政复议 / 行政诉讼 (table 四) ------------------------------------------------------------
AK_REVIEW, AK_SUIT_DIRECT, AK_SUIT_AFTER = "review", "suit_direct", "suit_after_review"
APPEAL_KINDS = (AK_REVIEW, AK_SUIT_DIRECT, AK_SUIT_AFTER)
APPEAL_KIND_LABELS = {AK_REVIEW: "行政复议", AK_SUIT_DIRECT: "行政诉讼(未经复议直接起诉)",
                      AK_SUIT_AFTER: "行政诉讼(复议后起诉)"}
AR_UPHELD, AR_CORRECTED, AR_OTHER, AR_PENDING = "upheld", "corrected", "other", "pending"
APPEAL_RESULTS = (AR_UPHELD, AR_CORRECTED, AR_OTHER, AR_PENDING)
APPEAL_RESULT_LABELS = {AR_UPHELD: "结果维持", AR_CORRECTED: "结果纠正", AR_OTHER: "其他结果",
                        AR_PENDING: "尚未审结"}

# --- clock events -----------------------------------------------------------------------
EV_RECEIVED, EV_SUPPLEMENT, EV_SUPPLIED, EV_CONSULT, EV_CONSULT_END, EV_EXTEND, EV_REPLY, EV_APPEAL, EV_FEE = (
    "received", "supplement", "supplied", "consult", "consult_end", "extend", "reply", "appeal", "fee")
EV_LATER = "later_date"  # 第三十五条: a large request answered by a later date set and notified
EVENT_LABELS = {
    EV_RECEIVED: "收到申请", EV_SUPPLEMENT: "发出补正申请通知", EV_SUPPLIED: "收到补正后的申请",
    EV_CONSULT: "开始征求意见", EV_CONSULT_END: "征求意见结束", EV_EXTEND: "延期答复",
    EV_REPLY: "答复", EV_APPEAL: "复议/诉讼", EV_FEE: "信息处理费", EV_LATER: "确定提供日期",
}
CONSULT_THIRD, CONSULT_COPRODUCER = "third_party", "coproducer"
CONSULT_LABELS = {CONSULT_THIRD: "征求第三方意见", CONSULT_COPRODUCER: "征求共同制作机关意见"}

# --- states a request can be in -------------------------------------------------------------
ST_RUNNING, ST_SUPPLEMENT, ST_PAUSED, ST_UNCONFIRMED, ST_REPLIED = (
    "running", "awaiting_supplement", "paused", "unconfirmed", "replied")
STATE_LABELS = {ST_RUNNING: "办理中", ST_SUPPLEMENT: "待申请人补正", ST_PAUSED: "征求意见中(暂停计时)",
                ST_UNCONFIRMED: "待确认收到", ST_REPLIED: "已答复"}

# --- statutory periods (条例 第三十条、第三十二条、第三十三条、第三十四条) ----------------------
REPLY_DAYS = 20
SUPPLEMENT_NOTICE_DAYS = 7
CONSULT_DAYS = 15
MAX_EXTENSION_DAYS = 20
