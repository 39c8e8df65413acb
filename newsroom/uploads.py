"""Upload checks shared by every app: size and pixel limits, taken from settings when checked."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image


@deconstructible
class MaxSizeValidator:
    """Refuse a file larger than the setting named `setting_name` (bytes)."""

    def __init__(self, setting_name: str):
        self.setting_name = setting_name

    def __call__(self, file):
        limit = getattr(settings, self.setting_name)
        if file.size > limit:
            raise ValidationError(
                _("The file is %(size)s; at most %(limit)s are allowed."),
                code="file_too_large",
                params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            )

    def __eq__(self, other):
        return isinstance(other, MaxSizeValidator) and other.setting_name == self.setting_name


validate_image_size = MaxSizeValidator("NEWSROOM_MAX_IMAGE_SIZE")
validate_document_size = MaxSizeValidator("NEWSROOM_MAX_DOCUMENT_SIZE")


@deconstructible
class MaxPixelsValidator:
    """Refuse images with more pixels than NEWSROOM_MAX_IMAGE_PIXELS (decompression bombs).

    Only the header is read. Whatever Pillow cannot open at all, Django's ImageField has already
    refused as "not an image".
    """

    def __call__(self, file):
        limit = settings.NEWSROOM_MAX_IMAGE_PIXELS
        try:
            if file.closed:
                # A stored image, closed by Django after it read the dimensions (a form that
                # saves the row again with its file unchanged).
                file.open("rb")
            file.seek(0)
            with Image.open(file) as image:
                width, height = image.size
        except Exception:  # noqa: BLE001 - not an image: reported by the image field itself
            return
        finally:
            if not file.closed:
                file.seek(0)
        if width * height > limit:
            raise ValidationError(
                _("The image has %(pixels)s megapixels; at most %(limit)s are allowed."),
                code="too_many_pixels",
                params={"pixels": round(width * height / 1e6, 1), "limit": round(limit / 1e6, 1)},
            )

    def __eq__(self, other):
        return isinstance(other, MaxPixelsValidator)


validate_image_pixels = MaxPixelsValidator()
IMAGE_VALIDATORS = [validate_image_size, validate_image_pixels]
