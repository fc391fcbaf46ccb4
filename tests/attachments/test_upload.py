"""POST /applications/{id}/attachments: 202 at once, the file kept under a name of
ours, limits that answer 413/422, and only the applicant side may upload."""

import io

import pytest
from sqlalchemy import func, select

from backend.extensions import db
from backend.models import Attachment
from tests.attachments import files
from tests.attachments.conftest import STORAGE_KINDS

on_both_stores = pytest.mark.parametrize("storage_kind", STORAGE_KINDS)


def test_an_upload_is_accepted_at_once_as_pending(open_case, upload):
    case = open_case()
    response = upload(case["id"], files.phone_jpeg(), kind="id_card")
    assert response.status_code == 202, response.get_json()
    body = response.get_json()
    assert body["status"] == "pending"
    assert body["kind"] == "id_card"
    assert body["filename"] == "身份证.jpg"
    assert body["content_type"] is None  # decided by the pipeline, from the content


@on_both_stores
def test_the_file_is_stored_under_a_server_made_name(open_case, upload, own_storage):
    case, data = open_case(), files.plain_jpeg()
    response = upload(case["id"], data, filename="../../etc/passwd\x00.jpg")
    assert response.status_code == 202, response.get_json()
    attachment = db.session.get(Attachment, response.get_json()["id"])
    assert attachment.original_name == "passwd.jpg"
    assert own_storage.names() == {f"{attachment.storage_key}.original"}
    assert own_storage.read(f"{attachment.storage_key}.original") == data
    assert len(attachment.storage_key) == 32


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("..\\..\\win.ini", "win.ini"),
        ("照片\u202egpj.exe", "照片gpj.exe"),
        (".htaccess", "htaccess"),
        ("", "file"),
        ("a" * 300 + ".jpg", "a" * 100),
    ],
)
def test_the_client_file_name_is_only_text_to_show(open_case, upload, raw, shown):
    response = upload(open_case()["id"], files.plain_jpeg(), filename=raw)
    assert response.status_code == 202, response.get_json()
    assert response.get_json()["filename"] == shown


@on_both_stores
def test_a_file_over_the_size_limit_is_413_and_nothing_is_kept(app, open_case, upload, own_storage):
    app.config["ATTACHMENT_MAX_BYTES"] = 10_000
    response = upload(open_case()["id"], files.plain_jpeg())
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0
    assert own_storage.names() == set()


def test_the_request_body_limit_is_413(app, open_case, upload):
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    response = upload(open_case()["id"], files.plain_jpeg(2000, 1600))
    assert response.status_code == 413


def test_one_file_more_than_the_count_limit_is_422(app, open_case, upload):
    app.config["ATTACHMENT_MAX_PER_APPLICATION"] = 2
    case = open_case()
    for _ in range(2):
        assert upload(case["id"], files.plain_jpeg()).status_code == 202
    response = upload(case["id"], files.plain_jpeg())
    assert response.status_code == 422
    assert response.get_json()["error"]["details"] == {"file": ["每个申请最多上传 2 个文件"]}


