"""高龄津贴 applications: by the person, a relative or an agent with the mandate; the
age gate through the county's bands; one allowance per person; township review and
county approval at the band's amount, paid through an entitlement."""

from datetime import date

import pytest

from backend.extensions import db
from backend.models import Application, Entitlement
from backend.models.attachment import ReviewStatus
from backend.services import clock, entitlements
from backend.services.workflow import APPEAL_NOTICE
from tests.elderly.conftest import born
from tests.factories import file_material

VILLAGE = "990101001000"
DAUGHTER = born(date(1965, 1, 1), serial=7)


def aged(years: int, serial: int = 1) -> str:
    """The identity number of someone who turned `years` last January."""
    return born(date(clock.today().year - years, 1, 1), serial)


def body(id_number: str, **changes) -> dict:
    return {
        "type": "elderly_allowance",
        "region_code": VILLAGE,
        "applicant": {"name": "李大爷", "id_number": id_number},
        "on_behalf": True,
        **changes,
    }


def post(client, login, payload, username="agent0101"):
    return client.post("/api/v1/applications", json=payload, headers=login(username))


@pytest.fixture
def step(client, login):
    def step(case, username, action, comment="", fresh=False):
        return client.post(
            f"/api/v1/applications/{case['id']}/actions",
            json={"action": action, "version": case["version"], "comment": comment},
            headers=login(username, fresh=fresh),
        )

    return step


@pytest.fixture
def accepted(client, login, step):
    """accepted(id_number) -> an agent's case the township accepted, materials accepted."""

    def accepted(id_number: str):
        case = post(client, login, body(id_number)).get_json()
        for kind in ("id_card", "hukou", "mandate"):
            file_material(case["id"], kind)
        db.session.commit()
        for username, action in (("agent0101", "submit"), ("town01", "accept")):
            response = step(case, username, action)
            assert response.status_code == 200, response.get_json()
            case = response.get_json()
        return case

    return accepted


def test_a_ninety_year_old_is_approved_at_the_bands_amount_with_a_fresh_token(accepted, step):
    case = accepted(aged(92))
    assert case["allowed_actions"] == ["return", "township_approve", "propose_rejection"]
    approved = step(case, "town01", "township_approve")
    assert approved.status_code == 200, approved.get_json()
    proposed = approved.get_json()
    assert (proposed["status"], proposed["monthly_amount"]) == ("pending_confirmation", "100.00")
    assert proposed["publicity_ends_on"] is None  # 高龄津贴 is not publicised
    assert step(proposed, "county01", "county_approve").status_code == 401
    decided = step(proposed, "county01", "county_approve", fresh=True).get_json()
    assert decided["status"] == "approved"
    assert decided["monthly_amount"] == "100.00"
    assert decided["start_month"] == f"{clock.today():%Y-%m}"
    paid = db.session.get(Application, decided["id"])
    running = entitlements.running(db.session, "elderly_allowance", paid.applicant_id_index)
    assert (running.monthly_amount, running.from_month) == (100, decided["start_month"])


def test_a_centenarian_is_paid_the_hundred_plus_band(accepted, step):
    case = step(accepted(aged(101)), "town01", "township_approve").get_json()
    assert case["monthly_amount"] == "300.00"


def test_approving_an_elderly_case_never_answers_500_and_needs_every_material(client, login, step):
    case = post(client, login, body(aged(95))).get_json()
    file_material(case["id"], "mandate", ReviewStatus.UNREVIEWED)
    db.session.commit()
    case = step(case, "agent0101", "submit").get_json()
    case = step(case, "town01", "accept").get_json()
    response = step(case, "town01", "township_approve")
    assert response.status_code == 409
    missing = response.get_json()["error"]["details"]["missing_materials"]
    assert [m["kind"] for m in missing] == ["id_card", "hukou", "mandate"]


def test_under_every_band_is_422_giving_the_day_the_person_becomes_eligible(client, login):
    birth = date(clock.today().year - 85, 3, 15)
    response = post(client, login, body(born(birth)))
    assert response.status_code == 422
    error = response.get_json()["error"]
    eligible_on = date(birth.year + 90, 3, 1).isoformat()
    assert error["details"]["eligible_on"] == [eligible_on]
    assert eligible_on in error["message"]
    assert "applicant.id_number" in error["details"]
    assert db.session.query(Application).count() == 0


