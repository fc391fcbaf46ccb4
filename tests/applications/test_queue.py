"""GET /applications: the scoped queue, filtered and paged."""

from datetime import date

from backend.extensions import db
from backend.models import Application


def test_queue_filters_by_status_and_type(open_case, act, client, login):
    submitted = act(open_case(), "agent0101", "submit").get_json()
    open_case(id_number="440524188001010014", program="elderly_allowance")
    headers = login("town01")
    by_status = client.get("/api/v1/applications?status=submitted", headers=headers).get_json()
    assert [c["id"] for c in by_status["items"]] == [submitted["id"]]
    by_type = client.get("/api/v1/applications?type=elderly_allowance", headers=headers)
    assert [c["type"] for c in by_type.get_json()["items"]] == ["elderly_allowance"]


def test_queue_filters_by_region_subtree(open_case, client, login):
    open_case("agent0101")
    other = open_case("agent0201")
    response = client.get(
        "/api/v1/applications?region_code=990102000000", headers=login("county01")
    )
    assert [c["id"] for c in response.get_json()["items"]] == [other["id"]]


def test_overdue_lists_open_cases_past_their_deadline(open_case, client, login):
    late, on_time = open_case(), open_case(id_number="440524188001010014")
    db.session.get(Application, late["id"]).deadline = date(2026, 1, 5)
    db.session.get(Application, on_time["id"]).deadline = date(2999, 1, 5)
    db.session.commit()
    response = client.get("/api/v1/applications?overdue=true", headers=login("county01"))
    assert [c["id"] for c in response.get_json()["items"]] == [late["id"]]


def test_queue_pages_newest_first_without_gaps(open_case, client, login):
    ids = [
        open_case(id_number=n)["id"]
        for n in ("11010519491231002X", "440524188001010014", "513101198201130014")
    ]
    headers = login("county01")
    first = client.get("/api/v1/applications?limit=2", headers=headers).get_json()
    rest = client.get(
        f"/api/v1/applications?limit=2&cursor={first['next_cursor']}", headers=headers
    ).get_json()
    assert [c["id"] for c in first["items"] + rest["items"]] == sorted(ids, reverse=True)
    assert rest["next_cursor"] is None


def test_bad_queue_filters_are_422(client, login):
    for query, field in [
        ("type=pension", "type"),
        ("overdue=perhaps", "overdue"),
        ("region_code=12", "region_code"),
        ("limit=-1", "limit"),
    ]:
        response = client.get(f"/api/v1/applications?{query}", headers=login("county01"))
        assert response.status_code == 422, query
        assert field in response.get_json()["error"]["details"]
