"""Acts of the registry office that change a legal state or the office's settings are
on the audit log with who acted and from where: a registration completed, a ballot
drawn, an office day or a slot's capacity changed."""

from datetime import timedelta

from sqlalchemy import select

from backend.extensions import db
from backend.models import AuditLog
from backend.services import clock
from backend.services.users import find_by_username
from tests.marriage.helpers import book_earlier

ADDRESS = {"REMOTE_ADDR": "10.1.2.3"}


def audited(action: str) -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action)))


def test_a_completed_registration_is_audited_with_the_registrar_and_address(
    client, login, make_slot
):
    appointment = book_earlier(make_slot(clock.today()))
    headers = login("registrar01")
    client.post(
        f"/api/v1/appointments/{appointment.id}/check-in",
        json={"checkin_code": appointment.checkin_code},
        headers=headers,
    )
    done = client.post(
        f"/api/v1/appointments/{appointment.id}/complete", headers=headers, environ_base=ADDRESS
    )
    assert done.status_code == 200
    [row] = audited("marriage.complete")
    registrar = find_by_username(db.session, "registrar01")
    assert (row.actor_id, row.ip) == (registrar.id, "10.1.2.3")
    assert (row.before_status, row.after_status) == ("checked_in", "completed")


def test_office_days_and_capacities_are_audited(client, login, office, make_slot):
    headers = login("registrar01")
    day = clock.today() + timedelta(days=40)
    opened = client.post(
        f"/api/v1/registry-offices/{office.id}/days",
        json={"date": day.isoformat(), "kind": "open", "note": "七夕加班"},
        headers=headers,
    )
    assert opened.status_code == 200, opened.get_json()
    slot = make_slot(day)
    resized = client.patch(f"/api/v1/slots/{slot.id}", json={"capacity": 5}, headers=headers)
    assert resized.status_code == 200, resized.get_json()
    [day_row] = audited("marriage.office_day")
    assert day_row.note == f"{day.isoformat()} open"
    [capacity_row] = audited("marriage.slot_capacity")
    assert capacity_row.note == "5"


def test_changed_office_settings_are_audited_naming_the_settings(client, login, office):
    changed = client.patch(
        f"/api/v1/registry-offices/{office.id}",
        json={"max_days_ahead": 60, "release_time": "09:30"},
        headers=login("registrar01"),
    )
    assert changed.status_code == 200, changed.get_json()
    [row] = audited("marriage.office_settings")
    assert row.note == "max_days_ahead,release_time"
