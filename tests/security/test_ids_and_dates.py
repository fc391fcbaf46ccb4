"""Out-of-range ids and dates: one bounded id converter on every integer route, strict
planning dates for office days, slot generation and schedules — 4xx, never 500."""

import pytest
from werkzeug.routing import IntegerConverter

from backend.api.converters import LARGEST_ID, IdConverter
from tests.api.auth_support import assert_error

OUT_OF_RANGE = ("9223372036854775808", "18446744073709551617", "1" + "0" * 30, "0", "007")


def id_rules(app):
    """The API's routes taking an id (the portal's page shells answer any id and let
    the page ask the API, which is what decides)."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") and any(
            isinstance(c, IdConverter) for c in rule._converters.values()
        ):
            yield rule


def url_for_ids(rule, value) -> str:
    path = rule.rule
    for name, converter in rule._converters.items():
        filler = str(value) if isinstance(converter, IdConverter) else "2027-03-01"
        path = path.replace(f"<{_spec(rule, name)}:{name}>", filler)
    return path


def _spec(rule, name) -> str:
    start = rule.rule.index(f":{name}>")
    return rule.rule[rule.rule.rindex("<", 0, start) + 1 : start]


def test_every_integer_route_takes_the_one_bounded_id_converter(app):
    plain = [
        rule.rule
        for rule in app.url_map.iter_rules()
        for converter in rule._converters.values()
        if isinstance(converter, IntegerConverter) and not isinstance(converter, IdConverter)
    ]
    assert plain == []
    assert len(list(id_rules(app))) >= 30


def test_every_route_answers_an_out_of_range_id_with_404(app, client, login):
    admin = login("admin")
    for rule in id_rules(app):
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            for value in OUT_OF_RANGE:
                response = client.open(
                    url_for_ids(rule, value), method=method, json={}, headers=admin
                )
                assert response.status_code == 404, (method, rule.rule, value)
                assert response.get_json()["error"]["code"] == "not_found"


def test_every_route_answers_the_largest_id_without_a_server_error(app, client, login):
    for username in ("admin", "county01", "agent0101"):
        headers = login(username, fresh=True)
        for rule in id_rules(app):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                url = url_for_ids(rule, LARGEST_ID)
                response = client.open(url, method=method, json={}, headers=headers)
                assert 400 <= response.status_code < 500, (method, rule.rule, response.status_code)


def test_fullwidth_digits_match_no_record(client, login):
    assert_error(client.get("/api/v1/applications/１", headers=login("admin")), 404, "not_found")


BAD_DAYS = ["0001-01-01", "20270301", "2027-W01-1", "9999-12-31", "2027-02-30", "1999-12-31"]


@pytest.mark.parametrize("day", BAD_DAYS)
def test_an_office_day_must_be_a_plain_date_within_the_planning_years(client, login, office, day):
    body = {"date": day, "kind": "open", "note": ""}
    response = client.post(
        f"/api/v1/registry-offices/{office.id}/days", json=body, headers=login("registrar01")
    )
    assert "date" in assert_error(response, 422, "validation_error")["details"]


@pytest.mark.parametrize("day", BAD_DAYS)
def test_clearing_an_office_day_takes_the_same_dates(client, login, office, day):
    response = client.delete(
        f"/api/v1/registry-offices/{office.id}/days/{day}", headers=login("registrar01")
    )
    assert "date" in assert_error(response, 422, "validation_error")["details"]


@pytest.mark.parametrize("day", BAD_DAYS)
def test_slot_generation_takes_only_plain_dates_within_the_planning_years(
    client, login, office, day
):
    for body, field in (
        ({"from": day, "to": "2027-03-02"}, "from"),
        ({"from": "2027-03-01", "to": day}, "to"),
    ):
        response = client.post(
            f"/api/v1/registry-offices/{office.id}/slots/generate",
            json=body,
            headers=login("registrar01"),
        )
        assert field in assert_error(response, 422, "validation_error")["details"]


def test_the_last_planning_day_generates_without_error(client, login, office):
    body = {"from": "2099-12-30", "to": "2099-12-31"}
    response = client.post(
        f"/api/v1/registry-offices/{office.id}/slots/generate",
        json=body,
        headers=login("registrar01"),
    )
    assert response.status_code == 201, response.get_json()


@pytest.mark.parametrize("day", BAD_DAYS)
def test_slot_listing_and_schedule_dates_are_strict(client, login, office, day):
    listing = client.get(f"/api/v1/registry-offices/{office.id}/slots?from={day}")
    assert "from" in assert_error(listing, 422, "validation_error")["details"]
    schedule = client.get(
        f"/api/v1/registry-offices/{office.id}/schedule?date={day}", headers=login("registrar01")
    )
    assert "date" in assert_error(schedule, 422, "validation_error")["details"]
