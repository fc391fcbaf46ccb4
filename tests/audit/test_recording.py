"""What goes on the audit log, and in what form: who, what, which record, from where,
the result and the status before and after; masked numbers, no tokens, one line."""

import logging
import re
from datetime import UTC

import pytest
from flask_jwt_extended import create_access_token

from backend.api.security import auth_required
from backend.extensions import db
from backend.models import AuditLog, AuditResult, Region, Role
from backend.models.attachment import ReviewStatus
from backend.models.audit import AppendOnlyViolation
from backend.services import audit
from backend.services.users import find_by_username
from tests.factories import file_material, household

RESIDENT_ID = "11010519491231002X"
VILLAGE = "990101001000"
FROM_VILLAGE = {"REMOTE_ADDR": "10.20.30.40"}


def case_body(**changes):
    body = {
        "type": "dibao",
        "region_code": VILLAGE,
        "applicant": {"name": "王秀英", "id_number": RESIDENT_ID, "phone": "13912345678"},
        "on_behalf": True,
        "household": household(RESIDENT_ID),
    }
    return body | changes


def test_a_row_says_who_did_what_to_which_record_from_where(demo, audit_rows):
    county = find_by_username(db.session, "county01")
    audit.record(
        db.session,
        county,
        "standard.publish",
        audit.Target("dibao_standard", "7"),
        ip="10.0.0.1",
        before="draft",
        after="published",
    )
    db.session.commit()
    [row] = audit_rows(action="standard.publish")
    assert (row.actor_id, row.actor_role) == (county.id, "county_staff")
    assert (row.object_type, row.object_id) == ("dibao_standard", "7")
    assert (row.result, row.ip) == ("success", "10.0.0.1")
    assert (row.before_status, row.after_status) == ("draft", "published")
    assert row.at.tzinfo == UTC
    assert not row.sealed


def test_anonymous_actions_have_no_actor(app, audit_rows):
    audit.record(
        db.session,
        None,
        "auth.login",
        audit.Target("endpoint", "auth.login"),
        result=AuditResult.FAILED,
    )
    db.session.commit()
    [row] = audit_rows(action="auth.login")
    assert (row.actor_id, row.actor_role, row.result) == (None, None, "failed")


def test_a_model_row_names_its_table_and_id(open_case, audit_rows):
    case = open_case()
    [row] = audit_rows(action="application.create")
    assert (row.object_type, row.object_id) == ("application", str(case["id"]))


def test_crlf_in_a_name_cannot_forge_a_line(app, audit_rows, seal_all, caplog):
    audit.record(db.session, None, "test.note", None, note="张三\r\n[INFO] 管理员 登录成功\u2028")
    db.session.commit()
    [row] = audit_rows(action="test.note")
    assert not re.search(r"[\r\n\u2028]", row.note)
    assert "\\u000d\\u000a" in row.note  # escaped, still readable
    with caplog.at_level(logging.INFO, logger="backend.audit"):
        audit.ship(audit.shipping_lines(seal_all()))
    [line] = [r.getMessage() for r in caplog.records if r.name == "backend.audit"]
    assert "\n" not in line and "\r" not in line


