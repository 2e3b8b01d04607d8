from gkdesk.cli import run

run()
