"""Static files: hashed names, compressed copies, and far-future cache headers from whitenoise."""

import json

from django.core.management import call_command
from django.test import Client


def test_static_files_are_hashed_compressed_and_cached_for_good(settings, tmp_path, db):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    hashed = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]["newsroom/site.css"]
    assert hashed != "newsroom/site.css"
    assert (tmp_path / f"{hashed}.gz").exists()

    # A new client builds the middleware anew, so whitenoise indexes the collected files.
    response = Client().get(f"/static/{hashed}", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    page = Client().get("/").content.decode()
    assert f"/static/{hashed}" in page
