"""Selftest steps for features that may or may not be in this build.

Each step is registered only when its feature's package is present
(``importlib.util.find_spec``) and drives the feature through its documented CLI
contract (issues 3, 4 and 7), in process, on scratch data directories — the same
path a clerk's script takes, so a frozen bundle missing a module fails here.

Assumed names (wire or adjust when the features land):
- catalogue: package ``gkdesk.catalogue``; ``gkdesk catalogue seed --json`` → ``{"domains": N, "items": N}``.
- payouts: package ``gkdesk.payouts``; ``gkdesk payouts import FILE --program NAME --year YYYY
  --json`` → ``{"status": "imported", "rows": N, "total_amount": "…"}``.
- notices: package ``gkdesk.notices``; ``gkdesk notice payouts BATCH --village NAME --mask
  id-partial -o OUT.pdf`` (or, without payouts, ``gkdesk notice table FILE --title TEXT -o OUT.pdf``).
- sync: package ``gkdesk.sync``; ``gkdesk keys export -o FILE``, ``gkdesk keys trust FILE``,
  ``gkdesk sync export -o PATH --json`` → ``{"files": [...]}``, ``gkdesk sync import FILE --json``
  → ``{"packages": [{"status": "applied"|"duplicate"|…, "tables": {"village": {"new": N}}}]}``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

from gkdesk.selftest import SELFTEST_OPERATOR, Context, SelftestFailed, register, require


def _present(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _command_registered(name: str) -> bool:
    from gkdesk.cli import build_parser

    parser = build_parser()
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        if name in getattr(action, "choices", {}):
            return True
    return False


def gkdesk_cli(data_dir: Path, *argv: str) -> tuple[int, str, str]:
    """Run ``gkdesk --data-dir DIR ARGV`` in this process; (exit code, stdout, stderr)."""
    from gkdesk.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["--data-dir", str(data_dir), "--operator", SELFTEST_OPERATOR, *argv])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def cli_ok(data_dir: Path, *argv: str) -> dict[str, Any] | str:
    code, out, err = gkdesk_cli(data_dir, *argv)
    if code != 0:
        raise SelftestFailed(f"gkdesk {' '.join(argv[:2])} 退出码 {code}:{(err or out).strip()[:200]}")
    if "--json" in argv:
        try:
            return json.loads(out)
        except ValueError as exc:
            raise SelftestFailed(f"gkdesk {' '.join(argv[:2])} 的 JSON 输出无法解析:{out[:120]!r}") from exc
    return out


def init_township(data_dir: Path, name: str = "自检镇", code: str = "511702999", role: str = "township") -> None:
    cli_ok(data_dir, "init", "--township", name, "--code", code, "--county", "自检县", "--role", role)
    if role == "township":
        cli_ok(data_dir, "villages", "add", "高桥村", "--groups", "3")
        cli_ok(data_dir, "villages", "add", "柳树村", "--groups", "2")


def id_number(area: str, born: date, seq: int) -> str:
    """A valid 18-digit 身份证号 (GB 11643 check code) for made-up people."""
    first17 = f"{area}{born:%Y%m%d}{seq:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


def account_number(seq: int) -> str:
    """A Luhn-valid 19-digit bank card number (made up)."""
    body = f"621799{seq:012d}"
    digits = [int(c) for c in body][::-1]
    total = sum(d if i % 2 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits))
    return body + str((10 - total % 10) % 10)


def write_payout_list(path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "发放清册"
    ws.append(["2025年耕地地力保护补贴发放清册"])
    ws.append(["序号", "村(社区)", "组", "户主姓名", "身份证号码", "补贴面积(亩)", "补贴标准(元/亩)", "补贴金额(元)", "一卡通账号"])
    # Products are exact in binary and decimal: 4.90 + 3.00 + 12.30 = 20.20.
    people = [("高桥村", "1组", "张三", "3.5", "1.4"), ("高桥村", "2组", "李四", "2", "1.5"),
              ("柳树村", "1组", "王五", "10.25", "1.2")]
    for i, (village, group, name, qty, rate) in enumerate(people, start=1):
        amount = f"{float(qty) * float(rate):.2f}"
        ws.append([i, village, group, name, id_number("511702", date(1960 + i, 3, i), i), float(qty),
                   float(rate), float(amount), account_number(i)])
    wb.save(path)


if _present("gkdesk.payouts") and _command_registered("payouts"):

    @register("payouts", "导入补贴发放清册", before="window")
    def step_payouts(ctx: Context) -> str:
        ddir = ctx.subdir("payouts")
        init_township(ddir)
        res = import_payout_list(ddir)
        require(res.get("status") == "imported", f"导入状态为 {res.get('status')}:{res.get('errors')}")
        require(res.get("rows") == 3, f"应导入 3 行,实为 {res.get('rows')}")
        require(str(res.get("total_amount")) == "20.20", f"合计应为 20.20 元,实为 {res.get('total_amount')}")
        ctx.shared["payout_batch"] = res.get("batch")
        ctx.shared["payout_dir"] = ddir
        return f"3 行导入成功,合计 {res.get('total_amount')} 元(批次 {res.get('batch')})"


if _present("gkdesk.catalogue") and _command_registered("catalogue"):

    @register("catalogue", "内置标准目录", before="window")
    def step_catalogue(ctx: Context) -> str:
        ddir = ctx.subdir("catalogue")
        init_township(ddir)
        res = cli_ok(ddir, "catalogue", "seed", "--json")
        assert isinstance(res, dict)
        domains, items = res.get("domains"), res.get("items")
        require(isinstance(domains, int) and domains >= 26, f"内置标准目录应有至少 26 个领域,实为 {domains}")
        require(isinstance(items, int) and items > 0, "内置标准目录没有事项(resources/catalogue 是否已打包?)")
        return f"已装入 {domains} 个领域、{items} 个事项"


def import_payout_list(ddir: Path) -> dict[str, Any]:
    path = ddir / "自检发放清册.xlsx"
    write_payout_list(path)
    res = cli_ok(ddir, "payouts", "import", str(path), "--program", "耕地地力保护补贴", "--year", "2025", "--json")
    assert isinstance(res, dict)
    return res


if _present("gkdesk.notices") and _command_registered("notice"):

    @register("notices", "打印公示单(PDF)", before="window")
    def step_notices(ctx: Context) -> str:
        ddir = ctx.subdir("notices")
        init_township(ddir)
        out = ddir / "公示单.pdf"
        if _command_registered("payouts"):
            batch = import_payout_list(ddir)["batch"]
            cli_ok(ddir, "notice", "payouts", str(batch), "--village", "高桥村", "--mask", "id-partial", "-o", str(out))
            expect = ["耕地地力保护补贴", "高桥村", "张三", "7.90"]
        else:
            src = ddir / "公示表.xlsx"
            write_payout_list(src)
            cli_ok(ddir, "notice", "table", str(src), "--title", "高桥村2025年耕地地力保护补贴公示", "-o", str(out))
            expect = ["耕地地力保护补贴", "张三"]
        require(out.is_file() and out.read_bytes().startswith(b"%PDF"), f"没有生成 PDF 文件 {out.name}")
        try:
            from pypdf import PdfReader
        except ImportError:
            return f"已生成 {out.name}({out.stat().st_size // 1024} KB),未安装 pypdf,未核对文字"
        reader = PdfReader(str(out))
        text = "".join(p.extract_text() or "" for p in reader.pages)
        missing = [w for w in expect if w not in text]
        require(not missing, f"{out.name} 中找不到:{'、'.join(missing)}")
        full_id = id_number("511702", date(1961, 3, 1), 1)
        require(full_id not in text, f"{out.name} 中出现了完整身份证号")
        return f"已生成 {out.name}({len(reader.pages)} 页),标题、姓名、合计可提取,未出现完整身份证号"


if _present("gkdesk.sync") and _command_registered("sync"):

    @register("sync", "同步包导出与导入", before="window")
    def step_sync(ctx: Context) -> str:
        town, county = ctx.subdir("sync-township"), ctx.subdir("sync-county")
        init_township(town)
        init_township(county, "自检县政务公开办", "511702", role="county")
        town_key, county_key = ctx.workdir / "township.key", ctx.workdir / "county.key"
        cli_ok(town, "keys", "export", "-o", str(town_key))
        cli_ok(county, "keys", "export", "-o", str(county_key))
        cli_ok(town, "keys", "trust", str(county_key))
        cli_ok(county, "keys", "trust", str(town_key))
        enrolment = ctx.workdir / "enrolment.key"  # the township id the county's registry assigned
        cli_ok(county, "keys", "enrolment", json.loads(town_key.read_text(encoding="utf-8"))["code"], "-o", str(enrolment))
        cli_ok(town, "keys", "trust", str(enrolment))
        for side, key in ((town, county_key), (county, town_key)):  # the phone check, typed back
            ident = json.loads(key.read_text(encoding="utf-8"))
            cli_ok(side, "keys", "verify", ident["code"], ident["fingerprint"])
        with_payouts = _command_registered("payouts")
        if with_payouts:  # a batch with 亩 and 元/亩 decimals travels too
            import_payout_list(town)
        exported = cli_ok(town, "sync", "export", "-o", str(ctx.workdir / "自检.gkpkg"), "--json")
        assert isinstance(exported, dict)
        files = [str(f) for f in exported.get("files", [])]
        require(files and all(Path(f).is_file() for f in files), f"没有生成同步包:{exported}")
        # A package damaged on the USB stick is refused and changes nothing.
        bad = ctx.workdir / "损坏.gkpkg"
        data = bytearray(Path(files[0]).read_bytes())
        data[len(data) // 2] ^= 0xFF
        bad.write_bytes(bytes(data))
        code, out, _err = gkdesk_cli(county, "sync", "import", str(bad), "--json")
        require(code != 0 and '"applied"' not in out, f"损坏的同步包竟被导入(退出码 {code})")
        first = cli_ok(county, "sync", "import", *files, "--json")
        assert isinstance(first, dict)
        statuses = [p.get("status") for p in first.get("packages", [])]
        require(statuses == ["applied"], f"县级导入状态应为 applied,实为 {statuses}")
        villages = first["packages"][0].get("tables", {}).get("village", {}).get("new")
        require(villages == 2, f"县级应新增 2 个村,实为 {villages}")
        payouts = first["packages"][0].get("tables", {}).get("payout", {}).get("new")
        require(not with_payouts or payouts == 3, f"县级应新增 3 条补贴发放记录,实为 {payouts}")
        again = cli_ok(county, "sync", "import", *files, "--json")
        assert isinstance(again, dict)
        statuses = [p.get("status") for p in again.get("packages", [])]
        require(statuses == ["duplicate"], f"重复导入应为 duplicate(不改动),实为 {statuses}")
        carried = "2 个村和 3 条补贴发放记录" if with_payouts else "2 个村"
        return f"乡镇导出并签名加密,损坏的包被拒绝,县级验签解密导入{carried},重复导入无变化"


if _present("gkdesk.disclosure") and _command_registered("request"):

    @register("requests", "依申请公开:答复期限与告知书(PDF)", before="window")
    def step_requests(ctx: Context) -> str:
        ddir = ctx.subdir("requests")
        init_township(ddir)
        # received the Friday before National Day 2025: 20 working days end on 30 October
        res = cli_ok(ddir, "request", "add", "--channel", "in_person", "--received", "2025-09-26",
                     "--name", "自检申请人", "--contact", "13800000000", "--content", "自检村道路硬化资金", "--json")
        assert isinstance(res, dict)
        due = res["request"]["due_on"]
        require(due == "2025-10-30", f"答复期限应为 2025-10-30,实为 {due}(节假日数据是否完整?)")
        cli_ok(ddir, "request", "reply", "2025-001", "--outcome", "open", "--delivery", "direct", "--on", "2025-10-20")
        out = ddir / "告知书.pdf"
        cli_ok(ddir, "request", "print", "2025-001", "-o", str(out))
        require(out.is_file() and out.read_bytes().startswith(b"%PDF"), f"没有生成 PDF 文件 {out.name}")
        return f"国庆前收到的申请答复期限 {due},已生成《政府信息公开告知书》"


if _present("gkdesk.annual_report") and _command_registered("report"):

    @register("annual_report", "年度报告:表三计算与 Word 导出", before="window")
    def step_annual_report(ctx: Context) -> str:
        ddir = ctx.subdir("annual_report")
        init_township(ddir)
        cli_ok(ddir, "request", "add", "--channel", "online", "--received", "2025-03-03", "--content", "自检申请")
        cli_ok(ddir, "request", "reply", "2025-001", "--outcome", "partial", "--delivery", "electronic",
               "--on", "2025-03-10")
        figures = ["rules.issued", "rules.repealed", "rules.in_force", "normative.issued", "normative.repealed",
                   "normative.in_force", "license.decisions", "penalty.decisions", "coercion.decisions", "fees.amount"]
        cli_ok(ddir, "report", "figures", "--year", "2025", "--set", *[f"{k}=0" for k in figures])
        cli_ok(ddir, "report", "text", "--year", "2025", "--section", "五", "--text", "自检:无。")
        out = ddir / "年度报告.docx"
        cli_ok(ddir, "report", "annual", "--year", "2025", "-o", str(out))
        from docx import Document  # the bundle must carry python-docx and its default template

        tables = Document(str(out)).tables
        require(len(tables) == 3, f"{out.name} 应有 3 张表,实为 {len(tables)}")
        partial = tables[1].cell(6, 9).text
        require(partial == "1", f"表三“部分公开”总计应为 1,实为 {partial}")
        return f"已导出 {out.name},3 张表,表三勾稽关系与数字正确"
