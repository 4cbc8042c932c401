"""Placeholder, replaced by the reference geography work."""
import click
from flask.cli import AppGroup

geo_cli = AppGroup("geo", help="Géographie de référence (COG).")
