"""Identity and phone numbers: encrypted at rest, masked in every answer, shown in full
only to the staff handling the case, and every such read is on the audit log."""

import pytest
from sqlalchemy import select, text

from backend.extensions import db
from backend.models import AuditLog
from backend.services.users import find_by_username
from tests.factories import household

RESIDENT_ID = "11010519491231002X"
RESIDENT_PHONE = "13912345678"
VILLAGE = "990101001000"


@pytest.fixture
def case(client, login):
    body = {
        "type": "dibao",
        "region_code": VILLAGE,
        "applicant": {"name": "王秀英", "id_number": RESIDENT_ID, "phone": RESIDENT_PHONE},
        "on_behalf": True,
        "household": household(RESIDENT_ID),
    }
    response = client.post("/api/v1/applications", json=body, headers=login("agent0101"))
    assert response.status_code == 201
    return response.get_json()


def reads() -> list[AuditLog]:
    db.session.expire_all()
    query = select(AuditLog).where(AuditLog.action == "application.applicant_read")
    return list(db.session.scalars(query.order_by(AuditLog.id)))


@pytest.mark.parametrize("username", ["town01", "county01"])
def test_staff_handling_the_case_see_the_full_numbers(client, login, case, username):
    response = client.get(f"/api/v1/applications/{case['id']}/applicant", headers=login(username))
    assert response.status_code == 200
    assert response.get_json() == {
        "name": "王秀英",
        "id_number": RESIDENT_ID,
        "phone": RESIDENT_PHONE,
    }
    assert response.headers["Cache-Control"] == "no-store"


def test_every_full_read_is_on_the_audit_log(client, login, make_citizen, case):
    make_citizen(RESIDENT_ID, phone="13800000000")
    for _ in range(2):
        client.get(
            f"/api/v1/applications/{case['id']}/applicant",
            headers=login("town01"),
            environ_base={"REMOTE_ADDR": "10.9.8.7"},
        )
    town = find_by_username(db.session, "town01")
    rows = reads()
    assert len(rows) == 2
    for row in rows:
        assert (row.actor_id, row.actor_role) == (town.id, "township_staff")
        assert (row.object_type, row.object_id) == ("application", str(case["id"]))
        assert row.ip == "10.9.8.7"
        assert row.result == "success"
    assert rows[0].subject_user_id is None  # the case predates the resident's account


def test_the_read_names_the_resident_when_they_have_an_account(client, login, make_citizen):
    resident, headers = make_citizen(RESIDENT_ID, phone=RESIDENT_PHONE)
    body = {
        "type": "dibao",
        "region_code": VILLAGE,
        "applicant": {"name": "王秀英", "id_number": RESIDENT_ID},
        "on_behalf": False,
        "household": household(RESIDENT_ID),
    }
    case = client.post("/api/v1/applications", json=body, headers=headers).get_json()
    response = client.get(f"/api/v1/applications/{case['id']}/applicant", headers=login("town01"))
    assert response.get_json()["phone"] is None  # none was given on the application
    assert reads()[0].subject_user_id == resident.id


@pytest.mark.parametrize("username", ["agent0101", "admin", "registrar01", "officer0101"])
def test_other_roles_are_refused_and_that_is_recorded(client, login, case, username):
    response = client.get(f"/api/v1/applications/{case['id']}/applicant", headers=login(username))
    assert response.status_code == 403
    assert reads() == []
    denied = db.session.scalars(select(AuditLog).where(AuditLog.action == "access.denied")).all()
    assert [row.object_id for row in denied] == ["applications.reveal_applicant"]


def test_the_resident_reads_their_own_case_masked(client, make_citizen, case):
    _, headers = make_citizen(RESIDENT_ID)
    response = client.get(f"/api/v1/applications/{case['id']}/applicant", headers=headers)
    assert response.status_code == 403
    own = client.get(f"/api/v1/applications/{case['id']}", headers=headers).get_json()
    assert own["applicant"]["id_number"] == "110105********002X"


def test_staff_outside_the_region_get_404_and_no_read(client, login, case):
    response = client.get(f"/api/v1/applications/{case['id']}/applicant", headers=login("town02"))
    assert response.status_code == 404
    assert reads() == []


def test_an_unknown_case_is_404(client, login, demo):
    response = client.get("/api/v1/applications/999999/applicant", headers=login("county01"))
    assert response.status_code == 404


def test_reading_needs_a_token(client, case):
    assert client.get(f"/api/v1/applications/{case['id']}/applicant").status_code == 401


@pytest.mark.parametrize("username", ["town01", "county01", "agent0101", "admin"])
def test_case_answers_and_lists_stay_masked(client, login, case, username):
    headers = login(username)
    one = client.get(f"/api/v1/applications/{case['id']}", headers=headers).get_data(as_text=True)
    many = client.get("/api/v1/applications", headers=headers).get_data(as_text=True)
    for answer in (one, many):
        assert "110105********002X" in answer
        assert "139****5678" in answer
        assert RESIDENT_ID not in answer and RESIDENT_PHONE not in answer


def raw_rows(table: str) -> str:
    """Every value of every row as the database holds it, bytes included."""
    rows = db.session.execute(text(f"SELECT * FROM {table}")).all()
    values = [value for row in rows for value in row]
    return " ".join(
        bytes(value).decode("latin-1") if isinstance(value, bytes | memoryview) else str(value)
        for value in values
    )


def test_the_database_never_holds_the_plain_numbers(client, login, make_citizen, case):
    make_citizen(RESIDENT_ID, phone=RESIDENT_PHONE)
    client.get(f"/api/v1/applications/{case['id']}/applicant", headers=login("town01"))
    for table in ("application", "user_account", "audit_log"):
        stored = raw_rows(table)
        assert stored  # the rows are there
        assert RESIDENT_ID not in stored and RESIDENT_ID[6:14] not in stored
        assert RESIDENT_PHONE not in stored
