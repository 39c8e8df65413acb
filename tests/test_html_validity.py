"""Every public page type is valid HTML for the Nu Html Checker (vnu), in German and English.

`make test` installs the checker (the npm package vnu-jar, pinned in the Makefile) into var/vnu/
when Java and npm are there; CI installs both and sets NEWSROOM_REQUIRE_VNU=1, so that a missing
checker fails instead of skipping. All pages go to one run of the checker: one JVM start.
"""

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

from django.core.management import call_command
from django.template.loader import render_to_string

from tests.helpers import missing_tool
from tests.page_types import INVALID_FORMS, MORE_PAGES, PAGES, address_of, in_english

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = Path(
    os.environ.get("NEWSROOM_VNU_JAR") or ROOT / "var/vnu/node_modules/vnu-jar/build/dist/vnu.jar"
)


def vnu_command() -> list[str]:
    java = shutil.which("java")
    if java and VNU_JAR.is_file():
        return [java, "-jar", str(VNU_JAR)]
    missing = "Java" if not java else f"the Nu Html Checker ({VNU_JAR})"
    message = (
        f"{missing} is not installed: `make test` installs vnu-jar with npm when Java is there; "
        "CI installs both and sets NEWSROOM_REQUIRE_VNU=1"
    )
    missing_tool(message, "NEWSROOM_REQUIRE_VNU")


def render_public_pages(client) -> dict[str, tuple[str, str]]:
    """page name: (address, HTML) for every page type, each also under /en/."""
    pages = {}

    def fetch(name, path, status, data=None):
        response = client.post(path, data) if data is not None else client.get(path)
        assert response.status_code == status, f"{name}: {path} answered {response.status_code}"
        pages[name] = (path, response.content.decode())

    for name, (address, status) in {**PAGES, **MORE_PAGES}.items():
        path = address_of(address)
        fetch(name, path, status)
        if not path.startswith("/en/"):
            fetch(f"{name}-en", in_english(path), status)
    for name, (path, data, status) in INVALID_FORMS.items():
        fetch(name, path, status, data)
        fetch(f"{name}-en", in_english(path), status, data)
    pages["server-error"] = ("500.html", render_to_string("500.html"))
    return pages


def validate(files: list[Path]) -> list[dict]:
    """The checker's errors (not its warnings) for all files, from one run."""
    result = subprocess.run(  # noqa: S603 - our own arguments
        [*vnu_command(), "--format", "json", "--stdout", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    messages = json.loads(result.stdout)["messages"]
    return [m for m in messages if m["type"] in ("error", "non-document-error")]


def test_every_public_page_type_has_no_html_errors(client, db, tmp_path):
    vnu_command()  # skip before the work when the checker is missing
    call_command("demo", stdout=io.StringIO())
    pages = render_public_pages(client)
    files = {}
    for name, (_path, html) in pages.items():
        file = tmp_path / f"{name}.html"
        file.write_text(html, encoding="utf-8")
        files[file.resolve().as_uri()] = name

    errors = validate(list(tmp_path.glob("*.html")))

    lines = []
    for error in errors:
        name = files.get(error.get("url", "").replace("file:/", "file:///", 1), error.get("url"))
        path = pages[name][0] if name in pages else "?"
        lines.append(
            f"- {name} ({path}) line {error.get('lastLine', '?')}: {error['message']}"
            f"\n    {error.get('extract', '').strip()!r}"
        )
    assert len(pages) > 70 and len(files) == len(pages)
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(lines)
