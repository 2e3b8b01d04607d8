"""Work the CLI can start before SQLAlchemy and Alembic are imported (≈0.4 s).

It lives outside :mod:`gkdesk.cli` so that ``python -m gkdesk`` and the frozen entry can call
it before importing that package (argparse and every command's module: ≈20 ms).

``gkdesk payouts import BIG.xlsx`` spends most of its time in calamine's parser, which
runs with the GIL released; starting it on a thread first lets it overlap the imports
and the opening of the database. Only standard-library imports here.
"""

from __future__ import annotations


def prefetch_from_argv(argv: list[str]) -> None:
    try:
        i = argv.index("payouts")
    except ValueError:
        return
    rest = argv[i + 1:]
    if not rest or rest[0] != "import":
        return
    # Options of ``payouts import`` that take a value (see gkdesk.cli.payouts_cmds): the
    # value is not the file. Missing one here only loses the head start, never the import.
    takes_value = {"--program", "--year", "--period", "--sheet", "--errors-out", "--village", "--layout", "--map",
                   "--save-layout", "--village-map"}
    skip = False
    for a in rest[1:]:
        if skip:
            skip = False
            continue
        if a in takes_value:
            skip = True
            continue
        if a.startswith("-"):
            continue
        import gc

        from gkdesk.sheets.reader import prefetch

        # A one-shot process that is about to hold ~2M live objects (the sheet's cells, then
        # the validated rows) until it exits: the cyclic collector would only walk them again
        # and again (measured ≈0.35 s per 100,000 rows). Reference counting still frees
        # everything; nothing here builds cycles in bulk.
        gc.disable()
        prefetch(a)
        return
