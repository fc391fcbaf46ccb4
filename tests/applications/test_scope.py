"""Who sees which case: staff their region, agents their village and their own
submissions, residents their own cases; anything else does not exist (404)."""

import pytest

from backend.extensions import db
from backend.services import users
from tests.factories import household

RESIDENT_ID = "11010519491231002X"


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("admin", True),
        ("county01", True),
        ("town01", True),  # 城关镇, where the case's village lies
        ("town02", False),  # 河口乡
        ("town03", False),
        ("agent0101", True),  # submitted it, in their village
        ("agent0201", False),
        ("registrar01", False),  # county staff of another service: no need to know
        ("officer0101", False),
    ],
)
def test_reading_a_case_follows_the_region_tree(open_case, client, login, username, sees):
    case = open_case("agent0101")
    response = client.get(f"/api/v1/applications/{case['id']}", headers=login(username))
    assert response.status_code == (200 if sees else 404)
    listed = client.get("/api/v1/applications", headers=login(username)).get_json()["items"]
    assert (case["id"] in [item["id"] for item in listed]) is sees


@pytest.mark.parametrize("username", ["town02", "agent0201"])
def test_acting_outside_scope_is_404_not_403(open_case, client, login, username):
    case = open_case("agent0101")
    response = client.post(
        f"/api/v1/applications/{case['id']}/actions",
        json={"action": "withdraw", "version": 1},
        headers=login(username),
    )
    assert response.status_code == 404


def test_a_resident_sees_the_case_an_agent_opened_for_them(open_case, client, make_citizen):
    case = open_case("agent0101", id_number=RESIDENT_ID)
    _, headers = make_citizen(RESIDENT_ID)
    response = client.get(f"/api/v1/applications/{case['id']}", headers=headers)
    assert response.status_code == 200
    assert response.get_json()["allowed_actions"] == ["submit", "withdraw", "edit"]


def test_an_unverified_resident_does_not_see_it_yet(open_case, client, make_citizen):
    case = open_case("agent0101", id_number=RESIDENT_ID)
    _, headers = make_citizen(RESIDENT_ID, verified=False)
    assert client.get(f"/api/v1/applications/{case['id']}", headers=headers).status_code == 404


def test_another_resident_sees_nothing(open_case, client, make_citizen):
    case = open_case("agent0101", id_number=RESIDENT_ID)
    _, headers = make_citizen("440524188001010014")
    assert client.get(f"/api/v1/applications/{case['id']}", headers=headers).status_code == 404
    assert client.get("/api/v1/applications", headers=headers).get_json()["items"] == []


def test_an_agent_moved_to_another_village_still_sees_what_they_submitted(open_case, client, login):
    case = open_case("agent0101")
    agent = users.find_by_username(db.session, "agent0101")
    agent.region = users.find_by_username(db.session, "agent0201").region
    db.session.commit()
    response = client.get(f"/api/v1/applications/{case['id']}", headers=login("agent0101"))
    assert response.status_code == 200


def test_unknown_ids_are_404(client, login):
    assert client.get("/api/v1/applications/999999", headers=login("county01")).status_code == 404


# Writes, role by role: outside the caller's scope a case does not exist (404); inside
# it, only the roles the workflow table names may take a step (others 409).


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("town01", 200),  # 受理 is the township's step
        ("county01", 409),
        ("admin", 409),
        ("registrar01", 404),
        ("officer0101", 404),
        ("agent0101", 409),
        ("town02", 404),
        ("agent0201", 404),
    ],
)
def test_accepting_a_case_by_role_and_region(open_case, act, username, status):
    case = act(open_case("agent0101"), "agent0101", "submit").get_json()
    assert act(case, username, "accept").status_code == status


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("agent0101", 200),  # the applicant's side
        ("town01", 409),
        ("county01", 409),
        ("admin", 409),
        ("agent0201", 404),
        ("town03", 404),
    ],
)
def test_withdrawing_a_draft_by_role_and_region(open_case, act, username, status):
    assert act(open_case("agent0101"), username, "withdraw").status_code == status


def test_the_resident_takes_the_applicants_steps_and_others_cannot(open_case, client, make_citizen):
    case = open_case("agent0101", id_number=RESIDENT_ID)
    _, stranger = make_citizen("440524188001010014", phone="13800000000")
    _, resident = make_citizen(RESIDENT_ID)
    body = {"action": "submit", "version": case["version"]}
    path = f"/api/v1/applications/{case['id']}/actions"
    assert client.post(path, json=body, headers=stranger).status_code == 404
    assert client.post(path, json=body, headers=resident).status_code == 200


@pytest.mark.parametrize(
    ("username", "region_code", "status"),
    [
        ("town01", "990101002000", 201),  # a village of 城关镇
        ("town01", "990102001000", 422),  # a village of 河口乡
        ("agent0101", "990101001000", 201),
        ("agent0101", "990101002000", 422),  # the next village
        ("county01", "990101001000", 403),  # decides cases, does not open them
        ("admin", "990101001000", 403),
        ("registrar01", "990101001000", 403),
        ("officer0101", "990101001000", 403),
    ],
)
def test_opening_a_case_by_role_and_region(client, login, username, region_code, status):
    body = {
        "type": "dibao",
        "region_code": region_code,
        "applicant": {"name": "王秀英", "id_number": RESIDENT_ID},
        "on_behalf": True,
        "household": household(RESIDENT_ID),
    }
    response = client.post("/api/v1/applications", json=body, headers=login(username))
    assert response.status_code == status
