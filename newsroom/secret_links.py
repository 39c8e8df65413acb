"""Pages reached through a secret link (alerts, accreditation): kept out of search engines and
their address, with the token, out of Referer headers."""


def private(response):
    """Mark a response as a secret link's page. Not "no-referrer": browsers would then send
    `Origin: null` with the page's forms, which the CSRF check refuses."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "strict-origin"
    return response
