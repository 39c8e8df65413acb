"""Which cached pages a change touches (the dependency keys of newsroom/cache.py).

A page records the keys of what it shows; a change purges the keys of what it changed, and
nothing when the public cannot see it, neither before nor after the change (a draft, a release in
review or scheduled, an office, topic, series or document that is not public yet).

- `release:<id>`, `topic:<id>`, `organisation:<id>`, `contact:<id>`, `publication:<id>`,
  `series:<id>`, `photo:<id>`: the release page shows these (release_page_keys); a photo's own
  page shows `photo:<id>`.
- `list:releases`, `list:topics`, `list:issuers`, `list:contacts`, `list:publications`: the
  lists, home, feeds, topic, issuer and series pages and the sitemap sections that list them.

What makes a topic, issuer, contact or document public follows from the live releases, so a
public release change purges every list, but never another release's page.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from contacts.models import Contact, Organisation, OrganisationTranslation
from newsroom.cache import register_dependencies
from photos.models import Photo, PhotoTranslation, rights_end
from publications.models import Publication, PublicationTranslation, Series

from .models import (
    Correction,
    Release,
    ReleaseContact,
    ReleaseImage,
    ReleaseLink,
    ReleaseTranslation,
    State,
    Topic,
    TopicTranslation,
)

RELEASE_LISTS = ("list:releases", "list:topics", "list:issuers")
EVERY_LIST = (*RELEASE_LISTS, "list:contacts", "list:publications")


def release_page_keys(release: Release) -> list[str]:
    """What the release page shows, from the rows the page has already loaded."""
    contacts = [item.contact for item in release.release_contacts.all()]
    publications = list(release.publications.all())
    return [
        f"release:{release.pk}",
        *(f"organisation:{issuer.pk}" for issuer in release.issuers),
        *(f"topic:{topic.pk}" for topic in release.topics.all()),
        *(f"contact:{contact.pk}" for contact in contacts),
        *(f"organisation:{contact.organisation_id}" for contact in contacts),
        *(f"publication:{publication.pk}" for publication in publications),
        *(f"series:{p.series_id}" for p in publications if p.series_id),
        # Every photo of the release, shown or not (yet): renditions made, rights extended.
        *(f"photo:{image.photo_id}" for image in release.images.all()),
    ]


def with_page_changes(releases):
    """Annotate when each release's page changes by itself, with no write to purge it: a
    document it links becomes public on its own date, or with another release going live; the
    rights of a photo it shows end."""
    now = timezone.now()
    rights = (
        Photo.objects.in_rights(now)
        .filter(release_images__release=OuterRef("pk"), rights_until__isnull=False)
        .order_by("rights_until")
        .values("rights_until")[:1]
    )
    own_date = (
        Publication.objects.filter(releases=OuterRef("pk"), published_at__gt=now)
        .order_by("published_at")
        .values("published_at")[:1]
    )
    other_release = (
        Release.objects.filter(
            state=State.APPROVED, go_live_at__gt=now, publications__releases=OuterRef("pk")
        )
        .order_by("go_live_at")
        .values("go_live_at")[:1]
    )
    return releases.annotate(
        document_public_at=Subquery(own_date),
        document_release_at=Subquery(other_release),
        photo_rights_until=Subquery(rights),
    )


def page_changes_at(release: Release):
    """The next such second of a release from `with_page_changes` (None: none is scheduled)."""
    rights = release.photo_rights_until
    moments = (
        release.document_public_at,
        release.document_release_at,
        rights_end(rights) if rights else None,
    )
    return min((moment for moment in moments if moment is not None), default=None)


def is_public(release: Release) -> bool:
    """Has the release a public page now (or had it, when its row says it was withdrawn)?"""
    if release.state == State.WITHDRAWN:
        return release.first_published_at is not None
    return release.is_live


def release_keys(release: Release) -> list[str]:
    return [f"release:{release.pk}", *EVERY_LIST] if is_public(release) else []


def keys_of_releases_part(part) -> list[str]:
    """A contact, link, image or correction of a release: what the release touches."""
    try:
        release = part.release
    except ObjectDoesNotExist:  # deleted with its release
        return []
    return release_keys(release)


def keys_of_translation(translation) -> list[str]:
    """A translation touches what its original touches (the original's own keys)."""
    try:
        original = getattr(translation, ORIGINALS[type(translation)])
    except ObjectDoesNotExist:  # deleted with its original
        return []
    return KEYS[type(original)](original)


def public_in_database(queryset, obj) -> bool:
    return obj.pk is not None and queryset.filter(pk=obj.pk).exists()


def topic_keys(topic: Topic) -> list[str]:
    public = public_in_database(Topic.objects.public(), topic)
    return [f"topic:{topic.pk}", "list:topics"] if public else []


def organisation_keys(organisation: Organisation) -> list[str]:
    public = public_in_database(Organisation.objects.public(), organisation)
    return [f"organisation:{organisation.pk}", "list:issuers", "list:contacts"] if public else []


def contact_keys(contact: Contact) -> list[str]:
    # A contact is seen where its office is public (the directory, vCards, release pages); the
    # office it is saved with and the one it had in the database both count.
    offices = {contact.organisation_id}
    if contact.pk is not None:
        offices |= set(Contact.objects.filter(pk=contact.pk).values_list("organisation", flat=True))
    office = Organisation.objects.public().filter(pk__in=offices).exists()
    return [f"contact:{contact.pk}", "list:contacts"] if office else []


def publication_keys(publication: Publication) -> list[str]:
    public = public_in_database(Publication.objects.public(), publication)
    return [f"publication:{publication.pk}", "list:publications"] if public else []


def series_keys(series: Series) -> list[str]:
    public = public_in_database(Series.objects.public(), series)
    return [f"series:{series.pk}", "list:publications"] if public else []


def photo_keys(photo: Photo) -> list[str]:
    # A photo is seen where it is public: on the pages of live releases and public appointments
    # (which depend on every public change), and on its own page. No list shows photos.
    return [f"photo:{photo.pk}"] if public_in_database(Photo.objects.public(), photo) else []


def register() -> None:
    register_dependencies(Release, release_keys)
    for part in (ReleaseContact, ReleaseLink, ReleaseImage, Correction):
        register_dependencies(part, keys_of_releases_part)
    register_dependencies(Topic, topic_keys)
    register_dependencies(Organisation, organisation_keys)
    register_dependencies(Contact, contact_keys)
    register_dependencies(Publication, publication_keys)
    register_dependencies(Series, series_keys)
    register_dependencies(Photo, photo_keys)
    for translation in ORIGINALS:
        register_dependencies(translation, keys_of_translation)


# Each translation model and the field that names its original.
ORIGINALS = {
    ReleaseTranslation: "release",
    TopicTranslation: "topic",
    OrganisationTranslation: "organisation",
    PublicationTranslation: "publication",
    PhotoTranslation: "photo",
}
KEYS = {
    Release: release_keys,
    Topic: topic_keys,
    Organisation: organisation_keys,
    Publication: publication_keys,
    Photo: photo_keys,
}
