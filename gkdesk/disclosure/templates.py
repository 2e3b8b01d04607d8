"""Default texts of the reply documents; a county replaces any of them with a text file.

A template is plain text: the first non-empty line is the title, the rest are paragraphs
(one per line; a blank line leaves space). ``${name}`` fields are filled in — the
township's agency, the request's number and dates … (see :data:`FIELDS`); a field the
program does not know is left as written, so a county's own wording never breaks
printing. The county's version of a template lives in
``<data dir>/templates/disclosure/<key>.txt`` (UTF-8 or GBK) and wins over the default.
"""

from __future__ import annotations

FIELDS = {
    "agency": "本机关名称(如 高桥镇人民政府)", "doc_number": "文书编号", "number": "申请编号",
    "applicant": "申请人(称呼)", "received": "收到申请日期", "content": "申请内容", "reply_date": "答复日期",
    "due": "答复期限", "items": "需补正事项", "until": "补正期限", "days": "延长天数", "new_due": "延长后的期限",
    "approver": "批准人", "reason": "理由", "party": "第三方名称", "consult_until": "第三方答复期限",
    "provide_on": "提供日期", "repeat_of": "前一次申请的编号", "delivery": "送达方式", "note": "答复说明",
}

_CLOSING = "如对本答复不服，可以在收到本告知书之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼。"

DEFAULTS: dict[str, str] = {
    "reply_open": f"""政府信息公开告知书
${{applicant}}：
本机关于${{received}}收到您提出的政府信息公开申请（编号为${{number}}），申请获取“${{content}}”。
经审查，您申请获取的政府信息属于公开范围，现予以提供，具体见附件。${{note}}
{_CLOSING}""",
    "reply_partial": f"""政府信息部分公开告知书
${{applicant}}：
本机关于${{received}}收到您提出的政府信息公开申请（编号为${{number}}），申请获取“${{content}}”。
经审查，您申请获取的政府信息中含有依法不予公开的内容，根据《中华人民共和国政府信息公开条例》第三十七条，本机关对可以公开的部分予以提供，不予公开的部分及理由如下：${{note}}
{_CLOSING}""",
    "reply_deny": f"""政府信息不予公开告知书
${{applicant}}：
本机关于${{received}}收到您提出的政府信息公开申请（编号为${{number}}），申请获取“${{content}}”。
经审查，您申请获取的政府信息${{reason}}，根据《中华人民共和国政府信息公开条例》的规定，本机关决定不予公开。${{note}}
{_CLOSING}""",
    "reply_not_exist": f"""政府信息不存在告知书
${{applicant}}：
本机关于${{received}}收到您提出的政府信息公开申请（编号为${{number}}），申请获取“${{content}}”。
经检索，本机关未制作或者获取您所申请的政府信息，根据《中华人民共和国政府信息公开条例》第三十六条第（四）项，告知您该政府信息不存在。${{note}}
{_CLOSING}""",
    "reply_unable": f"""政府信息公开申请答复告知书
${{applicant}}：
本机关于${{received}}收到您提出的政府信息公开申请（编号为${{number}}），申请获取“${{content}}”。
经审查，${{reason}}，本机关无法提供您所申请的政府信息。${{note}}
{_CLOSING}""",
    "reply_noproc": f"""政府信息公开申请不予处理告知书
${{applicant}}：
本机关于${{received}}收到您提出的政府信息公开申请（编号为${{number}}），申请获取“${{content}}”。
经审查，您的申请${{reason}}，根据《中华人民共和国政府信息公开条例》的规定，本机关不作为政府信息公开申请处理。${{note}}
{_CLOSING}""",
    "reply_repeat": f"""重复申请告知书
${{applicant}}：
本机关于${{received}}收到您提出的政府信息公开申请（编号为${{number}}），申请获取“${{content}}”。
经审查，您已就相同内容提出过申请（编号为${{repeat_of}}),本机关已依法作出答复。根据《中华人民共和国政府信息公开条例》第三十六条第（六）项，本机关不再重复处理。
{_CLOSING}""",
    "reply_other": f"""政府信息公开申请处理告知书
${{applicant}}：
本机关于${{received}}收到您提出的政府信息公开申请（编号为${{number}}），申请获取“${{content}}”。
经审查，${{reason}}。${{note}}
{_CLOSING}""",
    "supplement": """补正申请通知书
${applicant}：
本机关于${received}收到您提出的政府信息公开申请（编号为${number}）。经审查，您的申请内容不明确，根据《中华人民共和国政府信息公开条例》第三十条，请您对以下事项作出补正：
${items}
请于${until}前将补正后的申请提交本机关。答复期限自本机关收到补正后的申请之日起计算。无正当理由逾期不补正的，视为您放弃申请，本机关将不再处理该政府信息公开申请。""",
    "extension": """延期答复告知书
${applicant}：
本机关于${received}收到您提出的政府信息公开申请（编号为${number}），申请获取“${content}”。
因${reason}，本机关不能在规定期限内作出答复。根据《中华人民共和国政府信息公开条例》第三十三条第二款，经本机关政府信息公开工作机构负责人同意，答复期限延长${days}个工作日，本机关将于${new_due}前作出答复。""",
    "consult": """征求第三方意见书
${party}：
本机关于${received}收到一件政府信息公开申请（编号为${number}），申请获取“${content}”。
该信息的公开可能损害贵方的合法权益。根据《中华人民共和国政府信息公开条例》第三十二条，现书面征求贵方意见，请于${consult_until}前将是否同意公开的意见及理由书面反馈本机关。逾期未提出意见的，由本机关依照条例规定决定是否公开。
本机关决定公开的，将把决定公开的内容和理由书面告知贵方。""",
    "provide_date": """政府信息提供日期通知书
${applicant}：
本机关于${received}收到您提出的政府信息公开申请（编号为${number}），申请获取“${content}”。
鉴于您申请公开的政府信息数量较大，本机关无法在规定期限内全部提供。根据《中华人民共和国政府信息公开条例》第三十五条，本机关将于${provide_on}前向您提供。""",
}

