"""Press releases and what hangs off them: topics, ordered contacts, links, images, corrections.

Public visibility is decided in exactly one place, `ReleaseQuerySet.live()`, at query time.
"""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import ProtectedError, Q
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.models import ALWAYS_PUBLIC_HELP, Contact, Organisation
from newsroom.editing import EditedBase
from newsroom.history import EventBase, PublicNoteBase, action_choices, event_base
from newsroom.links import slug_url
from newsroom.protected_files import unguessable_name
from newsroom.revisions import RevisionBase
from newsroom.richtext import RichTextField, strip_control_characters
from newsroom.translations import (
    Translatable,
    Translation,
    in_language,
    source_language,
    translation_languages,
)
from photos.models import Photo
from publications.models import Publication

# What else makes a topic public: querysets of public rows filed under the topic
# `OuterRef("pk")`. Apps built on releases (appointments) add theirs in `AppConfig.ready()`.
_public_topic_content: list = []


def register_public_topic_content(rows) -> None:
    """Count `rows()` (correlated to the topic by `OuterRef("pk")`) as a topic's content."""
    if rows not in _public_topic_content:
        _public_topic_content.append(rows)


class TopicQuerySet(models.QuerySet):
    def public(self):
        """Topics the public may see: marked public by a lead, or filed under a live release
        (or other registered public content, such as a public appointment).

        A topic made for an embargoed release stays unnamed until that release goes live. Each
        EXISTS stops at its first row.
        """
        live_here = Release.topics.through.objects.filter(
            live_condition("release__"), topic=models.OuterRef("pk")
        )
        condition = Q(always_public=True) | models.Exists(live_here)
        for rows in _public_topic_content:
            condition |= models.Exists(rows())
        return self.filter(condition)

    def in_language(self, language: str | None = None):
        """With each topic's name in the page's language joined in (newsroom.translations)."""
        return in_language(self, language)


class Topic(Translatable, models.Model):
    """A subject area that releases are filed under, e.g. "Wirtschaft"."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    always_public = models.BooleanField(
        _("always public"), default=False, help_text=ALWAYS_PUBLIC_HELP
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("releases:topic", self.slug)


class TopicTranslation(Translation):
    """A topic's name in another language; leads edit it with the topic."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="translations")
    name = models.CharField(_("name"), max_length=100)

    fields = ("name",)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(fields=["topic", "language"], name="topic_translation_once")
        ]


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def live_condition(prefix: str = "") -> Q:
    """The one definition of public: approved, and the go-live second has come.

    `prefix` applies it across a relation (e.g. "release__"), for queries that join to releases.
    """
    return Q(**{f"{prefix}state": State.APPROVED, f"{prefix}go_live_at__lte": timezone.now()})


# How long after its go-live second a release's side effects may take before the admin warns.
SIDE_EFFECTS_GRACE = timedelta(seconds=60)


def reachable_condition(prefix: str = "") -> Q:
    """Live, or withdrawn after having been public: what has a public page (and its images)."""
    return live_condition(prefix) | Q(
        **{f"{prefix}state": State.WITHDRAWN, f"{prefix}first_published_at__isnull": False}
    )


def next_go_live():
    """The next scheduled go-live second of a release, from the primary (for the page cache)."""
    return (
        Release.objects.using(DEFAULT_DB_ALIAS)
        .filter(state=State.APPROVED, go_live_at__gt=timezone.now())
        .order_by("go_live_at")
        .values_list("go_live_at", flat=True)
        .first()
    )


# What public pages never show of a release (`ReleaseQuerySet.for_display`).
NOT_DISPLAYED = ("search_vector",)


class ReleaseQuerySet(models.QuerySet):
    def live(self):
        """What the public may see: approved releases whose go-live second has come."""
        return self.filter(live_condition())

    def reachable(self):
        """Live releases, and withdrawn ones that were public (their page explains why)."""
        return self.filter(reachable_condition())

    def newest_first(self):
        return self.order_by("-first_published_at", "-go_live_at", "-pk")

    def for_display(self):
        """Without the search vector: only the database reads it, and it is some kilobytes a
        row, kept in the row on PostgreSQL (releases/search.py)."""
        return self.defer(*NOT_DISPLAYED)

    def issued_by(self, organisation):
        """The releases of `organisation`: as lead issuer, or as a co-issuer of a joint release.

        A subquery, not a join: no release is listed twice, and the list keeps its indexes.
        """
        joint = Release.co_issuers.through.objects.filter(organisation=organisation)
        return self.filter(Q(issuer=organisation) | Q(pk__in=joint.values("release_id")))

    def in_language(self, language: str | None = None, deferred=()):
        """With the translations into the page's language of each release and of its issuer
        joined in: no query more (`release.localized`; `adopt_related(rows, "issuer")` hands
        the issuer's to `release.issuer.localized`). The release's translation comes without
        the fields `deferred` names."""
        return in_language(self, language, also=["issuer"], deferred=deferred)

    def with_languages(self):
        """Annotate which translations each release has: one EXISTS per language, same query."""
        return self.annotate(
            **{
                f"_in_language_{number}": models.Exists(
                    ReleaseTranslation.objects.filter(release=models.OuterRef("pk"), language=code)
                )
                for number, (code, _name) in enumerate(translation_languages())
            }
        )

    def translated_into(self, language: str):
        """Releases that have a version in `language` (the source language: all of them)."""
        if language == source_language():
            return self
        return self.filter(translations__language=language)

    def side_effects_overdue(self):
        """Live releases whose alerts and pings have not run a while after their second.

        The worker runs them at the second; past this grace period something is wrong (no
        worker running), and the admin says so.
        """
        grace = timezone.now() - SIDE_EFFECTS_GRACE
        return self.live().filter(go_live_handled_at__isnull=True, go_live_at__lte=grace)


