"""Organisations that issue releases, and the press contacts who answer journalists."""

from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.db.models import Exists, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from newsroom.links import slug_url
from newsroom.translations import Translatable, Translation, in_language
from newsroom.uploads import IMAGE_VALIDATORS

# The same box on topics, issuers and series: without it, the name waits for public content.
ALWAYS_PUBLIC_HELP = _(
    "Show it on public pages, in feeds and in forms even before a public press release or "
    "publication uses it. Without this, it appears with its first public content."
)

# What makes an issuer public besides the box: querysets of public rows that belong to the
# issuer `OuterRef("pk")`. `releases` and `publications` add theirs in `AppConfig.ready()`, as
# this app imports neither of them.
_public_content: list[Callable[[], models.QuerySet]] = []


def register_public_content(rows: Callable[[], models.QuerySet]) -> None:
    """Count `rows()` (correlated to the issuer by `OuterRef("pk")`) as an issuer's content."""
    if rows not in _public_content:
        _public_content.append(rows)


class OrganisationQuerySet(models.QuerySet):
    def public(self):
        """Issuers the public may see: marked public by a lead, or with public content.

        One EXISTS per kind of content, each stopping at its first row.
        """
        condition = Q(always_public=True)
        for rows in _public_content:
            condition |= Exists(rows())
        return self.filter(condition)

    def in_language(self, language: str | None = None):
        """With each office's name in the page's language joined in (newsroom.translations)."""
        return in_language(self, language)


class Organisation(Translatable, models.Model):
    """An issuer: its address, directions and legal notice are entered once and shown on every
    release it issues."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    logo = models.ImageField(
        _("logo"), upload_to="organisations/", blank=True, validators=IMAGE_VALIDATORS
    )
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=12, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    fax = models.CharField(_("fax"), max_length=40, blank=True)
    press_email = models.EmailField(_("press e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    directions = models.TextField(
        _("directions"), blank=True, help_text=_("How to reach the building by public transport.")
    )
    legal_notice = models.TextField(
        _("legal notice"),
        blank=True,
        help_text=_("For example the note on encrypted or electronically signed documents."),
    )
    always_public = models.BooleanField(
        _("always public"), default=False, help_text=ALWAYS_PUBLIC_HELP
    )
    # The press office: who may write and approve in this issuer's name (OfficeMembership).
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent office"),
        help_text=_("The ministry a subordinate authority belongs to."),
    )
    reviewed_by_parent = models.BooleanField(
        _("parent office reviews"),
        default=True,
        help_text=_(
            "The press leads of the parent office may review this office's press releases and "
            "appointments: request changes, approve and publish them."
        ),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("issuer")
        verbose_name_plural = _("issuers")

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        # The issuer page lists its releases, so it lives in `releases`; a URL name needs no import.
        return slug_url("releases:issuer", self.slug)

    @property
    def display_short_name(self) -> str:
        return self.short_name or self.name


class OrganisationTranslation(Translation):
    """An office's name and directions in another language; leads edit them with the office."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="translations"
    )
    name = models.CharField(_("name"), max_length=200)
    directions = models.TextField(_("directions"), blank=True)

    fields = ("name", "directions")

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "language"], name="organisation_translation_once"
            )
        ]


class OfficeMembership(models.Model):
    """A user's role in an issuer's press office; what a role may do is its group's permissions
    (`releases.roles`), granted for the office's content only (`contacts.offices`)."""

    class Role(models.TextChoices):
        OFFICER = "officer", _("press officer")
        LEAD = "lead", _("press lead")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="office_memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("press office"),
    )
    role = models.CharField(_("role in the office"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["organisation__name", "user__username"]
        verbose_name = _("press office membership")
        verbose_name_plural = _("press office memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="one_role_per_user_and_office"
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.organisation.display_short_name})"


class ContactQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Contact(models.Model):
    """A press contact. Inactive contacts stay attached to old releases but leave the directory."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="contacts",
        verbose_name=_("issuer"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    phone = models.CharField(_("direct line"), max_length=40, blank=True)
    fax = models.CharField(_("fax"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    photo = models.ImageField(
        _("photo"), upload_to="contacts/", blank=True, validators=IMAGE_VALIDATORS
    )
    is_active = models.BooleanField(_("active"), default=True)
    stand_in = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stand-in"),
        help_text=_("Who answers when this contact is away."),
    )

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("press contact")
        verbose_name_plural = _("press contacts")

    def __str__(self):
        return f"{self.name} ({self.organisation.display_short_name})"

    def get_vcard_url(self) -> str:
        return reverse("contacts:vcard", kwargs={"slug": self.slug})
