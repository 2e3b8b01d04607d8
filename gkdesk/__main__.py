"""``python -m gkdesk``: the command line."""

if __name__ == "__main__":
    import sys

    from gkdesk.headstart import prefetch_from_argv

    prefetch_from_argv(sys.argv[1:])  # before the command line's own imports; run() does not repeat it

    from gkdesk.cli import run

    run()
