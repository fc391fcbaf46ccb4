"""Officers' reports: who may report for where, the order of kinds, times, and the
consistency rules, each refusal a 422 naming the field and the rule."""

import pytest

from tests.disaster.conftest import OTHER_TOWNSHIP, OTHER_VILLAGE, TOWNSHIP, VILLAGE

FLOOD = {
    "affected_population": 1200,
    "deaths": 0,
    "missing": 1,
    "relocated": 300,
    "need_emergency_aid": 150,
    "collapsed_households": 3,
    "collapsed_rooms": 8,
    "severely_damaged_rooms": 12,
    "generally_damaged_rooms": 40,
    "crop_affected_ha": "85.50",
    "crop_disaster_ha": 40,
    "crop_failure_ha": "12.25",
    "direct_loss_10k_yuan": "326.80",
}


def error(response):
    assert response.status_code == 422, response.get_json()
    return response.get_json()["error"]


def test_a_village_officer_files_an_initial_report_with_all_thirteen_indicators(
    open_event, send_report
):
    report = send_report(open_event(), FLOOD, note="东街低洼处进水")
    assert report.status_code == 201, report.get_json()
    body = report.get_json()
    assert (body["kind"], body["kind_label"], body["region_code"]) == ("initial", "初报", VILLAGE)
    assert body["indicators"]["affected_population"] == 1200
    assert body["indicators"]["crop_disaster_ha"] == "40.00"
    assert body["indicators"]["direct_loss_10k_yuan"] == "326.80"


def test_an_officer_reporting_for_another_township_gets_404(open_event, send_report):
    event = open_event(region_codes=[TOWNSHIP, OTHER_TOWNSHIP])
    assert send_report(event, FLOOD, region_code=OTHER_TOWNSHIP).status_code == 404
    assert send_report(event, FLOOD, region_code="990102001000").status_code == 404
    # a village officer cannot report for the neighbouring village either
    assert send_report(event, FLOOD, region_code=OTHER_VILLAGE).status_code == 404


def test_a_township_officer_reports_for_the_township_and_its_villages(open_event, send_report):
    event = open_event()
    for region in (TOWNSHIP, OTHER_VILLAGE):
        response = send_report(event, FLOOD, username="officer01", region_code=region)
        assert response.status_code == 201, response.get_json()


def test_a_region_outside_the_affected_area_is_refused(open_event, send_report):
    event = open_event(region_codes=[OTHER_VILLAGE])
    response = send_report(event, FLOOD, username="officer01", region_code=VILLAGE)
    assert error(response)["details"]["region_code"] == ["该地区不在本次灾情的受灾范围内"]


def test_only_disaster_officers_report(open_event, send_report):
    event = open_event()
    for username in ("county01", "town01", "agent0101"):
        assert send_report(event, FLOOD, username=username).status_code == 403


def test_the_first_report_is_the_initial_and_there_is_only_one(open_event, send_report):
    event = open_event()
    assert error(send_report(event, FLOOD, kind="update"))["details"]["kind"] == [
        "该地区还没有初报,请先报送初报"
    ]
    assert send_report(event, FLOOD).status_code == 201
    assert "kind" in error(send_report(event, FLOOD))["details"]
    assert send_report(event, FLOOD, kind="update", occurred_hours_ago=0.2).status_code == 201


