"""`GET /me`, the least a signed-in request does, sends one SQL statement: the token's
revocation and its account (with the account's region) in one query."""

from backend.extensions import db
from tests.statements import counting_statements


def test_me_is_answered_with_one_statement(client, login):
    headers = login("county01")
    db.session.remove()  # a request of its own, as in production: nothing loaded yet
    with counting_statements() as statements:
        response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 200
    assert response.get_json()["region"]["name"]
    assert len(statements) == 1, statements
