"""`{% frame "name" %}…{% endframe %}`: a part of every page's frame (the site's header, its
footer), rendered once per process for what it can show, not on every request.

What it shows may depend only on the language, the portal's settings (newsroom.site) and the
page's view (its navigation marks the current one), nothing else of the request: its links,
translations and settings cost a page about as much as reading a kept release page. The
templates and translations are those the process started with, so nothing else can change it.
"""

from django import template
from django.utils.translation import get_language

register = template.Library()

# Rendered parts by what they show; emptied when full (a few languages × views × settings).
_rendered: dict[tuple, str] = {}
LIMIT = 256


class FrameNode(template.Node):
    def __init__(self, name: str, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        request = context.get("request")
        match = getattr(request, "resolver_match", None)
        key = (self.name, get_language(), getattr(match, "view_name", None), context.get("portal"))
        html = _rendered.get(key)
        if html is None:
            if len(_rendered) >= LIMIT:
                _rendered.clear()
            html = _rendered[key] = self.nodelist.render(context)
        return html


@register.tag
def frame(parser, token):
    try:
        _tag, name = token.split_contents()
    except ValueError as missing:
        raise template.TemplateSyntaxError("{% frame %} takes one name.") from missing
    nodelist = parser.parse(("endframe",))
    parser.delete_first_token()
    return FrameNode(name.strip("\"'"), nodelist)
