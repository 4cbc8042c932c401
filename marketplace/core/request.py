"""A request class whose form parser keeps fields that are not valid UTF-8.

Werkzeug drops a whole urlencoded body when one raw byte is not UTF-8 (and keeps %FF escapes
as literal text). Decoding with replacement instead turns each bad byte into U+FFFD inside its
own field, where `core.forms.CleanText` shows a French message next to that field and the
rest of what was typed is kept.
"""
from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Request
from werkzeug.formparser import FormDataParser


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
