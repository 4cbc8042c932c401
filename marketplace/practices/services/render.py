"""Markdown written by members, rendered to HTML that cannot run anything.

Markdown lets raw HTML through, so its output is sanitised afterwards with nh3 (ammonia) to an
allow-list: no script or style, no event attribute, links only to http, https or mailto.
"""
from __future__ import annotations

from html import unescape

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(html: str) -> str:
    """HTML restricted to the allow-list; links get rel="noopener noreferrer"."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def plain_text(text: str | None) -> str:
    """The words of a Markdown text without any markup (for excerpts on cards)."""
    if not text:
        return ""
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    cleaned = nh3.clean(html, tags=set(), clean_content_tags={"script", "style"}, link_rel=None)
    return " ".join(unescape(cleaned).split())


def render_markdown(text: str | None) -> Markup:
    """Safe HTML for a Markdown text typed by a member, ready to insert in a template."""
    if not text:
        return Markup("")
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    return Markup(sanitize_html(html))
