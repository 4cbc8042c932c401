"""Every table row about one user, found by walking the models' foreign keys to `users`.

The list of tables is not written by hand: any table with a column pointing at `users` is exported,
unless `EXCLUDED` names it with the reason. A new model with a user foreign key is therefore in the
archive from its first day (tests/services/test_privacy_export.py fails on one that is neither).
Secrets (password hashes, token hashes) are blanked column by column.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import LargeBinary, Table, or_, select

from marketplace.core.extensions import db
from marketplace.exports.writers import csv_chunks

USERS = "users"

# Tables holding a user foreign key that the archive leaves out, and why.
EXCLUDED = {
    "data_exports": "the archives' own bookkeeping (file names, dates): the archive being built is the answer",
}

# Columns replaced by "[secret]": they prove an identity and tell the user nothing about themselves.
SECRET_COLUMNS = {
    "users": {"password_hash", "security_stamp"},
    "user_sessions": {"token_hash"},
    "api_tokens": {"token_hash"},
    # Past e-mails may hold one-time links (password reset, verification): keep their subject only.
    "outbox_emails": {"context"},
}

# Rows about the user that no user foreign key reaches: pairings where they are the agent of the
# offer or the author of the need (a pairing names its requester and decider, not its parties).
PARTY_QUERIES = {
    "pairings": "SELECT p.* FROM pairings p JOIN skill_offers o ON o.id = p.offer_id "
                "JOIN needs n ON n.id = p.need_id WHERE o.agent_id = :uid OR n.author_id = :uid",
}

# The main lists, also given as CSV for a spreadsheet.
CSV_TABLES = ("skill_offers", "needs", "pairings", "notifications", "practice_sheets", "practice_comments",
              "pairing_messages")


def user_columns(table: Table) -> list:
    """The columns of this table that reference users.id."""
    return [fk.parent for fk in table.foreign_keys if fk.column.table.name == USERS]


def tables_about_users() -> list[Table]:
    """Every table with a foreign key to users, in the metadata's dependency order."""
    return [table for table in db.metadata.sorted_tables if user_columns(table)]


def exported_tables() -> list[Table]:
    return [table for table in tables_about_users() if table.name not in EXCLUDED]


def _value(table: str, column, value):
    if value is None:
        return None
    if column.name in SECRET_COLUMNS.get(table, ()):
        return "[secret]"
    if isinstance(column.type, LargeBinary) or isinstance(value, (bytes, bytearray, memoryview)):
        return f"[fichier binaire de {len(bytes(value))} octets]"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _rows(table: Table, result) -> list[dict]:
    columns = {column.name: column for column in table.columns}
    rows = []
    for row in result.mappings():
        rows.append({name: _value(table.name, columns[name], row[name]) for name in columns if name in row})
    return rows


def collect(user_id: int) -> dict[str, list[dict]]:
    """{table name: [row as a JSON-ready dict]} of every row about this user."""
    users = db.metadata.tables[USERS]
    data = {USERS: _rows(users, db.session.execute(select(users).where(users.c.id == user_id)))}
    for table in exported_tables():
        condition = or_(*(column == user_id for column in user_columns(table)))
        query = select(table).where(condition)
        if table.primary_key.columns:
            query = query.order_by(*table.primary_key.columns)
        data[table.name] = _rows(table, db.session.execute(query))
    for name, sql in PARTY_QUERIES.items():
        table = db.metadata.tables[name]
        seen = {row["id"] for row in data.get(name, [])}
        extra = [row for row in _rows(table, db.session.execute(db.text(sql), {"uid": user_id}))
                 if row["id"] not in seen]
        data[name] = sorted(data.get(name, []) + extra, key=lambda row: row["id"])
    return data


def to_json(rows) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2, default=str)


def to_csv(rows: list[dict], table: Table) -> bytes:
    """One table's rows as CSV, written like the site's other exports (exports/writers.py)."""
    names = [column.name for column in table.columns]
    cells = ([json.dumps(row.get(name), ensure_ascii=False) if isinstance(row.get(name), dict) else row.get(name)
              for name in names] for row in rows)
    return b"".join(csv_chunks(names, cells))
