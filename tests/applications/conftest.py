"""Factories for cases: `open_case(agent="agent0101")` opens a draft through the API."""

import pytest

VILLAGES = {"agent0101": "990101001000", "agent0201": "990102001000"}


@pytest.fixture
def open_case(client, login):
    def open_case(agent="agent0101", id_number="11010519491231002X", program="dibao"):
        body = {
            "type": program,
            "region_code": VILLAGES[agent],
            "applicant": {"name": "王秀英", "id_number": id_number},
            "on_behalf": True,
        }
        response = client.post("/api/v1/applications", json=body, headers=login(agent))
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return open_case


@pytest.fixture
def act(client, login):
    def act(case, username, action, comment="", version=None):
        body = {"action": action, "version": version or case["version"], "comment": comment}
        return client.post(
            f"/api/v1/applications/{case['id']}/actions", json=body, headers=login(username)
        )

    return act
