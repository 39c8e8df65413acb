from django.apps import AppConfig
from django.db.models import OuterRef
from django.utils.translation import gettext_lazy as _


def live_releases_of_issuer():
    from .models import Release

    return Release.objects.live().filter(issuer=OuterRef("pk"))


def live_releases_co_issued_by_issuer():
    # A joint release makes each of its issuers public, not only the lead.
    from .models import Release, live_condition

    return Release.co_issuers.through.objects.filter(
        live_condition("release__"), organisation=OuterRef("pk")
    )


def live_releases_naming_a_contact_of_issuer():
    # The release's contact box links the contact's vCard, which names the organisation.
    from .models import ReleaseContact, live_condition

    return ReleaseContact.objects.filter(
        live_condition("release__"), contact__organisation=OuterRef("pk")
    )


def live_images_of_photo():
    from .models import ReleaseImage, live_condition

    return ReleaseImage.objects.filter(live_condition("release__"), photo=OuterRef("pk"))


def live_releases_showing(photo):
    """The photo's page lists the live releases that show it."""
    from django.utils.translation import gettext as _

    from photos.models import Appearance

    from .models import Release

    releases = Release.objects.live().filter(images__photo=photo).in_language().newest_first()
    return [
        Appearance(
            _("Press release"),
            release.localized.title,
            release.get_absolute_url(),
            release.published_at,
            release.localized.lang_attribute,
        )
        for release in releases
    ]


def index_restored_releases():
    # A restore saves rows raw: the SQLite index is no model, so it is rebuilt here.
    from newsroom.archive import BATCH_SIZE, batched

    from .models import Release
    from .search import index_many

    for releases in batched(Release.objects.iterator(chunk_size=BATCH_SIZE), BATCH_SIZE):
        index_many(releases)


def releases_due_for_go_live():
    """Live releases whose go-live side effects (alerts, pings) have not run yet."""
    from .models import Release

    return Release.objects.live().filter(go_live_handled_at__isnull=True)


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = _("Press releases")

    def ready(self):
        # The page cache (in `newsroom`, which imports no app) must not keep a page past the
        # next release's go-live second; `publish_due` catches up on missed side effects.
        from newsroom.go_live import GoLiveSource, register_go_live_source

        from .models import next_go_live
        from .tasks import run_go_live

        register_go_live_source(
            GoLiveSource(
                "release",
                next_go_live,
                due=releases_due_for_go_live,
                run_go_live=run_go_live,
            )
        )

        # Their changes purge the cached pages that show them.
        from newsroom.public import watch_public_models

        from .models import (
            Correction,
            Release,
            ReleaseContact,
            ReleaseImage,
            ReleaseLink,
            ReleaseTranslation,
            Topic,
            TopicTranslation,
        )

        watch_public_models(
            Release,
            ReleaseContact,
            ReleaseLink,
            ReleaseImage,
            Correction,
            Topic,
            ReleaseTranslation,
            TopicTranslation,
            relations=[
                Release.topics.through,
                Release.publications.through,
                Release.co_issuers.through,
            ],
        )

        # `photos` cannot import this app: a photo is public while a live release shows it (a
        # withdrawn release's page shows none, as it links no document), and its page lists them.
        from photos.models import register_public_pages, register_public_use

        register_public_use("releases", live_images_of_photo)
        register_public_pages("releases", live_releases_showing)

        # `contacts` cannot import this app; it learns here what makes an issuer public.
        from contacts.models import register_public_content

        register_public_content(live_releases_of_issuer)
        register_public_content(live_releases_co_issued_by_issuer)
        register_public_content(live_releases_naming_a_contact_of_issuer)

        # The demo's joint release of two ministries builds on the offices the demo made.
        from . import demo, demo_joint

        demo.contribute(demo_joint.load)

        # `publications` cannot import this app either: its documents inherit the visibility of
        # the releases they are attached to through these conditions.
        from publications.models import register_release_visibility

        from .models import live_condition, reachable_condition

        register_release_visibility(
            live=live_condition,
            has_been_public=reachable_condition,
            public_date="first_published_at",
        )

        from newsroom.sitemaps import other_page_languages, register_sitemaps
        from newsroom.translations import translation_languages

        from .sitemaps import ReleaseSitemap, TopicSitemap

        register_sitemaps(
            releases=ReleaseSitemap,
            topics=TopicSitemap,
            pages=["releases:home", "releases:list"],
            **{
                f"releases-{code}": ReleaseSitemap.in_language(code)
                for code in other_page_languages()
                if code in dict(translation_languages())
            },
        )

        # The backup archive (in `newsroom`) rebuilds the search index after a restore.
        from newsroom.archive import register_restore_step

        register_restore_step(index_restored_releases)

        # Press offices: which groups are the roles, and where each model's office is.
        from contacts import offices
        from contacts.models import Contact, Organisation
        from publications.models import Publication, PublicationFileVersion, Series

        from .models import PreviewLink, ReleaseEvent, Revision
        from .roles import CO_ISSUER_VIEW, OFFICE_ROLES, PARENT_REVIEW

        offices.register_roles(OFFICE_ROLES, parent_review=PARENT_REVIEW, viewers=CO_ISSUER_VIEW)
        offices.register(Organisation, "pk")
        offices.register(Contact, "organisation")
        offices.register(Publication, "issuer")
        offices.register(PublicationFileVersion, "publication__issuer")
        # A series is shared by the offices that publish in it: every one of them must agree to
        # a change (an unused series is anybody's); every office sees and uses every series.
        offices.register(
            Series, None, of=lambda series: series.publications.values_list("issuer", flat=True)
        )
        # A joint release's co-issuers read it (roles.CO_ISSUER_VIEW), with its history.
        offices.register(Release, "issuer", viewers="co_issuers")
        for model in (ReleaseContact, ReleaseLink, ReleaseImage, PreviewLink):
            offices.register(model, "release__issuer")
        for model in (Correction, ReleaseEvent, Revision):
            offices.register(model, "release__issuer", viewers="release__co_issuers")
        # A photo is its office's; a joint release's co-issuers see the release's photos too.
        from photos.models import Photo

        offices.register(Photo, "office", viewers="release_images__release__co_issuers")

        # Which cached pages a change of a release, topic, office, contact or document touches.
        from . import dependencies

        dependencies.register()

        # The demo's English names of topics, offices and a publication.
        from . import demo, demo_english

        demo.contribute(demo_english.load_english_names)
