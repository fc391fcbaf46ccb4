"""The county opens, adjusts and closes disaster events; staff see the events that
touch their region, with the reporting status of every affected region."""

from tests.disaster.conftest import OTHER_TOWNSHIP, TOWNSHIP, VILLAGE, hours_ago


def test_county_staff_open_an_event_over_townships_and_villages(client, login, open_event):
    event = open_event(region_codes=[OTHER_TOWNSHIP, VILLAGE], response_level="IV")
    assert (event["status"], event["type_label"], event["response_level"]) == (
        "open",
        "洪涝",
        "IV",
    )
    regions = {r["region_code"]: r for r in event["regions"]}
    # The township of a named village joins as the counting unit.
    assert set(regions) == {OTHER_TOWNSHIP, VILLAGE, TOWNSHIP}
    assert (regions[TOWNSHIP]["named"], regions[VILLAGE]["named"]) == (False, True)
    assert {r["status"] for r in event["regions"]} == {"not_reported"}
    assert event["totals"]["affected_population"] == 0


def test_only_county_staff_open_events(client, login):
    body = {
        "type": "flood",
        "name": "洪涝",
        "started_at": hours_ago(1),
        "region_codes": [TOWNSHIP],
    }
    for username in ("town01", "officer0101", "agent0101"):
        response = client.post("/api/v1/disaster-events", json=body, headers=login(username))
        assert response.status_code == 403, username


def test_an_event_needs_valid_type_time_and_regions_with_the_field_named(client, login):
    good = {"type": "flood", "name": "洪涝", "started_at": hours_ago(1), "region_codes": [TOWNSHIP]}
    bad_values = {
        "type": "meteor",
        "name": "",
        "started_at": hours_ago(-3),
        "region_codes": [],
        "response_level": "V",
    }
    for field, value in bad_values.items():
        response = client.post(
            "/api/v1/disaster-events", json={**good, field: value}, headers=login("county01")
        )
        assert response.status_code == 422, field
        assert field in response.get_json()["error"]["details"], field
    for codes, message in (
        (["990100000000"], "受灾地区应为乡镇或村(社区)"),
        (["990199000000"], "找不到该地区,或不在本县"),
        (["12345"], "区划代码应为12位数字"),
    ):
        response = client.post(
            "/api/v1/disaster-events",
            json={**good, "region_codes": codes},
            headers=login("county01"),
        )
        assert response.status_code == 422
        assert response.get_json()["error"]["details"]["region_codes.0"] == [message]


def test_staff_see_only_events_touching_their_region(client, login, open_event):
    event = open_event(region_codes=[VILLAGE])
    for username, status in (
        ("county01", 200),
        ("town01", 200),
        ("officer01", 200),
        ("officer0101", 200),
        ("town02", 404),
        ("agent0101", 404),
    ):
        response = client.get(f"/api/v1/disaster-events/{event['id']}", headers=login(username))
        assert response.status_code == status, username
    listed = client.get("/api/v1/disaster-events", headers=login("town02")).get_json()
    assert listed["items"] == []


def test_closing_an_event_is_audited_and_happens_once(client, login, open_event):
    event = open_event()
    url = f"/api/v1/disaster-events/{event['id']}/close"
    closed = client.post(url, headers=login("county01"))
    assert closed.status_code == 200
    assert closed.get_json()["status"] == "closed"
    assert closed.get_json()["final_due_on"] is not None
    assert client.post(url, headers=login("county01")).status_code == 409
    logs = client.get("/api/v1/audit-logs", headers=login("admin")).get_json()["items"]
    assert "disaster_event.close" in {row["action"] for row in logs}


def test_the_response_level_can_be_raised_while_the_event_is_open(client, login, open_event):
    event = open_event()
    url = f"/api/v1/disaster-events/{event['id']}/response-level"
    raised = client.post(url, json={"response_level": "II"}, headers=login("county01"))
    assert raised.get_json()["response_level"] == "II"
    refused = client.post(url, json={"response_level": "0"}, headers=login("county01"))
    assert refused.status_code == 422
    assert "response_level" in refused.get_json()["error"]["details"]


def test_opening_an_event_twice_with_one_idempotency_key_opens_one(client, login):
    body = {"type": "hail", "name": "风雹", "started_at": hours_ago(1), "region_codes": [TOWNSHIP]}
    headers = {**login("county01"), "Idempotency-Key": "event-1"}
    first = client.post("/api/v1/disaster-events", json=body, headers=headers)
    again = client.post("/api/v1/disaster-events", json=body, headers=headers)
    assert again.get_json()["id"] == first.get_json()["id"]
    listed = client.get("/api/v1/disaster-events", headers=login("county01")).get_json()
    assert len(listed["items"]) == 1
