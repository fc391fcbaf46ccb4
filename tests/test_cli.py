"""flask create-user, for real deployments."""

from backend.extensions import db
from backend.services import users


def invoke(app, *args, password="Str0ng!Pass"):
    return app.test_cli_runner().invoke(
        args=["create-user", *args], input=f"{password}\n{password}\n"
    )


def test_create_user_makes_a_staff_account_that_can_sign_in(demo):
    result = invoke(
        demo,
        "--username",
        "town04",
        "--name",
        "新乡镇民政办",
        "--role",
        "township_staff",
        "--region-code",
        "990103000000",
    )
    assert result.exit_code == 0, result.output
    user = users.find_by_username(db.session, "town04")
    assert user.region.code == "990103000000"
    assert users.verify_password(user, "Str0ng!Pass")


def test_create_user_refuses_a_weak_password(demo):
    result = invoke(
        demo,
        "--username",
        "town04",
        "--name",
        "新乡镇民政办",
        "--role",
        "township_staff",
        "--region-code",
        "990103000000",
        password="12345678",
    )
    assert result.exit_code != 0
    assert "密码" in result.output
    assert users.find_by_username(db.session, "town04") is None


def test_create_user_refuses_an_unknown_region(demo):
    result = invoke(
        demo,
        "--username",
        "town04",
        "--name",
        "新乡镇民政办",
        "--role",
        "township_staff",
        "--region-code",
        "990199000000",
    )
    assert result.exit_code != 0
    assert "地区" in result.output


def test_create_user_refuses_a_taken_username(demo):
    result = invoke(
        demo,
        "--username",
        "county01",
        "--name",
        "重名",
        "--role",
        "county_staff",
        "--region-code",
        "990100000000",
    )
    assert result.exit_code != 0
    assert "用户名已存在" in result.output
