"""The one row that tells a read replica's readers how far the primary's public content is."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
