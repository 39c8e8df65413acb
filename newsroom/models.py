"""The one row that tells a read replica's readers how far the primary's public content is, and
the one row of the portal's own settings (name, logo, footer links)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .uploads import IMAGE_VALIDATORS


class PublicChange(models.Model):
    """A counter raised in the same transaction as every change to public content.

    A replica that shows a value at least as high as the page cache's generation expects holds
    every change up to that generation (replication applies whole transactions, in order), so a
    page built from it may be stored; a lower value means the replica lags (newsroom/cache.py).
    """

    sequence = models.BigIntegerField(_("sequence"), default=0)

    class Meta:
        verbose_name = _("public change counter")
        verbose_name_plural = _("public change counters")

    def __str__(self):
        return str(self.sequence)


class SiteSettings(models.Model):
    """The portal's own face: its name, logo and footer links. One row (`newsroom.site`), edited
    by portal administrators; pages read it from the shared cache, not the database."""

    name = models.CharField(
        _("portal name"),
        max_length=200,
        help_text=_("Shown in the page header, page and feed titles, e-mails and link previews."),
    )
    logo = models.ImageField(
        _("logo"), upload_to="site/", blank=True, validators=IMAGE_VALIDATORS
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="site_settings_one_row")
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1  # the one row
        super().save(*args, **kwargs)


class FooterLink(models.Model):
    """A link in the footer of every public page, e.g. the portal's own Impressum or a state's
    portal."""

    site = models.ForeignKey(SiteSettings, on_delete=models.CASCADE, related_name="footer_links")
    label = models.CharField(_("label"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("footer link")
        verbose_name_plural = _("footer links")

    def __str__(self):
        return self.label
