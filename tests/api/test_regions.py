"""GET /regions walks the tree one level at a time, with keyset pagination."""


def test_top_of_the_tree_is_the_demo_county(demo, client):
    body = client.get("/api/v1/regions").get_json()
    assert body == {
        "items": [
            {"code": "990100000000", "name": "示范县", "level": "county", "parent_code": None}
        ],
        "next_cursor": None,
    }


def test_children_are_paged_by_code_without_gaps(demo, client):
    first = client.get("/api/v1/regions?parent_code=990100000000&limit=2").get_json()
    assert [r["name"] for r in first["items"]] == ["城关镇", "河口乡"]
    second = client.get(
        f"/api/v1/regions?parent_code=990100000000&limit=2&cursor={first['next_cursor']}"
    ).get_json()
    assert [r["name"] for r in second["items"]] == ["山前乡"]
    assert second["next_cursor"] is None


def test_unknown_region_is_404(demo, client):
    assert client.get("/api/v1/regions/990199000000").status_code == 404


def test_region_code_must_be_twelve_ascii_digits(demo, client):
    response = client.get("/api/v1/regions?parent_code=９９０１００００００００")
    assert response.status_code == 422
    assert "parent_code" in response.get_json()["error"]["details"]


def test_a_forged_cursor_is_422(demo, client):
    response = client.get("/api/v1/regions?parent_code=990100000000&cursor=WzEsMiwzXQ")
    assert response.status_code == 422
    assert "cursor" in response.get_json()["error"]["details"]
