"""Real-name verification goes through the identity verifier; one verified account per
number, held by the database even when two binds race."""

import threading
from collections import Counter

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from backend.config import ConfigError, check_settings, from_environment
from backend.extensions import db
from backend.models import AuditLog, AuditResult, Role, User
from backend.services import users
from tests.api.auth_support import assert_error, real_name_proof
from tests.conftest import TEST_SECRET

NUMBER = "11010519491231002X"


def bind(client, headers, proof=None, name="王秀英", number=NUMBER):
    body = {
        "name": name,
        "id_number": number,
        "verify_result": proof or real_name_proof(name, number),
    }
    return client.post("/api/v1/me/real-name", json=body, headers=headers)


def test_a_claim_the_verifier_does_not_confirm_binds_nothing_and_is_audited(client, make_citizen):
    user, headers = make_citizen(NUMBER, verified=False)
    error = assert_error(bind(client, headers, proof="0" * 16), 422, "validation_error")
    assert "核验未通过" in error["details"]["verify_result"][0]
    assert client.get("/api/v1/me", headers=headers).get_json()["real_name_verified"] is False
    [row] = db.session.scalars(select(AuditLog).where(AuditLog.action == "user.real_name"))
    assert (row.result, row.actor_id) == (AuditResult.FAILED, user.id)


def test_outside_production_the_console_refusal_hands_back_the_proof(client, make_citizen):
    _, headers = make_citizen(NUMBER, verified=False)
    error = assert_error(bind(client, headers, proof="0" * 16), 422, "validation_error")
    assert error["details"]["debug_verify_result"] == real_name_proof("王秀英", NUMBER)
    bound = bind(client, headers, proof=error["details"]["debug_verify_result"])
    assert bound.get_json()["real_name_verified"] is True


def test_a_production_drill_of_the_console_never_hands_back_the_proof(app, client, make_citizen):
    app.config.update(APP_ENV="production", IDENTITY_CONSOLE_IN_PRODUCTION=True)
    _, headers = make_citizen(NUMBER, verified=False)
    error = assert_error(bind(client, headers, proof="0" * 16), 422, "validation_error")
    assert set(error["details"]) == {"verify_result"}
    assert real_name_proof("王秀英", NUMBER) not in str(error)


def test_a_proof_for_another_person_does_not_confirm_this_one(client, make_citizen):
    _, headers = make_citizen(NUMBER, verified=False)
    someone_else = real_name_proof("李四", "440524188001010014")
    assert_error(bind(client, headers, proof=someone_else), 422, "validation_error")


def test_the_real_holder_whose_number_was_taken_is_sent_to_a_window(client, make_citizen):
    make_citizen(NUMBER, phone="13911110000")
    _, headers = make_citizen("440524188001010014", phone="13922220000", verified=False)
    error = assert_error(bind(client, headers), 409, "conflict")
    assert "窗口" in error["message"]


def test_with_online_verification_closed_residents_are_sent_to_a_window(app, client, make_citizen):
    app.config["IDENTITY_VERIFIER"] = "none"
    _, headers = make_citizen(NUMBER, verified=False)
    error = assert_error(bind(client, headers), 503, "service_unavailable")
    assert "窗口" in error["message"]


PRODUCTION = {
    "APP_ENV": "production",
    "SECRET_KEY": TEST_SECRET,
    "JWT_SECRET_KEY": TEST_SECRET,
    "FIELD_ENCRYPTION_KEY": TEST_SECRET,
}


def test_production_closes_online_verification_by_default():
    assert from_environment(PRODUCTION)["IDENTITY_VERIFIER"] == "none"
    check_settings(from_environment(PRODUCTION))


def test_production_refuses_the_console_stand_in_unless_a_drill_says_so():
    with pytest.raises(ConfigError, match="IDENTITY_VERIFIER"):
        check_settings(from_environment({**PRODUCTION, "IDENTITY_VERIFIER": "console"}))
    drill = {**PRODUCTION, "IDENTITY_VERIFIER": "console", "IDENTITY_CONSOLE_IN_PRODUCTION": "1"}
    check_settings(from_environment(drill))


def test_an_unknown_verifier_stops_the_app():
    with pytest.raises(ConfigError, match="IDENTITY_VERIFIER"):
        from_environment({"IDENTITY_VERIFIER": "trust-me"})


def _resident(phone: str) -> User:
    return users.create_user(db.session, role=Role.CITIZEN, name="用户", phone=phone)


def test_two_binds_of_one_number_at_once_give_exactly_one_account(app, demo):
    from flask_jwt_extended import create_access_token

    accounts = [_resident(f"1391111000{n}") for n in range(2)]
    db.session.commit()
    headers = [{"Authorization": f"Bearer {create_access_token(a)}"} for a in accounts]
    start = threading.Barrier(len(headers))
    answers: list[int] = []
    proof = real_name_proof("王秀英", NUMBER)

    def bind_at_once(header):
        client = app.test_client()
        start.wait()
        answers.append(bind(client, header, proof=proof).status_code)

    threads = [threading.Thread(target=bind_at_once, args=(h,)) for h in headers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Counter(answers) == {200: 1, 409: 1}
    db.session.expire_all()
    verified = db.session.scalars(select(User).where(User.real_name_verified.is_(True)))
    assert len(list(verified)) == 1


def test_the_database_itself_refuses_a_second_verified_account_for_a_number(demo):
    first, second = _resident("13911110001"), _resident("13911110002")
    for account in (first, second):
        users.set_id_number(account, NUMBER)
    first.real_name_verified = True
    db.session.commit()
    second.real_name_verified = True
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_an_unverified_account_may_carry_a_number_a_verified_one_holds(demo):
    """Only verified bindings are unique: a half-finished claim blocks nobody."""
    first, second = _resident("13911110001"), _resident("13911110002")
    for account in (first, second):
        users.set_id_number(account, NUMBER)
    first.real_name_verified = True
    db.session.commit()
    assert second.id_number_index == first.id_number_index
