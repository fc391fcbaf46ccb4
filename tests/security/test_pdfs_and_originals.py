"""PDFs lose their link annotations when rewritten; the original of a rejected file is
never served as the type it claims."""

import io

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from backend.services.images import Rejected
from backend.services.pdfs import PdfLimits, process_pdf
from tests.attachments import files


def pdf_with_links(*actions: DictionaryObject) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    for n, action in enumerate(actions):
        link = Link(rect=(50, 50 + 40 * n, 200, 80 + 40 * n), url="https://example.invalid/x")
        link[NameObject("/A")] = action
        writer.add_annotation(0, link)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def action(kind: str, **entries: str) -> DictionaryObject:
    result = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        result[NameObject(f"/{key}")] = TextStringObject(value)
    return result


def test_uri_and_remote_go_to_links_are_stripped_from_the_rewritten_pdf(tmp_path):
    source = tmp_path / "links.pdf"
    source.write_bytes(
        pdf_with_links(
            action("/URI", URI="https://phish.example.invalid/login"),
            action("/GoToR", F="\\\\evil.example.invalid\\share\\x.pdf"),
        )
    )
    assert b"/URI" in source.read_bytes() and b"/GoToR" in source.read_bytes()
    clean = process_pdf(source, PdfLimits())
    assert clean.pages == 1
    for marker in (b"/Annots", b"/URI", b"/GoToR", b"phish.example"):
        assert marker not in clean.review
    assert "/Annots" not in PdfReader(io.BytesIO(clean.review)).pages[0]


def test_a_launch_link_is_refused_outright(tmp_path):
    source = tmp_path / "launch.pdf"
    source.write_bytes(pdf_with_links(action("/Launch", F="calc.exe")))
    with pytest.raises(Rejected):
        process_pdf(source, PdfLimits())


@pytest.fixture
def storage_dir(app, tmp_path):
    app.config["STORAGE_DIR"] = str(tmp_path / "uploads")


def test_a_rejected_pdf_original_is_served_as_bytes_not_as_a_pdf(
    client,
    login,
    open_case,
    upload,
    process_now,
    storage_dir,
):
    attachment = upload(open_case()["id"], files.pdf_with_javascript(), filename="证明.pdf")
    attachment_id = attachment.get_json()["id"]
    process_now(attachment_id)
    staff = login("town01")
    assert (
        client.get(f"/api/v1/attachments/{attachment_id}", headers=staff).get_json()["status"]
        == "rejected"
    )
    response = client.get(
        f"/api/v1/attachments/{attachment_id}/content?variant=original", headers=staff
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert ".bin" in response.headers["Content-Disposition"]
    assert ".pdf" not in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_an_accepted_pdf_original_keeps_its_type(
    client,
    login,
    open_case,
    upload,
    process_now,
    storage_dir,
):
    attachment_id = upload(open_case()["id"], files.pdf(), filename="证明.pdf").get_json()["id"]
    process_now(attachment_id)
    response = client.get(
        f"/api/v1/attachments/{attachment_id}/content?variant=original", headers=login("town01")
    )
    assert response.headers["Content-Type"] == "application/pdf"