def test_a_person_with_a_case_under_way_is_409_naming_it(client, login):
    first = post(client, login, body(aged(93))).get_json()
    response = post(client, login, body(aged(93)))
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert first["number"] in error["message"]
    assert error["details"]["application_id"] == first["id"]


def test_a_withdrawn_case_does_not_stand_in_the_way(client, login, step):
    first = post(client, login, body(aged(93))).get_json()
    assert step(first, "agent0101", "withdraw").status_code == 200
    assert post(client, login, body(aged(93))).status_code == 201


def test_a_person_enrolled_from_the_roster_is_409_naming_the_enrolment(client, login, person):
    enrolled = person(date(clock.today().year - 94, 1, 1))
    entitlements.start(
        db.session,
        program="elderly_allowance",
        monthly_amount=100,
        from_month=f"{clock.today():%Y-%m}",
        reason="roster",
        person=enrolled,
    )
    db.session.commit()
    response = post(client, login, body(aged(94)))
    assert response.status_code == 409
    assert response.get_json()["error"]["details"]["from_month"] == f"{clock.today():%Y-%m}"


def test_the_person_applies_for_themselves(client, login, make_citizen, step):
    id_number = aged(91)
    _, headers = make_citizen(id_number, name="李大爷")
    response = client.post(
        "/api/v1/applications", json=body(id_number, on_behalf=False), headers=headers
    )
    assert response.status_code == 201, response.get_json()
    case = response.get_json()
    assert [m["kind"] for m in case["missing_materials"]] == ["id_card", "hukou"]
    submit = client.post(
        f"/api/v1/applications/{case['id']}/actions",
        json={"action": "submit", "version": case["version"]},
        headers=headers,
    )
    assert submit.status_code == 200  # no mandate when applying for oneself


def test_a_relative_applies_with_the_mandate_and_follows_the_case(client, login, make_citizen):
    _, daughter = make_citizen(DAUGHTER, name="李秀英")
    response = client.post("/api/v1/applications", json=body(aged(96)), headers=daughter)
    assert response.status_code == 201, response.get_json()
    case = response.get_json()
    submit = client.post(
        f"/api/v1/applications/{case['id']}/actions",
        json={"action": "submit", "version": case["version"]},
        headers=daughter,
    )
    assert submit.status_code == 422
    assert "mandate" in submit.get_json()["error"]["details"]
    seen = client.get(f"/api/v1/applications/{case['id']}", headers=daughter)
    assert seen.status_code == 200


def test_a_relative_cannot_apply_for_a_dibao_household(client, login, make_citizen):
    _, daughter = make_citizen(DAUGHTER, name="李秀英")
    payload = {**body(aged(96)), "type": "dibao"}
    assert client.post("/api/v1/applications", json=payload, headers=daughter).status_code == 422


def test_the_township_proposes_a_refusal_and_the_county_refuses_in_writing(accepted, step):
    case = accepted(aged(92))
    assert step(case, "town01", "propose_rejection", comment=" ").status_code == 422
    proposed = step(case, "town01", "propose_rejection", comment="户籍不在本县").get_json()
    assert (proposed["status"], proposed["monthly_amount"]) == ("rejection_proposed", None)
    refused = step(proposed, "county01", "county_reject", comment="户籍不在本县", fresh=True)
    body_ = refused.get_json()
    assert (body_["status"], body_["decision_reason"]) == ("rejected", "户籍不在本县")
    assert body_["appeal"] == APPEAL_NOTICE


def test_terminating_ends_the_payment_this_month(accepted, step):
    case = step(accepted(aged(92)), "town01", "township_approve").get_json()
    case = step(case, "county01", "county_approve", fresh=True).get_json()
    ended = step(case, "county01", "terminate", comment="迁出本县", fresh=True).get_json()
    assert (ended["status"], ended["exit_month"]) == ("terminated", f"{clock.today():%Y-%m}")
    row = db.session.query(Entitlement).one()
    assert (row.to_month, row.end_reason) == (f"{clock.today():%Y-%m}", "termination")


def test_elderly_cases_have_no_public_notice(client):
    response = client.get(f"/api/v1/public/notices?program=elderly_allowance&region_code={VILLAGE}")
    assert response.status_code == 422
    assert "program" in response.get_json()["error"]["details"]
