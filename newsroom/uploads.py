"""Upload checks shared by every app: size limits taken from settings at validation time."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


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
