"""Rich text: the allow-list sanitiser and the model field that applies it before storing.

What is stored is exactly what the public pages render, so the allow-list here is the only
place that decides which markup may reach a reader.
"""

import html
import re

import nh3
from django_ckeditor_5.fields import CKEditor5Field

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "ul",
    "ol",
    "li",
    "blockquote",
    "cite",
    "a",
    "img",
    "figure",
    "figcaption",
    "hr",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# C0 and C1 control characters other than tab, newline and carriage return are never text, nor
# are the non-characters U+FFFE and U+FFFF; XML (feeds, sitemaps) cannot carry any of them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def strip_control_characters(value: str) -> str:
    return CONTROL_CHARACTERS.sub("", value)


# Tags, non-breaking spaces and white space: what an editor sends when it holds no text.
EMPTY_MARKUP = re.compile(r"<[^>]*>|&nbsp;|\s|\u00a0")


def sanitise_html(value: str) -> str:
    """Return `value` reduced to the allow-list: no scripts, handlers, styles or odd schemes."""
    if not value:
        return ""
    cleaned = nh3.clean(
        strip_control_characters(value),
        tags=ALLOWED_TAGS,
        # Their content is dropped with the tag, not kept as text.
        clean_content_tags={"script", "style", "template", "iframe", "object", "noscript"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
    # An editor left empty still sends a paragraph ("<p>&nbsp;</p>"): store no text as "".
    if not EMPTY_MARKUP.sub("", cleaned) and "<img" not in cleaned:
        return ""
    return cleaned


# A tag, its attributes quoted or not (a quoted value may hold ">").
TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")
# Tags between which text stops: a paragraph, heading, list item, cell or line ends there. An
# inline tag (<strong>, <a>) may stand inside a word and separates nothing.
BLOCK_BOUNDARY = re.compile(
    r"""</?(?:p|br|h[1-6]|ul|ol|li|blockquote|figure|figcaption|hr|table|caption|thead|tbody"""
    r"""|tfoot|tr|th|td|img)\b(?:[^>"']|"[^"]*"|'[^']*')*>"""
)


def plain_text(value: str) -> str:
    """The words of stored rich text on one line, as a reader sees them: the words of two
    paragraphs stay two words, and "&amp;" is "&" (what search indexes and quotes)."""
    text = TAG.sub("", BLOCK_BOUNDARY.sub(" ", value or ""))
    return " ".join(html.unescape(text).split())


class RichTextField(CKEditor5Field):
    """A text field edited with CKEditor 5 and sanitised with nh3 whenever it is saved."""

    def pre_save(self, model_instance, add):
        value = sanitise_html(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        return value

    def clean(self, value, model_instance):
        # Forms validate and redisplay the sanitised text, so the editor shows what will be stored.
        return super().clean(sanitise_html(value or ""), model_instance)
