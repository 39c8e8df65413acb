"""The release admin's own pages: workflow transitions, the staff preview, versions, restore
and the one history of a release. `ReleaseAdmin` takes them in as a mixin."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from . import editing, history, revisions, workflow
from .forms import RestoreForm
from .models import Release, Revision
from .views import render_release, with_page_relations


class ReleaseAdminViews:
    """Views beside the change form; every one checks the user may see the release."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/transition/<str:name>/",
                wrap(require_POST(self.transition_view)),
                name="releases_release_transition",
            ),
            path("<int:pk>/preview/", wrap(self.preview_view), name="releases_release_preview"),
            path(
                "<int:pk>/revisions/", wrap(self.revisions_view), name="releases_release_revisions"
            ),
            path(
                "<int:pk>/revisions/<int:number>/restore/",
                wrap(self.restore_view),
                name="releases_release_restore",
            ),
            *super().get_urls(),
        ]

    def _release_or_404(self, request, pk):
        release = get_object_or_404(Release, pk=pk)
        if not self.has_view_or_change_permission(request, release):
            raise PermissionDenied
        return release

    def transition_view(self, request, pk, name):
        release = self._release_or_404(request, pk)
        transition = workflow.TRANSITIONS.get(name)
        if transition is None or not transition.offered:
            raise Http404
        try:
            go_live_at = None
            if transition.asks_go_live:
                go_live_at = forms.SplitDateTimeField(required=False).clean(
                    [request.POST.get("go_live_at_0", ""), request.POST.get("go_live_at_1", "")]
                )
            version = forms.IntegerField(required=False).clean(request.POST.get("version"))
            workflow.take(
                release.pk,
                name,
                request.user,
                comment=request.POST.get("comment", ""),
                go_live_at=go_live_at,
                version=version,
                notify_subscribers=bool(request.POST.get("notify_subscribers")),
                confirmed=bool(request.POST.get("confirm")),
            )
        except ValidationError as refusal:
            # One message keeps its markup (the changes a stale approval missed).
            problems = refusal.messages
            messages.error(request, problems[0] if len(problems) == 1 else " ".join(problems))
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": transition.label})
        return HttpResponseRedirect(self._change_url(release))

    def preview_view(self, request, pk):
        self._release_or_404(request, pk)
        release = with_page_relations(Release.objects.filter(pk=pk)).get()
        return render_release(
            request, release, preview="staff", embargoed_until=release.embargoed_until
        )

    def revisions_view(self, request, pk):
        release = self._release_or_404(request, pk)
        history = list(release.revisions.select_related("author"))
        numbers = {revision.number: revision for revision in history}
        changes = None
        old_number, new_number = request.GET.get("old"), request.GET.get("new")
        if old_number and new_number:
            try:
                old, new = numbers[int(old_number)], numbers[int(new_number)]
            except (KeyError, ValueError) as missing:
                raise Http404 from missing
            changes = revisions.compare(old.snapshot, new.snapshot)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Versions of “%(title)s”") % {"title": release.title},
            "release": release,
            "revisions": history,
            "changes": changes,
            "old": old_number,
            "new": new_number,
            "can_restore": self.has_change_permission(request, release),
        }
        return TemplateResponse(request, "admin/releases/release/revisions.html", context)

    def restore_view(self, request, pk, number):
        """Restoring asks first: it shows what changes, and on a live release it is a correction."""
        release = self._release_or_404(request, pk)
        if not self.has_change_permission(request, release):
            raise PermissionDenied
        revision = get_object_or_404(Revision, release=release, number=number)
        current = release.revisions.filter(number=release.version).first()
        form = RestoreForm(request.POST or None, release=release)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                edit = revisions.restore(
                    release,
                    revision,
                    request.user,
                    opened_version=data["opened_version"],
                    change_note=data.get("change_note", ""),
                    confirmed=data["confirm"],
                    notify_subscribers=data.get("notify_subscribers", False),
                )
            except editing.EditRefused as refusal:
                form.add_error(None, refusal)
            else:
                if edit.changes:
                    messages.success(
                        request,
                        _("Version %(number)s restored as version %(new)s.")
                        % {"number": number, "new": edit.subject.version},
                    )
                else:
                    messages.info(request, _("Nothing to restore: the content is the same."))
                return HttpResponseRedirect(self._change_url(release))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Restore version %(number)s of “%(title)s”")
            % {"number": number, "title": release.title},
            "release": release,
            "revision": revision,
            "form": form,
            "changes": revisions.compare(current.snapshot, revision.snapshot) if current else None,
            "consequence": editing.consequence(release),
        }
        return TemplateResponse(request, "admin/releases/release/restore.html", context)

    def history_view(self, request, object_id, extra_context=None):
        """Our history replaces Django's log of form changes: every event, in order, in words."""
        release = self._release_or_404(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("History of “%(title)s”") % {"title": release.title},
            "subject": release,
            "entries": history.entries(release),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/releases/release/history.html", context)

    def _change_url(self, release):
        return reverse("admin:releases_release_change", args=[release.pk])
