"""``gkdesk selftest``: check that this installation works, without touching the clerk's data."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from gkdesk.cli.common import CliContext, add_command, bilingual

if TYPE_CHECKING:
    from gkdesk.selftest import StepResult


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "selftest", "自检:检查本程序能否正常工作(不动用现有数据)",
                    "check that this installation works (uses a temporary directory only)", cmd_selftest)
    p.add_argument("--no-window", action="store_true",
                   help=bilingual("不检查窗口(无图形环境时)", "skip the window check"))


def cmd_selftest(ctx: CliContext, args: argparse.Namespace) -> int:
    # The selftest sits above both faces (it drives the CLI and opens the window): load it on use.
    from gkdesk import selftest

    def show(res: StepResult) -> None:
        if not ctx.json:
            print(res.line(), flush=True)

    if not ctx.json:
        print("gkdesk 自检开始(使用临时目录,不会改动您的数据)…", flush=True)
    report = selftest.run(window=not args.no_window, on_result=show)
    if ctx.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        failed = [r for r in report.results if not r.ok]
        if failed:
            for r in failed:
                ctx.error(f"—— {r.title} 失败详情 ——\n{r.detail.rstrip()}")
            print(f"自检未通过:{len(failed)} 项失败,共 {len(report.results)} 项。请把以上内容发给县里的技术人员。")
        else:
            print(f"自检通过:全部 {len(report.results)} 项正常。")
        # The plain closing line CI readers recognise.
        print(f"selftest: {sum(r.ok for r in report.results)} passed, {len(failed)} failed")
    return 0 if report.ok else 1
