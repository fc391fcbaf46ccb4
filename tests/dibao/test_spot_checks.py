"""抽查: at least 10 % of a township's approved cases, drawn reproducibly from a seed."""

import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.models import Application, AuditLog
from backend.services.spot_checks import draw_order

CHENGGUAN = "990101000000"


# Paid, however far a re-review or a gradual exit has gone; and not (yet, any more) paid.
PAID = ("approved", "under_rereview", "exiting")
UNPAID = ("pending_confirmation", "terminated")


@pytest.fixture
def approved_cases(open_case):
    """Twelve paid 低保 households in 城关镇, two in 河口乡, two unpaid in 城关镇, and a
    paid elderly allowance in 城关镇 (not 低保: never drawn)."""
    ids = []
    for serial, status in enumerate(PAID * 4 + PAID[:2] + UNPAID):
        agent = "agent0101" if serial < 12 or serial >= 14 else "agent0201"
        case = open_case(agent, id_number=resident(serial))
        db.session.get(Application, case["id"]).status = status
        ids.append(case["id"])
    elderly = open_case(id_number=resident(99), program="elderly_allowance")
    db.session.get(Application, elderly["id"]).status = "approved"
    db.session.commit()
    return ids[:12], ids[12:14]


def resident(serial: int) -> str:
    from stdnum.cn import ric

    body = f"11010519300101{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


def draw(client, login, **changes):
    body = {"township": CHENGGUAN, "ratio": 0.1, **changes}
    return client.post("/api/v1/spot-checks", json=body, headers=login("county01"))


def test_a_tenth_of_twelve_paid_cases_rounds_up_to_two(client, login, approved_cases):
    chengguan, _ = approved_cases
    check = draw(client, login, seed="2026-11").get_json()
    sampled = [case["application_id"] for case in check["cases"]]
    assert check["population"] == 12
    assert len(sampled) == 2
    assert set(sampled) <= set(chengguan)


def test_the_same_seed_draws_the_same_sample(client, login, approved_cases):
    first = draw(client, login, seed="county-2026").get_json()
    again = draw(client, login, seed="county-2026").get_json()
    assert first["cases"] == again["cases"]
    chengguan, _ = approved_cases
    expected = draw_order("county-2026", chengguan, 2)
    assert [case["application_id"] for case in first["cases"]] == expected


def test_without_a_seed_one_is_made_and_recorded(client, login, approved_cases):
    check = draw(client, login).get_json()
    assert len(check["seed"]) == 16


def test_results_are_recorded_per_case(client, login, approved_cases):
    check = draw(client, login, ratio="0.25", seed="s").get_json()
    first = check["cases"][0]["application_id"]
    url = f"/api/v1/spot-checks/{check['id']}/cases/{first}/result"
    missing_note = client.post(url, json={"result": "discrepancy"}, headers=login("county01"))
    assert missing_note.status_code == 422
    found = client.post(
        url, json={"result": "discrepancy", "note": "家中新增务工收入"}, headers=login("county01")
    ).get_json()
    [recorded] = [c for c in found["cases"] if c["application_id"] == first]
    assert (recorded["result"], recorded["note"]) == ("discrepancy", "家中新增务工收入")
    assert recorded["checked_at"]


def test_a_discrepancy_sends_the_household_to_re_review_with_the_finding(
    client, login, approved_cases
):
    chengguan, _ = approved_cases
    check = draw(client, login, ratio="1", seed="s").get_json()
    approved = next(i for i in chengguan if reload(i).status == "approved")
    url = f"/api/v1/spot-checks/{check['id']}/cases/{approved}/result"
    body = {"result": "discrepancy", "note": "家中新增务工收入"}
    assert client.post(url, json=body, headers=login("county01")).status_code == 200
    case = client.get(f"/api/v1/applications/{approved}", headers=login("county01")).get_json()
    assert case["status"] == "under_rereview"
    assert case["timeline"][-1]["comment"] == "抽查发现:家中新增务工收入"
    assert case["days_left"] == 10


def test_a_confirmed_household_stays_as_it_is(client, login, approved_cases):
    chengguan, _ = approved_cases
    check = draw(client, login, ratio="1", seed="s").get_json()
    approved = next(i for i in chengguan if reload(i).status == "approved")
    url = f"/api/v1/spot-checks/{check['id']}/cases/{approved}/result"
    response = client.post(url, json={"result": "confirmed"}, headers=login("county01"))
    assert response.status_code == 200
    assert reload(approved).status == "approved"


def test_draws_and_results_are_audited(client, login, approved_cases):
    check = draw(client, login, seed="audit-me").get_json()
    first = check["cases"][0]["application_id"]
    url = f"/api/v1/spot-checks/{check['id']}/cases/{first}/result"
    client.post(url, json={"result": "confirmed"}, headers=login("county01"))
    entries = db.session.scalars(
        select(AuditLog).where(AuditLog.action.startswith("spot_check.")).order_by(AuditLog.id)
    ).all()
    assert [(e.action, e.note) for e in entries] == [
        ("spot_check.draw", "seed audit-me"),
        ("spot_check.result", "confirmed"),
    ]
    assert entries[1].object_id == str(first)


def reload(case_id: int) -> Application:
    db.session.expire_all()
    return db.session.get(Application, case_id)


def test_a_case_outside_the_sample_is_404(client, login, approved_cases):
    check = draw(client, login, seed="s").get_json()
    _, hekou = approved_cases
    url = f"/api/v1/spot-checks/{check['id']}/cases/{hekou[0]}/result"
    response = client.post(url, json={"result": "confirmed"}, headers=login("county01"))
    assert response.status_code == 404


def test_only_county_staff_draw(client, login, approved_cases):
    body = {"township": CHENGGUAN, "ratio": 0.1}
    response = client.post("/api/v1/spot-checks", json=body, headers=login("town01"))
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ratio": 0.05}, "ratio"),
        ({"ratio": "0.099"}, "ratio"),
        ({"ratio": 1.5}, "ratio"),
        ({"ratio": "０.２"}, "ratio"),
        ({"ratio": True}, "ratio"),
        ({"ratio": "0.1234"}, "ratio"),
        ({"township": "990101001000"}, "township"),  # a village
        ({"township": "990100000000"}, "township"),  # the county
        ({"township": "99010100000"}, "township"),
        ({"seed": "has space"}, "seed"),
        ({"population": 3}, "population"),
    ],
)
def test_bad_draws_are_422_naming_the_field(client, login, approved_cases, change, field):
    response = draw(client, login, **change)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["details"]
