"""The benchmark's same-work routes answer what the product answers: the ratio of the
two is worth something only if the bare route does all of the product's work."""

import pytest

from bench import ceiling_app


@pytest.fixture
def by_hand(app):
    """`bench.ceiling_app` on the test's database, with the product's secrets."""
    config = ceiling_app.app.config
    saved = {
        name: config[name] for name in ("DATABASE_URL", "JWT_SECRET_KEY", "FIELD_ENCRYPTION_KEY")
    }
    config.update(
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"].replace("+psycopg", ""),
        JWT_SECRET_KEY=app.config["JWT_SECRET_KEY"],
        FIELD_ENCRYPTION_KEY=app.config["FIELD_ENCRYPTION_KEY"],
    )
    yield ceiling_app.app.test_client()
    connection = ceiling_app.app.extensions.pop("connection", None)
    if connection is not None:
        connection.close()
    ceiling_app.app.extensions.pop("field_cipher", None)
    config.update(saved)


@pytest.mark.parametrize("caller", ["county01", "resident"])
def test_me_by_hand_answers_the_same_fields_and_values(
    client, login, make_citizen, by_hand, caller
):
    if caller == "resident":
        headers = make_citizen("11010519491231002X", phone="13912345678")[1]
    else:
        headers = login(caller)
    product = client.get("/api/v1/me", headers=headers)
    bare = by_hand.get("/me", headers=headers)
    assert product.status_code == bare.status_code == 200
    assert bare.get_json() == product.get_json()


def test_me_by_hand_refuses_what_the_product_refuses(client, login, by_hand):
    headers = login("county01")
    assert client.post("/api/v1/auth/logout", headers=headers).status_code in (200, 204)
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert by_hand.get("/me", headers=headers).status_code == 401
