"""POST /elderly/roster-imports on a real RQ worker, its progress, its error report,
and `flask import-roster`."""

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from backend.extensions import db
from backend.models import Entitlement
from tests.elderly.conftest import born, roster_csv
from tests.jobs.workers import run_burst_worker

URL = "/api/v1/elderly/roster-imports"
VILLAGE = "990101001000"
ROWS = [
    ["张老汉", born(date(1935, 3, 3), 1), VILLAGE, "农村", "是"],
    ["王大爷", born(date(1941, 1, 1), 3), VILLAGE, "农村", "是"],
    ["赵某", "123", VILLAGE, "农村", "是"],
]


def upload(client, headers, data: bytes, name: str = "roster.csv"):
    return client.post(
        URL,
        data={"file": (io.BytesIO(data), name)},
        headers=headers,
        content_type="multipart/form-data",
    )


def test_an_uploaded_roster_is_imported_by_a_worker_with_its_progress(app, client, login):
    headers = login("county01")
    response = upload(client, headers, roster_csv(*ROWS))
    assert response.status_code == 202, response.get_json()
    assert response.get_json()["status"] == "pending"
    run_burst_worker(app, ["default"])
    body = client.get(f"{URL}/{response.get_json()['id']}", headers=headers).get_json()
    assert body["status"] == "done"
    assert (body["rows_total"], body["rows_done"], body["enrolled"], body["skipped"]) == (
        3,
        3,
        1,
        1,
    )
    assert [e["row"] for e in body["errors"]] == [4]
    report = client.get(body["error_report"], headers=headers)
    assert report.status_code == 200 and report.mimetype == "text/csv"
    assert report.get_data(as_text=True).splitlines()[1].startswith("4,")


def test_only_county_staff_import_and_read_rosters(client, login):
    assert upload(client, login("town01"), roster_csv(*ROWS)).status_code == 403
    created = upload(client, login("county01"), roster_csv(*ROWS)).get_json()
    assert client.get(f"{URL}/{created['id']}", headers=login("town01")).status_code == 403
    assert client.get(f"{URL}/999999", headers=login("county01")).status_code == 404


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"", "roster.csv"),
        (b"name,id_number\n", "roster.csv"),
        (b"PK\x03\x04not really a workbook", "roster.xlsx"),
    ],
)
def test_a_file_that_is_not_a_roster_is_refused_naming_the_file(client, login, data, name):
    response = upload(client, login("county01"), data, name)
    assert response.status_code == 422
    assert "file" in response.get_json()["error"]["details"]


def test_a_roster_without_a_file_is_refused_naming_the_file(client, login):
    response = client.post(
        URL, data={}, headers=login("county01"), content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "file" in response.get_json()["error"]["details"]


def test_flask_import_roster_enrols_from_a_file(demo, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(roster_csv(*ROWS))
    result = demo.test_cli_runner().invoke(args=["import-roster", str(path), "--now"])
    assert result.exit_code == 0, result.output
    assert "1 enrolled" in result.output
    db.session.rollback()
    assert db.session.scalar(select(func.count(Entitlement.id))) == 1


def test_flask_import_roster_refuses_a_file_without_the_columns(demo, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(b"name\n")
    result = demo.test_cli_runner().invoke(args=["import-roster", str(path), "--now"])
    assert result.exit_code != 0
    assert "缺少" in result.output
