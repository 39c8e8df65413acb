"""The release admin's own pages (`newsroom.history_admin`): workflow transitions, the staff
preview, versions, restore and the one history of a release. `ReleaseAdmin` takes them in as a
mixin."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from newsroom.history_admin import HistoryAdmin, RestoreForm
from newsroom.translations import source_language, translation_languages

from . import editing, history, revisions
from .models import Release
from .views import render_release, with_page_relations


class ReleaseRestoreForm(RestoreForm):
    notify_label = _("E-mail the alert subscribers who were sent this release")
    confirm_labels = {
        "": _("Restore this version"),
        "void": _(
            "Restore this version; the approval is voided and the release goes back to review"
        ),
        "correct": _("Restore this version and publish it as a correction"),
    }


class ReleaseAdminViews(HistoryAdmin):
    """Views beside the change form; every one checks the user may see the release."""

    editing = editing.EDITING
    restore_form = ReleaseRestoreForm

    def history_entries(self, release):
        return history.entries(release)

    def render_preview(self, request, release):
        # "?language=en": the page as English readers will see it (the text a lead approves).
        language = request.GET.get("language")
        if language not in dict(translation_languages()):
            language = source_language()
        with translation.override(language):
            release = with_page_relations(Release.objects.filter(pk=release.pk)).get()
            return render_release(
                request, release, preview="staff", embargoed_until=release.embargoed_until
            )

    def restore_revision(self, release, revision, user, **edit_options):
        return revisions.restore(release, revision, user, **edit_options)