@on_both_stores
def test_an_empty_file_is_422_and_nothing_is_kept(open_case, upload, own_storage):
    response = upload(open_case()["id"], b"")
    assert response.status_code == 422
    assert response.get_json()["error"]["details"] == {"file": ["文件是空的,请重新选择"]}
    assert own_storage.names() == set()


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"kind": "passport"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"replaces": "abc"}, "replaces"),
        ({"replaces": "0"}, "replaces"),
        ({"replaces": "１"}, "replaces"),
        ({"replaces": "999999"}, "replaces"),
        ({"status": "ready"}, "status"),
        ({"kind": "id\x00card"}, "kind"),
    ],
)
def test_a_bad_form_field_is_422_naming_it(open_case, client, login, form, field):
    body = {"kind": "id_card", "file": (io.BytesIO(files.plain_jpeg()), "a.jpg"), **form}
    response = client.post(
        f"/api/v1/applications/{open_case()['id']}/attachments",
        data=body,
        headers=login("agent0101"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["details"]


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "id_card"},  # no file at all
        {"kind": "id_card", "file": "not a file"},  # a text field named file
        {"kind": "id_card", "upload": b"x"},  # a file under another name
    ],
)
def test_a_missing_or_misplaced_file_is_422_naming_it(open_case, client, login, fields):
    body = {
        name: (io.BytesIO(value), "a.jpg") if isinstance(value, bytes) else value
        for name, value in fields.items()
    }
    response = client.post(
        f"/api/v1/applications/{open_case()['id']}/attachments",
        data=body,
        headers=login("agent0101"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    details = response.get_json()["error"]["details"]
    assert {"file", "upload"} & set(details)


def test_a_json_body_is_422_asking_for_the_file(open_case, client, login):
    response = client.post(
        f"/api/v1/applications/{open_case()['id']}/attachments",
        json={"kind": "id_card"},
        headers=login("agent0101"),
    )
    assert response.status_code == 422


@pytest.mark.parametrize("username", ["agent0201", "town02"])
def test_uploading_to_a_case_outside_ones_scope_is_404(open_case, upload, username):
    response = upload(open_case("agent0101")["id"], files.plain_jpeg(), username=username)
    assert response.status_code == 404


def test_a_resident_uploads_to_their_own_case_only(open_case, upload, make_citizen):
    case = open_case(id_number="11010519491231002X")
    _, owner = make_citizen("11010519491231002X")
    _, stranger = make_citizen("440524188001010014", phone="13912345679")
    assert upload(case["id"], files.plain_jpeg(), headers=owner).status_code == 202
    assert upload(case["id"], files.plain_jpeg(), headers=stranger).status_code == 404


@pytest.mark.parametrize("username", ["county01", "registrar01", "admin"])
def test_roles_that_do_not_collect_materials_may_not_upload(open_case, upload, username):
    response = upload(open_case()["id"], files.plain_jpeg(), username=username)
    assert response.status_code == 403


def test_a_township_window_may_upload_for_a_case_in_its_township(open_case, upload):
    assert upload(open_case()["id"], files.plain_jpeg(), username="town01").status_code == 202


def test_a_withdrawn_case_takes_no_more_uploads(open_case, act, upload):
    case = open_case()
    assert act(case, "agent0101", "withdraw").status_code == 200
    response = upload(case["id"], files.plain_jpeg())
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "action_not_allowed"


def test_the_same_idempotency_key_gives_the_first_answer_again(open_case, upload, login):
    case = open_case()
    headers = {**login("agent0101"), "Idempotency-Key": "5b0c6a52-upload-1"}
    data = files.plain_jpeg()
    first = upload(case["id"], data, headers=headers)
    again = upload(case["id"], data, headers=headers)
    assert first.status_code == again.status_code == 202
    assert first.get_json()["id"] == again.get_json()["id"]
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 1


def test_replacing_needs_a_file_of_the_same_case_and_kind(open_case, upload):
    case, other = open_case(), open_case(id_number="440524188001010014")
    hukou = upload(case["id"], files.plain_jpeg(), kind="hukou").get_json()
    elsewhere = upload(other["id"], files.plain_jpeg(), kind="id_card").get_json()
    wrong_kind = upload(case["id"], files.plain_jpeg(), kind="id_card", replaces=hukou["id"])
    assert wrong_kind.status_code == 422
    assert wrong_kind.get_json()["error"]["details"] == {"replaces": ["只能用同类材料替换"]}
    wrong_case = upload(case["id"], files.plain_jpeg(), kind="id_card", replaces=elsewhere["id"])
    assert wrong_case.status_code == 422
    assert "replaces" in wrong_case.get_json()["error"]["details"]


def test_a_file_can_be_replaced_only_once(open_case, upload):
    case = open_case()
    first = upload(case["id"], files.plain_jpeg(), kind="hukou").get_json()
    assert (
        upload(case["id"], files.plain_jpeg(), kind="hukou", replaces=first["id"]).status_code
        == 202
    )
    again = upload(case["id"], files.plain_jpeg(), kind="hukou", replaces=first["id"])
    assert again.status_code == 409


def test_the_openapi_document_describes_the_whole_multipart_body(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/applications/{application_id}/attachments"]["post"]
    body = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    schema = spec["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]
    assert set(schema["properties"]) == {"file", "kind", "replaces"}
    assert schema["properties"]["file"]["format"] == "binary"