@pytest.mark.parametrize(
    ("indicators", "field", "rule"),
    [
        ({"affected_population": 10, "deaths": 11}, "deaths", "死亡人口不能多于受灾人口"),
        ({"affected_population": 10, "missing": 11}, "missing", "失踪人口不能多于受灾人口"),
        (
            {"affected_population": 10, "relocated": 11},
            "relocated",
            "紧急转移安置人口不能多于受灾人口",
        ),
        (
            {"affected_population": 10, "need_emergency_aid": 11},
            "need_emergency_aid",
            "需紧急生活救助人口不能多于受灾人口",
        ),
        (
            {"crop_affected_ha": 10, "crop_disaster_ha": 5, "crop_failure_ha": 6},
            "crop_failure_ha",
            "农作物绝收面积不能大于成灾面积",
        ),
        (
            {"crop_affected_ha": 4, "crop_disaster_ha": 5},
            "crop_disaster_ha",
            "农作物成灾面积不能大于受灾面积",
        ),
        (
            {"collapsed_households": 5, "collapsed_rooms": 4},
            "collapsed_rooms",
            "倒塌房屋间数不能少于户数",
        ),
    ],
)
def test_inconsistent_figures_are_refused_with_the_rule_named(
    open_event, send_report, indicators, field, rule
):
    details = error(send_report(open_event(), indicators))["details"]
    assert details[f"indicators.{field}"] == [rule]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("affected_population", -1, "不能为负数"),
        ("deaths", 1.5, "应为整数,不能有小数"),
        ("relocated", 1e30, "应为整数"),
        ("missing", "3", "应为整数"),
        ("need_emergency_aid", "NaN", "应为整数"),
        ("collapsed_rooms", True, "应为整数"),
        ("crop_affected_ha", -0.5, "不能为负数"),
        ("crop_affected_ha", 1e30, "数值过大"),
        ("crop_disaster_ha", "NaN", "应为数字"),
        ("crop_failure_ha", "Infinity", "应为数字"),
        ("direct_loss_10k_yuan", "一百万", "应为数字"),
        ("direct_loss_10k_yuan", "1.005", "最多两位小数"),
        ("direct_loss_10k_yuan", [1], "应为数字"),
    ],
)
def test_bad_numbers_are_refused_with_the_field_named(
    open_event, send_report, field, value, message
):
    details = error(send_report(open_event(), {field: value}))["details"]
    assert details == {f"indicators.{field}": [message]}


def test_a_nan_literal_is_not_json_and_is_refused_before_any_field(open_event, client, login):
    event = open_event()
    raw = (
        '{"region_code": "990101001000", "kind": "initial", '
        '"occurred_at": "2026-01-01T00:00:00+08:00", "indicators": {"deaths": NaN}}'
    )
    response = client.post(
        f"/api/v1/disaster-events/{event['id']}/reports",
        data=raw,
        content_type="application/json",
        headers=login("officer0101"),
    )
    assert response.status_code == 400
    assert "NaN" in response.get_json()["error"]["message"]


def test_other_bad_fields_of_a_report_are_named(open_event, send_report):
    event = open_event()
    for field, value in (
        ("region_code", "99010100100"),
        ("kind", "preliminary"),
        ("occurred_at", "yesterday"),
        ("note", "字" * 1001),
        ("photo_ids", [0]),
        ("correction_reason", 5),
    ):
        details = error(send_report(event, FLOOD, **{field: value}))["details"]
        assert any(key.startswith(field) for key in details), (field, details)
    details = error(send_report(event, {"dead": 1}))["details"]
    assert details == {"indicators.dead": ["不允许提交该字段"]}


def test_no_report_in_the_future_or_before_the_event(open_event, send_report):
    event = open_event(started_hours_ago=2)
    assert error(send_report(event, FLOOD, occurred_hours_ago=-1))["details"]["occurred_at"] == [
        "统计时间不能晚于现在"
    ]
    assert error(send_report(event, FLOOD, occurred_hours_ago=3))["details"]["occurred_at"] == [
        "统计时间不能早于灾害发生时间"
    ]


def test_a_later_report_cannot_lower_a_cumulative_figure_without_a_correction_reason(
    open_event, send_report
):
    event = open_event(started_hours_ago=5)
    assert send_report(event, FLOOD, occurred_hours_ago=4).status_code == 201
    lower = {"affected_population": 1000}
    details = error(send_report(event, lower, kind="update", occurred_hours_ago=1))["details"]
    assert "不能低于此前报送的 1200人" in details["indicators.affected_population"][0]
    corrected = send_report(
        event, lower, kind="update", occurred_hours_ago=1, correction_reason="重复统计了西街"
    )
    assert corrected.status_code == 201
    assert corrected.get_json()["correction_reason"] == "重复统计了西街"


def test_a_late_arriving_earlier_report_cannot_exceed_the_later_one(open_event, send_report):
    event = open_event(started_hours_ago=5)
    assert send_report(event, {"affected_population": 100}, occurred_hours_ago=4).status_code == 201
    later = send_report(event, {"affected_population": 500}, kind="update", occurred_hours_ago=1)
    assert later.status_code == 201
    between = send_report(event, {"affected_population": 600}, kind="update", occurred_hours_ago=2)
    assert (
        "不能高于之后时间报送的 500人"
        in (error(between)["details"]["indicators.affected_population"][0])
    )
    fits = send_report(event, {"affected_population": 300}, kind="update", occurred_hours_ago=2)
    assert fits.status_code == 201


