"""A number is only as good as the authority that confirmed it: an account whose
binding is taken back at a window loses every case and booking in that person's
name (reads, edits, actions, files, appointments), and the real person gets them."""

from sqlalchemy import select

from backend.extensions import db
from backend.models import Application, AuditLog, User
from backend.models.attachment import Attachment
from backend.services import scope
from backend.services.case_access import APPLICATION_SCOPE
from backend.services.crypto import current_cipher
from tests.api.auth_support import assert_error, bearer, code_login, real_name_proof
from tests.factories import file_material
from tests.marriage.helpers import booking_body, couple

REAL_PHONE = "13922220000"


def reclaim(client, headers, number, phone=REAL_PHONE, **extra):
    body = {"phone": phone, "name": "张伟", "id_number": number, "note": "核验身份证原件", **extra}
    return client.post("/api/v1/real-name-bindings", json=body, headers=headers)


def test_an_impostor_loses_everything_in_the_persons_name_once_it_is_reclaimed(
    client, login, make_citizen, open_case, make_slot, soon
):
    man, woman = couple(soon)
    number = man["id_number"]
    impostor, impostor_headers = make_citizen(number, name="张伟", phone="13911110000")
    case = open_case(id_number=number)  # an agent opens the real person's case
    file_material(case["id"], "id_card")
    db.session.commit()
    attachment_id = db.session.scalar(select(Attachment.id))
    slot = make_slot(soon)
    booked = client.post(
        "/api/v1/appointments", json=booking_body(slot.id, man, woman), headers=impostor_headers
    )
    assert booked.status_code == 201, booked.get_json()
    appointment_id = booked.get_json()["id"]
    assert (
        client.get(f"/api/v1/applications/{case['id']}", headers=impostor_headers).status_code
        == 200
    )

    real = bearer(code_login(client, REAL_PHONE).get_json()["access_token"])
    answer = reclaim(client, login("county01", fresh=True), number)
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["real_name_verified"] is True

    edit = {"version": case["version"], "applicant": {"phone": "13700000000"}}
    action = {"action": "withdraw", "version": case["version"], "comment": ""}
    for response in (
        client.get(f"/api/v1/applications/{case['id']}", headers=impostor_headers),
        client.patch(f"/api/v1/applications/{case['id']}", json=edit, headers=impostor_headers),
        client.post(
            f"/api/v1/applications/{case['id']}/actions", json=action, headers=impostor_headers
        ),
        client.get(f"/api/v1/attachments/{attachment_id}", headers=impostor_headers),
        client.get(f"/api/v1/attachments/{attachment_id}/content", headers=impostor_headers),
        client.get(f"/api/v1/appointments/{appointment_id}", headers=impostor_headers),
        client.post(f"/api/v1/appointments/{appointment_id}/cancel", headers=impostor_headers),
    ):
        assert_error(response, 404, "not_found")
    assert (
        client.get("/api/v1/me", headers=impostor_headers).get_json()["real_name_verified"] is False
    )

    assert client.get(f"/api/v1/applications/{case['id']}", headers=real).status_code == 200
    assert client.get(f"/api/v1/appointments/{appointment_id}", headers=real).status_code == 200
    db.session.expire_all()
    assert db.session.get(Application, case["id"]).owner_id != impostor.id


def test_a_reclaim_is_audited_on_both_accounts(client, login, make_citizen):
    number = "11010519491231002X"
    impostor, _ = make_citizen(number, phone="13911110000")
    code_login(client, REAL_PHONE)
    assert reclaim(client, login("county01", fresh=True), number).status_code == 200
    rows = {row.action: row for row in db.session.scalars(select(AuditLog))}
    revoked, bound = rows["user.real_name_revoke"], rows["user.real_name_counter"]
    assert (revoked.object_id, revoked.before_status, revoked.after_status) == (
        str(impostor.id),
        "verified",
        "unverified",
    )
    real = db.session.scalar(select(User).where(User.id != impostor.id, User.role == "citizen"))
    assert bound.object_id == str(real.id)
    assert str(impostor.id) in bound.note and "核验身份证原件" in bound.note
    assert number not in revoked.note + bound.note


def test_a_reclaim_needs_a_fresh_sign_in_at_a_window(client, login, demo):
    code_login(client, REAL_PHONE)
    number = "11010519491231002X"
    assert_error(reclaim(client, login("county01"), number), 401, "unauthorized")
    for username in ("agent0101", "registrar01"):
        assert_error(reclaim(client, login(username, fresh=True), number), 403, "forbidden")


def test_a_reclaim_names_the_bad_field(client, login, demo):
    code_login(client, REAL_PHONE)
    staff = login("county01", fresh=True)
    for change, field in (
        ({"phone": "13800000009"}, "phone"),  # a staff account, not a resident's
        ({"phone": "13955550000"}, "phone"),  # nobody signs in with it
        ({"id_number": "110105194912310021"}, "id_number"),
        ({"name": "张\u200b伟"}, "name"),
        ({"note": " "}, "note"),
        ({"owner_id": 1}, "owner_id"),
    ):
        error = assert_error(
            reclaim(client, staff, "11010519491231002X", **change), 422, "validation_error"
        )
        assert field in error["details"], (change, error)


def test_a_case_opened_for_someone_waits_for_the_person_who_verifies_that_number(
    client, make_citizen, open_case
):
    number = "11010519491231002X"
    case = open_case(id_number=number)
    claimant, headers = make_citizen(number, phone="13911110000", verified=False)
    assert_error(
        client.get(f"/api/v1/applications/{case['id']}", headers=headers), 404, "not_found"
    )
    body = {
        "name": "王秀英",
        "id_number": number,
        "verify_result": real_name_proof("王秀英", number),
    }
    assert client.post("/api/v1/me/real-name", json=body, headers=headers).status_code == 200
    assert client.get(f"/api/v1/applications/{case['id']}", headers=headers).status_code == 200
    db.session.expire_all()
    assert db.session.get(Application, case["id"]).owner_id == claimant.id


def test_a_case_a_resident_opened_for_themself_is_never_reached_through_its_number(
    client, make_citizen
):
    """The scope rule itself: even an account verified for the number the case names
    reaches it only when the case was opened on the person's behalf."""
    number = "11010519491231002X"
    owner, headers = make_citizen(number)
    from tests.factories import household

    body = {
        "type": "dibao",
        "region_code": "990101001000",
        "applicant": {"name": "王秀英", "id_number": number},
        "on_behalf": False,
        "household": household(number),
    }
    case = client.post("/api/v1/applications", json=body, headers=headers).get_json()
    other = User(
        id=owner.id + 1000,
        role="citizen",
        real_name_verified=True,
        id_number_index=current_cipher().blind_index(number),
    )
    condition = scope.condition(APPLICATION_SCOPE, other)
    assert db.session.scalar(select(Application.id).where(condition)) is None
    assert (
        db.session.scalar(select(Application.id).where(scope.condition(APPLICATION_SCOPE, owner)))
        == case["id"]
    )
