"""``gkdesk selftest``: prove that this installation (often a frozen bundle) really works.

The county's IT person runs it after installing from a USB stick, and CI runs it
inside the PyInstaller bundle: each step exercises one thing the bundle must carry
(migrations, calendar data, the calamine native module, reportlab with an embedded
Chinese font, PyNaCl, the Qt platform plugins). Everything happens in a temporary
directory; the clerk's own data directory is never opened.

A step is a function ``fn(ctx) -> str`` that returns a Chinese message or raises.
Features register their own steps (see :mod:`gkdesk.selftest.features`). This package sits
above both faces — the only code allowed to import the CLI and the window — and imports the
window lazily, in its window step only, so ``gkdesk selftest --no-window`` never needs Qt.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from gkdesk import __version__, paths

SELFTEST_OPERATOR = "自检"


@dataclass
class Context:
    """Scratch space shared by the steps of one run (a temp dir and a lazily opened store)."""

    workdir: Path
    shared: dict[str, Any] = field(default_factory=dict)
    _store: Any = None

    def subdir(self, name: str) -> Path:
        d = self.workdir / name
        d.mkdir(parents=True, exist_ok=True)
        return d

    def store(self):  # -> gkdesk.store.Store
        """The scratch database (created and migrated on first use)."""
        if self._store is None:
            from gkdesk.store import open_store

            self._store = open_store(self.subdir("db"))
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


StepFn = Callable[[Context], str]


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    fn: StepFn
    window: bool = False  # skipped by --no-window


@dataclass
class StepResult:
    key: str
    title: str
    ok: bool
    message: str
    seconds: float
    detail: str = ""  # traceback on failure, for the IT person

    def line(self) -> str:
        mark = "通过" if self.ok else "失败"
        return f"[{mark}] {self.title}:{self.message}({self.seconds:.1f} 秒)"


STEPS: list[Step] = []


def register(key: str, title: str, *, window: bool = False, before: str | None = None):
    """Decorator adding a step; ``before`` puts it ahead of an existing step (e.g. "window")."""

    def deco(fn: StepFn) -> StepFn:
        st = Step(key, title, fn, window)
        keys = [s.key for s in STEPS]
        if key in keys:
            STEPS[keys.index(key)] = st
        elif before in keys:
            STEPS.insert(keys.index(before), st)
        else:
            STEPS.append(st)
        return fn

    return deco


class SelftestFailed(AssertionError):
    """A check inside a step did not hold; the message is Chinese."""


def require(cond: object, message: str) -> None:
    if not cond:
        raise SelftestFailed(message)


# --- the steps --------------------------------------------------------------------


@register("environment", "运行环境")
def step_environment(ctx: Context) -> str:
    from gkdesk.store import MIGRATIONS_DIR

    res = paths.resources_dir()
    require((res / "style.qss").is_file(), f"缺少资源文件 {res / 'style.qss'}")
    require((res / "icons" / "gkdesk.png").is_file(), f"缺少图标 {res / 'icons' / 'gkdesk.png'}")
    require((MIGRATIONS_DIR / "env.py").is_file(), f"缺少数据库迁移脚本 {MIGRATIONS_DIR / 'env.py'}")
    require((MIGRATIONS_DIR / "script.py.mako").is_file(), f"缺少迁移模板 {MIGRATIONS_DIR / 'script.py.mako'}")
    versions = sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("*.py"))
    require(versions, f"迁移目录 {MIGRATIONS_DIR / 'versions'} 中没有版本文件")
    kind = "打包版" if getattr(sys, "frozen", False) else "源码运行"
    portable = paths.portable_data_dir()
    mode = f",便携模式(数据在 {portable})" if portable else ""
    return f"gkdesk {__version__},{kind}{mode},Python {sys.version.split()[0]},迁移文件 {len(versions)} 个"


@register("database", "数据库与迁移")
def step_database(ctx: Context) -> str:
    from gkdesk.store import check_sqlite_file, current_revision, head_revision

    store = ctx.store()
    rev, head = current_revision(store.engine), head_revision()
    require(rev == head, f"数据库结构版本 {rev},应为 {head}")
    require(store.db_path is not None, "临时数据库不是 SQLite 文件")
    problems = check_sqlite_file(store.db_path, full=True)
    require(not problems, "完整性检查失败:" + ";".join(problems[:3]))
    return f"临时数据库已创建并升级到结构版本 {head},完整性检查通过"


@register("calendar", "节假日与工作日")
def step_calendar(ctx: Context) -> str:
    from gkdesk import workdays

    with ctx.store().session() as s:
        cal = workdays.load(s)
    start = date(2025, 9, 26)
    got = cal.add_workdays(start, 20)
    require(got == date(2025, 10, 30), f"2025-09-26 起 20 个工作日应到 2025-10-30,算得 {got}")
    require(cal.is_workday(date(2025, 9, 28)), "2025-09-28(周日调休上班)应为工作日")
    require(not cal.is_workday(date(2025, 10, 1)), "2025-10-01(国庆节)不应为工作日")
    return f"2025-09-26 起 20 个工作日为 {got}(已计国庆、中秋假期与调休);数据覆盖 {min(cal.years)}–{max(cal.years)} 年"


@register("xlsx", "Excel 表格读写")
def step_xlsx(ctx: Context) -> str:
    from openpyxl import Workbook

    from gkdesk.sheets.reader import read_workbook

    path = ctx.subdir("xlsx") / "自检表格.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "发放清册"
    ws.append(["序号", "姓名", "村(社区)", "金额(元)"])
    ws.append([1, "张三", "高桥村", 1234.5])
    ws.append([2, "李四", "柳树村", 88])
    wb.save(path)
    sheets = read_workbook(path)
    require(len(sheets) == 1 and sheets[0].name == "发放清册", f"读到的工作表不对:{[s.name for s in sheets]}")
    rows = sheets[0].rows
    require(rows[1][1] == "张三" and float(rows[1][3]) == 1234.5, f"第 2 行内容不对:{rows[1]}")
    require(len(rows) == 3, f"应读到 3 行,读到 {len(rows)} 行")
    ctx.shared["xlsx"] = path
    return "openpyxl 写入、python-calamine 读回一致(3 行,含中文)"


def cjk_font_candidates() -> list[Path]:
    """TrueType fonts that can print Chinese: the bundle's own first, then the system's."""
    found: list[Path] = []
    fonts_dir = paths.resources_dir() / "fonts"
    if fonts_dir.is_dir():
        found += sorted(p for p in fonts_dir.iterdir() if p.suffix.lower() in {".ttf", ".ttc"})
    if sys.platform.startswith("win"):
        root = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        found += [root / n for n in ("simhei.ttf", "simsun.ttc", "msyh.ttc", "simkai.ttf", "simfang.ttf")]
    else:
        found += [Path(p) for p in (
            "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
            "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
            "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
            "/usr/share/fonts/truetype/arphic/uming.ttc",
            "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
            "/System/Library/Fonts/STHeiti Light.ttc",
        )]
    return [p for p in found if p.is_file()]


def register_cjk_font() -> tuple[str, str, bool]:
    """Register a Chinese font with reportlab: (font name, label, embedded?)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path in cjk_font_candidates():
        try:
            font = TTFont("GKSelftestCJK", str(path), subfontIndex=0)
        except Exception:  # CFF outlines, damaged file: try the next one
            continue
        if 0x516C not in font.face.charToGlyph:  # 公
            continue
        pdfmetrics.registerFont(font)
        return "GKSelftestCJK", path.name, True
    from gkdesk.notices.fonts import choose_fonts

    chosen = choose_fonts().primary  # refuses (a message, not a fallback) without any Chinese TrueType
    return chosen.name, chosen.label, True