class Release(Translatable, EditedBase):
    """A press release ("Medieninformation")."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issuer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="releases", verbose_name=_("issuer")
    )
    # A joint release ("gemeinsame Medieninformation"): the lead issuer's office approves it, and
    # it appears with every issuer (`issued_by`).
    co_issuers = models.ManyToManyField(
        Organisation,
        related_name="co_issued_releases",
        blank=True,
        verbose_name=_("co-issuers"),
        help_text=_(
            "For a joint press release: the other issuers. It appears on their pages and in "
            "their feeds; the lead issuer's press office approves it."
        ),
    )
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    dateline = models.CharField(
        _("dateline"), max_length=100, blank=True, help_text=_("Place of issue, e.g. Dresden.")
    )
    lead = models.TextField(_("lead"), help_text=_("The opening paragraph, in plain text."))
    body = RichTextField(_("body"))
    background = RichTextField(_("background"), blank=True)
    topics = models.ManyToManyField(
        Topic, related_name="releases", blank=True, verbose_name=_("topics")
    )
    contacts = models.ManyToManyField(
        Contact,
        through="ReleaseContact",
        related_name="releases",
        blank=True,
        verbose_name=_("press contacts"),
    )
    publications = models.ManyToManyField(
        Publication, related_name="releases", blank=True, verbose_name=_("publications")
    )

    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    go_live_at = models.DateTimeField(
        _("go live at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("The second from which an approved release is public (embargo)."),
    )
    first_published_at = models.DateTimeField(
        _("first published"), null=True, blank=True, db_index=True
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    go_live_handled_at = models.DateTimeField(
        _("go-live side effects done"), null=True, blank=True, editable=False
    )
    # PostgreSQL full-text search (german configuration); filled by releases.search on save.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-first_published_at", "-go_live_at", "-pk"]
        verbose_name = _("press release")
        verbose_name_plural = _("press releases")
        indexes = [
            # live() filters on state and go-live and sorts newest first: one index for both.
            # With the version (PostgreSQL), a list's ids and teaser versions and its total are
            # read from the index alone: counting 100,000 live releases after a publication
            # took 0.7 s reading every row, and takes 50 ms.
            models.Index(
                fields=["state", "-first_published_at", "-go_live_at", "-id"],
                name="release_live_newest",
                include=["version"],
            ),
            models.Index(fields=["issuer", "state", "-first_published_at"], name="release_issuer"),
            # The feeds' validators ask for the latest withdrawal: read backwards, one step.
            models.Index(fields=["state", "withdrawn_at"], name="release_withdrawn"),
        ]
        permissions = [
            ("submit_release", _("Can submit a release for review")),
            ("approve_release", _("Can approve, schedule and publish a release")),
            ("correct_release", _("Can correct an approved or live release")),
            ("withdraw_release", _("Can withdraw a live release")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=State.values), name="release_state_valid"),
            models.CheckConstraint(
                condition=~Q(state=State.APPROVED) | Q(go_live_at__isnull=False),
                name="release_approved_has_go_live",
            ),
            # The date readers see, and what public lists and feeds sort on along their index.
            models.CheckConstraint(
                condition=~Q(state__in=[State.APPROVED, State.WITHDRAWN])
                | Q(first_published_at__isnull=False),
                name="release_public_has_first_publication",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        from .search import update_search_vector

        self.title = strip_control_characters(self.title)
        self.lead = strip_control_characters(self.lead)
        if self.pk:
            previous = Release.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
            if previous and previous != self.slug:
                # The old address keeps working: it redirects here for good.
                OldSlug.objects.update_or_create(slug=previous, defaults={"release": self})
        super().save(*args, **kwargs)
        OldSlug.objects.filter(slug=self.slug).delete()
        update_search_vector(self)

    def get_absolute_url(self) -> str:
        return slug_url("releases:detail", self.slug)

    @property
    def languages(self) -> list[str]:
        """The languages the release's text exists in, German first (from `with_languages`,
        else one query)."""
        codes = [code for code, _name in translation_languages()]
        if all(f"_in_language_{number}" in self.__dict__ for number in range(len(codes))):
            found = {code for n, code in enumerate(codes) if self.__dict__[f"_in_language_{n}"]}
        else:
            found = set(self.translations.values_list("language", flat=True))
        return [source_language(), *(code for code in codes if code in found)]

    @property
    def is_live(self) -> bool:
        return (
            self.state == State.APPROVED
            and self.go_live_at is not None
            and self.go_live_at <= timezone.now()
        )

    @property
    def is_reachable(self) -> bool:
        """`reachable_condition` of a loaded row: live, or withdrawn after having been public."""
        return self.is_live or (
            self.state == State.WITHDRAWN and self.first_published_at is not None
        )

    @property
    def issuers(self) -> list[Organisation]:
        """The lead issuer first, then the co-issuers of a joint release (uses prefetched rows)."""
        return [self.issuer, *(o for o in self.co_issuers.all() if o.pk != self.issuer_id)]

    def photo_offices(self) -> set[int]:
        """The offices whose photos the release may show: its issuers'."""
        co_issuers = self.co_issuers.values_list("pk", flat=True) if self.pk else []
        return {self.issuer_id, *co_issuers}

    def feed_links(self):
        """The feeds that show this release, RSS and Atom: all releases, each issuer's and its
        topics'. Its page links them, and the WebSub hub is told of them when it changes."""
        from .feeds import feed_links

        return (
            feed_links()
            + [link for issuer in self.issuers for link in feed_links(issuer=issuer)]
            + [link for topic in self.topics.all() for link in feed_links(topic=topic)]
        )

    @property
    def embargoed_until(self):
        """The go-live second of an approved release that is not public yet, else None."""
        if self.state == State.APPROVED and self.go_live_at and self.go_live_at > timezone.now():
            return self.go_live_at
        return None

    @property
    def status_label(self) -> str:
        """The state as press officers speak of it: scheduled and live are both "approved"."""
        if self.embargoed_until:
            return _("Scheduled")
        if self.is_live:
            return _("Live")
        return self.get_state_display()

    @property
    def last_corrected_at(self):
        """When the latest public correction was made (None if never); uses prefetched rows."""
        corrections = list(self.corrections.all())
        return corrections[-1].created_at if corrections else None

    @property
    def side_effects_overdue(self) -> bool:
        return (
            self.is_live
            and self.go_live_handled_at is None
            and self.go_live_at <= timezone.now() - SIDE_EFFECTS_GRACE
        )

    @property
    def was_public(self) -> bool:
        """Whether the release has ever been public; such a release can only be withdrawn."""
        return self.first_published_at is not None and self.first_published_at <= timezone.now()

    @property
    def published_at(self):
        """The date shown to readers: the first publication, else the planned go-live."""
        return self.first_published_at or self.go_live_at


