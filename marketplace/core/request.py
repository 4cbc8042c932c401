"""A request class whose parsers keep what was typed and drop what no database can store.

Werkzeug drops a whole urlencoded body when one raw byte is not UTF-8 (and keeps %FF escapes
as literal text). Decoding with replacement instead turns each bad byte into U+FFFD inside its
own field, where `core.forms.CleanText` shows a French message next to that field and the
rest of what was typed is kept.

Query strings are filters, page numbers and ids: a NUL character in them means nothing, and
PostgreSQL refuses it in any text parameter (a 500 on every filtered list). It is removed there;
in a posted form it stays, so that CleanText can say which field holds it.
"""
from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Request
from werkzeug.formparser import FormDataParser
from werkzeug.utils import cached_property


class LenientFormDataParser(FormDataParser):
    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        items = parse_qsl(
            stream.read().decode("utf-8", errors="replace"),
            keep_blank_values=True,
            errors="replace",
        )
        return stream, self.cls(items), self.cls()


class EssaimRequest(Request):
    form_data_parser_class = LenientFormDataParser

    @cached_property
    def args(self):
        """The query string's parameters, without NUL characters (see the module's docstring)."""
        items = parse_qsl(self.query_string.decode("utf-8", errors="replace"), keep_blank_values=True, errors="werkzeug.url_quote")
        return self.parameter_storage_class(
            (name.replace("\x00", ""), value.replace("\x00", "")) for name, value in items
        )
