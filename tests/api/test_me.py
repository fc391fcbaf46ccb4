"""GET /me and POST /me/real-name."""

import pytest
from sqlalchemy import text

from backend.extensions import db
from backend.services import users
from backend.services.crypto import current_cipher
from tests.api.auth_support import assert_error, bearer, code_login, real_name_proof

PHONE = "13912345678"
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def citizen(client, demo):
    response = code_login(client, PHONE)
    assert response.status_code == 200
    return bearer(response.get_json()["access_token"])


def real_name(client, headers, **body):
    """POST /me/real-name, with the proof of a face check passed for this name and number."""
    if isinstance(body.get("name"), str) and isinstance(body.get("id_number"), str):
        body.setdefault("verify_result", real_name_proof(body["name"], body["id_number"]))
    return client.post("/api/v1/me/real-name", json=body, headers=headers)


def test_me_shows_the_account_with_the_phone_masked(client, login):
    response = client.get("/api/v1/me", headers=login("town01"))
    assert response.status_code == 200
    me = response.get_json()
    assert me == {
        "id": me["id"],
        "role": "township_staff",
        "name": "城关镇民政办李敏",
        "username": "town01",
        "phone": "138****0003",
        "region": {"code": "990101000000", "name": "城关镇"},
        "real_name_verified": False,
    }


def test_me_needs_a_token(client, demo):
    assert_error(client.get("/api/v1/me"), 401, "unauthorized")


def test_real_name_binds_name_and_identity_number(client, citizen):
    response = real_name(client, citizen, name=" 王秀英 ", id_number="11010519491231002x")
    assert response.status_code == 200
    me = response.get_json()
    assert me["name"] == "王秀英"
    assert me["real_name_verified"] is True
    assert client.get("/api/v1/me", headers=citizen).get_json()["real_name_verified"] is True


def test_the_identity_number_is_stored_encrypted(client, citizen):
    real_name(client, citizen, name="王秀英", id_number=ID_NUMBER)
    row = db.session.execute(
        text("SELECT id_number_cipher, id_number_index FROM user_account WHERE role = 'citizen'")
    ).one()
    assert ID_NUMBER.encode() not in bytes(row.id_number_cipher)
    assert ID_NUMBER not in row.id_number_index
    citizen_user = users.find_by_phone(db.session, PHONE)
    assert current_cipher().decrypt(citizen_user.id_number_cipher) == ID_NUMBER


def test_verifying_again_with_the_same_identity_is_harmless(client, citizen):
    real_name(client, citizen, name="王秀英", id_number=ID_NUMBER)
    assert real_name(client, citizen, name="王秀英", id_number=ID_NUMBER).status_code == 200


def test_a_verified_identity_cannot_be_swapped_online(client, citizen):
    real_name(client, citizen, name="王秀英", id_number=ID_NUMBER)
    other = real_name(client, citizen, name="李四", id_number="440524188001010014")
    assert_error(other, 409, "conflict")


def test_one_identity_number_binds_one_resident_account(client, citizen):
    real_name(client, citizen, name="王秀英", id_number=ID_NUMBER)
    second = bearer(code_login(client, "13900000000").get_json()["access_token"])
    assert_error(real_name(client, second, name="王秀英", id_number=ID_NUMBER), 409, "conflict")


def test_staff_do_not_verify_a_real_name_here(client, login):
    response = real_name(client, login("town01"), name="李敏", id_number=ID_NUMBER)
    assert_error(response, 403, "forbidden")


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"id_number": "110105194912310021"}, "id_number", "校验位"),
        ({"id_number": "11010519490230002X"}, "id_number", "出生日期"),
        ({"id_number": "１１０１０５１９４９１２３１００２Ｘ"}, "id_number", "18位"),
        ({"id_number": "110105491231002"}, "id_number", "18位"),
        ({"id_number": 110105194912310020}, "id_number", "文字"),
        ({"name": ""}, "name", "1到30"),
        ({"name": "张\u200b三"}, "name", "不可见"),
        ({"name": "张" * 31}, "name", "1到30"),
        ({"name": None}, "name", "不能为空"),
        ({"role": "admin"}, "role", "不允许"),
        ({"verify_result": ""}, "verify_result", "长度"),
        ({"verify_result": "x" * 513}, "verify_result", "长度"),
        ({"verify_result": "forged"}, "verify_result", "核验未通过"),
    ],
)
def test_bad_real_name_input_is_422_naming_the_field(client, citizen, change, field, words):
    body = {"name": "王秀英", "id_number": ID_NUMBER, **change}
    error = assert_error(real_name(client, citizen, **body), 422, "validation_error")
    assert field in error["details"]
    assert words in error["details"][field][0]
    assert client.get("/api/v1/me", headers=citizen).get_json()["real_name_verified"] is False


def test_missing_real_name_fields_are_named(client, citizen):
    error = assert_error(real_name(client, citizen), 422, "validation_error")
    assert set(error["details"]) == {"name", "id_number"}


def test_a_claim_without_a_proof_is_refused_by_the_verifier(client, citizen):
    body = {"name": "王秀英", "id_number": ID_NUMBER}
    response = client.post("/api/v1/me/real-name", json=body, headers=citizen)
    error = assert_error(response, 422, "validation_error")
    assert "核验未通过" in error["details"]["verify_result"][0]
