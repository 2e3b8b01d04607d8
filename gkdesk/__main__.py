"""``python -m gkdesk``: the command line."""

if __name__ == "__main__":
    from gkdesk.cli import run

    run()
