"""GET /attachments/{id} and /content: only the owner, the agent who submitted and
staff in scope see a file; downloads are attachments, never rendered, never cached."""

import io
from urllib.parse import quote

import pytest
from PIL import Image

from tests.attachments import files
from tests.attachments.conftest import STORAGE_KINDS

RESIDENT_ID = "11010519491231002X"
on_both_stores = pytest.mark.parametrize("storage_kind", STORAGE_KINDS)


@pytest.fixture
def resident(make_citizen):
    return make_citizen(RESIDENT_ID)[1]


@pytest.fixture
def ready(open_case, upload, process_now, resident):
    """A processed ID card photo on a case agent0101 opened for the resident."""
    case = open_case(id_number=RESIDENT_ID)
    data = files.phone_jpeg()
    attachment = upload(case["id"], data).get_json()
    process_now(attachment["id"])
    return {"id": attachment["id"], "case": case, "data": data}


def content(client, headers, attachment_id, variant=None):
    query = f"?variant={variant}" if variant else ""
    return client.get(f"/api/v1/attachments/{attachment_id}/content{query}", headers=headers)


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("agent0101", True),  # submitted the case
        ("town01", True),
        ("county01", True),
        ("admin", True),
        ("town02", False),  # another township
        ("agent0201", False),  # another village's agent
        ("registrar01", False),  # staff of another service
        ("officer0101", False),
    ],
)
def test_who_may_read_a_material(client, login, ready, username, sees):
    expected = 200 if sees else 404
    headers = login(username)
    assert client.get(f"/api/v1/attachments/{ready['id']}", headers=headers).status_code == expected
    assert content(client, headers, ready["id"], "thumb").status_code == expected


def test_the_resident_reads_their_own_material_and_another_resident_nothing(
    client, ready, resident, make_citizen
):
    _, stranger = make_citizen("440524188001010014", phone="13912345679")
    assert content(client, resident, ready["id"]).status_code == 200
    assert content(client, stranger, ready["id"]).status_code == 404
    assert client.get(f"/api/v1/attachments/{ready['id']}", headers=stranger).status_code == 404


@on_both_stores
def test_a_download_is_an_attachment_with_its_chinese_name_and_no_caching(client, login, ready):
    response = content(client, login("agent0101"), ready["id"], "review")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('身份证-review.jpg')}" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    image = Image.open(io.BytesIO(response.data), formats=["JPEG"])
    assert not image.getexif()
    assert "comment" not in image.info


@on_both_stores
def test_the_original_is_for_staff_only(client, login, ready, resident):
    assert content(client, login("agent0101"), ready["id"], "original").status_code == 403
    assert content(client, resident, ready["id"], "original").status_code == 403
    response = content(client, login("town01"), ready["id"], "original")
    assert response.status_code == 200
    assert response.data == ready["data"]
    assert response.headers["Content-Type"] == "image/jpeg"
    assert (
        "original"
        in client.get(f"/api/v1/attachments/{ready['id']}", headers=login("town01")).get_json()[
            "variants"
        ]
    )


def test_the_api_lists_what_each_caller_may_open(client, login, ready):
    body = client.get(f"/api/v1/attachments/{ready['id']}", headers=login("agent0101")).get_json()
    assert body["variants"] == ["thumb", "review"]
    assert body["status"] == "ready"
    assert body["content_type"] == "image/jpeg"
    assert set(body) >= {"id", "kind", "status", "reason", "review_status", "size", "sha256"}


def test_a_file_still_being_checked_cannot_be_viewed_yet(client, login, open_case, upload):
    attachment = upload(open_case()["id"], files.plain_jpeg()).get_json()
    response = content(client, login("agent0101"), attachment["id"], "thumb")
    assert response.status_code == 409


def test_a_disguised_page_is_never_served_as_a_page(client, login, open_case, upload, process_now):
    attachment = upload(open_case()["id"], files.HTML, filename="照片.jpg").get_json()
    process_now(attachment["id"])
    assert content(client, login("agent0101"), attachment["id"], "review").status_code == 404
    response = content(client, login("town01"), attachment["id"], "original")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert "%E7%85%A7%E7%89%87.bin" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@on_both_stores
def test_a_pdf_has_a_review_copy_and_no_thumbnail(client, login, open_case, upload, process_now):
    attachment = upload(open_case()["id"], files.pdf(), filename="收入证明.pdf").get_json()
    process_now(attachment["id"])
    headers = login("agent0101")
    assert content(client, headers, attachment["id"], "thumb").status_code == 404
    response = content(client, headers, attachment["id"], "review")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.data.startswith(b"%PDF-")


@pytest.mark.parametrize("query", ["?variant=full", "?variant=", "?variant=ORIGINAL"])
def test_a_bad_query_is_422_naming_it(client, login, ready, query):
    response = client.get(
        f"/api/v1/attachments/{ready['id']}/content{query}", headers=login("agent0101")
    )
    assert response.status_code == 422
    assert "variant" in response.get_json()["error"]["details"]


@on_both_stores
def test_a_stored_file_gone_missing_is_a_404_not_a_crash(client, login, ready, own_storage):
    key = next(name for name in own_storage.names() if "review" in name)
    own_storage.take(key)
    response = content(client, login("agent0101"), ready["id"], "review")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_reading_without_signing_in_is_401(client, ready):
    assert client.get(f"/api/v1/attachments/{ready['id']}").status_code == 401
    assert client.get(f"/api/v1/attachments/{ready['id']}/content").status_code == 401


def test_a_missing_attachment_is_404(client, login, demo):
    assert client.get("/api/v1/attachments/999999", headers=login("county01")).status_code == 404
