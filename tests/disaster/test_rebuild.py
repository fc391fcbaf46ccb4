"""倒房重建: collapsed houses recorded per household and village, moved planned →
building → rebuilt with their dates, counted in the summary."""

import pytest

from backend.services import clock
from tests.disaster.conftest import OTHER_TOWNSHIP, TOWNSHIP, VILLAGE


@pytest.fixture
def record_house(client, login):
    def record_house(event, username="town01", **body):
        body = {"region_code": VILLAGE, "household_head": "李德福", "rooms": 3, **body}
        return client.post(
            f"/api/v1/disaster-events/{event['id']}/collapsed-houses",
            json=body,
            headers=login(username),
        )

    return record_house


def progress(client, login, house, status, on, username="town01"):
    return client.post(
        f"/api/v1/collapsed-houses/{house['id']}/progress",
        json={"status": status, "on": on},
        headers=login(username),
    )


def test_a_collapsed_house_goes_from_planned_to_building_to_rebuilt(
    client, login, open_event, record_house
):
    event = open_event()
    house = record_house(event).get_json()
    assert (house["status"], house["status_label"]) == ("planned", "计划重建")
    today = clock.today().isoformat()
    assert progress(client, login, house, "rebuilt", today).status_code == 409
    building = progress(client, login, house, "building", today).get_json()
    assert (building["status"], building["started_on"]) == ("building", today)
    rebuilt = progress(client, login, house, "rebuilt", today).get_json()
    assert (rebuilt["status"], rebuilt["completed_on"]) == ("rebuilt", today)
    assert progress(client, login, house, "rebuilt", today).status_code == 409


def test_the_summary_counts_houses_by_status(client, login, open_event, record_house):
    event = open_event()
    houses = [record_house(event, rooms=rooms).get_json() for rooms in (2, 3, 4)]
    progress(client, login, houses[0], "building", clock.today().isoformat())
    summary = client.get(
        f"/api/v1/disaster-events/{event['id']}/summary", headers=login("county01")
    ).get_json()
    assert summary["rebuild"] == {
        "planned": 2,
        "building": 1,
        "rebuilt": 0,
        "households": 3,
        "rooms": 9,
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("region_code", "abc"),
        ("household_head", ""),
        ("rooms", 0),
        ("rooms", 2.5),
        ("rooms", "3"),
        ("note", "字" * 501),
    ],
)
def test_bad_house_fields_are_named(open_event, record_house, field, value):
    response = record_house(open_event(), **{field: value})
    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]


def test_a_house_is_recorded_in_a_village_of_the_event_and_of_the_caller(open_event, record_house):
    event = open_event()
    township = record_house(event, region_code=TOWNSHIP)
    assert township.get_json()["error"]["details"] == {"region_code": ["倒房户应登记到村(社区)"]}
    assert record_house(event, username="town02").status_code == 404
    assert record_house(event, username="agent0101").status_code == 403
    outside = record_house(open_event(region_codes=[OTHER_TOWNSHIP]), username="county01")
    assert outside.get_json()["error"]["details"] == {
        "region_code": ["该地区不在本次灾情的受灾范围内"]
    }


def test_progress_dates_are_checked(client, login, open_event, record_house):
    house = record_house(open_event()).get_json()
    for status, on in (
        ("building", "2999-01-01"),
        ("building", "01/02/2026"),
        ("done", "2026-01-01"),
    ):
        response = progress(client, login, house, status, on)
        assert response.status_code == 422, (status, on)
    progress(client, login, house, "building", clock.today().isoformat())
    early = progress(client, login, house, "rebuilt", "2020-01-01")
    assert early.get_json()["error"]["details"] == {"on": ["建成日期不能早于开工日期"]}
    assert (
        progress(client, login, house, "building", clock.today().isoformat(), "town02").status_code
        == 404
    )
