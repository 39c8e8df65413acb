"""The rich-text allow-list: what an editor may keep, and what never reaches a reader."""

import pytest

from newsroom.richtext import plain_text, sanitise_html

HOSTILE = [
    "<script>alert(1)</script><p>ok</p>",
    '<p onclick="alert(1)">ok</p>',
    '<img src="x.png" onerror="alert(1)" alt="ok">',
    '<a href="javascript:alert(1)">ok</a>',
    '<a href="JaVaScRiPt:alert(1)">ok</a>',
    '<a href="&#106;avascript:alert(1)">ok</a>',
    '<p style="background:url(javascript:alert(1))">ok</p>',
    "<style>p { color: red }</style><p>ok</p>",
    '<iframe src="https://evil.example"></iframe><p>ok</p>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">ok</a>',
    '<svg onload="alert(1)"><p>ok</p></svg>',
    "<p>ok</p><!-- <script>alert(1)</script> -->",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_nothing_executable_survives(payload):
    cleaned = sanitise_html(payload).lower()
    for forbidden in [
        "<script",
        "onclick",
        "onerror",
        "onload",
        "javascript:",
        "style",
        "<iframe",
        "data:",
        "<svg",
        "<!--",
        "alert(1)",
    ]:
        assert forbidden not in cleaned, (payload, cleaned)
    assert "ok" in cleaned


def test_editorial_markup_is_kept():
    html = (
        "<h2>Zwischentitel</h2><h3>Unter</h3><h4>Klein</h4>"
        "<p><strong>fett</strong> <em>kursiv</em></p>"
        "<ul><li>eins</li></ul><ol><li>zwei</li></ol>"
        "<blockquote><p>„Zitat“</p><p><cite>Jemand</cite></p></blockquote>"
        '<p><a href="https://example.org/">Web</a> <a href="mailto:a@example.org">Mail</a></p>'
        '<figure><img src="https://example.org/a.png" alt="Ein Bild"></figure>'
        "<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>"
    )
    cleaned = sanitise_html(html)
    for kept in [
        "<h2>",
        "<h3>",
        "<h4>",
        "<strong>",
        "<em>",
        "<ul>",
        "<ol>",
        "<blockquote>",
        "<cite>",
        'href="https://example.org/"',
        'href="mailto:a@example.org"',
        'alt="Ein Bild"',
        "<table>",
        "<th>",
        "<td>",
    ]:
        assert kept in cleaned


def test_h1_and_unknown_tags_are_unwrapped_to_text():
    assert sanitise_html("<h1>Titel</h1> <blink>und Text</blink>") == "Titel und Text"


def test_control_characters_are_removed():
    assert sanitise_html("<p>a\x00b\x1bc\x7f</p>") == "<p>abc</p>"


def test_a_release_stores_only_sanitised_text(make_release):
    release = make_release(
        body='<p onclick="x()">Text</p><script>alert(1)</script>',
        background='<a href="javascript:alert(1)">Link</a>',
    )
    release.refresh_from_db()
    assert release.body == "<p>Text</p>"
    assert "javascript" not in release.background
    assert "Link" in release.background


@pytest.mark.parametrize(
    ("stored", "text"),
    [
        # Paragraphs, headings, list items, cells and line breaks end words; inline tags do not.
        ("<p>Brücken</p><p>Neue Wege</p>", "Brücken Neue Wege"),
        ("<h2>Titel</h2><ul><li>eins</li><li>zwei</li></ul>", "Titel eins zwei"),
        ("<table><tr><td>A</td><td>B</td></tr></table>", "A B"),
        ("<p>erste<br>zweite Zeile</p>", "erste zweite Zeile"),
        ("<p><strong>Wert</strong>schöpfung</p>", "Wertschöpfung"),
        # What a reader sees: entities decoded, non-breaking spaces and runs of space as one.
        ("<p>Müller &amp; Söhne&nbsp;GmbH, 3 &lt; 4</p>", "Müller & Söhne GmbH, 3 < 4"),
        ("<p>  a \n\n b  </p>", "a b"),
        ('<p><img src="/x.png" alt="a > b">Bild</p>', "Bild"),
        ("", ""),
    ],
)
def test_plain_text_is_what_a_reader_reads(stored, text):
    assert plain_text(sanitise_html(stored) if stored else stored) == text
