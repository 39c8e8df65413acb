"""Every exact query budget of the suite, in one place: a change that costs a query shows here.

The numbers are exact (not "at most"), so a query saved is noticed too; each stays the same with
one item and with fifty (`tests/test_query_budgets.py` checks that for every public page).
"""

# No public page or feed may cost more than this, whatever it shows (the issuer page: its
# releases, contacts, publications and, since issue 15, its next appointments).
MAX_QUERIES = 9

HOME = 4  # releases, their topics, public topics, next appointments
RELEASE_PAGE = 7
RELEASE_LIST = 6
FEEDS_PAGE = 5  # release and publication feeds 3, calendar feeds 2 (offices, topics)

# Feed URLs relative to /feeds/: a full rendering, and a 304 that only computes the validators
# (plus the topic, issuer or series the feed is about).
FEED_RENDERING = {
    "pressemitteilungen.rss": 6,
    "themen/wirtschaft.atom": 7,
    "herausgeber/mfb.rss": 7,
    "publikationen.atom": 2,
    "publikationen/schlaglicht.rss": 3,
}
FEED_NOT_MODIFIED = {
    "pressemitteilungen.rss": 2,
    "themen/wirtschaft.atom": 3,
    "herausgeber/mfb.rss": 3,
    "publikationen.atom": 1,
    "publikationen/schlaglicht.rss": 2,
}
