"""Path converters shared by the apps' URLs.

`<token:…>` matches only what `secrets.token_urlsafe` produces, so that no view ever sees a NUL
byte or other odd input in a secret (PostgreSQL refuses NUL in a query: a 500 instead of a 404).
"""

from django.urls import register_converter
from django.urls.converters import StringConverter


class TokenConverter(StringConverter):
    regex = r"[A-Za-z0-9_-]{1,100}"


register_converter(TokenConverter, "token")
