"""Photos from phones: decode them safely, make clean upright copies, and judge
whether staff will be able to read them.

What the stack does on its own is not enough (docs/reliability.md): `verify()` misses
truncated JPEGs, a naive re-save keeps the JPEG comment, and `exif_transpose`
keeps GPS. So every image is fully decoded, pasted into a fresh image and saved
with nothing but pixels, and the result is reopened to prove it.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from PIL import ExifTags, Image, ImageFilter, ImageOps, ImageStat

try:
    import pillow_heif
except ImportError:  # HEIC stays unsupported rather than breaking the pipeline
    pillow_heif = None
else:
    pillow_heif.register_heif_opener()

# Pillow's own guard for every image this process opens, set explicitly rather than
# left to the library's default; the configured, lower limit (`ImageLimits.max_pixels`)
# is checked from the header before anything is decoded.
Image.MAX_IMAGE_PIXELS = 200_000_000

CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
if pillow_heif is not None:
    CONTENT_TYPES["HEIF"] = "image/heic"

# A Laplacian: flat (blurred) regions give 0, edges give large values.
EDGES = ImageFilter.Kernel((3, 3), [0, 1, 0, 1, -4, 1, 0, 1, 0], scale=1, offset=128)
SHARPNESS_SIDE = 800  # measured at one size, so the threshold does not depend on resolution
TURNED_SIDEWAYS = {5, 6, 7, 8}  # EXIF orientations that swap width and height

TOO_LARGE = "图片像素过大,请用手机相机正常拍摄后上传"
CORRUPT = "图片文件已损坏或不完整,请重新拍摄上传"
TOO_SMALL = "照片分辨率太低,请靠近拍摄或上传原图"
TOO_DARK = "照片太暗,请在光线充足处重拍"
TOO_BLURRY = "照片太模糊,请对准焦点、保持手机稳定后重拍"


class Rejected(Exception):
    """The file cannot be used; `reason` tells the resident why, in Chinese."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class ImageLimits:
    max_pixels: int = 50_000_000
    min_side: int = 400
    min_brightness: float = 40.0  # mean grey level, 0–255
    # Variance of the Laplacian at SHARPNESS_SIDE: sharp text scores in the thousands,
    # a photo blurred past reading below 5. Low on purpose: staff can still ask again.
    min_sharpness: float = 12.0
    thumb_side: int = 320
    review_side: int = 1600


@dataclass(frozen=True)
class CleanImage:
    width: int  # upright, of the original
    height: int
    thumb: bytes  # JPEG, no metadata
    review: bytes
    location: tuple[Decimal, Decimal] | None  # (latitude, longitude) when asked to keep it


def process_image(
    path: str | Path, image_format: str, limits: ImageLimits, *, keep_location: bool = False
) -> CleanImage:
    """Decode the file as `image_format` only and return its clean derivatives.

    Raises `Rejected` for anything a resident must fix: an oversized, corrupt,
    truncated, tiny, dark or blurry picture.
    """
    with _open(path, image_format, limits) as image:
        exif = image.getexif()
        width, height = image.size
        if exif.get(ExifTags.Base.Orientation) in TURNED_SIDEWAYS:
            width, height = height, width
        location = _location(exif) if keep_location else None
        if image_format == "JPEG":
            reduce_decoding(image, limits.review_side)
        try:
            image.load()
            ImageOps.exif_transpose(image, in_place=True)  # the source is dropped anyway
            clean = _pixels_only(image)
        except Exception:  # see _open
            raise Rejected(CORRUPT) from None
    # Each size is made from the next larger one: resizing dominates the job's time.
    review = _shrunk(clean, limits.review_side)
    _check_quality(review, width, height, limits)
    return CleanImage(
        width=width,
        height=height,
        thumb=_jpeg(_shrunk(review, limits.thumb_side), quality=80),
        review=_jpeg(review, quality=85),
        location=location,
    )


