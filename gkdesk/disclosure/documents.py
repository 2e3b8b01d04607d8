"""Reply documents (告知书, 补正申请通知书, 延期答复告知书 …) printed as PDF from the templates.

The fields come from the register (township, number, dates, the 补正 items, the
extension's days and approver …); the text from :mod:`gkdesk.disclosure.templates` or the
county's replacement file. Drawn with the notices' font set-up, so a rare character in a
name falls back to another installed font, and a character no font has is reported rather
than silently dropped.
"""

from __future__ import annotations

import string
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from sqlalchemy.orm import Session

from gkdesk import township, workdays
from gkdesk.disclosure import labels as L
from gkdesk.disclosure import templates as T
from gkdesk.errors import CalendarMissing, InputRejected, UnreadableInput
from gkdesk.models.disclosure import DisclosureApplicant, DisclosureRequest
from gkdesk.workdays import cn_date

TEMPLATE_DIR = Path("templates") / "disclosure"
#: documents a clerk can ask for by name ("reply" picks the 告知书 of the recorded outcome)
DOCS = {"reply": "答复告知书", "supplement": "补正申请通知书", "extension": "延期答复告知书",
        "consult": "征求第三方意见书", "provide_date": "政府信息提供日期通知书", "repeat": "重复申请告知书"}


def agency_name(name: str) -> str:
    """高桥镇 → 高桥镇人民政府; 新华街道 → 新华街道办事处."""
    if name.endswith(("人民政府", "办事处")):
        return name
    return name + ("办事处" if name.endswith("街道") else "人民政府")


def load_template(data_dir: Path, key: str) -> tuple[str, str]:
    """(text, where it came from): the county's file if present, else the default."""
    f = Path(data_dir) / TEMPLATE_DIR / f"{key}.txt"
    if f.is_file():
        raw = f.read_bytes()
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise UnreadableInput(f"模板文件“{f}”不是 UTF-8 或 GBK 编码的文本")
        if not text.strip():
            raise UnreadableInput(f"模板文件“{f}”是空的")
        return text, str(f)
    return T.DEFAULTS[key], "内置模板"


