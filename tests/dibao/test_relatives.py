"""近亲属备案: a case of a staff member's relative is flagged, the county visits the
household itself, and the township cannot approve it alone."""

import pytest

from backend.services import clock
from tests.dibao.conftest import RESIDENT_ID, accept_every_material, visited
from tests.factories import member_id_number


def register(client, login, username="town01", id_number=RESIDENT_ID, **changes):
    body = {"name": "王秀英", "id_number": id_number, "relation": "parent", **changes}
    return client.post("/api/v1/relatives", json=body, headers=login(username))


def investigated_case(open_household, step):
    case = open_household("0", "300")
    accept_every_material(case["id"])
    for username, action, extra in [
        ("agent0101", "submit", {}),
        ("town01", "accept", {}),
        ("town01", "record_investigation", {"data": visited(clock.today())}),
    ]:
        case = step(case, username, action, **extra).get_json()
    return case


def test_staff_register_a_relative_and_see_their_own_register(client, login):
    response = register(client, login)
    assert response.status_code == 201
    assert response.get_json()["id_number"] == "110105********002X"
    mine = client.get("/api/v1/relatives", headers=login("town01")).get_json()["items"]
    assert [r["relation"] for r in mine] == ["parent"]
    assert client.get("/api/v1/relatives", headers=login("town02")).get_json()["items"] == []


def test_registering_the_same_relative_twice_is_409(client, login):
    register(client, login)
    assert register(client, login).status_code == 409


def test_residents_keep_no_register(client, make_citizen):
    _, headers = make_citizen(RESIDENT_ID)
    body = {"name": "王秀英", "id_number": "440524188001010014", "relation": "parent"}
    assert client.post("/api/v1/relatives", json=body, headers=headers).status_code == 403


def test_a_case_of_a_registered_relative_is_flagged_in_the_case_and_the_queue(
    client, login, open_household
):
    register(client, login, "agent0201", id_number=member_id_number(1))  # a child of the household
    case = open_household("0", "300")
    assert case["flags"] == ["relative_of_staff"]
    [row] = client.get("/api/v1/applications", headers=login("county01")).get_json()["items"]
    assert row["flags"] == ["relative_of_staff"]


def test_an_unrelated_case_has_no_flag(client, login, open_household):
    register(client, login, id_number="440524188001010014")
    assert open_household("0")["flags"] == []


def test_the_township_cannot_approve_a_relatives_case_before_the_county_visits(
    client, login, open_household, step
):
    register(client, login)
    case = investigated_case(open_household, step)
    refused = step(case, "town01", "township_approve")
    assert refused.status_code == 409
    assert "县级入户核查" in refused.get_json()["error"]["message"]
    visit = step(case, "county01", "record_county_investigation", data=visited(clock.today()))
    assert visit.status_code == 200, visit.get_json()
    assert visit.get_json()["status"] == "investigated"
    approved = step(visit.get_json(), "town01", "township_approve")
    assert approved.status_code == 200
    assert approved.get_json()["status"] == "publicizing"


def test_only_the_county_records_its_own_visit(client, login, open_household, step):
    case = investigated_case(open_household, step)
    assert "record_county_investigation" not in case["allowed_actions"]
    county_view = client.get(f"/api/v1/applications/{case['id']}", headers=login("county01"))
    assert "record_county_investigation" in county_view.get_json()["allowed_actions"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id_number": "110105194912310021"}, "id_number"),
        ({"id_number": None}, "id_number"),
        ({"name": ""}, "name"),
        ({"name": "王\u200b秀英"}, "name"),
        ({"relation": "self"}, "relation"),
        ({"relation": "neighbour"}, "relation"),
        ({"registrant_id": 1}, "registrant_id"),
    ],
)
def test_bad_registrations_are_422_naming_the_field(client, login, change, field):
    response = register(client, login, **change)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["details"]


def test_the_township_cannot_keep_a_relatives_benefit_alone_at_re_review(
    client, login, case_at, step
):
    case = step(case_at("approved"), "town01", "start_rereview").get_json()
    register(client, login)  # registered since the approval
    refused = step(case, "town01", "continue")
    assert refused.status_code == 409
    assert "须由县级作出" in refused.get_json()["error"]["message"]
    kept = step(case, "county01", "continue")
    assert kept.status_code == 200, kept.get_json()
    assert kept.get_json()["status"] == "approved"
