"""The pipeline on real files: type by content, safe decoding, clean upright copies,
quality a resident can fix, PDFs that only show pages."""

import hashlib
import io
from decimal import Decimal

import pytest
from PIL import Image
from pypdf import PdfReader

from backend.models.attachment import Variant
from backend.services import attachment_pipeline, attachments, images, pdfs
from backend.services.attachment_pipeline import Limits, process
from tests.attachments import files


@pytest.fixture
def run(tmp_path):
    def run(data: bytes, name: str = "upload.jpg", **options) -> attachment_pipeline.Result:
        path = tmp_path / name
        path.write_bytes(data)
        return process(path, **options)

    return run


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data), formats=["JPEG"])
    image.load()
    return image


def is_red(pixel) -> bool:
    red, green, blue = pixel
    return red > 200 and green < 60 and blue < 60


def test_a_sideways_phone_photo_comes_out_upright(run):
    result = run(files.phone_jpeg(width=1200, height=900, orientation=6))
    assert result.rejection is None
    assert (result.width, result.height) == (900, 1200)  # as the resident saw it
    review = opened(result.derivatives[Variant.REVIEW])
    assert review.width < review.height
    # The red block stored top-left sits top-right once turned 90° clockwise.
    assert is_red(review.getpixel((review.width - 10, 10)))
    assert not is_red(review.getpixel((10, 10)))


@pytest.mark.parametrize("variant", [Variant.THUMB, Variant.REVIEW])
def test_no_exif_gps_comment_or_xmp_survives_in_any_derivative(run, variant):
    data = run(files.phone_jpeg()).derivatives[variant]
    image = opened(data)
    assert not image.getexif()
    assert not {"exif", "comment", "xmp", "icc_profile"} & set(image.info)
    assert files.COMMENT not in data
    assert b"Xiaomi" not in data
    assert b"xmpmeta" not in data


def test_derivatives_are_bounded_thumbnail_and_review_sizes(run):
    result = run(files.phone_jpeg(width=4000, height=3000))
    assert max(opened(result.derivatives[Variant.THUMB]).size) <= 320
    assert max(opened(result.derivatives[Variant.REVIEW]).size) <= 1600
    assert (result.width, result.height) == (3000, 4000)  # the original's, not the draft's


def test_gps_is_kept_only_when_the_kind_needs_it(run):
    assert run(files.phone_jpeg()).location is None
    latitude, longitude = run(files.phone_jpeg(), keep_location=True).location
    assert latitude == Decimal("30.260000")
    assert longitude == Decimal("120.150000")


def test_heic_from_an_iphone_is_decoded_and_stripped(run):
    result = run(files.heic_with_gps(), name="IMG_0001.HEIC")
    assert result.rejection is None
    assert result.content_type == "image/heic"
    review = opened(result.derivatives[Variant.REVIEW])
    assert not review.getexif()
    assert "exif" not in review.info


@pytest.mark.parametrize(
    ("make", "content_type"),
    [(files.webp, "image/webp"), (files.transparent_png, "image/png"), (files.pdf, None)],
)
def test_webp_png_and_pdf_are_accepted(run, make, content_type):
    result = run(make())
    assert result.rejection is None
    assert result.content_type == (content_type or "application/pdf")


def test_the_sha256_is_of_the_bytes_uploaded(run):
    data = files.plain_jpeg()
    result = run(data)
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.size == len(data)


def test_processing_the_same_file_twice_gives_the_same_result(run):
    data = files.phone_jpeg()
    assert run(data) == run(data)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda: files.bomb_png(10_000), images.TOO_LARGE),
        (lambda: files.bomb_png(14_000), images.TOO_LARGE),
        (files.truncated_jpeg, images.CORRUPT),
        (lambda: files.HTML, attachment_pipeline.UNSUPPORTED),
        (lambda: files.SVG, attachment_pipeline.UNSUPPORTED),
        (files.gif, attachment_pipeline.UNSUPPORTED),
        (files.bmp, attachment_pipeline.UNSUPPORTED),
        (lambda: b"", attachments.EMPTY),
        (files.tiny_jpeg, images.TOO_SMALL),
        (files.dark_jpeg, images.TOO_DARK),
        (files.blurry_jpeg, images.TOO_BLURRY),
        (files.pdf_with_javascript, pdfs.ACTIVE),
        (files.pdf_with_attachment, pdfs.ACTIVE),
        (files.encrypted_pdf, pdfs.ENCRYPTED),
        (lambda: files.pdf()[:300], pdfs.CORRUPT),
    ],
    ids=[
        "bomb-100MP",
        "bomb-196MP",
        "truncated-jpeg",
        "html-named-jpg",
        "svg-named-jpg",
        "gif",
        "bmp",
        "empty",
        "too-small",
        "too-dark",
        "too-blurry",
        "pdf-javascript",
        "pdf-embedded-file",
        "pdf-encrypted",
        "pdf-truncated",
    ],
)
def test_unusable_files_are_rejected_with_a_reason_in_chinese(run, make, reason):
    result = run(make(), name="身份证.jpg")
    assert result.rejection == reason
    assert not result.derivatives


def test_a_pdf_hiding_javascript_behind_an_escaped_name_is_rejected(run):
    disguised = files.pdf_with_javascript().replace(b"/JavaScript", b"/J#61vaScript")
    assert run(disguised, name="a.pdf").rejection == pdfs.ACTIVE


def test_a_pdf_whose_xref_chain_points_at_itself_is_rejected_quickly(run):
    body = (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [2 0 R] /Count 1 >>\nendobj\n"
    )
    xref = len(body)
    body += (
        b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n"
        b"trailer\n<< /Size 3 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (xref, xref)
    )
    assert run(body, name="loop.pdf").rejection == pdfs.CORRUPT


def test_a_pdf_over_the_page_limit_is_rejected(run):
    limits = Limits(pdf=pdfs.PdfLimits(max_pages=3))
    result = run(files.pdf(pages=4), name="a.pdf", limits=limits)
    assert result.rejection == "PDF 页数过多(最多 3 页),请分开上传"


def test_an_accepted_pdf_is_rewritten_page_for_page(run):
    result = run(files.pdf(pages=3), name="收入证明.pdf")
    rewritten = PdfReader(io.BytesIO(result.derivatives[Variant.REVIEW]))
    assert len(rewritten.pages) == 3
    assert Variant.THUMB not in result.derivatives


def test_the_pixel_limit_is_a_setting(run):
    limits = Limits(image=images.ImageLimits(max_pixels=500_000))
    assert run(files.plain_jpeg(1000, 800), limits=limits).rejection == images.TOO_LARGE


def test_a_large_jpeg_is_decoded_at_reduced_scale(tmp_path):
    path = tmp_path / "big.jpg"
    path.write_bytes(files.plain_jpeg(8000, 6000))
    with Image.open(path) as image:
        images.reduce_decoding(image, 1600)
        image.load()
        assert image.size == (2000, 1500)  # decoded, instead of 8000×6000
