"""The legal pages a public body must publish, their versions, and feedback on accessibility.

Three fixed pages (Impressum, Datenschutzerklärung, Erklärung zur Barrierefreiheit), created by a
migration and edited by portal administrators. German and English are two fields on the same
row: both are reviewed in one form and saved as one version, so a version never pairs a new
German text with an old English one. The accessibility statement holds the parts BITV 2.0
requires as fields of their own, so that none of them can be left out of the page.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from newsroom.richtext import RichTextField

# The federal enforcement body (§ 16 BGG); a Land's body replaces it on a Land's site.
ENFORCEMENT_BODY_NAME = (
    "Schlichtungsstelle nach dem Behindertengleichstellungsgesetz (BGG) bei dem Beauftragten der "
    "Bundesregierung für die Belange von Menschen mit Behinderungen"
)
ENFORCEMENT_BODY_URL = "https://www.schlichtungsstelle-bgg.de/"


class PageKind(models.TextChoices):
    IMPRINT = "impressum", _("Legal notice (Impressum)")
    PRIVACY = "datenschutz", _("Privacy policy")
    ACCESSIBILITY = "barrierefreiheit", _("Accessibility statement")


class Compliance(models.TextChoices):
    FULL = "full", _("fully compliant")
    PARTIAL = "partial", _("partially compliant")
    NONE = "none", _("not compliant")


# German and English titles of a page nobody has written yet.
DEFAULT_TITLES = {
    PageKind.IMPRINT: ("Impressum", "Legal notice"),
    PageKind.PRIVACY: ("Datenschutzerklärung", "Privacy policy"),
    PageKind.ACCESSIBILITY: ("Erklärung zur Barrierefreiheit", "Accessibility statement"),
}


class LegalPageQuerySet(models.QuerySet):
    def get_or_default(self, kind) -> "LegalPage":
        """The page, or an unsaved empty one: every footer links all three, always."""
        page = self.filter(kind=kind).first()
        if page is None:
            title_de, title_en = DEFAULT_TITLES[kind]
            page = LegalPage(kind=kind, title_de=title_de, title_en=title_en)
        return page


# What a version records: the text of both languages and the statement's parts.
CONTENT_FIELDS = [
    "title_de",
    "title_en",
    "body_de",
    "body_en",
    "compliance",
    "non_accessible_de",
    "non_accessible_en",
    "prepared_on",
    "reviewed_on",
    "contact_email",
    "enforcement_name",
    "enforcement_url",
]


class LegalPage(models.Model):
    kind = models.CharField(_("page"), max_length=20, choices=PageKind.choices, unique=True)
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(
        _("title (English)"),
        max_length=200,
        blank=True,
        help_text=_("Without an English title and text, /en/ shows the German text."),
    )
    body_de = RichTextField(_("text (German)"), blank=True)
    body_en = RichTextField(_("text (English)"), blank=True)

    # The accessibility statement only (BITV 2.0, § 7 BITV and the EU model statement).
    compliance = models.CharField(
        _("status of compliance"),
        max_length=10,
        choices=Compliance.choices,
        blank=True,
        help_text=_("With § 3 (1) to (4) and § 4 BITV 2.0 (EN 301 549 / WCAG 2.1 AA)."),
    )
    non_accessible_de = RichTextField(
        _("content that is not accessible (German)"),
        blank=True,
        help_text=_("What is not accessible, why, and which accessible alternative there is."),
    )
    non_accessible_en = RichTextField(_("content that is not accessible (English)"), blank=True)
    prepared_on = models.DateField(_("statement prepared on"), null=True, blank=True)
    reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    contact_email = models.EmailField(
        _("contact address for feedback"),
        blank=True,
        help_text=_("Shown beside the feedback form; feedback is mailed here too."),
    )
    enforcement_name = models.CharField(
        _("enforcement body"), max_length=300, blank=True, default=ENFORCEMENT_BODY_NAME
    )
    enforcement_url = models.URLField(
        _("address of the enforcement body"), blank=True, default=ENFORCEMENT_BODY_URL
    )

    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("last changed by"),
    )

    objects = LegalPageQuerySet.as_manager()

    class Meta:
        ordering = ["kind"]
        verbose_name = _("legal page")
        verbose_name_plural = _("legal pages")

    def __str__(self):
        return self.get_kind_display()

    def save(self, *args, **kwargs):
        """Save, and keep the result as a new version when the content changed."""
        super().save(*args, **kwargs)
        latest = self.revisions.order_by("-number").first()
        if latest is None or latest.content != self.content():
            self.revisions.create(
                number=(latest.number + 1) if latest else 1,
                content=self.content(),
                created_by=self.updated_by,
            )

    def get_absolute_url(self) -> str:
        names = {
            PageKind.IMPRINT: "legal:imprint",
            PageKind.PRIVACY: "legal:privacy",
            PageKind.ACCESSIBILITY: "legal:accessibility",
        }
        return reverse(names[self.kind])

    @property
    def is_accessibility_statement(self) -> bool:
        return self.kind == PageKind.ACCESSIBILITY

    def content(self) -> dict:
        return {
            name: value.isoformat() if hasattr(value, "isoformat") else value
            for name in CONTENT_FIELDS
            for value in [getattr(self, name)]
        }


class LegalPageRevision(models.Model):
    """One saved version of a legal page: who, when and the whole content."""

    page = models.ForeignKey(
        LegalPage, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("page")
    )
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )

    class Meta:
        ordering = ["page", "-number"]
        verbose_name = _("version of a legal page")
        verbose_name_plural = _("versions of legal pages")
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="legal_revision_number")
        ]

    def __str__(self):
        return f"{self.page} – {self.number}"


class Feedback(models.Model):
    """A message sent with the accessibility statement's feedback form."""

    message = models.TextField(_("message"))
    page_address = models.CharField(_("page concerned"), max_length=500, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    handled_at = models.DateTimeField(_("answered or handled"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("feedback on accessibility")
        verbose_name_plural = _("feedback on accessibility")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} – {self.message[:60]}"
