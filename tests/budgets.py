"""Every exact query budget of the suite, in one place: a change that costs a query shows here.

The numbers are exact (not "at most"), so a query saved is noticed too; each stays the same with
one item and with fifty (`tests/test_query_budgets.py` checks that for every public page).
"""

# No public page or feed may cost more than this, whatever it shows (the issuer page: the
# issuer, its next appointments, the topics to filter by, its releases' ids with their total,
# their rows and topics, its contacts and publications). Measured as pages are between two
# go-live seconds: the content generation described (tests/conftest.py).
MAX_QUERIES = 8

# The newest releases' ids and versions, the rows of the teasers not kept and their topics, the
# public topics and the next appointments (both kept per content generation). Read again: none
# (home is kept per content generation, releases/views.py).
HOME = 5
HOME_KEPT = 0
# A release page built afresh: the row with its issuer, and seven prefetches (co-issuers, topics,
# links, images, corrections, contacts, publications). Read again while its kept rendering stands
# (newsroom.cache.kept), also with the page cache off: the row alone.
RELEASE_PAGE = 8
RELEASE_PAGE_KEPT = 1
# Ids and versions with their total (COUNT OVER), the rows of the teasers not kept and their
# topics, the topics and issuers to filter by; the total and both lists are kept per content
# change (newsroom.cache.kept): read again, the list costs its ids and versions alone (the
# teasers are kept too).
RELEASE_LIST = 5
RELEASE_LIST_KEPT = 1
FEEDS_PAGE = 5  # release and publication feeds 3, calendar feeds 2 (offices, topics)

# Feed URLs relative to /feeds/: a full rendering; a 304 (or a reader after the first) in the
# same content generation, which reads what the feed shows from the cache (plus the topic, issuer
# or series the feed is about); and the first request of a new generation in which the feed did
# not change, which computes its validators only (the document is kept per ETag). A release
# feed: the validators (2), the rows, their topics, corrections, publications and photos (each
# with its translation joined).
FEED_RENDERING = {
    "pressemitteilungen.rss": 7,
    "themen/wirtschaft.atom": 8,
    "herausgeber/mfb.rss": 8,
    "publikationen.atom": 2,
    "publikationen/schlaglicht.rss": 3,
}
FEED_NOT_MODIFIED = {
    "pressemitteilungen.rss": 0,
    "themen/wirtschaft.atom": 1,
    "herausgeber/mfb.rss": 1,
    "publikationen.atom": 0,
    "publikationen/schlaglicht.rss": 1,
}
FEED_NEW_GENERATION = {
    "pressemitteilungen.rss": 2,
    "themen/wirtschaft.atom": 3,
    "herausgeber/mfb.rss": 3,
    "publikationen.atom": 1,
    "publikationen/schlaglicht.rss": 2,
}
