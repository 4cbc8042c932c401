"""Write rows as CSV (streamed) or XLSX (openpyxl's write-only mode, spooled to disk).

Rows come from a generator that reads the database in batches, so 100,000 rows never sit in
memory at once: the CSV leaves as it is produced; the XLSX is built row by row in a temporary
file (a zip cannot be streamed before it is complete) and then sent in chunks.
"""
from __future__ import annotations

import csv
import io
import tempfile
from datetime import date, datetime
from typing import Iterable, Iterator, Sequence

from openpyxl import Workbook

CHUNK = 64 * 1024


def _cell(value):
    """Dates as ISO 8601, lists joined, None as empty: the same text in CSV and XLSX."""
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    if value is None:
        return ""
    return value


def _safe_text(value):
    # A cell starting with = + - @ is a formula for a spreadsheet: quote it (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_chunks(headers: Sequence[str], rows: Iterable[Sequence]) -> Iterator[bytes]:
    """The CSV file as byte chunks: UTF-8 with a BOM (spreadsheets then read accents), `;`
    separated as French spreadsheets expect."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    buffer.write("\ufeff")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_safe_text(_cell(value)) for value in row])
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_chunks(title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> Iterator[bytes]:
    """The XLSX file as byte chunks, built in write-only mode in a temporary file."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(headers))
    for row in rows:
        sheet.append([_safe_text(_cell(value)) for value in row])
    with tempfile.TemporaryFile() as spool:
        workbook.save(spool)
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk
