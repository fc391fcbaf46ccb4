"""PATCH /applications/{id}: the applicant side corrects its case while it is a draft
or has been returned (补正), under the rules it was opened with."""

import pytest
from sqlalchemy import func, select, text

from backend.errors import StaleVersion
from backend.extensions import db
from backend.models import AuditLog, HouseholdMember
from backend.services import applications, case_access
from backend.services.users import find_by_username
from tests.api.test_mass_assignment import json_operations
from tests.factories import household, member_id_number, nonagenarian_id_number

RESIDENT_ID = "11010519491231002X"
NEIGHBOUR_ID = "440524188001010014"
OTHER_TOWNSHIP_VILLAGE = "990102001000"


def patch(client, case, headers, **changes):
    body = {"version": case["version"], **changes}
    return client.patch(f"/api/v1/applications/{case['id']}", json=body, headers=headers)


def fetch(client, case, headers):
    return client.get(f"/api/v1/applications/{case['id']}", headers=headers).get_json()


def returned(case, act):
    submitted = act(case, "agent0101", "submit").get_json()
    response = act(submitted, "town01", "return", comment="请补充家庭成员的收入情况")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_resident_edits_a_returned_case_and_resubmits(open_case, act, client, make_citizen):
    case = returned(open_case(id_number=RESIDENT_ID), act)
    _, headers = make_citizen(RESIDENT_ID)
    response = patch(
        client,
        case,
        headers,
        applicant={"phone": "13712345678"},
        household=household(RESIDENT_ID, "0", "300"),
    )
    assert response.status_code == 200, response.get_json()
    edited = response.get_json()
    assert edited["status"] == "returned"
    assert edited["version"] == case["version"] + 1
    assert edited["applicant"]["phone"] == "137****5678"
    assert [m["monthly_income"] for m in edited["household"]["members"]] == ["0.00", "300.00"]
    last = edited["timeline"][-1]
    assert (last["action"], last["from_status"], last["to_status"], last["actor_role"]) == (
        "edit",
        "returned",
        "returned",
        "citizen",
    )
    assert last["comment"] == "修改了联系电话、家庭成员及收入"
    resubmitted = client.post(
        f"/api/v1/applications/{case['id']}/actions",
        json={"action": "resubmit", "version": edited["version"]},
        headers=headers,
    )
    assert resubmitted.status_code == 200, resubmitted.get_json()
    assert resubmitted.get_json()["status"] == "submitted"


def test_the_agent_who_opened_a_draft_corrects_the_applicants_name_and_phone(
    open_case, client, login
):
    case = open_case()
    response = patch(
        client, case, login("agent0101"), applicant={"name": " 王秀兰 ", "phone": "13712345678"}
    )
    assert response.status_code == 200, response.get_json()
    applicant = response.get_json()["applicant"]
    assert (applicant["name"], applicant["phone"]) == ("王秀兰", "137****5678")
    assert applicant["id_number"] == "110105********002X"
    assert response.get_json()["status"] == "draft"


def test_a_resident_moves_their_case_to_the_village_they_live_in(open_case, client, make_citizen):
    case = open_case(id_number=RESIDENT_ID)
    _, headers = make_citizen(RESIDENT_ID)
    response = patch(client, case, headers, region_code=OTHER_TOWNSHIP_VILLAGE)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["region_code"] == OTHER_TOWNSHIP_VILLAGE


def test_the_whole_household_is_replaced_and_the_old_members_are_gone(open_case, client, login):
    case = open_case()
    first = patch(client, case, login("agent0101"), household=household(RESIDENT_ID, "0", "300"))
    assert first.status_code == 200, first.get_json()
    smaller = {**household(RESIDENT_ID, "100"), "area_type": "rural"}
    response = patch(client, first.get_json(), login("agent0101"), household=smaller)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["household"]["area_type"] == "rural"
    assert response.get_json()["household"]["per_capita_income"] == "100.00"
    rows = db.session.scalar(
        select(func.count()).where(HouseholdMember.application_id == case["id"])
    )
    assert rows == 1


def test_the_cases_own_members_are_not_another_household(open_case, client, login):
    case = patch(
        client, open_case(), login("agent0101"), household=household(RESIDENT_ID, "0", "300")
    )
    response = patch(
        client, case.get_json(), login("agent0101"), household=household(RESIDENT_ID, "0", "900")
    )
    assert response.status_code == 200, response.get_json()


def test_member_already_in_another_live_household_is_refused_on_edit(open_case, act, client, login):
    first = open_case(id_number=RESIDENT_ID)
    neighbour = open_case(id_number=NEIGHBOUR_ID)
    joined = household(NEIGHBOUR_ID)
    joined["members"].append(
        {"name": "王秀英", "id_number": RESIDENT_ID, "relation": "spouse", "monthly_income": "0"}
    )
    response = patch(client, neighbour, login("agent0101"), household=joined)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["details"]) == {"household.members.1.id_number"}
    act(first, "agent0101", "withdraw")
    assert patch(client, neighbour, login("agent0101"), household=joined).status_code == 200


