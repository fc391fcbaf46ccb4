"""GET /me/inbox: one's own notifications, newest first, in keyset pages; marking
them read one by one or all at once."""

import pytest

from backend.api.pagination import encode_cursor
from backend.extensions import db
from backend.models import Notification
from backend.services import notifications
from backend.services.users import find_by_username


def fill(username: str, count: int) -> list[int]:
    user = find_by_username(db.session, username)
    ids = [
        notifications.notify(
            db.session,
            user,
            "material_rejected",
            {
                "application_id": 1,
                "application_number": f"DB20260000000{n}",
                "attachment_id": n,
                "kind_label": "户口簿",
                "reason": "照片太模糊,请对准焦点、保持手机稳定后重拍",
            },
        ).id
        for n in range(count)
    ]
    db.session.commit()
    return ids


def test_the_inbox_lists_ones_own_notifications_newest_first(client, login):
    mine = fill("agent0101", 3)
    fill("agent0201", 1)
    body = client.get("/api/v1/me/inbox", headers=login("agent0101")).get_json()
    assert [n["id"] for n in body["items"]] == mine[::-1]
    assert body["next_cursor"] is None
    first = body["items"][0]
    assert first["read"] is False
    assert first["title"] == "材料未通过检查"
    assert first["data"]["attachment_id"] == 2


def test_the_inbox_pages_by_cursor(client, login):
    ids = fill("agent0101", 3)
    headers = login("agent0101")
    page = client.get("/api/v1/me/inbox?limit=2", headers=headers).get_json()
    assert [n["id"] for n in page["items"]] == [ids[2], ids[1]]
    rest = client.get(
        f"/api/v1/me/inbox?limit=2&cursor={page['next_cursor']}", headers=headers
    ).get_json()
    assert [n["id"] for n in rest["items"]] == [ids[0]]


def test_marking_read_one_and_then_all(client, login):
    ids = fill("agent0101", 3)
    headers = login("agent0101")
    response = client.post(f"/api/v1/me/inbox/{ids[0]}/read", headers=headers)
    assert response.status_code == 200
    assert response.get_json()["read"] is True
    assert client.get("/api/v1/me/inbox/unread-count", headers=headers).get_json() == {"unread": 2}
    unread = client.get("/api/v1/me/inbox?unread=true", headers=headers).get_json()["items"]
    assert [n["id"] for n in unread] == [ids[2], ids[1]]
    assert client.post("/api/v1/me/inbox/read-all", headers=headers).get_json() == {"marked": 2}
    assert client.get("/api/v1/me/inbox/unread-count", headers=headers).get_json() == {"unread": 0}


def test_marking_read_again_keeps_the_first_time(client, login):
    [notification_id] = fill("agent0101", 1)
    headers = login("agent0101")
    client.post(f"/api/v1/me/inbox/{notification_id}/read", headers=headers)
    first = db.session.get(Notification, notification_id).read_at
    assert (
        client.post(f"/api/v1/me/inbox/{notification_id}/read", headers=headers).status_code == 200
    )
    db.session.expire_all()
    assert db.session.get(Notification, notification_id).read_at == first


def test_someone_elses_notification_does_not_exist_for_you(client, login):
    [theirs] = fill("agent0201", 1)
    response = client.post(f"/api/v1/me/inbox/{theirs}/read", headers=login("agent0101"))
    assert response.status_code == 404
    assert client.post("/api/v1/me/inbox/read-all", headers=login("agent0101")).get_json() == {
        "marked": 0
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=abc", "limit"),
        ("limit=１", "limit"),
        ("cursor=%21%21", "cursor"),
        ("cursor=" + "a" * 201, "cursor"),
        ("cursor=" + encode_cursor([2**70]), "cursor"),  # beyond any database integer
        ("unread=maybe", "unread"),
    ],
)
def test_a_bad_query_is_422_naming_it(client, login, query, field):
    response = client.get(f"/api/v1/me/inbox?{query}", headers=login("agent0101"))
    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]


def test_the_inbox_needs_a_signed_in_user(client, demo):
    assert client.get("/api/v1/me/inbox").status_code == 401
    assert client.post("/api/v1/me/inbox/read-all").status_code == 401
