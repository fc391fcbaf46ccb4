"""Real files, made in the tests with Pillow and pypdf: phone photos with metadata,
bombs, truncations, disguises and PDFs that act."""

from __future__ import annotations

import io

from PIL import ExifTags, Image, ImageDraw, ImageFilter
from pypdf import PdfWriter
from pypdf.actions import JavaScript

import backend.services.images  # noqa: F401 (registers the HEIF opener)

# 30°15'36"N 120°9'0"E, written the way phones write it.
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (30.0, 15.0, 36.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (120.0, 9.0, 0.0),
}
COMMENT = b"Xiaomi Redmi 9A shot by a resident"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
RED = (255, 0, 0)


def textured(width: int = 1200, height: int = 900, level: int = 128) -> Image.Image:
    """A sharp, evenly lit picture: grain around `level`, with a red block top-left."""
    noise = Image.effect_noise((width, height), 50).point(
        lambda v: max(0, min(255, v - 128 + level))
    )
    image = Image.merge("RGB", [noise, noise, noise])
    ImageDraw.Draw(image).rectangle((0, 0, width // 4, height // 4), fill=RED)
    return image


def encode(image: Image.Image, image_format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def phone_exif(orientation: int = 6) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Xiaomi"
    exif[ExifTags.IFD.GPSInfo] = GPS
    return exif


def phone_jpeg(width: int = 1200, height: int = 900, orientation: int = 6) -> bytes:
    """Stored sideways (orientation 6: turn 90° clockwise to view), with GPS, a COM
    comment and XMP, as a cheap phone writes it."""
    return encode(
        textured(width, height),
        "JPEG",
        quality=90,
        exif=phone_exif(orientation),
        comment=COMMENT,
        xmp=XMP,
    )


def plain_jpeg(width: int = 1000, height: int = 800, seed_level: int = 128) -> bytes:
    return encode(textured(width, height, seed_level), "JPEG", quality=90)


def heic_with_gps() -> bytes:
    return encode(textured(900, 700), "HEIF", quality=80, exif=phone_exif(1))


def webp() -> bytes:
    return encode(textured(800, 600), "WEBP", quality=80)


def transparent_png() -> bytes:
    image = textured(800, 600).convert("RGBA")
    image.putalpha(Image.new("L", image.size, 128))
    return encode(image, "PNG")


def dark_jpeg() -> bytes:
    return encode(textured(1000, 800, level=15), "JPEG", quality=90)


def blurry_jpeg() -> bytes:
    return encode(textured(1000, 800).filter(ImageFilter.GaussianBlur(8)), "JPEG", quality=90)


def tiny_jpeg() -> bytes:
    return encode(textured(300, 200), "JPEG", quality=90)


def bomb_png(side: int = 10_000) -> bytes:
    """A few KB on disk, `side`² pixels once decoded."""
    return encode(Image.new("1", (side, side)), "PNG", optimize=True)


def truncated_jpeg() -> bytes:
    data = plain_jpeg()
    return data[: len(data) // 2]


def gif() -> bytes:
    return encode(textured(600, 600).convert("P"), "GIF")


def bmp() -> bytes:
    return encode(textured(600, 600), "BMP")


HTML = b"<!DOCTYPE html><html><body><script>fetch('/api/v1/me')</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><rect/></svg>'


def pdf(pages: int = 2) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    return _written(writer)


def pdf_with_javascript() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_open_action(JavaScript("app.alert('hi');"))
    return _written(writer)


def pdf_with_attachment() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment("invoice.exe", b"MZ\x90\x00")
    return _written(writer)


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret")
    return _written(writer)


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
