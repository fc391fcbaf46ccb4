"""The whole 低保 path as people walk it: an agent applies for a household and uploads
the materials, the township accepts, visits and approves, the village sees the
publicity, and the county approves with its password typed again."""

import io
from datetime import timedelta

import pytest

from backend.extensions import db
from backend.jobs import attachments as attachment_jobs
from backend.jobs.context import use_app
from backend.services import clock, daily, dibao
from tests.attachments import files
from tests.dibao.conftest import visited

KINDS = ("id_card", "hukou", "income_proof", "authorization", "mandate")


@pytest.fixture(autouse=True)
def own_storage(app, tmp_path):
    app.config["STORAGE_DIR"] = str(tmp_path / "uploads")


def upload_and_accept(app, client, login, case_id: int) -> None:
    """The agent uploads each material, the pipeline checks it, the township accepts it."""
    for level, kind in enumerate(KINDS, start=90):
        response = client.post(
            f"/api/v1/applications/{case_id}/attachments",
            data={
                "kind": kind,
                "file": (io.BytesIO(files.plain_jpeg(seed_level=level)), f"{kind}.jpg"),
            },
            headers=login("agent0101"),
            content_type="multipart/form-data",
        )
        assert response.status_code == 202, response.get_json()
        attachment_id = response.get_json()["id"]
        use_app(app)
        attachment_jobs.process(attachment_id)
        review = client.post(
            f"/api/v1/attachments/{attachment_id}/review",
            json={"verdict": "accepted"},
            headers=login("town01"),
        )
        assert review.status_code == 200, review.get_json()


def test_an_urban_household_of_three_is_granted_784_yuan_from_next_month(
    app, client, login, open_household, step
):
    case = open_household("0", "300", "500")
    upload_and_accept(app, client, login, case["id"])

    case = step(case, "agent0101", "submit").get_json()
    case = step(case, "town01", "accept").get_json()
    assert case["status"] == "accepted"
    case = step(case, "town01", "record_investigation", data=visited(clock.today())).get_json()
    assert case["status"] == "investigated"
    case = step(case, "town01", "township_approve").get_json()
    assert case["status"] == "publicizing"

    notice = client.get("/api/v1/public/notices?region_code=990101001000").get_json()
    assert [(n["name"], n["monthly_amount"]) for n in notice["items"]] == [("王*英", "784.00")]

    daily.run_daily(db.session, clock.today() + timedelta(days=8))
    db.session.commit()
    case = client.get(f"/api/v1/applications/{case['id']}", headers=login("county01")).get_json()
    assert case["status"] == "pending_confirmation"
    assert case["allowed_actions"] == ["extend_deadline", "county_approve", "county_reject"]

    refused = step(case, "county01", "county_approve")
    assert refused.status_code == 401
    approved = step(case, "county01", "county_approve", fresh=True)
    assert approved.status_code == 200, approved.get_json()
    body = approved.get_json()
    assert body["status"] == "approved"
    assert body["monthly_amount"] == "784.00"
    assert body["start_month"] == dibao.month_after(clock.today())
    assert [e["action"] for e in body["timeline"]] == [
        "create",
        "submit",
        "accept",
        "record_investigation",
        "township_approve",
        "end_publicity",
        "county_approve",
    ]
    granted = client.get("/api/v1/public/notices?region_code=990101001000").get_json()
    assert granted["items"][0]["status"] == "approved"
    assert granted["items"][0]["start_month"] == body["start_month"]
