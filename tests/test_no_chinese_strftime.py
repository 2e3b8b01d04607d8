"""Dates are never formatted with Chinese text inside a strftime pattern.

CPython on Windows encodes a strftime/format-spec pattern in the locale's code page: "%Y年"
raises on a non-Chinese locale (and under Wine's zh-CN), and inside a Qt event that closes the
window. The check reads the source, so it fails on Linux too.
"""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

from gkdesk.workdays import cn_date

ROOT = Path(__file__).resolve().parents[1] / "gkdesk"
NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _offenders() -> list[str]:
    out = []
    for path in sorted(ROOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            spec = None
            if isinstance(node, ast.FormattedValue) and isinstance(node.format_spec, ast.JoinedStr):
                spec = "".join(v.value for v in node.format_spec.values if isinstance(v, ast.Constant))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr == "strftime" and node.args and isinstance(node.args[0], ast.Constant):
                spec = str(node.args[0].value)
            if spec and "%" in spec and NON_ASCII.search(spec):
                out.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}: {spec}")
    return out


def test_no_strftime_pattern_holds_chinese_text() -> None:
    found = _offenders()
    assert found == [], "\n".join(found)


def test_chinese_dates_are_built_from_numbers() -> None:
    assert cn_date(date(2026, 1, 5)) == "2026年1月5日"
