"""The case's state machine: a table of transitions and the roles that may take them."""

import pytest

from backend.services.notifications import EVENTS
from backend.services.programmes import PROGRAMMES, transition_named
from backend.services.programmes.dibao import PROGRAMME, TRANSITIONS
from backend.services.roles import SYSTEM, SYSTEM_ROLE

ACTIONS = PROGRAMME.actions
EVERY_ROW = [t for programme in PROGRAMMES for t in programme.transitions]


def test_submit_then_accept(open_case, act):
    case = open_case()
    submitted = act(case, "agent0101", "submit")
    assert submitted.status_code == 200
    assert submitted.get_json()["status"] == "submitted"
    accepted = act(submitted.get_json(), "town01", "accept")
    assert accepted.get_json()["status"] == "accepted"
    assert accepted.get_json()["version"] == 3
    timeline = accepted.get_json()["timeline"]
    assert [(e["action"], e["actor_role"]) for e in timeline] == [
        ("create", "agent"),
        ("submit", "agent"),
        ("accept", "township_staff"),
    ]


def test_allowed_actions_follow_the_callers_role(open_case, act, client, login):
    case = act(open_case(), "agent0101", "submit").get_json()
    as_staff = client.get(f"/api/v1/applications/{case['id']}", headers=login("town01"))
    assert as_staff.get_json()["allowed_actions"] == ["accept", "return"]
    as_agent = client.get(f"/api/v1/applications/{case['id']}", headers=login("agent0101"))
    assert as_agent.get_json()["allowed_actions"] == ["withdraw"]


def test_an_action_not_in_the_table_for_this_role_is_409(open_case, act):
    case = act(open_case(), "agent0101", "submit").get_json()
    response = act(case, "agent0101", "accept")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "action_not_allowed"


def test_an_action_not_allowed_in_this_state_is_409(open_case, act):
    response = act(open_case(), "town01", "accept")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "action_not_allowed"


def test_a_stale_version_is_409_and_changes_nothing(open_case, act, client, login):
    case = act(open_case(), "agent0101", "submit").get_json()
    assert act(case, "town01", "accept").status_code == 200
    second = act(case, "town01", "return", comment="请补充收入证明")
    assert second.status_code == 409
    assert second.get_json()["error"]["code"] == "stale_version"
    current = client.get(f"/api/v1/applications/{case['id']}", headers=login("town01"))
    assert current.get_json()["status"] == "accepted"


def test_return_needs_a_comment_saying_what_to_correct(open_case, act):
    case = act(open_case(), "agent0101", "submit").get_json()
    response = act(case, "town01", "return", comment="   ")
    assert response.status_code == 422
    assert "comment" in response.get_json()["error"]["details"]
    returned = act(case, "town01", "return", comment="请补充收入证明")
    assert returned.get_json()["status"] == "returned"
    assert returned.get_json()["timeline"][-1]["comment"] == "请补充收入证明"


def test_a_returned_case_is_resubmitted(open_case, act):
    case = act(open_case(), "agent0101", "submit").get_json()
    returned = act(case, "town01", "return", comment="请补充收入证明").get_json()
    assert act(returned, "agent0101", "resubmit").get_json()["status"] == "submitted"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "approve_everything", "version": 1}, "action"),
        ({"action": "submit"}, "version"),
        ({"action": "submit", "version": "１"}, "version"),
        ({"action": "submit", "version": 1.5}, "version"),
        ({"action": "submit", "version": True}, "version"),
        ({"action": "submit", "version": 10**30}, "version"),
        ({"action": "submit", "version": 1, "comment": "长" * 501}, "comment"),
        ({"action": "submit", "version": 1, "status": "approved"}, "status"),
    ],
)
def test_bad_action_bodies_are_422_naming_the_field(open_case, client, login, body, field):
    case = open_case()
    response = client.post(
        f"/api/v1/applications/{case['id']}/actions", json=body, headers=login("agent0101")
    )
    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]


def test_every_transition_leaves_its_sources_or_stays_put_by_design():
    for transition in EVERY_ROW:
        assert transition.target is None or transition.target not in transition.sources


def test_steps_the_system_alone_takes_are_never_offered_to_anyone():
    system_only = [t.action for t in TRANSITIONS if t.roles == SYSTEM]
    assert system_only == ["end_publicity", "end_gradual_exit", "record_death"]
    assert not set(system_only) & set(ACTIONS)
    taken_by_the_system = [t.action for t in TRANSITIONS if SYSTEM_ROLE in t.roles]
    assert taken_by_the_system == [
        "end_publicity",
        "start_rereview",
        "end_gradual_exit",
        "record_death",
    ]


def test_every_transition_has_a_notification_for_the_applicant_side():
    assert all(f"case_{t.action}" in EVENTS for t in EVERY_ROW)


def test_decisions_need_a_fresh_token_and_nothing_else_does():
    assert {t.action for t in TRANSITIONS if t.fresh} == {
        "county_approve",
        "county_reject",
        "adjust",
        "gradual_exit",
        "terminate",
    }


def test_rows_of_one_action_agree_on_the_data_it_carries_and_on_freshness():
    for transition in EVERY_ROW:
        first = transition_named(transition.action)
        assert (transition.data, transition.fresh) == (first.data, first.fresh)