@pytest.mark.parametrize(
    ("note", "kept", "gone"),
    [
        ("申请人 11010519491231002X", "110105********002X", "19491231"),
        ("申请人 11010519491231002x", "110105********002X", "19491231"),
        ("电话 13912345678", "139****5678", "12345678"),
        ("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "令牌已隐去", "eyJ"),
    ],
)
def test_numbers_are_masked_and_tokens_dropped(app, audit_rows, note, kept, gone):
    audit.record(db.session, None, "test.note", None, note=note)
    db.session.commit()
    [row] = audit_rows(action="test.note")
    assert kept in row.note
    assert gone not in row.note


def test_an_agents_submission_names_the_agent_and_the_resident(
    client, login, make_citizen, audit_rows
):
    resident, _ = make_citizen(RESIDENT_ID)
    created = client.post(
        "/api/v1/applications",
        json=case_body(),
        headers=login("agent0101"),
        environ_base=FROM_VILLAGE,
    ).get_json()
    file_material(created["id"], "mandate", ReviewStatus.UNREVIEWED)  # the resident's 委托书
    db.session.commit()
    client.post(
        f"/api/v1/applications/{created['id']}/actions",
        json={"action": "submit", "version": 1},
        headers=login("agent0101"),
        environ_base=FROM_VILLAGE,
    )
    agent = find_by_username(db.session, "agent0101")
    rows = audit_rows(object_type="application", object_id=str(created["id"]))
    assert [(r.action, r.before_status, r.after_status) for r in rows] == [
        ("application.create", None, "draft"),
        ("application.submit", "draft", "submitted"),
    ]
    for row in rows:
        assert (row.actor_id, row.actor_role) == (agent.id, "agent")
        assert row.subject_user_id == resident.id
        assert "110105********002X" in row.note
        assert row.ip == "10.20.30.40"
        assert row.result == "success"


def test_a_resident_without_an_account_is_named_by_masked_number(open_case, audit_rows):
    open_case()
    [row] = audit_rows(action="application.create")
    assert row.subject_user_id is None
    assert row.note == "代办,申请人 110105********002X"


def test_every_transition_is_recorded_with_its_states(open_case, act, audit_rows):
    case = act(open_case(), "agent0101", "submit").get_json()
    case = act(case, "town01", "accept").get_json()
    act(case, "town01", "return", comment="请补充收入证明")
    town = find_by_username(db.session, "town01")
    rows = audit_rows(actor_id=town.id)
    assert [(r.action, r.before_status, r.after_status) for r in rows] == [
        ("application.accept", "submitted", "accepted"),
        ("application.return", "accepted", "returned"),
    ]


def test_a_refused_transition_writes_nothing(open_case, act, audit_rows):
    case = open_case()
    assert act(case, "town01", "accept").status_code == 409
    assert audit_rows(action="application.accept") == []


def test_a_403_is_recorded_as_denied(client, login, audit_rows):
    response = client.post(
        "/api/v1/applications",
        json=case_body(),
        headers=login("county01"),
        environ_base=FROM_VILLAGE,
    )
    assert response.status_code == 403
    county = find_by_username(db.session, "county01")
    [row] = audit_rows(action="access.denied")
    assert (row.actor_id, row.actor_role, row.result) == (county.id, "county_staff", "denied")
    assert (row.object_type, row.object_id) == ("endpoint", "applications.create_application")
    assert row.note == "POST /api/v1/applications"
    assert row.ip == "10.20.30.40"


def test_a_403_from_a_rule_keeps_nothing_but_the_record(client, make_citizen, audit_rows):
    _, headers = make_citizen(RESIDENT_ID, verified=False)
    response = client.post("/api/v1/applications", json=case_body(on_behalf=False), headers=headers)
    assert response.status_code == 403
    assert [r.action for r in audit_rows()] == ["access.denied"]


def test_a_scope_404_is_not_recorded(open_case, client, login, audit_rows):
    case = open_case()
    assert (
        client.get(f"/api/v1/applications/{case['id']}", headers=login("town02")).status_code == 404
    )
    assert audit_rows(action="access.denied") == []


def test_crlf_in_a_refused_path_is_escaped(app, login, audit_rows):
    @app.get("/api/v1/_admin_only/<name>")
    @auth_required(Role.ADMIN)
    def admin_only(name):
        return {"name": name}

    response = app.test_client().get(
        "/api/v1/_admin_only/x%0d%0a%5BINFO%5D%20fake", headers=login("county01")
    )
    assert response.status_code == 403
    [row] = audit_rows(action="access.denied")
    assert "\r" not in row.note and "\n" not in row.note
    assert row.note == "GET /api/v1/_admin_only/x\\u000d\\u000a[INFO] fake"


def test_no_full_number_or_token_reaches_the_log(
    client, login, make_citizen, audit_rows, seal_all, caplog
):
    _, headers = make_citizen(RESIDENT_ID)
    client.post("/api/v1/applications", json=case_body(on_behalf=False), headers=headers)
    other = "440524188001010014"
    for_other = case_body(
        applicant={"name": "李四", "id_number": other, "phone": "13912345678"},
        household=household(other),
    )
    client.post("/api/v1/applications", json=for_other, headers=login("agent0101"))
    client.post("/api/v1/applications", json=case_body(), headers=login("county01"))
    with caplog.at_level(logging.INFO, logger="backend.audit"):
        audit.ship(audit.shipping_lines(seal_all()))
    shipped = "\n".join(r.getMessage() for r in caplog.records if r.name == "backend.audit")
    stored = " ".join(
        str([getattr(row, c.key) for c in AuditLog.__table__.columns]) for row in audit_rows()
    )
    assert len(audit_rows()) == 3
    for text in (shipped, stored):
        assert RESIDENT_ID not in text and "19491231" not in text
        assert other not in text
        assert "13912345678" not in text
        assert "eyJ" not in text


def test_rows_cannot_be_rewritten_through_the_orm(app, audit_rows, seal_all):
    audit.record(db.session, None, "test.note", None, note="原文")
    db.session.commit()
    seal_all()
    [row] = audit_rows()
    row.note = "改过"
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()
    db.session.rollback()
    row.row_hash = "0" * 64
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()
    db.session.rollback()
    db.session.delete(row)
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()


def test_tokens_never_appear_even_when_the_caller_passes_one(demo, audit_rows):
    token = create_access_token(find_by_username(db.session, "admin"))
    audit.record(db.session, None, "test.note", audit.Target("token", token[:60]), note=token)
    db.session.commit()
    [row] = audit_rows()
    assert "eyJ" not in row.note + (row.object_id or "")


def test_a_row_must_have_an_id_before_it_is_recorded(app):
    with pytest.raises(ValueError, match="flush"):
        audit.record(db.session, None, "region.create", Region(code="990199000000"))
