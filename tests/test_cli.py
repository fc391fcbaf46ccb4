"""flask create-user, for real deployments."""

import pytest

from backend.extensions import db
from backend.services import users

TOWN04 = {
    "--username": "town04",
    "--name": "新乡镇民政办",
    "--role": "township_staff",
    "--region-code": "990103000000",
}


def create_user(app, password="Str0ng!Pass", **changes):
    options = {**TOWN04, **changes}
    args = [part for option in options.items() for part in option]
    return app.test_cli_runner().invoke(
        args=["create-user", *args], input=f"{password}\n{password}\n"
    )


def test_create_user_makes_a_staff_account_that_can_sign_in(demo):
    result = create_user(demo)
    assert result.exit_code == 0, result.output
    user = users.find_by_username(db.session, "town04")
    assert user.region.code == "990103000000"
    assert users.verify_password(user, "Str0ng!Pass")


@pytest.mark.parametrize(
    ("password", "changes", "message"),
    [
        ("12345678", {}, "密码"),
        ("Str0ng!Pass", {"--region-code": "990199000000"}, "地区"),
        ("Str0ng!Pass", {"--username": "county01"}, "用户名已存在"),
        ("Str0ng!Pass", {"--username": "Town 04"}, "用户名"),
    ],
)
def test_create_user_refuses_with_the_reason(demo, password, changes, message):
    result = create_user(demo, password, **changes)
    assert result.exit_code != 0
    assert message in result.output
    assert users.find_by_username(db.session, "town04") is None
