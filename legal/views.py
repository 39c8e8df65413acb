"""The legal pages (cached like every public page) and the accessibility feedback form."""

import logging

from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import feedback as feedback_inbox
from .forms import FeedbackForm
from .models import LegalPage, PageKind

logger = logging.getLogger(__name__)


def in_language(page: LegalPage, german: str, english: str) -> tuple[str, str]:
    """The text to show and its language: English under /en/ where it exists, else German."""
    if get_language() == "en" and getattr(page, english):
        return getattr(page, english), "en"
    return getattr(page, german), "de"


def legal_page(request, kind):
    page = LegalPage.objects.get_or_default(kind)
    title, title_lang = in_language(page, "title_de", "title_en")
    body, body_lang = in_language(page, "body_de", "body_en")
    if body_lang == "de" and not page.body_en:
        title, title_lang = page.title_de, "de"  # never an English title over a German text
    context = {
        "page": page,
        "title": title,
        "title_lang": title_lang,
        "body": body,
        "body_lang": body_lang,
    }
    if page.is_accessibility_statement:
        context["non_accessible"], context["non_accessible_lang"] = in_language(
            page, "non_accessible_de", "non_accessible_en"
        )
    return render(request, "legal/page.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def feedback(request):
    statement = LegalPage.objects.get_or_default(PageKind.ACCESSIBILITY)
    status = 200
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if form.is_trap_filled:
            logger.info("Accessibility feedback: honeypot filled, dropped.")
            return redirect("legal:feedback_sent")  # a bot learns nothing
        if form.is_valid():
            if feedback_inbox.allow_submission(request):
                feedback_inbox.receive(form.cleaned_data)
                return redirect("legal:feedback_sent")
            status = 429  # the text stays in the form; the page says when to try again
        form.restart()
    else:
        form = FeedbackForm()
    context = {"form": form, "statement": statement, "over_limit": status == 429}
    return render(request, "legal/feedback.html", context, status=status)


def feedback_sent(request):
    return render(request, "legal/feedback_sent.html")
