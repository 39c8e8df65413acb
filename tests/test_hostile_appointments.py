"""Hostile tests: the public appointment pages and accreditation links with crafted input.

PostgreSQL refuses a NUL byte in a query (ValueError): a parameter or path that reaches the
database unchecked answers 500 there (these fail on PostgreSQL only; SQLite finds nothing).
"""

import pytest

pytestmark = pytest.mark.django_db

NUL_URLS = [
    "/akkreditierung/%00/",
    "/en/akkreditierung/a%00b/",
    "/termine/?herausgeber=%00",
    "/termine/?thema=%00",
    "/termine/archiv/?herausgeber=%00",
    "/en/termine/archiv/?thema=x%00",
]


@pytest.mark.parametrize("url", NUL_URLS)
def test_a_nul_byte_in_an_appointment_address_is_a_404(client, url):
    assert client.get(url).status_code == 404