def export_templates(out_dir: Path) -> list[Path]:
    """Write every default template as an editable .txt (what the county starts from)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for key, text in T.DEFAULTS.items():
        p = out_dir / f"{key}.txt"
        p.write_text(text + "\n", encoding="utf-8")
        written.append(p)
    return written


def _fields(session: Session, r: DisclosureRequest, on: date, provide_on: date | None) -> dict[str, str]:
    t = township.current(session)
    a = session.get(DisclosureApplicant, r.id)
    ev = [e for e in r.events if e.deleted_at is None]
    f: dict[str, str] = {
        "agency": agency_name(t.name), "number": r.number,
        "doc_number": f"{t.name}依申〔{r.year}〕{r.seq}号",
        "applicant": (a.name if a and a.name else "申请人"), "content": r.content,
        "received": cn_date(r.received_on or r.arrived_on), "due": cn_date(r.due_on) if r.due_on else "",
        "reply_date": cn_date(r.replied_on or on), "note": r.reply_note,
        "reason": T.REASONS.get(r.outcome, ""), "delivery": L.DELIVERY_LABELS.get(r.delivery, ""),
        "provide_on": cn_date(provide_on) if provide_on else "",
    }
    sup = next((e for e in ev if e.kind == L.EV_SUPPLEMENT), None)
    if sup:
        f.update(items=sup.note, until=cn_date(sup.until) if sup.until else "收到本通知之日起十五个工作日内")
    ext = [e for e in ev if e.kind == L.EV_EXTEND]
    if ext:
        f.update(days=str(sum(e.days for e in ext)), approver=ext[-1].party,
                 reason=ext[-1].note or "申请的信息需要检索、整理的数量较多", new_due=f["due"])
    con = next((e for e in reversed(ev) if e.kind == L.EV_CONSULT), None)
    if con:
        cal = workdays.load(session)
        try:
            until = cn_date(cal.add_workdays(con.day, L.CONSULT_DAYS))
        except CalendarMissing as exc:
            raise InputRejected(exc.message, hint=exc.hint, **exc.hint_args) from exc
        f.update(party=con.party, consult_until=until)
    later = next((e for e in reversed(ev) if e.kind == L.EV_LATER), None)
    if later and later.until and not provide_on:
        f["provide_on"] = cn_date(later.until)
    if r.repeat_of_id:
        first = session.get(DisclosureRequest, r.repeat_of_id)
        f["repeat_of"] = first.number if first else ""
    return f


def _template_key(r: DisclosureRequest, doc: str) -> str:
    if doc not in DOCS:
        raise InputRejected(f"文书“{doc}”不认识,可选:" + "、".join(DOCS.values()))
    if doc == "reply":
        if not r.outcome:
            raise InputRejected(f"申请 {r.number} 还没有登记答复,不能打印答复告知书")
        return T.reply_template(r.outcome)
    if doc == "repeat":
        return "reply_repeat"
    need = {"supplement": L.EV_SUPPLEMENT, "extension": L.EV_EXTEND, "consult": L.EV_CONSULT}.get(doc)
    if need and not any(e.kind == need and e.deleted_at is None for e in r.events):
        raise InputRejected(f"申请 {r.number} 没有登记{L.EVENT_LABELS[need]},不能打印{DOCS[doc]}")
    return doc


def render(session: Session, data_dir: Path, r: DisclosureRequest, doc: str, out: str | Path, *,
           on: date | None = None, provide_on: date | None = None) -> dict[str, Any]:
    """Write one document as PDF; returns title, template source and any undrawable characters."""
    key = _template_key(r, doc)
    if doc == "provide_date" and provide_on is None and not any(
            e.kind == L.EV_LATER and e.deleted_at is None for e in r.events):
        raise InputRejected("请填写向申请人提供信息的日期")
    on = on or date.today()
    text, source = load_template(data_dir, key)
    fields = _fields(session, r, on, provide_on)
    filled = string.Template(text).safe_substitute(fields)
    lines = filled.replace("\r\n", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    title, body = lines[0].strip(), lines[1:]
    out = Path(out)
    if out.suffix.lower() != ".pdf":
        raise InputRejected(f"输出文件“{out.name}”须为 .pdf")
    missing = _write_pdf(session, out, title, fields["doc_number"], body, fields["agency"],
                         r.replied_on if doc == "reply" and r.replied_on else on)
    return {"file": str(out), "title": title, "template": source, "missing_chars": missing}


def _write_pdf(session: Session, out: Path, title: str, doc_number: str, body: list[str], agency: str,
               day: date) -> list[str]:
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from gkdesk.notices.fonts import font_set_for_session

    fonts = font_set_for_session(session)
    missing: list[str] = []

    def markup(text: str) -> str:
        missing.extend(c for c in fonts.missing(text) if c not in missing)
        # A run no font can draw (f is None) is set in the primary font; it is reported in ``missing``.
        return "".join(f'<font name="{(f or fonts.primary).name}">{escape(s)}</font>' for f, s in fonts.runs(text))

    base = fonts.primary.name
    st_title = ParagraphStyle("t", fontName=base, fontSize=20, leading=30, alignment=TA_CENTER, spaceAfter=4)
    st_no = ParagraphStyle("n", fontName=base, fontSize=12, leading=18, alignment=TA_CENTER, spaceAfter=14)
    st_body = ParagraphStyle("b", fontName=base, fontSize=14, leading=26, firstLineIndent=28, wordWrap="CJK")
    st_addr = ParagraphStyle("a", parent=st_body, firstLineIndent=0)
    st_sign = ParagraphStyle("s", parent=st_body, alignment=TA_RIGHT, firstLineIndent=0)
    story: list[Any] = [Paragraph(markup(title), st_title), Paragraph(markup(doc_number), st_no)]
    first = True
    for line in body:
        line = line.strip()
        if not line:
            story.append(Spacer(1, 8))
            continue
        addressee = first and line.endswith((":", ":"))
        story.append(Paragraph(markup(line), st_addr if addressee else st_body))
        first = False
    story += [Spacer(1, 36), Paragraph(markup(f"{agency}（盖章）"), st_sign), Paragraph(markup(cn_date(day)), st_sign)]
    from gkdesk.fileio import write_with

    def build(tmp: str) -> None:
        doc = SimpleDocTemplate(tmp, pagesize=A4, leftMargin=28 * mm, rightMargin=26 * mm, topMargin=37 * mm,
                                bottomMargin=35 * mm, title=title, author=agency)
        doc.build(story)

    # write_with's temporary file is owner-only (0600 on POSIX): the notice names the applicant
    write_with(out, build)
    return missing
