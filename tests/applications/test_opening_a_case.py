"""POST /applications: who may open a case, for whom, and with what."""

import pytest

from tests.factories import household

RESIDENT_ID = "11010519491231002X"
VILLAGE = "990101001000"  # 东街社区, agent0101's village


def case_body(**changes):
    body = {
        "type": "dibao",
        "region_code": VILLAGE,
        "applicant": {"name": "王秀英", "id_number": RESIDENT_ID, "phone": "13912345678"},
        "on_behalf": True,
        "household": household(RESIDENT_ID),
    }
    body.update(changes)
    return body


def test_an_agent_opens_a_draft_for_a_resident_of_their_village(client, login):
    response = client.post("/api/v1/applications", json=case_body(), headers=login("agent0101"))
    assert response.status_code == 201, response.get_json()
    case = response.get_json()
    assert case["status"] == "draft"
    assert case["version"] == 1
    assert case["number"].startswith("DB")
    assert case["allowed_actions"] == ["submit", "withdraw", "edit"]
    assert case["applicant"] == {
        "name": "王秀英",
        "id_number": "110105********002X",
        "phone": "139****5678",
    }
    assert [event["action"] for event in case["timeline"]] == ["create"]


def test_an_agent_cannot_apply_in_another_village(client, login):
    response = client.post(
        "/api/v1/applications",
        json=case_body(region_code="990102001000"),
        headers=login("agent0101"),
    )
    assert response.status_code == 422
    assert "region_code" in response.get_json()["error"]["details"]


def test_applying_for_someone_else_must_say_on_behalf(client, login):
    response = client.post(
        "/api/v1/applications", json=case_body(on_behalf=False), headers=login("agent0101")
    )
    assert response.status_code == 422
    assert "on_behalf" in response.get_json()["error"]["details"]


def test_a_resident_applies_for_themself_after_real_name_verification(client, make_citizen):
    _, headers = make_citizen(RESIDENT_ID)
    response = client.post("/api/v1/applications", json=case_body(on_behalf=False), headers=headers)
    assert response.status_code == 201
    assert response.get_json()["allowed_actions"] == ["submit", "withdraw", "edit"]


def test_a_resident_without_real_name_verification_is_refused(client, make_citizen):
    _, headers = make_citizen(RESIDENT_ID, verified=False)
    response = client.post("/api/v1/applications", json=case_body(on_behalf=False), headers=headers)
    assert response.status_code == 403


def test_a_resident_cannot_apply_under_another_persons_number(client, make_citizen):
    _, headers = make_citizen("440524188001010014")
    response = client.post("/api/v1/applications", json=case_body(on_behalf=False), headers=headers)
    assert response.status_code == 422
    assert "applicant.id_number" in response.get_json()["error"]["details"]


def test_registrars_do_not_open_benefit_cases(client, login):
    response = client.post("/api/v1/applications", json=case_body(), headers=login("registrar01"))
    assert response.status_code == 403


def test_opening_a_case_needs_a_token(client, demo):
    assert client.post("/api/v1/applications", json=case_body()).status_code == 401


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type": "pension"}, "type"),
        ({"type": None}, "type"),
        ({"region_code": "99010100100"}, "region_code"),
        ({"region_code": "990101000000"}, "region_code"),  # a township, not a village
        ({"region_code": "９９０１０１００１０００"}, "region_code"),
        ({"on_behalf": "maybe"}, "on_behalf"),
        ({"status": "approved"}, "status"),
        ({"owner_id": 1}, "owner_id"),
        (
            {"applicant": {"name": "王秀英", "id_number": "110105194912310021"}},
            "applicant.id_number",
        ),
        (
            {"applicant": {"name": "王秀英", "id_number": "11010519490230002X"}},
            "applicant.id_number",
        ),
        ({"applicant": {"name": "王\u200b秀英", "id_number": RESIDENT_ID}}, "applicant.name"),
        ({"applicant": {"name": "", "id_number": RESIDENT_ID}}, "applicant.name"),
        (
            {"applicant": {"name": "王秀英", "id_number": RESIDENT_ID, "phone": "1391234567"}},
            "applicant.phone",
        ),
        (
            {"applicant": {"name": "王秀英", "id_number": RESIDENT_ID, "role": "admin"}},
            "applicant.role",
        ),
        ({"applicant": "王秀英"}, "applicant"),
    ],
)
def test_bad_values_are_422_naming_the_field(client, login, change, field):
    response = client.post(
        "/api/v1/applications", json=case_body(**change), headers=login("agent0101")
    )
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["details"]


def test_a_top_level_array_is_422(client, login):
    response = client.post("/api/v1/applications", json=[case_body()], headers=login("agent0101"))
    assert response.status_code == 422
