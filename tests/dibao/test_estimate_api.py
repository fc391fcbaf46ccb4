"""POST /dibao/estimate and GET /standards: public, exact, dated."""

from datetime import timedelta

import pytest

from backend.services import clock


def estimate(client, **body):
    return client.post("/api/v1/dibao/estimate", json=body)


def test_urban_self_check(demo, client):
    response = estimate(
        client,
        area_type="urban",
        date="2026-06-01",
        members=[{"monthly_income": "0"}, {"monthly_income": "300"}, {"monthly_income": "500.00"}],
    )
    assert response.get_json() == {
        "eligible": True,
        "member_count": 3,
        "per_capita_income": "266.67",
        "standard_monthly": "528.00",
        "monthly_amount": "784.00",
    }


def test_rural_self_check_in_a_village(demo, client):
    response = estimate(
        client,
        area_type="rural",
        region_code="990102001000",
        date="2026-06-01",
        members=[{"monthly_income": "300"}, {"monthly_income": "0"}],
    )
    assert response.get_json()["monthly_amount"] == "418.33"


def test_the_standard_in_force_on_the_date_applies(demo, client, login):
    raised = {
        "area_type": "urban",
        "amount": "600.00",
        "unit": "month",
        "effective_from": "2099-01-01",
    }
    assert (
        client.post("/api/v1/standards", json=raised, headers=login("county01")).status_code == 201
    )
    before = estimate(
        client, area_type="urban", date="2098-12-31", members=[{"monthly_income": "0"}]
    )
    after = estimate(
        client, area_type="urban", date="2099-01-01", members=[{"monthly_income": "0"}]
    )
    assert before.get_json()["standard_monthly"] == "528.00"
    assert after.get_json()["standard_monthly"] == "600.00"


def test_no_standard_yet_on_an_early_date_is_404(demo, client):
    response = estimate(
        client, area_type="urban", date="2020-01-01", members=[{"monthly_income": "0"}]
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"area_type": "suburban", "members": [{"monthly_income": "0"}]}, "area_type"),
        ({"members": [{"monthly_income": "0"}]}, "area_type"),
        ({"area_type": "urban", "members": []}, "members"),
        ({"area_type": "urban", "members": [{"monthly_income": "0"}] * 21}, "members"),
        ({"area_type": "urban", "members": [{"monthly_income": "-1"}]}, "members.0.monthly_income"),
        (
            {"area_type": "urban", "members": [{"monthly_income": "1000001"}]},
            "members.0.monthly_income",
        ),
        (
            {"area_type": "urban", "members": [{"monthly_income": "12.345"}]},
            "members.0.monthly_income",
        ),
        (
            {"area_type": "urban", "members": [{"monthly_income": "１２"}]},
            "members.0.monthly_income",
        ),
        ({"area_type": "urban", "members": [{"monthly_income": True}]}, "members.0.monthly_income"),
        ({"area_type": "urban", "members": [{"monthly_income": 1.5}]}, "members.0.monthly_income"),
        (
            {"area_type": "urban", "members": [{"monthly_income": "NaN"}]},
            "members.0.monthly_income",
        ),
        ({"area_type": "urban", "members": [{}]}, "members.0.monthly_income"),
        (
            {"area_type": "urban", "members": [{"monthly_income": "0"}], "date": "2026-02-29"},
            "date",
        ),
        (
            {
                "area_type": "urban",
                "members": [{"monthly_income": "0"}],
                "region_code": "990199000000",
            },
            "region_code",
        ),
        (
            {"area_type": "urban", "members": [{"monthly_income": "0"}], "eligible": True},
            "eligible",
        ),
    ],
)
def test_bad_self_check_input_is_422_naming_the_field(demo, client, body, field):
    response = client.post("/api/v1/dibao/estimate", json=body)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["details"]


def test_standards_list_history_and_what_is_in_force(demo, client):
    body = client.get("/api/v1/standards").get_json()
    assert body["county_name"] == "示范县"
    urban, rural = sorted(body["dibao"], key=lambda s: s["area_type"], reverse=True)
    assert urban == {
        "area_type": "urban",
        "amount": "528.00",
        "unit": "month",
        "effective_from": "2026-01-01",
        "monthly_equivalent": "528.00",
        "in_force": True,
    }
    assert rural["monthly_equivalent"] == "359.17"
    assert [b["min_age"] for b in body["elderly_bands"]] == [90, 100]


def test_a_future_standard_is_listed_but_not_in_force(demo, client, login):
    client.post(
        "/api/v1/standards",
        headers=login("county01"),
        json={
            "area_type": "rural",
            "amount": "4800",
            "unit": "year",
            "effective_from": "2099-01-01",
        },
    )
    rural = [
        s for s in client.get("/api/v1/standards").get_json()["dibao"] if s["area_type"] == "rural"
    ]
    assert [(s["effective_from"], s["in_force"]) for s in rural] == [
        ("2026-01-01", True),
        ("2099-01-01", False),
    ]


def test_a_standard_is_never_replaced_in_place(demo, client, login):
    body = {"area_type": "urban", "amount": "600", "unit": "month", "effective_from": "2099-01-01"}
    assert client.post("/api/v1/standards", json=body, headers=login("county01")).status_code == 201
    again = client.post(
        "/api/v1/standards", json={**body, "amount": "610"}, headers=login("county01")
    )
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"effective_from": "2020-01-01"}, "effective_from"),
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"unit": "week"}, "unit"),
        ({"area_type": "town"}, "area_type"),
        ({"county_id": 1}, "county_id"),
    ],
)
def test_bad_standards_are_422_naming_the_field(demo, client, login, change, field):
    body = {
        "area_type": "urban",
        "amount": "600",
        "unit": "month",
        "effective_from": "2099-01-01",
        **change,
    }
    response = client.post("/api/v1/standards", json=body, headers=login("county01"))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["details"]


def test_only_county_staff_set_standards(demo, client, login):
    body = {"area_type": "urban", "amount": "600", "unit": "month", "effective_from": "2099-01-01"}
    assert client.post("/api/v1/standards", json=body, headers=login("town01")).status_code == 403


def test_a_standard_cannot_start_on_a_day_already_past(demo, client, login):
    yesterday = clock.today() - timedelta(days=1)
    body = {"area_type": "urban", "amount": "600", "unit": "month"}
    late = {**body, "effective_from": yesterday.isoformat()}
    refused = client.post("/api/v1/standards", json=late, headers=login("county01"))
    assert refused.status_code == 422
    assert "effective_from" in refused.get_json()["error"]["details"]
    today = {**body, "effective_from": clock.today().isoformat()}
    assert (
        client.post("/api/v1/standards", json=today, headers=login("county01")).status_code == 201
    )
