"""Plain-text fields hold text: no control characters, and no line break in a one-line field.

`clean_text_fields` runs before every save of the models whose text reaches public pages, feeds
and vCards (connected in `newsroom/apps.py`), so what a crafted form or an import stores is what
an editor could have typed. The feeds and the vCard escape their output as well.
"""

import re

from django.db import models

from .richtext import strip_control_characters

# Everything some reader takes for the end of a line: CR, LF, VT, FF, the file, group and record
# separators, NEL, and Unicode's line and paragraph separators.
LINE_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def single_line(value: str) -> str:
    return strip_control_characters(LINE_BREAKS.sub(" ", value))


def clean_text_fields(sender, instance, **kwargs):
    """pre_save: strip control characters from text fields, and line breaks from char fields."""
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if not isinstance(value, str) or not value:
            continue
        if isinstance(field, models.TextField):
            cleaned = strip_control_characters(value)
        elif isinstance(field, models.CharField):
            cleaned = single_line(value)
        else:
            continue
        if cleaned != value:
            setattr(instance, field.attname, cleaned)