def test_left_out_indicators_keep_the_previous_figures(open_event, send_report):
    event = open_event(started_hours_ago=5)
    send_report(event, FLOOD, occurred_hours_ago=4)
    update = send_report(event, {"relocated": 400}, kind="update", occurred_hours_ago=1)
    indicators = update.get_json()["indicators"]
    assert (indicators["relocated"], indicators["affected_population"]) == (400, 1200)
    assert indicators["crop_failure_ha"] == "12.25"


def test_after_the_final_report_a_change_is_an_audited_correction(
    open_event, send_report, client, login
):
    event = open_event(started_hours_ago=5)
    send_report(event, FLOOD, occurred_hours_ago=4)
    assert send_report(event, FLOOD, kind="final", occurred_hours_ago=1).status_code == 201
    details = error(send_report(event, {"deaths": 1}, kind="final", occurred_hours_ago=0.5))[
        "details"
    ]
    assert details["correction_reason"] == ["该地区已核报,再次报送即为更正,请填写更正原因"]
    corrected = send_report(
        event, {"deaths": 1}, kind="final", occurred_hours_ago=0.5, correction_reason="补报一人"
    )
    assert corrected.get_json()["is_correction"] is True
    history = client.get(
        f"/api/v1/disaster-events/{event['id']}/reports?region_code={VILLAGE}",
        headers=login("officer0101"),
    ).get_json()["items"]
    assert [(r["kind"], r["is_correction"]) for r in history] == [
        ("final", True),
        ("final", False),
        ("initial", False),
    ]
    logs = client.get("/api/v1/audit-logs", headers=login("admin")).get_json()["items"]
    assert "disaster_report.correct" in {row["action"] for row in logs}


def test_a_closed_event_takes_only_final_reports(open_event, send_report, client, login):
    event = open_event(started_hours_ago=5)
    send_report(event, FLOOD, occurred_hours_ago=4)
    client.post(f"/api/v1/disaster-events/{event['id']}/close", headers=login("county01"))
    refused = send_report(event, FLOOD, kind="update", occurred_hours_ago=1)
    assert refused.status_code == 409
    assert send_report(event, FLOOD, kind="final", occurred_hours_ago=1).status_code == 201


def test_under_an_emergency_response_a_township_report_needs_three_photos(
    open_event, send_report, upload_photo
):
    event = open_event(response_level="III")
    two = [upload_photo("officer01") for _ in range(2)]
    refused = send_report(event, FLOOD, username="officer01", region_code=TOWNSHIP, photo_ids=two)
    assert error(refused)["details"]["photo_ids"] == [
        "启动应急响应期间,乡镇报告须附至少 3 张现场照片"
    ]
    three = [*two, upload_photo("officer01")]
    accepted = send_report(
        event, FLOOD, username="officer01", region_code=TOWNSHIP, photo_ids=three
    )
    assert accepted.status_code == 201, accepted.get_json()
    assert [p["id"] for p in accepted.get_json()["photos"]] == three
    # a village's report needs none
    assert send_report(event, FLOOD).status_code == 201


def test_photos_of_someone_else_or_already_sent_are_refused(open_event, send_report, upload_photo):
    event = open_event()
    theirs = upload_photo("officer01")
    details = error(send_report(event, FLOOD, photo_ids=[theirs]))["details"]
    assert details["photo_ids"] == ["照片不存在,或已随其他报告提交"]
    mine = upload_photo()
    assert send_report(event, FLOOD, photo_ids=[mine]).status_code == 201
    again = send_report(event, FLOOD, kind="update", photo_ids=[mine], occurred_hours_ago=0.1)
    assert "photo_ids" in error(again)["details"]


def test_a_report_sent_twice_with_one_idempotency_key_is_stored_once(
    open_event, client, login, send_report
):
    event = open_event()
    headers = {**login("officer0101"), "Idempotency-Key": "report-1"}
    body = {
        "region_code": VILLAGE,
        "kind": "initial",
        "occurred_at": "2026-01-01T00:00:00+08:00",
        "indicators": FLOOD,
    }
    url = f"/api/v1/disaster-events/{event['id']}/reports"
    body["occurred_at"] = event["started_at"]
    first = client.post(url, json=body, headers=headers)
    again = client.post(url, json=body, headers=headers)
    assert first.status_code == 201 and again.get_json()["id"] == first.get_json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
