"""随手拍: residents and agents send tips with photos and a location; staff verify
(linking an event and a region) or dismiss with a reason; the tipper reads the outcome
in the inbox."""

import io

import pytest

from tests.attachments import files
from tests.disaster.conftest import OTHER_TOWNSHIP, VILLAGE

RESIDENT = "11010519491231002X"


@pytest.fixture
def resident(make_citizen):
    return make_citizen(RESIDENT)[1]


def send_tip(client, headers, **body):
    return client.post(
        "/api/v1/disaster-tips", json={"description": "河堤有裂缝", **body}, headers=headers
    )


def test_a_resident_sends_a_tip_with_location_and_a_staged_photo(client, resident, upload_photo_as):
    photo_id = upload_photo_as(resident)
    response = send_tip(client, resident, lat=30.26, lon="120.15", photo_ids=[photo_id])
    assert response.status_code == 201, response.get_json()
    tip = response.get_json()
    assert (tip["status"], tip["lat"], tip["lon"]) == ("pending", 30.26, 120.15)
    assert [p["id"] for p in tip["photos"]] == [photo_id]


def test_a_tip_can_come_as_one_multipart_request_with_its_photos(client, login):
    response = client.post(
        "/api/v1/disaster-tips",
        data={
            "description": "村口道路塌方",
            "lat": "30.1",
            "lon": "120.2",
            "photos": [
                (io.BytesIO(files.plain_jpeg()), "1.jpg"),
                (io.BytesIO(files.webp()), "2.webp"),
            ],
        },
        headers=login("agent0101"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    tip = response.get_json()
    assert tip["region_code"] == VILLAGE  # the agent's village, until staff place it
    assert len(tip["photos"]) == 2 and {p["status"] for p in tip["photos"]} == {"pending"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("description", ""),
        ("description", "字" * 501),
        ("lat", 91),
        ("lat", "NaN"),
        ("lon", "东经"),
        ("lon", 1e30),
        ("photo_ids", ["x"]),
    ],
)
def test_bad_tip_fields_are_named(client, resident, field, value):
    body = {"lat": 30, "lon": 120, field: value}
    response = send_tip(client, resident, **body)
    assert response.status_code == 422
    assert any(k.startswith(field) for k in response.get_json()["error"]["details"])


def test_a_location_needs_both_coordinates(client, resident):
    response = send_tip(client, resident, lat=30)
    assert response.get_json()["error"]["details"] == {"lon": ["经度和纬度须同时提供"]}


def test_staff_do_not_send_tips(client, login):
    assert send_tip(client, login("town01")).status_code == 403


def test_staff_verify_a_tip_and_the_tipper_reads_it_in_the_inbox(
    client, login, resident, open_event
):
    event = open_event()
    tip = send_tip(client, resident).get_json()
    verified = client.post(
        f"/api/v1/disaster-tips/{tip['id']}/verify",
        json={"event_id": event["id"], "region_code": VILLAGE},
        headers=login("county01"),
    )
    assert verified.status_code == 200, verified.get_json()
    assert (verified.get_json()["status"], verified.get_json()["event_id"]) == (
        "verified",
        event["id"],
    )
    inbox = client.get("/api/v1/me/inbox", headers=resident).get_json()["items"]
    assert inbox[0]["event"] == "tip_verified"
    assert "6·30 特大洪涝" in inbox[0]["body"] and "东街社区" in inbox[0]["body"]
    again = client.post(
        f"/api/v1/disaster-tips/{tip['id']}/dismiss",
        json={"reason": "重复"},
        headers=login("county01"),
    )
    assert again.status_code == 409


def test_a_tip_verified_for_a_region_outside_the_event_is_refused(
    client, login, resident, open_event
):
    event = open_event()
    tip = send_tip(client, resident).get_json()
    response = client.post(
        f"/api/v1/disaster-tips/{tip['id']}/verify",
        json={"event_id": event["id"], "region_code": OTHER_TOWNSHIP},
        headers=login("county01"),
    )
    assert response.get_json()["error"]["details"] == {
        "region_code": ["该地区不在本次灾情的受灾范围内"]
    }


def test_a_dismissal_needs_a_reason_which_the_tipper_reads(client, login, resident):
    tip = send_tip(client, resident).get_json()
    url = f"/api/v1/disaster-tips/{tip['id']}/dismiss"
    empty = client.post(url, json={"reason": "  "}, headers=login("county01"))
    assert empty.status_code == 422 and "reason" in empty.get_json()["error"]["details"]
    dismissed = client.post(url, json={"reason": "照片为往年旧图"}, headers=login("county01"))
    assert dismissed.get_json()["status"] == "dismissed"
    inbox = client.get("/api/v1/me/inbox", headers=resident).get_json()["items"]
    assert inbox[0]["event"] == "tip_dismissed" and "照片为往年旧图" in inbox[0]["body"]


def test_tips_are_seen_by_their_tipper_and_the_staff_of_their_place(
    client, login, resident, make_citizen
):
    tip = send_tip(client, resident).get_json()
    agents_tip = send_tip(client, login("agent0101")).get_json()
    _, other = make_citizen("440524188001010014", phone="13912340000")
    url = f"/api/v1/disaster-tips/{tip['id']}"
    assert client.get(url, headers=resident).status_code == 200
    assert client.get(url, headers=other).status_code == 404
    assert client.get(url, headers=login("county01")).status_code == 200
    # the agent's tip lies in 城关镇: its township's staff see it, another township's do not
    agent_url = f"/api/v1/disaster-tips/{agents_tip['id']}"
    assert client.get(agent_url, headers=login("town01")).status_code == 200
    assert client.get(agent_url, headers=login("town02")).status_code == 404
    listed = client.get("/api/v1/disaster-tips?status=pending", headers=login("county01"))
    assert len(listed.get_json()["items"]) == 2
    bad = client.get("/api/v1/disaster-tips?status=open", headers=login("county01"))
    assert bad.status_code == 422 and "status" in bad.get_json()["error"]["details"]
