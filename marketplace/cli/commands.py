"""Flask CLI commands: reference geography, demo data, the first start of `make run`."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from marketplace.cli.demo import seed_demo_command
    from marketplace.cli.domains import domains_cli
    from marketplace.geography.cli import geo_cli
    from marketplace.cli.i18n import i18n_cli
    from marketplace.cli.matching import matching_cli
    import marketplace.cli.learning  # noqa: F401  (its commands join the matching group)
    from marketplace.cli.notifications import notifications_cli
    from marketplace.cli.setup import first_start_command

    app.cli.add_command(geo_cli)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(first_start_command)
    app.cli.add_command(matching_cli)
    app.cli.add_command(i18n_cli)
    app.cli.add_command(notifications_cli)
    app.cli.add_command(domains_cli)
