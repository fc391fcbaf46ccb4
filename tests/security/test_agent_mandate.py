"""One rule for what a village agent may do with a case: act only on a case they filed
on the resident's behalf (edit, workflow actions, uploads); book only for a resident
they filed a case for."""

import io

import pytest

from tests.api.auth_support import assert_error
from tests.factories import household
from tests.marriage.helpers import booking_body, couple

NUMBER = "11010519491231002X"
VILLAGE = "990101001000"  # agent0101's


@pytest.fixture
def residents_own_case(client, make_citizen):
    _, headers = make_citizen(NUMBER)
    body = {
        "type": "dibao",
        "region_code": VILLAGE,
        "applicant": {"name": "王秀英", "id_number": NUMBER},
        "on_behalf": False,
        "household": household(NUMBER),
    }
    response = client.post("/api/v1/applications", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_the_village_agent_reads_but_cannot_touch_a_case_the_resident_filed(
    client, login, residents_own_case
):
    case, agent = residents_own_case, login("agent0101")
    seen = client.get(f"/api/v1/applications/{case['id']}", headers=agent)
    assert seen.status_code == 200
    assert seen.get_json()["allowed_actions"] == []
    edit = {"version": case["version"], "applicant": {"phone": "13700000000"}}
    patched = client.patch(f"/api/v1/applications/{case['id']}", json=edit, headers=agent)
    assert "代为提交" in assert_error(patched, 403, "forbidden")["message"]
    for action in ("submit", "withdraw"):
        body = {"action": action, "version": case["version"], "comment": ""}
        answer = client.post(f"/api/v1/applications/{case['id']}/actions", json=body, headers=agent)
        assert_error(answer, 403, "forbidden")
    upload = client.post(
        f"/api/v1/applications/{case['id']}/attachments",
        data={"kind": "id_card", "file": (io.BytesIO(b"\xff\xd8\xff" + b"0" * 100), "a.jpg")},
        headers=agent,
        content_type="multipart/form-data",
    )
    assert_error(upload, 403, "forbidden")
    unchanged = client.get(f"/api/v1/applications/{case['id']}", headers=agent).get_json()
    assert (unchanged["status"], unchanged["version"]) == ("draft", case["version"])


def test_the_agent_acts_on_the_case_they_filed_for_the_resident(client, login, open_case):
    case, agent = open_case(), login("agent0101")
    assert (
        "edit"
        in client.get(f"/api/v1/applications/{case['id']}", headers=agent).get_json()[
            "allowed_actions"
        ]
    )
    edit = {"version": case["version"], "applicant": {"phone": "13700000000"}}
    assert (
        client.patch(f"/api/v1/applications/{case['id']}", json=edit, headers=agent).status_code
        == 200
    )
    body = {"action": "withdraw", "version": case["version"] + 1, "comment": ""}
    answer = client.post(f"/api/v1/applications/{case['id']}/actions", json=body, headers=agent)
    assert answer.status_code == 200, answer.get_json()


def test_another_resident_cannot_reach_a_residents_own_case(
    client, make_citizen, residents_own_case
):
    case = residents_own_case
    _, headers = make_citizen("440524188001010014", phone="13955550000")  # another resident
    body = {"action": "withdraw", "version": case["version"], "comment": ""}
    answer = client.post(f"/api/v1/applications/{case['id']}/actions", json=body, headers=headers)
    assert_error(answer, 404, "not_found")


def test_the_queue_offers_an_agent_no_action_on_a_residents_own_case(
    client, login, residents_own_case
):
    items = client.get("/api/v1/applications", headers=login("agent0101")).get_json()["items"]
    [item] = [i for i in items if i["id"] == residents_own_case["id"]]
    assert item["allowed_actions"] == []


def test_an_agent_books_only_for_a_resident_they_filed_a_case_for(
    client, login, open_case, make_slot, soon
):
    slot, agent = make_slot(soon), login("agent0101")
    man, woman = couple(soon)
    body = {**booking_body(slot.id, man, woman), "on_behalf": True}
    refused = client.post("/api/v1/appointments", json=body, headers=agent)
    error = assert_error(refused, 422, "validation_error")
    assert "party_a.id_number" in error["details"]
    open_case(id_number=man["id_number"])
    booked = client.post("/api/v1/appointments", json=body, headers=agent)
    assert booked.status_code == 201, booked.get_json()
