"""Public contact pages: the directory of active press contacts and their vCards."""

from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Contact, Organisation
from .vcard import build_vcard


def directory(request):
    """Active press contacts, grouped by public issuer (issuers without any are left out).

    An issuer is named here only once it is public (see `OrganisationQuerySet.public()`): the
    press office made for an embargoed release's new agency stays unnamed until its release.
    """
    active = Contact.objects.active().select_related("organisation").order_by("name")
    has_active = Contact.objects.active().filter(organisation=OuterRef("pk"))
    organisations = (
        Organisation.objects.public()
        .in_language()
        .filter(Exists(has_active))
        .prefetch_related(Prefetch("contacts", queryset=active, to_attr="active_contacts"))
    )
    return render(request, "contacts/directory.html", {"organisations": organisations})


def vcard(request, slug):
    # The vCard names the organisation, so it waits until the organisation is public too.
    contacts = Contact.objects.active().filter(organisation__in=Organisation.objects.public())
    contact = get_object_or_404(contacts.select_related("organisation"), slug=slug)
    response = HttpResponse(build_vcard(contact), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{contact.slug}.vcf"'
    return response