def _open(path: str | Path, image_format: str, limits: ImageLimits) -> Image.Image:
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that: refuse both.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(path, formats=[image_format])
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise Rejected(TOO_LARGE) from None
        except Exception:
            # Decoders fail on hostile bytes in ways no list can name: OSError for
            # truncation, SyntaxError, ValueError, struct.error, libheif errors, …
            raise Rejected(CORRUPT) from None
    if image.width * image.height > limits.max_pixels:
        image.close()
        raise Rejected(TOO_LARGE)
    return image


def reduce_decoding(image: Image.Image, side: int) -> None:
    """Let the JPEG decoder scale down (1/2, 1/4, 1/8) while the long side stays at
    least `side`: a 48 MP photo is decoded at 2000×1500 for a 1600 px review image."""
    scale = side / max(image.size)
    if scale < 1:
        image.draft("RGB", (math.ceil(image.width * scale), math.ceil(image.height * scale)))


def _pixels_only(image: Image.Image) -> Image.Image:
    """A fresh RGB image holding only the pixels: no EXIF, GPS, comment, XMP or ICC."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        clean = Image.new("RGB", image.size, "white")
        clean.paste(rgba, mask=rgba.getchannel("A"))
        return clean
    clean = Image.new("RGB", image.size)
    clean.paste(image if image.mode == "RGB" else image.convert("RGB"))
    return clean


def _check_quality(image: Image.Image, width: int, height: int, limits: ImageLimits) -> None:
    if min(width, height) < limits.min_side:
        raise Rejected(TOO_SMALL)
    grey = image.convert("L")
    grey.thumbnail((SHARPNESS_SIDE, SHARPNESS_SIDE))
    if ImageStat.Stat(grey).mean[0] < limits.min_brightness:
        raise Rejected(TOO_DARK)
    if sharpness(grey) < limits.min_sharpness:
        raise Rejected(TOO_BLURRY)


def sharpness(grey: Image.Image) -> float:
    """Variance of the Laplacian: how much edge detail the picture holds."""
    edges = grey.filter(EDGES)
    # Pillow copies the one-pixel border unfiltered; it is not edge detail.
    inner = edges.crop((1, 1, edges.width - 1, edges.height - 1))
    return ImageStat.Stat(inner).var[0]


def _shrunk(image: Image.Image, side: int) -> Image.Image:
    """`image` fitted within side × side (a new image; the same one when it fits)."""
    scale = side / max(image.size)
    if scale >= 1:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.BICUBIC, reducing_gap=2.0)


def _jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    data = buffer.getvalue()
    _assert_no_metadata(data)
    return data


def _assert_no_metadata(data: bytes) -> None:
    with Image.open(io.BytesIO(data), formats=["JPEG"]) as written:
        left = {"exif", "comment", "xmp", "icc_profile"} & set(written.info)
        if left or written.getexif():
            raise RuntimeError(f"metadata survived cleaning: {sorted(left) or 'exif'}")


def _location(exif: Image.Exif) -> tuple[Decimal, Decimal] | None:
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    try:
        latitude = _degrees(gps[ExifTags.GPS.GPSLatitude], gps[ExifTags.GPS.GPSLatitudeRef])
        longitude = _degrees(gps[ExifTags.GPS.GPSLongitude], gps[ExifTags.GPS.GPSLongitudeRef])
    except (KeyError, TypeError, ValueError, ZeroDivisionError, InvalidOperation):
        return None  # no usable position: the photo is still fine
    if abs(latitude) > 90 or abs(longitude) > 180:
        return None
    return latitude, longitude


def _degrees(dms, ref: str) -> Decimal:
    degrees, minutes, seconds = (Decimal(str(float(part))) for part in dms)
    value = degrees + minutes / 60 + seconds / 3600
    if str(ref).strip().upper() in ("S", "W"):
        value = -value
    return value.quantize(Decimal("0.000001"))