TITLES = {k: v.split("\n", 1)[0] for k, v in DEFAULTS.items()}

#: the reason phrase each outcome puts into ${reason}
REASONS = {
    "deny_1": "属于国家秘密", "deny_2": "属于法律、行政法规禁止公开的信息",
    "deny_3": "公开后可能危及国家安全、公共安全、经济安全、社会稳定",
    "deny_4": "涉及第三方合法权益，公开会对第三方合法权益造成损害", "deny_5": "属于人事管理、后勤管理、内部工作流程等内部事务信息",
    "deny_6": "属于讨论记录、过程稿、磋商信函、请示报告等过程性信息", "deny_7": "属于行政执法案卷信息",
    "deny_8": "属于行政查询事项", "unable_1": "本机关不掌握相关政府信息",
    "unable_2": "您申请的信息需要本机关对现有政府信息进行加工、分析，没有现成信息",
    "unable_3": "补正后申请内容仍不明确", "noproc_1": "属于信访、投诉、举报等事项",
    "noproc_2": "属于重复申请", "noproc_3": "属于要求提供公开出版物", "noproc_4": "属于无正当理由大量、反复申请",
    "noproc_5": "属于要求行政机关确认或者重新出具已获取的信息",
    "other_1": "您无正当理由逾期未补正，本机关不再处理您的政府信息公开申请",
    "other_2": "您逾期未按收费通知要求缴纳费用，本机关不再处理您的政府信息公开申请", "other_3": "",
}


def reply_template(outcome: str) -> str:
    """Which 告知书 a reply of ``outcome`` prints."""
    if outcome == "open":
        return "reply_open"
    if outcome == "partial":
        return "reply_partial"
    if outcome.startswith("deny"):
        return "reply_deny"
    if outcome == "unable_1":
        return "reply_not_exist"
    if outcome.startswith("unable"):
        return "reply_unable"
    if outcome == "noproc_2":
        return "reply_repeat"
    if outcome.startswith("noproc"):
        return "reply_noproc"
    return "reply_other"
