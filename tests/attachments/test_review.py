"""Staff review each material; the applicant side is told at once, with everything
still missing in the same message (一次性告知); a re-upload replaces the file and
keeps the old one as history."""

import pytest

from backend.extensions import db
from backend.models import Application
from backend.services import attachments
from tests.attachments import files
from tests.factories import nonagenarian_id_number

RESIDENT_ID = "11010519491231002X"
DIBAO_KINDS = ["id_card", "hukou", "income_proof", "authorization", "mandate"]


@pytest.fixture
def resident(make_citizen):
    return make_citizen(RESIDENT_ID)[1]


@pytest.fixture
def case(open_case, resident):
    """A dibao case agent0101 opened for a resident who already has an account."""
    return open_case(id_number=RESIDENT_ID)


@pytest.fixture
def add_material(case, upload, process_now):
    def add_material(kind="id_card", data=None, **form):
        attachment = upload(case["id"], data or files.plain_jpeg(), kind=kind, **form).get_json()
        process_now(attachment["id"])
        return attachment["id"]

    return add_material


def review(client, login, attachment_id, username="town01", **body):
    return client.post(
        f"/api/v1/attachments/{attachment_id}/review", json=body, headers=login(username)
    )


def inbox(client, headers):
    return client.get("/api/v1/me/inbox", headers=headers).get_json()["items"]


def test_accepting_a_material_tells_the_resident_and_the_agent_what_is_still_missing(
    client, login, resident, add_material
):
    attachment_id = add_material("id_card")
    response = review(client, login, attachment_id, verdict="accepted")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["review_status"] == "accepted"
    for headers in (resident, login("agent0101")):
        [message] = inbox(client, headers)
        assert message["event"] == "material_reviewed"
        assert "「身份证」已通过审核" in message["body"]
        assert message["body"].endswith(
            "还需补齐的材料:户口簿(未上传)、收入证明(未上传)、授权核对书(未上传)、委托书(未上传)。"
        )
    assert inbox(client, login("town01")) == []  # staff are not told their own decision


def test_asking_for_a_new_upload_needs_a_reason_and_passes_it_on(
    client, login, resident, add_material
):
    attachment_id = add_material("hukou")
    missing_reason = review(client, login, attachment_id, verdict="needs_reupload")
    assert missing_reason.status_code == 422
    assert "comment" in missing_reason.get_json()["error"]["details"]
    response = review(
        client, login, attachment_id, verdict="needs_reupload", comment="户口簿本人页反光,看不清"
    )
    assert response.status_code == 200
    [message] = inbox(client, resident)
    assert "需要重新上传(审核意见:户口簿本人页反光,看不清)" in message["body"]
    assert "户口簿(需重新上传)" in message["body"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"verdict": "approved"}, "verdict"),
        ({"verdict": "unreviewed"}, "verdict"),
        ({}, "verdict"),
        ({"verdict": 1}, "verdict"),
        ({"verdict": "accepted", "comment": "x" * 501}, "comment"),
        ({"verdict": "accepted", "comment": 5}, "comment"),
        ({"verdict": "accepted", "status": "ready"}, "status"),
    ],
)
def test_a_bad_review_field_is_422_naming_it(client, login, add_material, body, field):
    response = review(client, login, add_material(), **body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]


@pytest.mark.parametrize(("username", "status"), [("agent0101", 403), ("town02", 404)])
def test_only_staff_in_scope_review(client, login, add_material, username, status):
    assert review(client, login, add_material(), username, verdict="accepted").status_code == status


def test_the_resident_cannot_review_their_own_material(client, resident, add_material):
    response = client.post(
        f"/api/v1/attachments/{add_material()}/review",
        json={"verdict": "accepted"},
        headers=resident,
    )
    assert response.status_code == 403


def test_a_file_not_yet_checked_or_rejected_cannot_be_reviewed(
    client, login, case, upload, add_material
):
    pending = upload(case["id"], files.plain_jpeg()).get_json()["id"]
    assert review(client, login, pending, verdict="accepted").status_code == 409
    rejected = add_material(data=files.dark_jpeg())
    response = review(client, login, rejected, verdict="accepted")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "action_not_allowed"


def test_a_reupload_replaces_the_material_and_keeps_the_history(client, login, case, add_material):
    old = add_material("income_proof")
    review(client, login, old, verdict="needs_reupload", comment="缺少单位盖章")
    new = add_material("income_proof", replaces=str(old))
    body = client.get(f"/api/v1/applications/{case['id']}", headers=login("town01")).get_json()
    assert [a["id"] for a in body["attachments"]] == [new]
    assert body["attachments"][0]["replaces_id"] == old
    history = client.get(f"/api/v1/attachments/{old}", headers=login("town01")).get_json()
    assert (history["current"], history["review_comment"]) == (False, "缺少单位盖章")
    assert review(client, login, old, verdict="accepted").status_code == 409
    income = next(m for m in body["missing_materials"] if m["kind"] == "income_proof")
    assert income["state"] == "under_review"


def test_a_case_lists_every_required_material_still_missing(client, login, case, add_material):
    body = client.get(f"/api/v1/applications/{case['id']}", headers=login("agent0101")).get_json()
    assert [m["kind"] for m in body["missing_materials"]] == DIBAO_KINDS
    assert body["missing_materials"][0] == {
        "kind": "id_card",
        "label": "身份证",
        "state": "missing",
        "state_label": "未上传",
    }
    assert body["attachments"] == []


def test_an_elderly_allowance_for_oneself_needs_id_card_and_hukou(client, open_case, login):
    case = open_case(id_number=nonagenarian_id_number(), program="elderly_allowance")
    body = client.get(f"/api/v1/applications/{case['id']}", headers=login("agent0101")).get_json()
    assert [m["kind"] for m in body["missing_materials"]] == ["id_card", "hukou", "mandate"]
    application = db.session.get(Application, case["id"])
    application.on_behalf = False
    assert [k.value for k in attachments.required_kinds(application)] == ["id_card", "hukou"]


def test_materials_are_complete_once_every_required_one_is_accepted(
    client, login, case, add_material
):
    application = db.session.get(Application, case["id"])
    for kind in DIBAO_KINDS:
        assert not attachments.materials_complete(db.session, application)
        assert review(client, login, add_material(kind), verdict="accepted").status_code == 200
    db.session.expire_all()
    assert attachments.materials_complete(db.session, application)
    body = client.get(f"/api/v1/applications/{case['id']}", headers=login("town01")).get_json()
    assert body["missing_materials"] == []
    [latest, *_] = inbox(client, login("agent0101"))
    assert latest["body"].endswith("申请材料已齐全。")


def test_each_caller_sees_only_the_materials_they_may(client, login, case, add_material):
    add_material()
    for username in ("town01", "agent0101"):
        response = client.get(f"/api/v1/applications/{case['id']}", headers=login(username))
        assert len(response.get_json()["attachments"]) == 1, username
    # Staff of another service see no case at all (tests/applications/test_scope.py).
    response = client.get(f"/api/v1/applications/{case['id']}", headers=login("registrar01"))
    assert response.status_code == 404