def test_a_registered_relative_added_on_edit_flags_the_case(open_case, client, login):
    body = {"name": "王家二", "id_number": member_id_number(2), "relation": "child"}
    assert client.post("/api/v1/relatives", json=body, headers=login("town01")).status_code == 201
    case = open_case()
    assert case["flags"] == []
    response = patch(
        client, case, login("agent0101"), household=household(RESIDENT_ID, "0", "0", "0")
    )
    assert response.get_json()["flags"] == ["relative_of_staff"]


@pytest.mark.parametrize(
    "steps",
    [
        [("agent0101", "submit")],
        [("agent0101", "submit"), ("town01", "accept")],
        [("agent0101", "withdraw")],
    ],
    ids=["submitted", "accepted", "withdrawn"],
)
def test_case_under_review_cannot_be_edited(open_case, act, client, login, steps):
    case = open_case()
    for username, action in steps:
        case = act(case, username, action).get_json()
    response = patch(client, case, login("agent0101"), applicant={"phone": "13712345678"})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "action_not_allowed"
    assert fetch(client, case, login("agent0101"))["version"] == case["version"]


def test_stale_version_is_refused(open_case, client, login):
    case = open_case()
    assert patch(client, case, login("agent0101"), applicant={"name": "王秀兰"}).status_code == 200
    response = patch(client, case, login("agent0101"), applicant={"phone": "13712345678"})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "stale_version"
    current = fetch(client, case, login("agent0101"))
    assert (current["version"], current["applicant"]["phone"]) == (2, None)


def test_an_edit_racing_another_change_is_stale_and_writes_nothing(open_case, client, login):
    case = open_case()
    agent = find_by_username(db.session, "agent0101")
    application = case_access.get(db.session, agent, case["id"])
    with db.engine.begin() as other:  # another request's change, committed meanwhile
        other.execute(
            text("UPDATE application SET version = version + 1 WHERE id = :id"),
            {"id": case["id"]},
        )
    with pytest.raises(StaleVersion):
        applications.edit(
            db.session, agent, application, 1, applications.Details(phone="13712345678")
        )
    db.session.rollback()  # as the request's error handler does
    current = fetch(client, case, login("agent0101"))
    assert (current["version"], current["applicant"]["phone"]) == (2, None)
    assert [event["action"] for event in current["timeline"]] == ["create"]


def test_identity_number_cannot_be_changed(open_case, client, login):
    case = open_case()
    response = patch(
        client, case, login("agent0101"), applicant={"id_number": NEIGHBOUR_ID, "name": "李四"}
    )
    assert response.status_code == 422
    assert set(response.get_json()["error"]["details"]) == {"applicant.id_number"}
    assert fetch(client, case, login("agent0101"))["applicant"]["name"] == "王秀英"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type": "elderly_allowance"}, "type"),
        ({"on_behalf": False}, "on_behalf"),
        ({"status": "approved"}, "status"),
        ({"owner_id": 1}, "owner_id"),
        ({"applicant": {"role": "admin"}}, "applicant.role"),
    ],
)
def test_what_was_settled_when_the_case_was_opened_cannot_be_changed(
    open_case, client, login, change, field
):
    response = patch(client, open_case(), login("agent0101"), region_code="990101001000", **change)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]


@pytest.mark.parametrize("changes", [{}, {"applicant": {}}])
def test_a_patch_with_nothing_to_change_is_422(open_case, client, login, changes):
    case = open_case()
    response = patch(client, case, login("agent0101"), **changes)
    assert response.status_code == 422
    assert "_schema" in response.get_json()["error"]["details"]
    assert fetch(client, case, login("agent0101"))["version"] == 1


def test_the_elderly_allowance_has_no_household_to_edit(open_case, client, login):
    elderly = nonagenarian_id_number()
    case = open_case(id_number=elderly, program="elderly_allowance")
    response = patch(client, case, login("agent0101"), household=household(elderly))
    assert response.status_code == 422
    assert set(response.get_json()["error"]["details"]) == {"household"}
    assert patch(client, case, login("agent0101"), applicant={"name": "王秀兰"}).status_code == 200


def test_a_refused_edit_changes_nothing(open_case, client, login):
    case = open_case()
    response = patch(
        client,
        case,
        login("agent0101"),
        applicant={"phone": "13712345678"},
        household=household(NEIGHBOUR_ID),  # the applicant is not in it
    )
    assert response.status_code == 422
    current = fetch(client, case, login("agent0101"))
    assert current["version"] == 1
    assert current["applicant"]["phone"] is None
    assert len(current["household"]["members"]) == 1


def test_staff_do_not_edit_the_applicants_case(open_case, act, client, login):
    case = returned(open_case(), act)
    response = patch(client, case, login("town01"), applicant={"phone": "13712345678"})
    assert response.status_code == 403


