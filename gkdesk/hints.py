"""What a clerk can do about a refusal, as a code each face renders its own way.

The core never writes a command-line flag or a menu path into a message: it raises an
error whose ``message`` says what is wrong and whose ``hint`` says what would fix it.
The CLI renders the hint as the flag or command to type (``gkdesk/cli/hints.py``), the
window as a button, a dialog or the page to open (``gkdesk/ui/hints.py``). A test checks
that both faces render every member, so a new hint cannot reach a clerk unrendered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any


class Hint(StrEnum):
    """One remedy. ``hint_args`` on the error carry its details (a year, village names …)."""

    # setup and data directory
    INIT = "init"  # the data directory has no township yet
    NEW_DATA_DIR = "new_data_dir"  # this directory is taken: use another one
    RESTORE_BACKUP = "restore_backup"  # the database is damaged: restore the newest good backup
    LIST_BACKUPS = "list_backups"  # the named backup does not exist: choose from the list
    SET_HOLIDAYS = "set_holidays"  # args: year — enter that year's holiday schedule
    COUNTY_ROLE = "county_role"  # a county-only view was asked for in a township installation
    # payouts
    ADD_VILLAGES = "add_villages"  # args: names — villages in the list that the township lacks
    REPLACE_BATCH = "replace_batch"  # the same program and period is stored: replace it
    ADD_PROGRAM = "add_program"  # args: name — the program is unknown
    GIVE_PERIOD = "give_period"  # a monthly program needs the month of the list
    # catalogue
    CHOOSE_DOMAIN = "choose_domain"  # the file does not say which 领域 it belongs to
    # postings and notices
    REVIEW_POSTING = "review_posting"  # record the reviewers' sign-off before posting
    NOTICE_PERIOD = "notice_period"  # the posting period needs both a start date and a length
    NOTICE_TITLE = "notice_title"  # a table notice needs a title
    # sync
    TRUST_KEY = "trust_key"  # args: code — register the peer's identity file first
    REPLACE_TRUST = "replace_trust"  # the peer changed keys: trust its new identity file again
    RESEND_FULL = "resend_full"  # the township should export a full package
    RESYNC = "resync"  # the township restored a backup: it should export a resync package
    SEND_UPDATE = "send_update"  # a county sends updates, not data packages
    LIST_CONFLICTS = "list_conflicts"  # the conflict number is unknown: choose from the list
    LIST_DOMAINS = "list_domains"  # the 领域 named is unknown: choose from the township's domains
    # payouts and notices
    LIST_BATCHES = "list_batches"  # the payout batch named is unknown: choose from the list of batches
    NOTICE_MISSING_GLYPHS = "notice_missing_glyphs"  # a name has a character no font has: blank square or a font
    NOTICE_TOO_WIDE = "notice_too_wide"  # the table does not fit the paper: args: suggest (e.g. "A4 横向")
    ALLOW_DUPLICATE = "allow_duplicate"  # the same rows are stored under another period: import anyway?
    CHOOSE_VILLAGE = "choose_village"  # the file names no village: choose one for the whole file
    MAP_VILLAGES = "map_villages"  # args: names — map unknown names onto existing villages
    STORE_TOTAL = "store_total"  # a 一览表: store it as the program's township-level total
    LIST_LAYOUTS = "list_layouts"  # the 导入模板 named is unknown

    # sync trust (issue 20)
    RESET_KEYS = "reset_keys"  # this PC cannot unlock the keys: make new ones and re-enrol
    VERIFY_PEER = "verify_peer"  # args: code — type back the fingerprint digits heard on the phone
    ENROL = "enrol"  # the county must enrol (again) this township's identity file
    IMPORT_ENROLMENT = "import_enrolment"  # args: unit — the township must import the county's enrolment file

def render(texts: Mapping[Hint, Callable[[dict[str, Any]], str]], hint: Hint | str | None,
           args: dict[str, Any] | None = None) -> str:
    """One face's sentence for ``hint`` from its table of texts ("" for none or an unknown code,
    e.g. a hint code read back from an older log)."""
    if not hint:
        return ""
    try:
        fn = texts[Hint(hint)]
    except (KeyError, ValueError):
        return ""
    return fn(args or {})