@receiver(pre_delete, sender=Release)
def refuse_to_delete_a_public_record(sender, instance, **kwargs):
    """The last guard: whatever deletes it (admin, shell, bulk), a public record stays."""
    if instance.was_public or instance.state in {State.APPROVED, State.WITHDRAWN}:
        raise ProtectedError(
            "A release that was approved or public is an official record: withdraw it instead.",
            {instance},
        )


@receiver(post_delete, sender=Release)
def remove_deleted_release_from_search(sender, instance, **kwargs):
    from .search import remove_from_index

    remove_from_index(instance)


class ReleaseTranslation(Translation):
    """A release's text in another language, part of the release's version: written through
    `releases.editing.save_edit` with the German text, so it is in the revisions, an approval
    covers it, and a change after go-live is a correction."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="translations")
    title = models.CharField(_("title"), max_length=250)
    lead = models.TextField(_("lead"), help_text=_("The opening paragraph, in plain text."))
    body = RichTextField(_("body"))
    background = RichTextField(_("background"), blank=True)
    # PostgreSQL full-text search in the translation's language; filled by releases.search.
    search_vector = SearchVectorField(null=True, editable=False)

    fields = ("title", "lead", "body", "background")

    class Meta:
        ordering = ["language"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(fields=["release", "language"], name="release_translation_once")
        ]

    def save(self, *args, **kwargs):
        from .search import update_translation_index

        self.title = strip_control_characters(self.title)
        self.lead = strip_control_characters(self.lead)
        super().save(*args, **kwargs)
        update_translation_index(self)


@receiver(post_delete, sender=ReleaseTranslation)
def remove_deleted_translation_from_search(sender, instance, **kwargs):
    from .search import remove_translation_from_index

    remove_translation_from_index(instance)


class OldSlug(models.Model):
    """A slug a release had before, so that shared links keep working (301 to the new one)."""

    slug = models.SlugField(max_length=120, unique=True)
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("former slug")
        verbose_name_plural = _("former slugs")

    def __str__(self):
        return self.slug


class InReleaseOrder(models.Model):
    """What a release lists in the order the press office chose: contacts, links, images."""

    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]


class ReleaseContact(InReleaseOrder):
    """A contact on a release, in the order the press office chose."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="release_contacts")
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="+", verbose_name=_("press contact")
    )

    class Meta(InReleaseOrder.Meta):
        verbose_name = _("press contact")
        verbose_name_plural = _("press contacts")
        constraints = [
            models.UniqueConstraint(fields=["release", "contact"], name="release_contact_once")
        ]

    def __str__(self):
        return str(self.contact)