def test_another_residents_case_is_404(open_case, client, make_citizen):
    case = open_case(id_number=RESIDENT_ID)
    _, headers = make_citizen(NEIGHBOUR_ID)
    response = patch(client, case, headers, applicant={"phone": "13712345678"})
    assert response.status_code == 404


def test_an_agent_of_another_village_gets_404(open_case, client, login):
    response = patch(client, open_case(), login("agent0201"), applicant={"phone": "13712345678"})
    assert response.status_code == 404


def test_edit_is_offered_only_to_the_applicant_side_while_the_case_is_theirs(
    open_case, act, client, login
):
    draft = open_case()
    assert "edit" in fetch(client, draft, login("agent0101"))["allowed_actions"]
    submitted = act(draft, "agent0101", "submit").get_json()
    assert "edit" not in submitted["allowed_actions"]
    back = act(submitted, "town01", "return", comment="请补充收入证明").get_json()
    assert "edit" not in back["allowed_actions"]  # as the township sees it
    assert "edit" in fetch(client, back, login("agent0101"))["allowed_actions"]


def test_an_edit_is_audited_naming_the_resident_it_was_done_for(open_case, client, login):
    case = open_case()
    assert patch(client, case, login("agent0101"), applicant={"name": "王秀兰"}).status_code == 200
    row = db.session.scalar(select(AuditLog).where(AuditLog.action == "application.edit"))
    agent = find_by_username(db.session, "agent0101")
    assert (row.actor_id, row.object_id, row.before_status, row.after_status) == (
        agent.id,
        str(case["id"]),
        "draft",
        "draft",
    )
    assert row.note == "代办,申请人 110105********002X"


def test_the_mass_assignment_sweep_reaches_the_edit(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    declared = {"version", "region_code", "applicant", "household"}
    assert ("patch", "/api/v1/applications/{application_id}", declared) in json_operations(spec)


def with_members(*members):
    own = {"name": "王秀英", "id_number": RESIDENT_ID, "relation": "self", "monthly_income": "0"}
    return {"household": {"area_type": "urban", "members": [own, *members]}}


def child(serial=1, **changes):
    member = {
        "name": "王家一",
        "id_number": member_id_number(serial),
        "relation": "child",
        "monthly_income": "0",
    }
    return {**member, **changes}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"version": None}, "version"),
        ({"version": 0}, "version"),
        ({"version": "１"}, "version"),
        ({"version": 1.5}, "version"),
        ({"version": True}, "version"),
        ({"version": 2**40}, "version"),
        ({"region_code": "99010100100"}, "region_code"),
        ({"region_code": "９９０１０１００１０００"}, "region_code"),
        ({"region_code": "990101000000"}, "region_code"),  # a township, not a village
        ({"region_code": OTHER_TOWNSHIP_VILLAGE}, "region_code"),  # beyond the agent's reach
        ({"region_code": None}, "region_code"),
        ({"applicant": "王秀英"}, "applicant"),
        ({"applicant": {"name": ""}}, "applicant.name"),
        ({"applicant": {"name": "王\u200b秀英"}}, "applicant.name"),
        ({"applicant": {"name": None}}, "applicant.name"),
        ({"applicant": {"phone": "1391234567"}}, "applicant.phone"),
        ({"applicant": {"phone": ""}}, "applicant.phone"),
        ({"applicant": {"phone": None}}, "applicant.phone"),
        ({"applicant": {"phone": 13912345678}}, "applicant.phone"),
        ({"household": None}, "household"),
        ({"household": [household(RESIDENT_ID)]}, "household"),
        ({"household": {**household(RESIDENT_ID), "area_type": "suburban"}}, "household.area_type"),
        ({"household": {"area_type": "urban"}}, "household.members"),
        ({"household": {"area_type": "urban", "members": []}}, "household.members"),
        (with_members(*[child(n) for n in range(1, 21)]), "household.members"),
        (with_members(child(), child()), "household.members.2.id_number"),
        (with_members(child(relation="self")), "household.members"),
        ({"household": household(NEIGHBOUR_ID)}, "household.members"),  # applicant not in it
        (with_members(child(monthly_income="-1")), "household.members.1.monthly_income"),
        (with_members(child(monthly_income="1000001")), "household.members.1.monthly_income"),
        (with_members(child(monthly_income="3.141")), "household.members.1.monthly_income"),
        (with_members(child(relation="cousin")), "household.members.1.relation"),
        (with_members(child(id_number="370101201001010012")), "household.members.1.id_number"),
        (with_members(child(status="approved")), "household.members.1.status"),
    ],
)
def test_bad_values_are_422_naming_the_field(open_case, client, login, change, field):
    case = open_case()
    response = patch(client, case, login("agent0101"), **change)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["details"]


def test_the_version_is_required(open_case, client, login):
    case = open_case()
    response = client.patch(
        f"/api/v1/applications/{case['id']}",
        json={"applicant": {"phone": "13712345678"}},
        headers=login("agent0101"),
    )
    assert response.status_code == 422
    assert set(response.get_json()["error"]["details"]) == {"version"}
