"""The XLSX export: a sheet per level with the indicators and units in the national
form's order, a sheet of collapsed houses, and no cell that Excel would run."""

import io

from openpyxl import load_workbook

from tests.disaster.conftest import OTHER_TOWNSHIP, TOWNSHIP, VILLAGE


def export(client, login, event, username="county01"):
    response = client.get(
        f"/api/v1/disaster-events/{event['id']}/export.xlsx", headers=login(username)
    )
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return load_workbook(io.BytesIO(response.data))


def test_one_sheet_per_level_with_the_indicators_in_the_national_order(
    client, login, open_event, send_report
):
    event = open_event(region_codes=[TOWNSHIP, OTHER_TOWNSHIP])
    send_report(event, {"affected_population": 120, "direct_loss_10k_yuan": "12.50"})
    book = export(client, login, event)
    assert book.sheetnames == ["县", "乡镇", "村(社区)", "倒房重建"]
    headers = [c.value for c in book["县"][2]]
    assert headers[:4] == ["区划代码", "地区", "受灾人口(人)", "死亡人口(人)"]
    assert headers[14] == "直接经济损失(万元)"
    county = [c.value for c in book["县"][3]]
    assert county[:3] == ["990100000000", "示范县", 120]
    assert county[14] == 12.5
    townships = [row[0].value for row in book["乡镇"].iter_rows(min_row=3)]
    assert townships == [TOWNSHIP, OTHER_TOWNSHIP]
    villages = [row[0].value for row in book["村(社区)"].iter_rows(min_row=3)]
    assert VILLAGE in villages


def test_text_typed_by_users_never_starts_a_formula(client, login, open_event):
    event = open_event()
    client.post(
        f"/api/v1/disaster-events/{event['id']}/collapsed-houses",
        json={
            "region_code": VILLAGE,
            "household_head": "=HYPERLINK(1)",
            "rooms": 2,
            "note": "@SUM(A1)",
        },
        headers=login("town01"),
    )
    book = export(client, login, event)
    row = [c.value for c in book["倒房重建"][2]]
    assert row[1] == "'=HYPERLINK(1)" and row[6] == "'@SUM(A1)"
    for sheet in book.worksheets:
        for cells in sheet.iter_rows():
            for cell in cells:
                assert cell.data_type != "f"


def test_township_staff_export_only_their_township(client, login, open_event, send_report):
    event = open_event(region_codes=[TOWNSHIP, OTHER_TOWNSHIP])
    book = export(client, login, event, username="town01")
    assert [row[0].value for row in book["乡镇"].iter_rows(min_row=3)] == [TOWNSHIP]
    assert book["县"].max_row == 2  # the county's totals are not theirs to see
    response = client.get(
        f"/api/v1/disaster-events/{event['id']}/export.xlsx", headers=login("agent0101")
    )
    assert response.status_code == 404
