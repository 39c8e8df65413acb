"""Public contact pages: the directory of active press contacts and their vCards."""

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Contact, Organisation
from .vcard import build_vcard


def directory(request):
    """Active press contacts, grouped by issuer (issuers without any are left out)."""
    active = Contact.objects.active().select_related("organisation").order_by("name")
    organisations = (
        Organisation.objects.filter(contacts__is_active=True)
        .distinct()
        .prefetch_related(Prefetch("contacts", queryset=active, to_attr="active_contacts"))
    )
    return render(request, "contacts/directory.html", {"organisations": organisations})


def vcard(request, slug):
    contact = get_object_or_404(Contact.objects.active().select_related("organisation"), slug=slug)
    response = HttpResponse(build_vcard(contact), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{contact.slug}.vcf"'
    return response
