"""Every command of the CLI has its place in the window (one core, two faces).

``WINDOW`` maps each subcommand (walked from ``gkdesk.cli.build_parser()``) to where the clerk
does the same in the window: a page key and the attribute (button, table, action method) that
does it, a dotted path into a widget of that page, or a window module. The test fails when a
new subcommand has no entry, or when an entry names something the page does not have.

Places other helpers are adding this session are listed in ``PENDING`` with their owner;
the lead empties that set at merge, and the test fails if an entry stays pending once the
place exists (so the table is kept honest both ways).
"""

from __future__ import annotations

import argparse
import importlib

import pytest

from gkdesk.cli import build_parser

# subcommand → (page key | "wizard" | "module", attribute path)
WINDOW: dict[str, tuple[str, str]] = {
    "init": ("wizard", "tpage"),
    "demo": ("wizard", "opt_demo"),
    "check": ("about", "check"),
    "selfcheck": ("catalogue", "export_selfcheck"),
    "selftest": ("module", "gkdesk.ui.selftest_window.check_window"),
    "due": ("home", "overdue"),
    "settings show": ("settings", "n_phones"),
    "settings notices": ("settings", "save_notices"),
    "villages add": ("settings", "add_village"),
    "villages list": ("settings", "villages"),
    "villages import": ("settings", "import_villages"),
    "villages catalogue adopt": ("villages", "adopt"),
    "villages catalogue list": ("villages", "grid"),
    "villages catalogue import": ("villages", "import_catalogue_dialog"),
    "villages catalogue set": ("villages", "frequency_dialog"),
    "villages catalogue add": ("villages", "add_item_dialog"),
    "villages catalogue remove": ("villages", "remove_item_dialog"),
    "villages catalogue busy": ("villages", "busy_act"),
    "villages catalogue reviewers": ("villages", "reviewers_dialog"),
    "villages catalogue tracking": ("villages", "tracking_dialog"),
    "backup create": ("backups", "create"),
    "backup list": ("backups", "table"),
    "backup restore": ("backups", "restore"),
    "calendar years": ("settings", "cal_years"),
    "calendar show": ("settings", "show_year"),
    "calendar set-year": ("settings", "save_year"),
    "calendar import": ("settings", "import_year"),
    "calendar deadline": ("settings", "compute_deadline"),
    "notice payouts": ("notices", "print_btn"),
    "notice year-end": ("notices", "print_year_end"),
    "notice table": ("notices", "print_table"),
    "catalogue import": ("catalogue", "import_directory"),
    "catalogue list": ("catalogue", "table"),
    "catalogue domains": ("catalogue", "tree"),
    "catalogue not-applicable": ("catalogue", "toggle_not_applicable"),
    "catalogue seed": ("catalogue", "update_builtin"),
    "catalogue pending": ("catalogue", "mark_pending"),
    "publication add": ("catalogue", "add_publication"),
    "publication list": ("catalogue", "detail"),
    "keys show": ("sync", "identity"),
    "keys export": ("sync", "export_id_btn"),
    "keys trust": ("sync", "trust_btn"),
    "keys reset": ("sync", "trust_panel.reset_btn"),
    "sync export": ("sync", "export_btn"),
    "sync import": ("sync", "import_btn"),
    "sync update": ("sync", "update_btn"),
    "sync history": ("sync", "history"),
    "sync conflicts": ("sync", "county_panel.conflict_list"),
    "sync resolve": ("sync", "county_panel.resolve_selected"),
    "county status": ("sync", "county_panel.status_table"),
    "county payouts": ("sync", "county_panel.payouts"),
    "county catalogue": ("sync", "county_panel.catalogue"),
    "county villages": ("sync", "county_panel.villages"),
    "county export": ("sync", "xlsx_btn"),
    "payouts import": ("payouts", "open_import"),
    "payouts list": ("payouts", "batches"),
    "payouts show": ("payouts", "rows"),
    "payouts export": ("payouts", "export_selected"),
    "payouts delete": ("payouts", "delete_selected"),
    "payouts programs": ("payouts", "programs_btn"),
    "posting list": ("villages", "postings"),
    "posting new": ("villages", "new_dialog"),
    "posting show": ("villages", "show_posting"),
    "posting review": ("villages", "review_dialog"),
    "posting post": ("villages", "post_dialog"),
    "posting end": ("villages", "end_dialog"),
    "posting object": ("villages", "object_dialog"),
    "posting answer": ("villages", "answer_dialog"),
    "posting correct": ("villages", "correct_dialog"),
    "posting archive": ("villages", "archive_dialog"),
    "posting attach": ("villages", "attach_dialog"),
    "posting calendar": ("villages", "grid"),
    "posting overdue": ("home", "villages_box"),
    "posting year-end": ("villages", "yearend"),
    "posting register": ("villages", "export_dialog"),
    "posting record": ("villages", "record_dialog"),
    "posting withdraw": ("villages", "withdraw_dialog"),
    "posting amend": ("villages", "amend_dialog"),
    "villages rename": ("settings", "edit_village"),
    "villages merge": ("settings", "edit_village"),
    "villages delete": ("settings", "edit_village"),
    "villages groups": ("settings", "edit_village"),
    "backup imports": ("backups", "undo_import"),
    "catalogue duty": ("catalogue", "change_duty"),
    "catalogue alias": ("catalogue", "add_alias"),
    "keys verify": ("sync", "trust_panel.verify_btn"),
    "keys revoke": ("sync", "trust_panel.revoke_btn"),
    "keys enrolment": ("sync", "trust_panel.enrol_btn"),
    "sync restore": ("sync", "trust_panel.restore_btn"),
    "county migrate": ("sync", "migrate_dialog"),
    "database show": ("settings", "db_shown"),
    "database test": ("settings", "db_test"),
    "database connect": ("settings", "db_save"),
    "database local": ("settings", "db_local"),
    "payouts layouts": ("payouts", "layouts_dialog"),
    "payouts doubts": ("payouts", "open_doubts"),
    "request add": ("requests", "do_add"),
    "request list": ("requests", "table"),
    "request show": ("requests", "show_detail"),
    "request confirm": ("requests", "do_confirm"),
    "request supplement": ("requests", "do_supplement"),
    "request consult": ("requests", "do_consult"),
    "request extend": ("requests", "do_extend"),
    "request later": ("requests", "do_later"),
    "request reply": ("requests", "do_reply"),
    "request appeal": ("requests", "do_appeal"),
    "request fee": ("requests", "do_fee"),
    "request attach": ("requests", "do_attach"),
    "request print": ("requests", "do_print"),
    "request export": ("requests", "do_export"),
    "request undo": ("requests", "do_undo"),
    "request void": ("requests", "do_void"),
    "request county": ("requests", "refresh_county"),
    "request templates": ("requests", "do_templates"),
    "report annual": ("annual_report", "do_export"),
    "report figures": ("annual_report", "do_save_t2"),
    "report text": ("annual_report", "do_save_text"),
    "report override": ("annual_report", "do_override"),
    "report county": ("annual_report", "do_export_county"),
}

