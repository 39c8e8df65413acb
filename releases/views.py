"""Public release pages. Every query starts from `Release.objects.live()` (or `reachable()`)."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from publications.models import Publication

from .models import Release, ReleaseContact, Topic

HOME_RELEASE_COUNT = 10


def home(request):
    releases = (
        Release.objects.live()
        .newest_first()
        .select_related("issuer")
        .prefetch_related("topics")[:HOME_RELEASE_COUNT]
    )
    topics = Topic.objects.filter(releases__in=Release.objects.live()).distinct()
    return render(request, "releases/home.html", {"releases": releases, "topics": topics})


def release_detail(request, slug):
    contacts = ReleaseContact.objects.select_related("contact__organisation")
    release = get_object_or_404(
        Release.objects.reachable()
        .select_related("issuer")
        .prefetch_related(
            "topics",
            "links",
            "images",
            "corrections",
            Prefetch("release_contacts", queryset=contacts),
            Prefetch(
                "publications",
                queryset=Publication.objects.public().select_related("series"),
            ),
        ),
        slug=slug,
    )
    return render(
        request,
        "releases/release_detail.html",
        {
            "release": release,
            "contacts": [item.contact for item in release.release_contacts.all()],
        },
    )
