"""Image uploads from the rich-text editor: staff only, checked by content, stored under a
random name. Replaces django-ckeditor-5's own view, which trusts the uploaded file name."""

import uuid

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from PIL import Image

from .uploads import validate_image_pixels, validate_image_size

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


def refuse(message: str, status: int = 400) -> JsonResponse:
    # The shape CKEditor's upload adapter shows to the editor.
    return JsonResponse({"error": {"message": message}}, status=status)


@require_POST
def editor_image_upload(request):
    if not (request.user.is_authenticated and request.user.is_staff):
        return refuse(_("You do not have permission to upload files."), status=403)
    upload = request.FILES.get("upload")
    if upload is None:
        return refuse(_("No file was sent."))
    try:
        validate_image_size(upload)
        validate_image_pixels(upload)
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except ValidationError as error:
        return refuse(" ".join(error.messages))
    except Exception:  # noqa: BLE001 - Pillow raises many kinds of error for a broken file
        return refuse(_("This file is not an image of an accepted type (JPEG, PNG, GIF, WebP)."))
    extension = EXTENSIONS.get(image_format)
    if extension is None:
        return refuse(_("This file is not an image of an accepted type (JPEG, PNG, GIF, WebP)."))
    upload.seek(0)
    name = default_storage.save(
        f"editor/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}", upload
    )
    return JsonResponse({"url": default_storage.url(name)})
