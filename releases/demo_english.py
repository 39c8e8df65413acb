"""The English versions in the demo: the seed release and one more, written with them (part of
their first version), and the English names of topics, the seed's ministry and its Schlaglicht.

`translate_release` is called by `manage.py demo` when it creates a release; the names come from
a demo contribution (`releases.demo`) that adds only what is missing, so a second run changes
nothing.
"""

from contacts.models import OrganisationTranslation
from publications.models import PublicationTranslation

from .models import ReleaseTranslation, TopicTranslation

ENGLISH = "en"

SEED_BODY = """
<p>Global trends such as the digitalisation of value creation, the development and use of new
manufacturing techniques such as 3D printing, and demographic change are already transforming
industry as a whole. The “StrategieWerkstatt: Industrie der ZUKUNFT.” (Strategy Workshop:
Industry of the FUTURE), set up by the Saxon State Ministry for Economic Affairs, Labour and
Transport (SMWA), analyses these trends and examines their effects in Saxony: how do the
technological, social and economic trends take shape locally, and how do they affect the
competitiveness of Saxon industry?</p>
<p>The cultural and creative industries are a sector of their own: in 2014 they contributed
67.5 billion euros, about 2.3 per cent, to Germany’s gross value added.</p>
<p>They are also an important source of impulses and ideas for industry and so contribute
directly to its competitiveness. Strongholds of the creative industries in Saxony are Dresden,
Chemnitz and above all Leipzig, which has become a magnet for creative minds.</p>
<blockquote>
<p>“Saxony’s regions offer impressive examples of how creativity, design and manufacturing come
together, as Musicon Valley in the Vogtland shows. New technologies such as 3D printing and
developments such as FabLabs and the maker movement give small companies, too, access to the
potential of the cultural and creative industries.”</p>
<p><cite>Martin Dulig, Saxon State Minister for Economic Affairs, Labour and Transport</cite></p>
</blockquote>
<p>The Schlaglicht presents examples of applications and partnerships and makes clear that
creativity and the capacity to innovate thrive best in a climate of tolerance and diversity. It
can be downloaded from the website of the StrategieWerkstatt at
<a href="https://www.industrie.sachsen.de/strategiewerkstatt.html">www.industrie.sachsen.de/strategiewerkstatt.html</a>.</p>
"""

SEED_BACKGROUND = """
<p>The SMWA’s “StrategieWerkstatt: Industrie der ZUKUNFT.” is developing the structure and
principles of an industrial strategy for Saxony in a process planned over two years. Its first
phase produced an analysis of the starting position, “Framework conditions, challenges and
prospects for Saxon industry”, which is available from the StrategieWerkstatt on request.</p>
<p>The StrategieWerkstatt will go on to be the platform for an open and broad dialogue with
representatives of business, science, associations, networks and the social partners, who can
thus help to shape Saxony’s industrial strategy.</p>
"""

# Release slug: its English title, lead, body and background (the photos bring their own English
# text: releases/demo_photos.py).
RELEASES = {
    "strategiewerkstatt-kreativwirtschaft-fuer-die-industrielle-wertschoepfung-nutzen": {
        "title": "Strategy workshop: harnessing the creative industries for industrial value "
        "creation",
        "lead": "Innovation needs creativity. In recent years a lively cultural and creative "
        "sector has grown up in Saxony as a place of innovation. How the region can use this "
        "potential to strengthen its capacity for innovation and its competitiveness is shown "
        "by the “StrategieWerkstatt: Industrie der ZUKUNFT.” in its latest Schlaglicht, "
        "“Impulses of the cultural and creative industries for value creation and innovation”.",
        "body": SEED_BODY,
        "background": SEED_BACKGROUND,
    },
    "breitbandausbau-foerderung-2017": {
        "title": "New funding programme for fast internet in rural areas",
        "lead": "The Free State is providing further funds for broadband expansion. "
        "Municipalities can now apply for districts that are poorly served.",
        "body": "<p>The Free State is providing further funds for broadband expansion. "
        "Municipalities can now apply for districts that are poorly served.</p>"
        "<p>The press office will be glad to provide further information.</p>",
        "background": "",
    },
}

TOPICS = {
    "wirtschaft": "Economy",
    "arbeit": "Labour",
    "verkehr": "Transport",
    "digitales": "Digital affairs",
    "kultur": "Culture",
    "bildung": "Education",
}

OFFICES = {
    "smwa": (
        "Saxon State Ministry for Economic Affairs, Labour and Transport",
        "From Dresden-Neustadt station take tram 3 or 9, from Dresden main station tram 3, 7 "
        "or 8. Stop: Carolaplatz.",
    ),
    "smk": (
        "Saxon State Ministry of Education",
        "Stop: Carolaplatz, trams 3, 7 and 8.",
    ),
}

PUBLICATIONS = {
    "schlaglicht-impulse-kreativwirtschaft": (
        "Impulses of the cultural and creative industries for value creation and innovation",
        "Schlaglicht of the StrategieWerkstatt: Industrie der ZUKUNFT.",
    ),
}


def translate_release(release) -> None:
    """Give a release the demo has just created its English version (before its first
    revision is recorded, so the English text is part of version 1)."""
    text = RELEASES.get(release.slug)
    if text is None:
        return
    ReleaseTranslation.objects.create(
        release=release,
        language=ENGLISH,
        title=text["title"],
        lead=text["lead"],
        body=text["body"],
        background=text["background"],
    )


def load_english_names(content) -> int:
    """The English names of the demo's topics, offices and the Schlaglicht, where missing."""
    from contacts.models import Organisation
    from publications.models import Publication

    from .models import Topic

    names = [
        (Topic, TopicTranslation, "topic", TOPICS, ("name",)),
        (Organisation, OrganisationTranslation, "organisation", OFFICES, ("name", "directions")),
        (
            Publication,
            PublicationTranslation,
            "publication",
            PUBLICATIONS,
            ("title", "description"),
        ),
    ]
    created = 0
    for model, translation, original, texts, fields in names:
        for row in model.objects.filter(slug__in=texts):
            text = texts[row.slug]
            values = dict(zip(fields, (text,) if isinstance(text, str) else text, strict=True))
            _translation, new = translation.objects.get_or_create(
                **{original: row}, language=ENGLISH, defaults=values
            )
            created += new
    return created
