from django.apps import AppConfig
from django.db.models import OuterRef
from django.utils.translation import gettext_lazy as _


def live_releases_of_issuer():
    from .models import Release

    return Release.objects.live().filter(issuer=OuterRef("pk"))


def live_releases_naming_a_contact_of_issuer():
    # The release's contact box links the contact's vCard, which names the organisation.
    from .models import ReleaseContact, live_condition

    return ReleaseContact.objects.filter(
        live_condition("release__"), contact__organisation=OuterRef("pk")
    )


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = _("Press releases")

    def ready(self):
        # The page cache (in `newsroom`, which imports no app) must not keep a page past the
        # next release's go-live second.
        from newsroom.cache import register_go_live_source

        from .models import next_go_live

        register_go_live_source(next_go_live)

        # Their changes purge the cached pages that show them.
        from newsroom.public import watch_public_models

        from .models import Correction, Release, ReleaseContact, ReleaseImage, ReleaseLink, Topic

        watch_public_models(
            Release,
            ReleaseContact,
            ReleaseLink,
            ReleaseImage,
            Correction,
            Topic,
            relations=[Release.topics.through, Release.publications.through],
        )

        # `contacts` cannot import this app; it learns here what makes an issuer public.
        from contacts.models import register_public_content

        register_public_content(live_releases_of_issuer)
        register_public_content(live_releases_naming_a_contact_of_issuer)

        # `publications` cannot import this app either: its documents inherit the visibility of
        # the releases they are attached to through these conditions.
        from publications.models import register_release_visibility

        from .models import live_condition, reachable_condition

        register_release_visibility(
            live=live_condition,
            has_been_public=reachable_condition,
            public_date="first_published_at",
        )

        # Which cached pages a change of a release, topic, office, contact or document touches.
        from . import dependencies

        dependencies.register()