@register("pdf", "生成中文 PDF")
def step_pdf(ctx: Context) -> str:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font, label, embedded = register_cjk_font()
    path = ctx.subdir("pdf") / "自检.pdf"
    title = "基层政务公开桌面助手自检页"
    body = "高桥镇2025年耕地地力保护补贴发放公示 合计1234.50元"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(font, 20)
    c.drawString(72, 760, title)
    c.setFont(font, 12)
    c.drawString(72, 730, body)
    c.showPage()
    c.save()
    data = path.read_bytes()
    require(data.startswith(b"%PDF") and b"%%EOF" in data[-64:], f"{path.name} 不是完整的 PDF 文件")
    if embedded:
        require(b"/FontFile2" in data, f"{path.name} 中没有嵌入字体 {label}")
    checked = "未安装 pypdf,未核对文字"
    try:
        from pypdf import PdfReader
    except ImportError:
        PdfReader = None
    if PdfReader is not None:
        reader = PdfReader(str(path))
        require(len(reader.pages) == 1, f"{path.name} 应为 1 页,实为 {len(reader.pages)} 页")
        text = reader.pages[0].extract_text() or ""
        require("政务公开" in text and "1234.50" in text, f"{path.name} 中提取不到应有的中文:{text[:60]!r}")
        checked = "pypdf 读回文字一致"
    ctx.shared["pdf"] = path
    return f"1 页,字体 {label}{'(已嵌入)' if embedded else ''},{checked}"


