"""Public contact views."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from .models import Contact
from .vcard import build_vcard


def vcard(request, slug):
    contact = get_object_or_404(Contact.objects.active().select_related("organisation"), slug=slug)
    response = HttpResponse(build_vcard(contact), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{contact.slug}.vcf"'
    return response
