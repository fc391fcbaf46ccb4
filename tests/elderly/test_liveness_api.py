"""生存认证 over HTTP: an agent's visit record, and a selfie checked by the attachments
pipeline on a real worker."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.models import Entitlement, EntitlementReason
from backend.services import clock, entitlements, months
from tests.attachments import files
from tests.elderly.conftest import born
from tests.jobs.workers import run_burst_worker

BIRTH = date(1930, 1, 1)
VISITS = "/api/v1/elderly/liveness-checks/visits"
SELFIES = "/api/v1/elderly/liveness-checks/selfies"


@pytest.fixture
def enrolled(person):
    entitlements.start(
        db.session,
        program="elderly_allowance",
        person=person(BIRTH),
        monthly_amount=Decimal("100.00"),
        from_month="2026-01",
        reason=EntitlementReason.ROSTER,
    )
    db.session.commit()


def a_visit(**change):
    return {
        "id_number": born(BIRTH),
        "visited_on": clock.today().isoformat(),
        "note": "本人在家",
        **change,
    }


def test_the_village_agent_records_a_visit_that_confirms_at_once(client, login, enrolled):
    response = client.post(VISITS, json=a_visit(), headers=login("agent0101"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["status"], body["method"], body["month"]) == (
        "confirmed",
        "visit",
        months.of(clock.today()),
    )
    assert (
        client.get(
            f"/api/v1/elderly/liveness-checks/{body['id']}", headers=login("town01")
        ).status_code
        == 200
    )
    assert (
        client.get(
            f"/api/v1/elderly/liveness-checks/{body['id']}", headers=login("town02")
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id_number": "11010519491231002Y"}, "id_number"),
        ({"id_number": born(date(1931, 1, 1), 5)}, "id_number"),
        ({"visited_on": "2026-1-5"}, "visited_on"),
        ({"visited_on": (clock.today() + timedelta(days=1)).isoformat()}, "visited_on"),
        (
            {"visited_on": (clock.today().replace(day=1) - timedelta(days=1)).isoformat()},
            "visited_on",
        ),
        ({"note": "很" * 501}, "note"),
        ({"photo": "x"}, "photo"),
    ],
)
def test_a_bad_visit_record_is_refused_naming_the_field(client, login, enrolled, change, field):
    response = client.post(VISITS, json=a_visit(**change), headers=login("agent0101"))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["details"]


def test_an_agent_of_another_village_cannot_confirm(client, login, enrolled):
    response = client.post(VISITS, json=a_visit(), headers=login("agent0201"))
    assert response.status_code == 422
    assert "id_number" in response.get_json()["error"]["details"]


def selfie(client, headers, data: bytes):
    return client.post(
        SELFIES,
        data={"file": (io.BytesIO(data), "me.jpg")},
        headers=headers,
        content_type="multipart/form-data",
    )


def test_a_selfie_passing_the_pipeline_restarts_a_stopped_payment(
    app, client, make_citizen, enrolled
):
    today = clock.today()
    db.session.execute(
        Entitlement.__table__.update().values(
            to_month=months.add(months.of(today), -2), end_reason="liveness_stop"
        )
    )
    db.session.commit()
    _, headers = make_citizen(born(BIRTH), name="李大爷")
    response = selfie(client, headers, files.phone_jpeg())
    assert response.status_code == 202, response.get_json()
    run_burst_worker(app, ["attachments", "notifications"])
    db.session.rollback()  # read what the worker committed
    check = client.get(
        f"/api/v1/elderly/liveness-checks/{response.get_json()['id']}", headers=headers
    )
    assert check.get_json()["status"] == "confirmed"
    restarted = db.session.scalar(select(Entitlement).where(Entitlement.to_month.is_(None)))
    assert restarted.from_month == months.of(today)


def test_a_dark_selfie_is_refused_with_the_pipeline_reason(app, client, make_citizen, enrolled):
    _, headers = make_citizen(born(BIRTH), name="李大爷")
    check_id = selfie(client, headers, files.dark_jpeg()).get_json()["id"]
    run_burst_worker(app, ["attachments"])
    db.session.rollback()
    body = client.get(f"/api/v1/elderly/liveness-checks/{check_id}", headers=headers).get_json()
    assert body["status"] == "rejected" and body["reason"]


def test_an_empty_selfie_is_refused_naming_the_file(client, make_citizen, enrolled):
    _, headers = make_citizen(born(BIRTH), name="李大爷")
    response = selfie(client, headers, b"")
    assert response.status_code == 422
    assert "file" in response.get_json()["error"]["details"]


def test_a_selfie_from_someone_not_receiving_the_allowance_is_refused(
    client, make_citizen, enrolled
):
    _, headers = make_citizen(born(date(1931, 2, 2), 6), name="张三")
    response = selfie(client, headers, files.phone_jpeg())
    assert response.status_code == 422
    assert "file" in response.get_json()["error"]["details"]


def test_a_selfie_without_a_file_is_refused_naming_the_file(client, make_citizen, enrolled):
    _, headers = make_citizen(born(BIRTH), name="李大爷")
    response = client.post(SELFIES, data={}, headers=headers, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "file" in response.get_json()["error"]["details"]