class ReleaseLink(InReleaseOrder):
    """A further link shown under the release ("Links")."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("title"), max_length=250)
    url = models.URLField(_("URL"), max_length=500)

    class Meta(InReleaseOrder.Meta):
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self):
        return self.title


# Where release images were stored before the media library (data migrations name it).
RELEASE_IMAGE_DIRECTORY = "releases"


def release_image_name(instance, filename):
    """The upload name of the images of old migrations (before `photos`)."""
    return unguessable_name(RELEASE_IMAGE_DIRECTORY, filename)


class ReleaseImage(InReleaseOrder):
    """A photo of the media library shown by a release, in the order the press office chose.

    Which photos a release shows, and in which order, is part of its version; what a photo says
    (caption, credit, licence) is the photo's own (`photos.Photo`).
    """

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="images")
    photo = models.ForeignKey(
        Photo, on_delete=models.PROTECT, related_name="release_images", verbose_name=_("photo")
    )

    class Meta(InReleaseOrder.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")
        constraints = [
            models.UniqueConstraint(fields=["release", "photo"], name="release_photo_once")
        ]

    def __str__(self):
        return str(self.photo)


class Correction(PublicNoteBase):
    """A public change note on a live release."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="corrections")
    note = models.TextField(_("change note"))

    class Meta(PublicNoteBase.Meta):
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")


# What a `ReleaseEvent` records: a save, or a transition of `releases.workflow`.
Action = action_choices(
    after_submit=[("WITHDRAW_FROM_REVIEW", ("withdraw_from_review", _("Withdrawn from review")))],
    own=[("WITHDRAW", ("withdraw", _("Withdrawn")))],
)


class ReleaseEvent(event_base(Action, State)):
    """The audit log: every save and every transition, with who, when, from, to and why."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="events")

    class Meta(EventBase.Meta):
        verbose_name = _("workflow event")
        verbose_name_plural = _("workflow events")


# The states in which a release's text is the approved one (a live release's corrections are
# approved edits; a withdrawn one shows its notice).
SHOWN_TO_LINK_HOLDERS = (State.APPROVED, State.WITHDRAWN)


class PreviewLinkQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def showing(self):
        """Valid links whose release stands as a lead approved it. An edit that voids the
        approval sends the release back to review: its links show nothing until it is approved
        again, so a journalist never reads text nobody approved."""
        return self.valid().filter(release__state__in=SHOWN_TO_LINK_HOLDERS)


def new_preview_token() -> str:
    return secrets.token_urlsafe(32)


def default_preview_expiry():
    return timezone.now() + timedelta(days=7)


class PreviewLink(models.Model):
    """A secret, expiring link that shows one release, whatever its state, to whoever holds it."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="preview_links")
    token = models.CharField(max_length=64, unique=True, default=new_preview_token, editable=False)
    label = models.CharField(
        _("recipient"), max_length=200, help_text=_("Who the link is for, e.g. a newsroom.")
    )
    expires_at = models.DateTimeField(_("expires at"), default=default_preview_expiry)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")

    def __str__(self):
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("releases:preview_link", kwargs={"token": self.token})

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class PreviewAccess(models.Model):
    """One use of a preview link."""

    link = models.ForeignKey(PreviewLink, on_delete=models.CASCADE, related_name="accesses")
    accessed_at = models.DateTimeField(_("time"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        ordering = ["-accessed_at"]
        verbose_name = _("preview access")
        verbose_name_plural = _("preview accesses")

    def __str__(self):
        return f"{self.link} @ {self.accessed_at:%Y-%m-%d %H:%M}"


class Revision(RevisionBase):
    """A full snapshot of a saved release: fields, topics, contacts, links, images, publications."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="revisions")

    subject_field = "release"

    class Meta(RevisionBase.Meta):
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(fields=["release", "number"], name="revision_number_once")
        ]
