"""The demo's press photos: landscapes painted with Pillow (gradients and shapes, in the aspect
ratios real photos come in) standing in for photographs, as photos of the media library with a
credit, a licence and English text.

`demo_photo(key, office)` finds the photo by its office and caption or creates it (a second run of
the demo changes nothing); its renditions are made by the task `photos.tasks.make_renditions`
after the demo's transaction commits (`make demo` also runs `make_renditions --missing`).
"""

import datetime
import io
import math
import random
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFilter

from photos.models import Licence, Photo, PhotoTranslation

ENGLISH = "en"


@dataclass(frozen=True)
class Scene:
    """What a painting shows: a sky from `sky[0]` (top) to `sky[1]`, a sun, layers of hills
    (far to near) and, optionally, a row of buildings on the horizon."""

    size: tuple[int, int]
    sky: tuple[str, str]
    sun: str
    hills: tuple[str, ...]
    buildings: str = ""
    seed: int = 1


def paint(scene: Scene) -> bytes:
    """The scene as a JPEG (what a camera delivers)."""
    width, height = scene.size
    rng = random.Random(scene.seed)  # noqa: S311 - the same picture on every run, no secret
    # Sky and sun are painted small, softened and enlarged: a glow at little cost.
    small = (max(1, width // 8), max(1, height // 8))
    sky = Image.composite(
        Image.new("RGB", small, scene.sky[1]),
        Image.new("RGB", small, scene.sky[0]),
        Image.linear_gradient("L").resize(small),
    )
    radius = min(small) // 9
    sun_x, sun_y = int(small[0] * rng.uniform(0.6, 0.8)), int(small[1] * rng.uniform(0.18, 0.32))
    ImageDraw.Draw(sky).ellipse(
        [sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius], scene.sun
    )
    sky = sky.filter(ImageFilter.GaussianBlur(max(1, radius // 5)))
    image = sky.resize((width, height), Image.Resampling.BILINEAR)
    draw = ImageDraw.Draw(image)
    if scene.buildings:
        x, horizon = 0, int(height * 0.58)
        while x < width:
            house = rng.randint(width // 40, width // 16)
            top = horizon - rng.randint(height // 30, height // 7)
            draw.rectangle([x, top, x + house, horizon + height // 10], scene.buildings)
            x += house + rng.randint(0, width // 60)
    layers = len(scene.hills)
    for layer, colour in enumerate(scene.hills):
        base = height * (0.6 + 0.4 * (layer + 1) / (layers + 1))
        amplitude = height * 0.06 * (1 + layer / 2)
        phase, waves = rng.uniform(0, 6.3), rng.uniform(1.2, 2.6)
        points = [(0, height)]
        for step in range(0, 101):
            x = width * step / 100
            wave = (step / 100) * waves * 6.283 + phase
            y = base - amplitude * (0.5 + 0.5 * math.sin(wave))
            points.append((x, y))
        points.append((width, height))
        draw.polygon(points, fill=colour)
    output = io.BytesIO()
    image.save(output, "JPEG", quality=88)
    return output.getvalue()


@dataclass(frozen=True)
class DemoPhoto:
    scene: Scene
    caption: str
    alt_text: str
    credit: str
    licence: str
    english: tuple[str, str]  # caption, alternative text
    rights_days: int | None = None  # rights end this many days after the demo made the photo
    focus: tuple[int, int] = (50, 50)


# Wide enough for every web size (1600 px) where the shape allows; small enough to paint fast.
LANDSCAPE, PORTRAIT, SQUARE, PANORAMA, WIDE = (
    (1800, 1200),
    (1000, 1500),
    (1200, 1200),
    (2000, 830),
    (1760, 990),
)

PHOTOS = {
    # The seed release's photo (and the joint release's: a photo is used again, not uploaded).
    "werkstatt": DemoPhoto(
        Scene(
            LANDSCAPE,
            ("#1d4e89", "#9cc3e6"),
            "#ffd166",
            ("#2f6690", "#3a7ca5", "#16425b"),
            buildings="#0b2a45",
            seed=3,
        ),
        "Kreativwirtschaft trifft Industrie: Werkstatt in Leipzig (Symbolbild).",
        "Gemalte Stadtsilhouette vor blauem Himmel, davor Hügel in Blautönen.",
        "SMWA",
        Licence.EDITORIAL,
        (
            "Creative industries meet industry: a workshop in Leipzig (symbolic image).",
            "Painted city skyline under a blue sky, hills in shades of blue in front.",
        ),
        focus=(40, 55),
    ),
    # The gallery of the founders' prize: four photos of different shapes and licences.
    "preis-buehne": DemoPhoto(
        Scene(
            LANDSCAPE, ("#ff9a8b", "#ffe3a3"), "#fff3b0", ("#e07a5f", "#b5523b", "#6d2e46"), seed=11
        ),
        "Die Preisträgerinnen und Preisträger des Gründerpreises auf der Bühne.",
        "Gemalte Abendlandschaft in Orange und Rot mit tief stehender Sonne.",
        "SMWA/Jane Doe",
        Licence.EDITORIAL,
        (
            "The winners of the founders' prize on stage.",
            "Painted evening landscape in orange and red with a low sun.",
        ),
    ),
    "preis-gruenderin": DemoPhoto(
        Scene(
            PORTRAIT, ("#3d348b", "#f7b801"), "#f18701", ("#7678ed", "#3d348b", "#2b2162"), seed=12
        ),
        "Gründerin Lena Hoffmann mit dem Prototyp ihres Unternehmens.",
        "Gemaltes Hochformat: violette Hügel unter gelbem Abendhimmel.",
        "SMWA/Jane Doe",
        Licence.CC_BY,
        (
            "Founder Lena Hoffmann with her company's prototype.",
            "Painted portrait format: violet hills under a yellow evening sky.",
        ),
        focus=(50, 35),
    ),
    "preis-trophaee": DemoPhoto(
        Scene(
            SQUARE, ("#0f5132", "#b7e4c7"), "#ffffff", ("#52b788", "#2d6a4f", "#1b4332"), seed=13
        ),
        "Die Trophäe des Gründerpreises Kreativwirtschaft.",
        "Gemaltes Quadrat: grüne Hügel unter hellgrünem Himmel mit weißer Sonne.",
        "SMWA",
        Licence.CC0,
        (
            "The trophy of the creative industries founders' prize.",
            "Painted square: green hills under a pale green sky with a white sun.",
        ),
    ),
    "preis-saal": DemoPhoto(
        Scene(
            PANORAMA,
            ("#22223b", "#9a8c98"),
            "#f2e9e4",
            ("#4a4e69", "#22223b"),
            buildings="#2b2d42",
            seed=14,
        ),
        "Blick in den Saal der Preisverleihung im Kraftwerk Mitte.",
        "Gemaltes Panorama: dunkle Häuserreihe und Hügel in der Dämmerung.",
        "Agentur Elbbild/Max Muster",
        Licence.ALL_RIGHTS_RESERVED,
        (
            "The hall of the award ceremony at Kraftwerk Mitte.",
            "Painted panorama: a dark row of houses and hills at dusk.",
        ),
        # Licensed for a few weeks: the admin warns before the photo leaves the pages.
        rights_days=20,
    ),
    "sperrfrist": DemoPhoto(
        Scene(WIDE, ("#dfe7ef", "#ffffff"), "#0b4f8a", ("#9db4c0", "#5c6b73", "#253237"), seed=21),
        "Pressefoto unter Sperrfrist (Symbolbild).",
        "Gemalte Landschaft in Grau und Blau mit dunkelblauer Sonne.",
        "SMWA",
        Licence.EDITORIAL,
        (
            "Press photo under embargo (symbolic image).",
            "Painted landscape in grey and blue with a dark blue sun.",
        ),
    ),
    "bruecke": DemoPhoto(
        Scene(
            WIDE,
            ("#5fa8d3", "#cae9ff"),
            "#fefae0",
            ("#8ab17d", "#2a9d8f", "#264653"),
            buildings="#6c757d",
            seed=31,
        ),
        "Die sanierte Elbbrücke Niederwartha kurz vor der Freigabe.",
        "Gemalte Flusslandschaft: graue Bauten am Horizont, grüne Ufer.",
        "LASuV",
        Licence.EDITORIAL,
        (
            "The renovated Niederwartha bridge over the Elbe shortly before it reopens.",
            "Painted river landscape: grey structures on the horizon, green banks.",
        ),
    ),
    # In the second ministry's library, used by nothing yet.
    "schulhof": DemoPhoto(
        Scene(
            LANDSCAPE, ("#ffb703", "#fff1c1"), "#fb8500", ("#90be6d", "#43aa8b", "#277da1"), seed=41
        ),
        "Schulhof einer Oberschule in Dresden-Cotta.",
        "Gemalte Sommerlandschaft: grüne Hügel unter gelbem Himmel.",
        "SMK",
        Licence.CC_BY,
        (
            "The schoolyard of a secondary school in Dresden-Cotta.",
            "Painted summer landscape: green hills under a yellow sky.",
        ),
    ),
}


def demo_photo(key: str, office, uploaded_by=None) -> tuple[Photo, bool]:
    """The demo photo `key` of `office`, made with its English text when missing; returns it and
    whether it was made."""
    spec = PHOTOS[key]
    photo = Photo.objects.filter(office=office, caption=spec.caption).first()
    if photo is not None:
        return photo, False
    rights_until = None
    if spec.rights_days is not None:
        rights_until = timezone.localdate() + datetime.timedelta(days=spec.rights_days)
    photo = Photo.objects.create(
        office=office,
        file=ContentFile(paint(spec.scene), f"{key}.jpg"),
        caption=spec.caption,
        alt_text=spec.alt_text,
        credit=spec.credit,
        licence=spec.licence,
        rights_until=rights_until,
        focus_x=spec.focus[0],
        focus_y=spec.focus[1],
        uploaded_by=uploaded_by,
    )
    caption, alt_text = spec.english
    PhotoTranslation.objects.create(
        photo=photo, language=ENGLISH, caption=caption, alt_text=alt_text
    )
    return photo, True


def show(owner, keys: list[str], office, uploaded_by=None) -> int:
    """Put the demo photos `keys` on `owner` (a release or an appointment: its `images`), in
    that order; returns how many photos were made."""
    made = 0
    for order, key in enumerate(keys):
        photo, new = demo_photo(key, office, uploaded_by)
        owner.images.create(photo=photo, order=order)
        made += new
    return made
