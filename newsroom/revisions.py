"""Revisions of everything published with the editorial workflow (releases, appointments): the
stored snapshot of each saved version, and the word-level diff between any two.

Each app says what its snapshot holds (`take_snapshot`), how a field reads in a diff and in
which order the fields are listed; the model, the diff and "what changed since version n" are
the same for all.
"""

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _


class RevisionBase(models.Model):
    """A full snapshot of one saved version. Subclasses add the foreign key to their subject
    (related name "revisions") and the constraint that stores each number once."""

    number = models.PositiveIntegerField(_("version"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)
    snapshot = models.JSONField(_("snapshot"), encoder=DjangoJSONEncoder)
    restored_from = models.PositiveIntegerField(_("restored from version"), null=True, blank=True)

    # The name of the subclass's foreign key to its subject, e.g. "release".
    subject_field = ""

    class Meta:
        abstract = True
        ordering = ["-number"]

    def __str__(self):
        return f"{getattr(self, self.subject_field)} v{self.number}"

    @classmethod
    def record(cls, subject, author, snapshot: dict, restored_from: int | None = None):
        """Store `snapshot` as `subject`'s current version; a number is stored once (a unique
        constraint), so a version is never overwritten."""
        return cls.objects.create(
            **{cls.subject_field: subject},
            number=subject.version,
            author=author,
            snapshot=snapshot,
            restored_from=restored_from,
        )


def word_diff(old: str, new: str) -> SafeString:
    """Mark words removed with <del> and added with <ins>; everything is escaped."""
    old_words = re.findall(r"\S+|\s+", old)
    new_words = re.findall(r"\S+|\s+", new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old_words[a1:a2])))
            continue
        if op in {"delete", "replace"}:
            parts.append(f"<del>{escape(''.join(old_words[a1:a2]))}</del>")
        if op in {"insert", "replace"}:
            parts.append(f"<ins>{escape(''.join(new_words[b1:b2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text was escaped above


@dataclass
class FieldChange:
    field: str
    label: str
    diff: SafeString


def compare_fields(
    old: dict, new: dict, labels: dict, as_text: Callable[[str, dict], str]
) -> list[FieldChange]:
    """The fields of `labels` (in its order) that differ between two snapshots, each with a
    word-level diff of how `as_text(field, snapshot)` reads them (a field of a diff may read
    several stored ones)."""
    changes = []
    for field, label in labels.items():
        before, after = as_text(field, old), as_text(field, new)
        if before != after:
            changes.append(FieldChange(field, str(label), word_diff(before, after)))
    return changes


def as_html(changes: list[FieldChange]) -> SafeString:
    """A list of changed fields with their diffs, for messages and form errors."""
    items = format_html_join(
        "", "<li><strong>{}</strong>: {}</li>", ((c.label, c.diff) for c in changes)
    )
    return format_html("<ul class='stale-changes'>{}</ul>", items)


def changes_since(subject, version: int, compare: Callable[[dict, dict], list]) -> str:
    """What changed between `version` and `subject`'s current version, as an HTML list ("" when
    either snapshot is missing)."""
    snapshots = dict(
        subject.revisions.filter(number__in=[version, subject.version]).values_list(
            "number", "snapshot"
        )
    )
    if len(snapshots) < 2:
        return ""
    return as_html(compare(snapshots[version], snapshots[subject.version]))
