"""`flask i18n update` and `flask i18n check`: keep the English catalogue in step with the code.

The msgids are the French texts written in the code and templates; the English catalogue lives
in marketplace/translations/en/LC_MESSAGES/messages.po. The .mo files are compiled by
`make translations` and are not versioned. Everything here goes through Babel's Python API.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import click
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from flask import current_app
from flask.cli import AppGroup

LOCALE = "en"
DOMAIN = "messages"
# The gettext aliases used in marketplace/ (`_lazy` is setup.py's deferred lazy_gettext).
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "_lazy": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
}
# Only these top-level folders hold translatable text (babel.cfg maps them); walking the rest
# (static/, instance/, the virtualenv) would only cost time.
SOURCE_DIRS = ("marketplace", "templates")

HEADER_COMMENT = ("# English catalogue of Essaim. The msgids are the French texts of the code and templates.\n"
                  "# `flask i18n update` refreshes it, `flask i18n check` says what is missing.")

i18n_cli = AppGroup("i18n", help="Catalogue anglais : extraction, mise à jour, contrôle.")


@dataclass
class CatalogReport:
    """What `check` found: each list holds msgids (the French text)."""

    missing: list[str] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)
    fuzzy: list[str] = field(default_factory=list)
    format_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.untranslated or self.fuzzy or self.format_errors)


def project_root(app=None) -> Path:
    """The repository root: where babel.cfg is, one level above the package."""
    return Path((app or current_app).root_path).parent


def translations_dir(app=None) -> Path:
    """The folder Flask-Babel reads catalogues from (its default, relative to the package)."""
    return Path((app or current_app).root_path) / "translations"


def po_path(app=None) -> Path:
    return translations_dir(app) / LOCALE / "LC_MESSAGES" / f"{DOMAIN}.po"


def _key(msgid) -> str:
    # Plural entries are keyed by their singular form in a Catalog.
    return msgid[0] if isinstance(msgid, (list, tuple)) else msgid


def extract_messages(root: Path) -> Catalog:
    """Extract every msgid of the code and templates under `root`, as babel.cfg maps them."""
    with open(root / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config, str(root / "babel.cfg"))

    def keep(dirname: str) -> bool:
        relative = Path(dirname).relative_to(root)
        return relative.parts[0] in SOURCE_DIRS and not relative.name.startswith((".", "_"))

    template = Catalog(project="Essaim", msgid_bugs_address="", charset="utf-8")
    results = extract_from_dir(root, method_map, options_map, keywords=KEYWORDS,
                               strip_comment_tags=True, directory_filter=keep)
    for filename, lineno, message, comments, context in results:
        template.add(message, None, [(Path(filename).as_posix(), lineno)],
                     auto_comments=comments, context=context)
    return template


def write_catalog(catalog: Catalog, path: Path, **options) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        write_po(out, catalog, width=100, **options)


def read_catalog(path: Path, locale: str | None = LOCALE) -> Catalog:
    with open(path, "rb") as infile:
        return read_po(infile, locale=locale, domain=DOMAIN)


def update_catalog(root: Path, translations: Path) -> Catalog:
    """Write messages.pot from the code under `root`, then bring the English .po in line with it.

    New msgids arrive empty and removed ones are dropped. Babel's fuzzy matching stays off: its
    guesses for short labels are usually wrong ("Approuver" took the English of another verb),
    and `make translations` compiles with --use-fuzzy, so a guess would reach users.
    """
    template = extract_messages(root)
    write_catalog(template, translations / f"{DOMAIN}.pot")
    target = translations / LOCALE / "LC_MESSAGES" / f"{DOMAIN}.po"
    if target.exists():
        catalog = read_catalog(target)
    else:
        catalog = Catalog(locale=Locale.parse(LOCALE), domain=DOMAIN, project="Essaim",
                          language_team="Essaim", fuzzy=False)
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    catalog.revision_date = datetime.now(timezone.utc)
    catalog.fuzzy = False
    catalog.header_comment = HEADER_COMMENT
    catalog.last_translator = "Essaim"
    write_catalog(catalog, target, ignore_obsolete=True)
    return catalog


def _is_translated(message) -> bool:
    if isinstance(message.string, (list, tuple)):
        return all(message.string)
    return bool(message.string)


def check_catalog(root: Path, po_file: Path) -> CatalogReport:
    """Compare an English catalogue with the msgids currently in the code under `root`."""
    report = CatalogReport()
    extracted = [message for message in extract_messages(root) if message.id]
    if not po_file.exists():
        report.missing = [_key(message.id) for message in extracted]
        return report
    catalog = read_catalog(po_file)
    for message in extracted:
        if catalog.get(_key(message.id), context=message.context) is None:
            report.missing.append(_key(message.id))
    for message in catalog:
        if not message.id:
            continue  # the header
        if not _is_translated(message):
            report.untranslated.append(_key(message.id))
        elif message.fuzzy:
            report.fuzzy.append(_key(message.id))
    for message, errors in catalog.check():
        report.format_errors.extend(f"{_key(message.id)} : {error}" for error in errors)
    return report


def compile_catalog(po_file: Path, mo_file: Path) -> None:
    """Compile a .po file into a .mo file, leaving fuzzy translations out."""
    catalog = read_catalog(po_file)
    mo_file.parent.mkdir(parents=True, exist_ok=True)
    with open(mo_file, "wb") as out:
        write_mo(out, catalog, use_fuzzy=False)


@i18n_cli.command("update")
def update_command() -> None:
    """Extract the msgids and update the English catalogue."""
    catalog = update_catalog(project_root(), translations_dir())
    entries = [message for message in catalog if message.id]
    untranslated = sum(1 for message in entries if not _is_translated(message))
    fuzzy = sum(1 for message in entries if message.fuzzy)
    click.echo(f"{po_path().relative_to(project_root())} : {len(entries)} messages, "
               f"{untranslated} non traduits, {fuzzy} à revoir (fuzzy).")


@i18n_cli.command("check")
def check_command() -> None:
    """Fail when the English catalogue lags behind the code."""
    report = check_catalog(project_root(), po_path())
    sections = (("absents du catalogue (lancer `flask i18n update`)", report.missing),
                ("non traduits", report.untranslated),
                ("à revoir (fuzzy)", report.fuzzy),
                ("paramètres de format incohérents", report.format_errors))
    for title, items in sections:
        if items:
            click.echo(f"{len(items)} message(s) {title} :", err=True)
            for item in items:
                click.echo(f"  - {item!r}", err=True)
    if not report.ok:
        raise SystemExit(1)
    click.echo("Catalogue anglais complet.")
