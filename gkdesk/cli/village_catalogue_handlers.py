"""``villages catalogue adopt|list|import|set|add|remove|busy|reviewers|tracking``: each village's 公开事项目录.

Registered under the existing ``villages`` group (see ``setup_cmds``), not as a group of its own.
Each handler parses, calls :mod:`gkdesk.app.village_catalogue` and prints its result.
"""

from __future__ import annotations

import argparse

from gkdesk.cli.common import CliContext, table


def cmd_adopt(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import village_catalogue as ops

    res = ops.adopt(ctx.ws, scheme=args.scheme, villages=args.village)
    ctx.emit({"status": "ok", **res.counts()}, res.summary())
    return 0


def cmd_list(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import village_catalogue as ops
    from gkdesk.village_catalogue import FREQUENCY_LABELS

    rows = ops.items(ctx.ws, args.village)
    text = table([[r["category"], r["name"], r["frequency_text"], FREQUENCY_LABELS.get(r["min_frequency"], "—")]
                  for r in rows], ["类别", "公开事项", "频次", "法定最低"]) if rows \
        else f"{args.village}尚无公开事项目录(先运行 gkdesk villages catalogue adopt)"
    ctx.emit({"village": args.village, "items": rows}, text)
    return 0


def cmd_import(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import village_catalogue as ops

    res = ops.import_file(ctx.ws, args.file, villages=args.village)
    ctx.emit({"status": "imported", **res.counts()}, res.summary())
    return 0


def cmd_set(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import village_catalogue as ops

    res = ops.set_frequency(ctx.ws, args.village, args.item, args.frequency)
    ctx.emit({"status": "ok", "item": res.item, "old": res.old}, res.summary())
    return 0


def cmd_add(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import village_catalogue as ops

    res = ops.add_item(ctx.ws, args.village, args.item, args.category, args.frequency)
    ctx.emit({"status": "ok", "item": res.item}, res.summary())
    return 0


def cmd_remove(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import village_catalogue as ops

    res = ops.remove_item(ctx.ws, args.village, args.item, reason=args.reason)
    ctx.emit({"status": "ok"}, res.summary())
    return 0


def cmd_busy(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import village_catalogue as ops

    res = ops.set_busy_finance(ctx.ws, args.village, not args.off)
    ctx.emit({"status": "ok", "raised": res.raised}, res.summary())
    return 0


def cmd_reviewers(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import village_catalogue as ops

    res = ops.set_reviewers(ctx.ws, args.village, supervision=args.supervision, finance=args.finance)
    ctx.emit({"status": "ok", "supervision_head": res.supervision_head, "finance_group_head": res.finance_group_head},
             res.summary())
    return 0


def cmd_tracking(ctx: CliContext, args: argparse.Namespace) -> int:
    from datetime import date

    from gkdesk.app import village_catalogue as ops
    from gkdesk.errors import InputRejected

    try:
        year, month = (int(x) for x in args.month.strip().split("-")[:2])
        start = date(year, month, 1)
    except ValueError as exc:
        raise InputRejected(f"月份“{args.month}”无效:应写成 2026-11 这样的年-月") from exc
    res = ops.set_tracking_start(ctx.ws, start, villages=args.village)
    ctx.emit({"status": "ok", "from": res.start.isoformat(), "villages": res.villages, "changed": res.changed},
             res.summary())
    return 0
