"""The roll-up: the latest report of every village summed into its township, every
township into the county; a township's own report stands for the whole of it; out of
order arrivals and corrections land right; late initial reports are listed."""

from tests.disaster.conftest import OTHER_TOWNSHIP, OTHER_VILLAGE, TOWNSHIP, VILLAGE

THIRD_VILLAGE = "990101003000"  # 南关村


def summary(client, login, event, username="county01", region_code=None):
    query = f"?region_code={region_code}" if region_code else ""
    response = client.get(
        f"/api/v1/disaster-events/{event['id']}/summary{query}", headers=login(username)
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_villages_sum_into_their_township_and_townships_into_the_county(
    client, login, open_event, send_report
):
    event = open_event(region_codes=[TOWNSHIP, OTHER_TOWNSHIP])
    send_report(event, {"affected_population": 100, "crop_affected_ha": "1.25"})
    send_report(
        event,
        {"affected_population": 50, "crop_affected_ha": "2.50"},
        username="officer01",
        region_code=OTHER_VILLAGE,
    )
    county = summary(client, login, event)
    assert county["region_code"] == "990100000000"
    assert county["totals"]["affected_population"] == 150
    assert county["totals"]["crop_affected_ha"] == "3.75"
    rows = {c["region_code"]: c for c in county["children"]}
    assert set(rows) == {TOWNSHIP, OTHER_TOWNSHIP}
    assert (rows[TOWNSHIP]["source"], rows[OTHER_TOWNSHIP]["source"]) == ("villages", "none")
    township = summary(client, login, event, region_code=TOWNSHIP)
    villages = {c["region_code"]: c["totals"]["affected_population"] for c in township["children"]}
    assert villages == {VILLAGE: 100, OTHER_VILLAGE: 50, THIRD_VILLAGE: 0}


def test_a_townships_own_report_stands_for_the_whole_township(
    client, login, open_event, send_report
):
    event = open_event()
    send_report(event, {"affected_population": 100})
    send_report(event, {"affected_population": 900}, username="officer01", region_code=TOWNSHIP)
    county = summary(client, login, event)
    assert county["totals"]["affected_population"] == 900
    assert county["children"][0]["source"] == "report"


def test_the_latest_report_is_by_time_described_not_by_arrival(
    client, login, open_event, send_report
):
    event = open_event(started_hours_ago=6)
    send_report(event, {"affected_population": 100}, occurred_hours_ago=5)
    send_report(event, {"affected_population": 400}, kind="update", occurred_hours_ago=1)
    late = send_report(event, {"affected_population": 250}, kind="update", occurred_hours_ago=3)
    assert late.status_code == 201
    assert summary(client, login, event)["totals"]["affected_population"] == 400


def test_a_correction_after_the_final_report_changes_the_totals(
    client, login, open_event, send_report
):
    event = open_event(started_hours_ago=6)
    send_report(event, {"affected_population": 400, "deaths": 2}, occurred_hours_ago=5)
    send_report(event, {}, kind="final", occurred_hours_ago=1)
    send_report(
        event,
        {"affected_population": 380, "deaths": 1},
        kind="final",
        occurred_hours_ago=1,
        correction_reason="核实后一人为外县人员",
    )
    totals = summary(client, login, event)["totals"]
    assert (totals["affected_population"], totals["deaths"]) == (380, 1)


def test_townships_without_an_initial_report_after_an_hour_are_listed(
    client, login, open_event, send_report
):
    event = open_event(region_codes=[TOWNSHIP, OTHER_TOWNSHIP], started_hours_ago=1.5)
    send_report(event, {"affected_population": 10}, occurred_hours_ago=1)
    county = summary(client, login, event)
    assert county["overdue_initial"] == [OTHER_TOWNSHIP]
    township = summary(client, login, event, region_code=TOWNSHIP)
    assert township["overdue_initial"] == [OTHER_VILLAGE, THIRD_VILLAGE]
    detail = client.get(f"/api/v1/disaster-events/{event['id']}", headers=login("county01"))
    flags = {r["region_code"]: r["overdue_initial"] for r in detail.get_json()["regions"]}
    assert flags == {TOWNSHIP: False, OTHER_TOWNSHIP: True}


def test_nothing_is_overdue_within_the_first_hour(client, login, open_event):
    event = open_event(region_codes=[TOWNSHIP, OTHER_TOWNSHIP], started_hours_ago=0.5)
    assert summary(client, login, event)["overdue_initial"] == []


def test_a_summary_is_scoped_to_the_callers_region(client, login, open_event, send_report):
    event = open_event(region_codes=[TOWNSHIP, OTHER_TOWNSHIP])
    send_report(event, {"affected_population": 100})
    mine = summary(client, login, event, username="officer0101")
    assert (mine["region_code"], mine["totals"]["affected_population"]) == (VILLAGE, 100)
    assert summary(client, login, event, username="town01")["region_code"] == TOWNSHIP
    url = f"/api/v1/disaster-events/{event['id']}/summary"
    for username, code in (("town02", TOWNSHIP), ("officer0101", "990100000000")):
        response = client.get(f"{url}?region_code={code}", headers=login(username))
        assert response.status_code == 404, username
    bad = client.get(f"{url}?region_code=abc", headers=login("county01"))
    assert bad.status_code == 422 and "region_code" in bad.get_json()["error"]["details"]
