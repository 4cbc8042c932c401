"""An export as an HTTP download: streamed, named after the list and the day, never cached."""
from __future__ import annotations

from datetime import date

from flask import Response, stream_with_context
from sqlalchemy import Select

from marketplace.exports import datasets, writers

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download(fmt: str, name: str, title: str, columns, query: Select) -> Response | None:
    """The export of `query` in `fmt` ("csv" or "xlsx"); None for an unknown format (a 404)."""
    if fmt not in FORMATS:
        return None
    return download_rows(fmt, name, title, datasets.headers(columns), datasets.rows(query, columns))


def download_rows(fmt: str, name: str, title: str, headers, rows) -> Response | None:
    """The export of rows already computed (a list page's results) in `fmt`; None if unknown."""
    if fmt not in FORMATS:
        return None
    chunks = writers.csv_chunks(headers, rows) if fmt == "csv" else writers.xlsx_chunks(title, headers, rows)
    response = Response(stream_with_context(chunks), mimetype=FORMATS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="essaim-{name}-{date.today().isoformat()}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response
