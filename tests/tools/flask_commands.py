"""Run several `flask` commands in one process, each against an application of its own.

    python -m tests.tools.flask_commands '[["db", "upgrade"], ["seed-demo"]]'

The browser tests prepare their instances with up to five commands; a `flask` process spends
~3 s of CPU importing the application before it does anything, so one process for all of them
saves that for every command but the first. Each command still gets a new application, as a new
process would (extensions and caches start empty), from the environment (FLASK_APP=wsgi's
`create_app()` reads ESSAIM_INSTANCE_DIR, DATABASE_URL...). Stops at the first command that
fails, with its exit status.
"""
from __future__ import annotations

import json
import sys

from flask.cli import FlaskGroup


def main(commands: list[list[str]]) -> int:
    from marketplace import create_app

    for command in commands:
        cli = FlaskGroup(create_app=create_app)
        try:
            status = cli.main(args=command, prog_name="flask", standalone_mode=False)
            if isinstance(status, int) and status:  # click's ctx.exit(status)
                raise SystemExit(status)
        except SystemExit as stop:
            if stop.code:
                print(f"flask {' '.join(command)}: exit {stop.code}", file=sys.stderr)
                return int(stop.code) if isinstance(stop.code, int) else 1
        except Exception as error:  # the command's own failure: say which one, then stop
            print(f"flask {' '.join(command)}: {error!r}", file=sys.stderr)
            raise
    return 0


if __name__ == "__main__":
    sys.exit(main(json.loads(sys.argv[1])))