# Added this session by other helpers (owner); the lead closes this set at merge.
PENDING: dict[str, str] = {}


def cli_subcommands() -> list[str]:
    """Every leaf subcommand, as typed after ``gkdesk``."""
    def walk(parser: argparse.ArgumentParser, prefix: tuple[str, ...]) -> list[str]:
        out: list[str] = []
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    out += walk(sub, (*prefix, name)) or [" ".join((*prefix, name))]
        return out

    return walk(build_parser(), ())


def _resolve(obj: object, path: str) -> object:
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def test_every_cli_subcommand_has_a_window_entry() -> None:
    commands = cli_subcommands()
    assert len(commands) > 60  # the walk sees nested groups (villages catalogue …)
    missing = [c for c in commands if c not in WINDOW]
    assert not missing, f"CLI subcommands without a place in the window (add to WINDOW): {missing}"
    stale = [c for c in WINDOW if c not in commands]
    assert not stale, f"WINDOW names subcommands the CLI no longer has: {stale}"
    assert set(PENDING) <= set(WINDOW)


@pytest.fixture
def window(qtbot, store):
    from gkdesk.ui.context import UiContext
    from gkdesk.ui.mainwindow import MainWindow

    win = MainWindow(UiContext(store, "测试员"))
    qtbot.addWidget(win)
    return win


def test_every_window_entry_exists(window, store) -> None:
    from gkdesk.ui.wizard import FirstRunWizard

    wizard = FirstRunWizard(store)
    absent, done_but_pending = [], []
    for command, (where, path) in sorted(WINDOW.items()):
        try:
            if where == "wizard":
                _resolve(wizard, path)
            elif where == "module":
                module, _, attr = path.rpartition(".")
                getattr(importlib.import_module(module), attr)
            else:
                _resolve(window.page(where), path)
        except AttributeError:
            if command not in PENDING:
                absent.append(f"{command} → {where}.{path}")
            continue
        if command in PENDING:
            done_but_pending.append(command)
    wizard.deleteLater()
    assert not absent, f"window places that do not exist: {absent}"
    assert not done_but_pending, f"these now exist: remove them from PENDING: {done_but_pending}"
