"""Abuse controls: repeated cancellations block online booking like repeated no-shows;
a lockout holds only the address the wrong passwords came from."""

from backend.extensions import db
from backend.services import auth
from backend.services.users import find_by_username
from tests.api.auth_support import assert_error, password_login
from tests.marriage.helpers import booking_body, couple

WRONG = "Wrong@2026x"
STRANGER = {"REMOTE_ADDR": "203.0.113.66"}


def wrong_login(client, address):
    body = {"username": "county01", "password": WRONG}
    return client.post("/api/v1/auth/login", json=body, environ_base=address)


def test_a_stranger_locks_only_their_own_address_out(client, demo):
    for _ in range(4):
        assert_error(wrong_login(client, STRANGER), 401, "unauthorized")
    assert_error(wrong_login(client, STRANGER), 429, "rate_limited")
    right = {"username": "county01", "password": "Demo@2026"}
    still_locked = client.post("/api/v1/auth/login", json=right, environ_base=STRANGER)
    assert_error(still_locked, 429, "rate_limited")
    assert password_login(client, "county01").status_code == 200  # staff at their desk


def test_an_administrator_lifts_the_lockouts_of_every_address(client, demo):
    client.application.config["LOGIN_RATE_LIMIT_ACCOUNT"] = "100/minute"
    elsewhere = {"REMOTE_ADDR": "198.51.100.7"}
    for address in (STRANGER, elsewhere):
        for _ in range(5):
            wrong_login(client, address)
    auth.unlock_account(find_by_username(db.session, "county01"))
    db.session.commit()
    right = {"username": "county01", "password": "Demo@2026"}
    for address in (STRANGER, elsewhere):
        response = client.post("/api/v1/auth/login", json=right, environ_base=address)
        assert response.status_code == 200


def test_repeated_cancellations_block_online_booking_but_not_the_counter(
    client, login, make_citizen, make_slot, soon
):
    man, woman = couple(soon)
    _, resident = make_citizen(man["id_number"], name=man["name"], phone=man["phone"])
    slot = make_slot(soon)
    body = booking_body(slot.id, man, woman)
    for _ in range(3):  # the default: three cancellations within 60 days
        booked = client.post("/api/v1/appointments", json=body, headers=resident)
        assert booked.status_code == 201, booked.get_json()
        cancelled = client.post(
            f"/api/v1/appointments/{booked.get_json()['id']}/cancel", headers=resident
        )
        assert cancelled.status_code == 200, cancelled.get_json()
    refused = client.post("/api/v1/appointments", json=body, headers=resident)
    error = assert_error(refused, 409, "action_not_allowed")
    assert "取消预约" in error["message"]
    assert "party_a.id_number" in error["details"]
    at_counter = client.post("/api/v1/appointments", json=body, headers=login("registrar01"))
    assert at_counter.status_code == 201, at_counter.get_json()


def test_the_office_sets_the_cancellation_rule(client, login, office):
    registrar = login("registrar01")
    url = f"/api/v1/registry-offices/{office.id}"
    changed = client.patch(
        url, json={"cancel_limit": 5, "cancel_block_days": 14}, headers=registrar
    )
    assert changed.status_code == 200, changed.get_json()
    assert (changed.get_json()["cancel_limit"], changed.get_json()["cancel_block_days"]) == (5, 14)
    for body, field in (
        ({"cancel_limit": 0}, "cancel_limit"),
        ({"cancel_lookback_days": -1}, "cancel_lookback_days"),
        ({"cancel_block_days": "３０"}, "cancel_block_days"),
    ):
        error = assert_error(
            client.patch(url, json=body, headers=registrar), 422, "validation_error"
        )
        assert field in error["details"]
