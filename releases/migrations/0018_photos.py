"""Release images become photos of the media library (`photos.Photo`), one per stored file.

Each distinct file of a release image, current or in an old version's snapshot, becomes a photo
of the release's issuer with the caption, credit, alternative text and translations it had; the
image rows and the snapshots then name the photo. The files stay where they are.
"""

import django.db.models.deletion
from django.db import migrations, models


def _dimensions(name):
    from django.core.files.storage import storages
    from PIL import Image

    try:
        with storages["protected"].open(name, "rb") as handle, Image.open(handle) as image:
            return image.size
    except Exception:  # noqa: BLE001 - a missing or broken file keeps its row, without a size
        return None


def to_photos(apps, schema_editor):
    Photo = apps.get_model("photos", "Photo")
    PhotoTranslation = apps.get_model("photos", "PhotoTranslation")
    ReleaseImage = apps.get_model("releases", "ReleaseImage")
    Revision = apps.get_model("releases", "Revision")
    db = schema_editor.connection.alias
    photos = {}

    def photo_for(name, office_id, text, translations):
        if name in photos:
            return photos[name]
        size = _dimensions(name)
        # Made without the file first: a model with dimension fields would open a missing one.
        photo = Photo.objects.using(db).create(
            office_id=office_id,
            file="",
            width=size[0] if size else 0,
            height=size[1] if size else 0,
            caption=text.get("caption", ""),
            credit=text.get("credit", ""),
            alt_text=text.get("alt_text", ""),
            is_decorative=text.get("is_decorative", False),
        )
        Photo.objects.using(db).filter(pk=photo.pk).update(file=name)
        PhotoTranslation.objects.using(db).bulk_create(
            PhotoTranslation(photo=photo, language=language, **fields)
            for language, fields in translations.items()
        )
        photos[name] = photo.pk
        return photo.pk

    images = ReleaseImage.objects.using(db).select_related("release").prefetch_related("translations")
    seen = set()
    for image in images.order_by("release_id", "order", "pk"):
        translations = {
            row.language: {"caption": row.caption, "alt_text": row.alt_text}
            for row in image.translations.all()
        }
        text = {
            "caption": image.caption,
            "credit": image.credit,
            "alt_text": image.alt_text,
            "is_decorative": image.is_decorative,
        }
        photo = photo_for(image.file.name, image.release.issuer_id, text, translations)
        if (image.release_id, photo) in seen:
            image.delete()  # the same file twice on one release: it is shown once
            continue
        seen.add((image.release_id, photo))
        ReleaseImage.objects.using(db).filter(pk=image.pk).update(photo_id=photo)

    for revision in Revision.objects.using(db).select_related("release").iterator():
        items = revision.snapshot.get("images") or []
        if not any("file" in item for item in items):
            continue
        shown, converted = set(), []
        for item in items:
            if "file" not in item:
                converted.append(item)
                continue
            photo = photo_for(
                item["file"], revision.release.issuer_id, item, item.get("translations", {})
            )
            if photo in shown:
                continue
            shown.add(photo)
            caption = item.get("caption") or item.get("alt_text") or f"Photo {photo}"
            converted.append({"photo": photo, "caption": caption, "order": item.get("order", 0)})
        revision.snapshot["images"] = converted
        Revision.objects.using(db).filter(pk=revision.pk).update(snapshot=revision.snapshot)
    if schema_editor.connection.vendor == "postgresql":
        # The new rows' deferred foreign-key checks, now: PostgreSQL refuses to alter a table
        # with pending trigger events, and the operations below alter the image table.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0017_media_library"),
        ("photos", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="releaseimage",
            name="photo",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="release_images",
                to="photos.photo",
                verbose_name="photo",
            ),
        ),
        migrations.RunPython(to_photos, migrations.RunPython.noop, elidable=False),
        migrations.DeleteModel(name="ReleaseImageTranslation"),
        migrations.RemoveField(model_name="releaseimage", name="alt_text"),
        migrations.RemoveField(model_name="releaseimage", name="caption"),
        migrations.RemoveField(model_name="releaseimage", name="credit"),
        migrations.RemoveField(model_name="releaseimage", name="file"),
        migrations.RemoveField(model_name="releaseimage", name="is_decorative"),
        migrations.AlterField(
            model_name="releaseimage",
            name="photo",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="release_images",
                to="photos.photo",
                verbose_name="photo",
            ),
        ),
        migrations.AddConstraint(
            model_name="releaseimage",
            constraint=models.UniqueConstraint(
                fields=("release", "photo"), name="release_photo_once"
            ),
        ),
    ]
