"""Disaster reporting through the API: an event opened by county01 over the demo
county, reports by the demo officers (officer0101 of 东街社区, officer01 of 城关镇)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from backend.services import clock
from tests.attachments import files

TOWNSHIP = "990101000000"  # 城关镇
VILLAGE = "990101001000"  # 东街社区 (officer0101)
OTHER_VILLAGE = "990101002000"  # 西街社区
OTHER_TOWNSHIP = "990102000000"  # 河口乡


def iso(moment) -> str:
    return moment.isoformat()


def hours_ago(hours: float) -> str:
    return iso(clock.now() - timedelta(hours=hours))


@pytest.fixture(autouse=True)
def own_storage(app, tmp_path):
    app.config["STORAGE_DIR"] = str(tmp_path / "uploads")


@pytest.fixture
def open_event(client, login):
    """open_event(region_codes=[城关镇], started_hours_ago=1, **more) -> the event JSON."""

    def open_event(region_codes=(TOWNSHIP,), started_hours_ago=1.0, **more):
        body = {
            "type": "flood",
            "name": "6·30 特大洪涝",
            "started_at": hours_ago(started_hours_ago),
            "region_codes": list(region_codes),
            **more,
        }
        response = client.post("/api/v1/disaster-events", json=body, headers=login("county01"))
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return open_event


@pytest.fixture
def send_report(client, login):
    """send_report(event, indicators, username=..., region_code=..., kind=..., ...) ->
    the response."""

    def send_report(
        event,
        indicators=None,
        *,
        username="officer0101",
        region_code=VILLAGE,
        kind="initial",
        occurred_hours_ago=0.5,
        **more,
    ):
        body = {
            "region_code": region_code,
            "kind": kind,
            "occurred_at": hours_ago(occurred_hours_ago),
            "indicators": indicators if indicators is not None else {},
            **more,
        }
        return client.post(
            f"/api/v1/disaster-events/{event['id']}/reports", json=body, headers=login(username)
        )

    return send_report


@pytest.fixture
def upload_photo(client, login):
    """upload_photo(username) -> the staged photo's id."""

    def upload_photo(username="officer0101", data=None):
        return _upload(client, login(username), data)

    return upload_photo


@pytest.fixture
def upload_photo_as(client):
    """upload_photo_as(headers, data=None) -> the staged photo's id."""

    def upload_photo_as(headers, data=None):
        return _upload(client, headers, data)

    return upload_photo_as


def _upload(client, headers, data):
    response = client.post(
        "/api/v1/disaster-photos",
        data={"file": (io.BytesIO(data or files.plain_jpeg()), "现场.jpg")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert response.status_code == 202, response.get_json()
    return response.get_json()["id"]
