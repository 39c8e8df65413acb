"""Images that must not be public before their content is: release images and publication covers.

They live in the `protected` storage, outside MEDIA_ROOT, so no web server hands them out by
path; each gets a random name when it is uploaded. An app serves them through its own view, which
decides who may see the file and then calls `serve()`. `CheckedImageField` makes `file.url`
point at that view, so templates, the admin and feeds need no special case.
"""

import hashlib
import mimetypes
import re
import secrets
from functools import wraps
from pathlib import PurePosixPath

from django.core.files.storage import storages
from django.db import models, transaction
from django.db.models.fields.files import ImageFieldFile
from django.http import FileResponse, Http404
from django.urls import register_converter, reverse
from django.urls.converters import StringConverter
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.http import http_date
from django.views.defaults import page_not_found

# How long browsers and proxies may keep a public image before asking again (cheaply: ETag).
PUBLIC_MAX_AGE = 60 * 60

# Only these types are ever sent; anything else goes out as a download of unknown type.
CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".bmp": "image/bmp",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
}


class FileNameConverter(StringConverter):
    """`<filename:name>`: one stored name's last part, as `unguessable_name` makes them. Nothing
    odd (a NUL byte, a slash) ever reaches the database lookup."""

    regex = r"[A-Za-z0-9_-]{1,100}(?:\.[A-Za-z0-9]{1,10})?"


register_converter(FileNameConverter, "filename")


def protected_storage():
    return storages["protected"]


def unguessable_name(directory: str, filename: str) -> str:
    """`directory/<random>.<extension>`: the uploaded name says nothing and cannot be guessed."""
    extension = PurePosixPath(filename).suffix.lower()
    if extension not in CONTENT_TYPES:
        extension = mimetypes.guess_extension(mimetypes.guess_type(filename)[0] or "") or ""
    return f"{directory}/{secrets.token_urlsafe(24)}{extension}"


class CheckedImageFieldFile(ImageFieldFile):
    @property
    def url(self):
        self._require_file()
        return reverse(self.field.view_name, kwargs={"name": PurePosixPath(self.name).name})


class CheckedImageField(models.ImageField):
    """An image in the protected storage whose URL is the checking view `view_name`.

    The view receives the last part of the stored name as `name`.
    """

    attr_class = CheckedImageFieldFile

    def __init__(self, *args, view_name: str = "", **kwargs):
        self.view_name = view_name
        kwargs.setdefault("storage", protected_storage)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["view_name"] = self.view_name
        return name, path, args, kwargs


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")


def serve(request, field_file, *, public: bool) -> FileResponse:
    """Send a protected image. `public`: whoever asks may see it (so caches may keep it too);
    otherwise it is private to this request and never stored.

    A file that is missing from the storage answers 404, never 500.
    """
    storage, name = field_file.storage, field_file.name
    try:
        size = storage.size(name)
        modified = storage.get_modified_time(name)
    except (OSError, NotImplementedError) as missing:
        raise Http404("The file is missing.") from missing
    # The name is random and never reused, so name, size and time identify the content.
    etag = quote_etag(hashlib.sha256(f"{name}:{size}:{modified.timestamp()}".encode()).hexdigest())
    last_modified = int(modified.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        try:
            handle = storage.open(name, "rb")
        except OSError as missing:
            raise Http404("The file is missing.") from missing
        response = FileResponse(handle, content_type=content_type(name))
        response["Content-Disposition"] = "inline"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["X-Content-Type-Options"] = "nosniff"
    if public:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        # Staff and preview-link holders only: no cache anywhere may keep it.
        patch_cache_control(response, private=True, no_store=True, max_age=0)
    return response


def checked_view(view):
    """A file view's 404 is never kept by any cache: the file may become public a second later."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404 as missing:
            response = page_not_found(request, missing)
            patch_cache_control(response, private=True, no_store=True, max_age=0)
            return response

    return checked


# Moving files that were uploaded before this storage existed (the data migrations call these).

NEW_STYLE_NAME = re.compile(r"[A-Za-z0-9_-]{32}(?:\.[A-Za-z0-9]{1,10})?")


def is_protected_name(name: str, directory: str) -> bool:
    path = PurePosixPath(name)
    return str(path.parent) == directory and NEW_STYLE_NAME.fullmatch(path.name) is not None


def move_to_protected(names, directory: str, log=print) -> dict[str, str]:
    """Copy each file of `names` from the default storage (MEDIA_ROOT, served by path) into the
    protected storage under a random name, and return {old name: new name}.

    Names already in the new form are left alone, so running it twice changes nothing. A file
    missing from MEDIA_ROOT gets a new name all the same (its view then answers 404). The copies
    in MEDIA_ROOT are deleted once the calling transaction commits.
    """
    source, target = storages["default"], storages["protected"]
    renamed, moved = {}, []
    for name in sorted(set(names)):
        if not name or is_protected_name(name, directory):
            continue
        new_name = unguessable_name(directory, name)
        if source.exists(name):
            with source.open(name, "rb") as handle:
                new_name = target.save(new_name, handle)
            moved.append(name)
        else:
            log(f"  {name}: missing from MEDIA_ROOT, renamed all the same")
        renamed[name] = new_name
    transaction.on_commit(lambda: [source.delete(name) for name in moved])
    return renamed


def sweep_unreferenced(directory: str, log=print) -> int:
    """Move whatever is left under `directory` in MEDIA_ROOT (files no row names any more) to
    `unreferenced/<directory>/` in the protected storage, where no view hands them out."""
    source, target = storages["default"], storages["protected"]
    if not source.exists(directory):
        return 0
    left, moved = [directory], []
    while left:
        folder = left.pop()
        folders, files = source.listdir(folder)
        left += [f"{folder}/{name}" for name in folders]
        for name in files:
            path = f"{folder}/{name}"
            with source.open(path, "rb") as handle:
                target.save(f"unreferenced/{path}", handle)
            moved.append(path)
    transaction.on_commit(lambda: [source.delete(name) for name in moved])
    if moved:
        log(f"  {len(moved)} unreferenced file(s) under {directory}/ taken out of MEDIA_ROOT")
    return len(moved)
