"""The fault suite: every trial is counted, and the run ends with one line of figures.

``faults: tried N / survived N / rows lost N`` — a trial *survives* when, after the fault
(SIGKILL, full disk, read-only medium, a second process), the database passes its integrity
check and every committed row is still there, and the clerk got a message rather than a
traceback. ``GKDESK_FAULTS_LONG=1`` multiplies the number of random trials.
"""

from __future__ import annotations

import os
import time

import pytest

from tests.faults.helpers import TALLY


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TALLY.tried:
        mode = "long" if os.environ.get("GKDESK_FAULTS_LONG") == "1" else "ci"
        terminalreporter.write_line(
            f"faults: tried {TALLY.tried} / survived {TALLY.survived} / rows lost {TALLY.rows_lost}"
            f"  ({mode}, {time.monotonic() - TALLY.started:.0f} s)")
        for line in TALLY.failures[:20]:
            terminalreporter.write_line(f"  fault not survived: {line}")


@pytest.fixture
def tally():
    return TALLY