@register("crypto", "签名与加密")
def step_crypto(ctx: Context) -> str:
    from nacl.exceptions import BadSignatureError, CryptoError
    from nacl.public import Box, PrivateKey, SealedBox
    from nacl.signing import SigningKey

    msg = "高桥镇同步包 第1号".encode()
    sk = SigningKey.generate()
    signed = sk.sign(msg)
    require(sk.verify_key.verify(signed) == msg, "签名验证失败")
    tampered = signed[:-1] + bytes([signed[-1] ^ 1])
    try:
        sk.verify_key.verify(tampered)
    except BadSignatureError:
        pass
    else:
        raise SelftestFailed("被篡改的内容竟然通过了签名验证")
    county, township = PrivateKey.generate(), PrivateKey.generate()
    sealed = SealedBox(county.public_key).encrypt(msg)
    require(SealedBox(county).decrypt(sealed) == msg, "密封加密后解不开")
    try:
        SealedBox(township).decrypt(sealed)
    except CryptoError:
        pass
    else:
        raise SelftestFailed("用错误的私钥竟然解开了密封内容")
    boxed = Box(township, county.public_key).encrypt(msg)
    require(Box(county, township.public_key).decrypt(boxed) == msg, "双方密钥加密后解不开")
    return "PyNaCl 签名/验签、密封加密/解密往返一致,篡改与错钥均被拒绝"


@register("window", "窗口(离屏)", window=True)
def step_window(ctx: Context) -> str:
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
            or sys.platform.startswith("win") or sys.platform == "darwin"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from gkdesk.ui.selftest_window import check_window

    return check_window(ctx.subdir("window"), ctx.shared.get("pdf"))


def _load_feature_steps() -> None:
    from gkdesk.selftest import features  # noqa: F401  (registers steps for features present)


# --- running ----------------------------------------------------------------------


@dataclass
class Report:
    results: list[StepResult]

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    def as_dict(self) -> dict[str, Any]:
        return {"status": "ok" if self.ok else "failed", "version": __version__,
                "frozen": bool(getattr(sys, "frozen", False)),
                "steps": [{"key": r.key, "title": r.title, "ok": r.ok, "message": r.message,
                           "seconds": round(r.seconds, 2), **({"detail": r.detail} if r.detail else {})}
                          for r in self.results]}


def selected_steps(window: bool = True) -> list[Step]:
    _load_feature_steps()
    return [s for s in STEPS if window or not s.window]


def run(window: bool = True, on_result: Callable[[StepResult], None] | None = None) -> Report:
    """Run every step in a fresh temp dir; a failing step never stops the others."""
    results: list[StepResult] = []
    with tempfile.TemporaryDirectory(prefix="gkdesk-selftest-", ignore_cleanup_errors=True) as tmp:
        ctx = Context(Path(tmp))
        try:
            for st in selected_steps(window):
                t0 = time.perf_counter()
                try:
                    msg, ok, detail = st.fn(ctx), True, ""
                except Exception as exc:
                    text = exc.message if hasattr(exc, "message") else str(exc)
                    msg, ok, detail = f"{text or type(exc).__name__}", False, traceback.format_exc()
                res = StepResult(st.key, st.title, ok, msg, time.perf_counter() - t0, detail)
                results.append(res)
                if on_result is not None:
                    on_result(res)
        finally:
            ctx.close()
    return Report(results)
