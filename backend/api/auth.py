"""/auth: sign in (SMS code, password, WeChat), refresh, sign out.

Two ways to carry the tokens, chosen at sign-in with `session`:
- `"token"` (default; mini program, integrators): both tokens in the body, sent back
  as `Authorization: Bearer …`.
- `"cookie"` (the portal): the tokens go into httpOnly cookies and not into the body;
  every POST/PUT/PATCH/DELETE must then echo the `csrf_access_token` cookie (for
  /auth/refresh: `csrf_refresh_token`) in the `X-CSRF-TOKEN` header.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import after_this_request, current_app, request
from flask_jwt_extended import (
    get_jwt,
    get_jwt_request_location,
    set_access_cookies,
    set_refresh_cookies,
    unset_jwt_cookies,
)
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from backend.api.fields import Text
from backend.api.me import MeSchema
from backend.api.request_guard import body_limits, small_json_body
from backend.api.security import auth_required, current_user
from backend.config import DEBUG_CODE_ENVS
from backend.errors import DomainError
from backend.extensions import db, limiter
from backend.models import User
from backend.services import auth, otp, tokens

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="登录与退出")

SESSION_MODES = ("token", "cookie")

# ASCII classes, never \d (it matches fullwidth digits); the values are trimmed (Text) first,
# so `$` lets no trailing newline through, and the patterns read the same in OpenAPI.
PHONE = validate.Regexp(r"^1[3-9][0-9]{9}$", error="手机号应为11位数字")
CODE = validate.Regexp(r"^[0-9]{6}$", error="验证码应为6位数字")
REQUEST_ID = validate.Regexp(r"^[A-Za-z0-9_-]{16,32}$", error="验证码请求编号无效")
USERNAME = validate.Regexp(r"^[A-Za-z0-9_]{1,40}$", error="用户名应为1到40位字母、数字或下划线")
PASSWORD = validate.Length(min=1, max=128, error="密码长度应为1到128位")
# Bytes and keys of a sign-in body: every field it has, with room to spare. Limits come
# first (decorators above `body_limits`): a refused body counts against them too.
SIGN_IN_BODY = (2048, 16)
WECHAT_CODE = validate.Regexp(r"^[A-Za-z0-9_-]{1,128}$", error="微信登录凭证格式无效")


def _account_key() -> str:
    """The phone or username in the body, as a keyed hash: per-account limits. Read
    before the view checks the body, so only a body within its caps is looked at."""
    body = small_json_body()
    if isinstance(body, dict):
        for field in ("username", "phone"):
            value = body.get(field)
            if isinstance(value, str) and value.strip():
                return "account:" + auth.login_key(auth.normalise_login(value))
    return "account:none"


def _ip_key() -> str:
    return "ip:" + get_remote_address()


def _limit(setting: str, key: Callable[[], str]):
    return limiter.limit(lambda: current_app.config[setting], key_func=key)


class SessionModeMixin(Schema):
    session = fields.String(
        load_default="token",
        validate=validate.OneOf(SESSION_MODES),
        metadata={
            "description": '"token": tokens in the body (Bearer). "cookie": httpOnly cookies '
            "and CSRF double-submit (X-CSRF-TOKEN header), tokens left out of the body."
        },
    )


class SmsCodeRequestSchema(Schema):
    phone = Text(required=True, validate=PHONE, metadata={"example": "13812345678"})


class SmsCodeSchema(Schema):
    request_id = fields.String(metadata={"description": "send it back with the code"})
    expires_in = fields.Integer(metadata={"description": "seconds"})
    debug_code = fields.String(
        metadata={"description": "development, demo and test only; never in production"}
    )


class LoginSchema(SessionModeMixin):
    """Citizens: `phone`, `code` (and the `request_id` the code was sent with, which binds
    the code to that request). Staff and agents: `username`, `password`."""

    phone = Text(validate=PHONE)
    code = Text(validate=CODE)
    request_id = Text(validate=REQUEST_ID)
    username = Text(validate=USERNAME)
    password = fields.String(validate=PASSWORD)

    @validates_schema
    def one_way_to_sign_in(self, data, **_kwargs):
        by_code = {"phone", "code", "request_id"} & data.keys()
        by_password = {"username", "password"} & data.keys()
        if by_code and by_password:
            raise ValidationError("请使用手机号验证码或用户名密码中的一种方式登录")
        needed = ("username", "password") if by_password else ("phone", "code")
        missing = {name: ["必填项"] for name in needed if name not in data}
        if missing:
            raise ValidationError(missing)


class WeChatLoginSchema(SessionModeMixin):
    code = Text(required=True, validate=WECHAT_CODE, metadata={"description": "wx.login() code"})


class TokensSchema(Schema):
    access_token = fields.String(metadata={"description": 'absent with "session": "cookie"'})
    refresh_token = fields.String(metadata={"description": 'absent with "session": "cookie"'})
    user = fields.Nested(MeSchema)


class RefreshedSchema(Schema):
    access_token = fields.String(metadata={"description": "absent when the refresh came by cookie"})


@blp.post("/sms-code")
@_limit("SMS_RATE_LIMIT_PHONE", _account_key)
@_limit("SMS_RATE_LIMIT_IP", _ip_key)
@body_limits(*SIGN_IN_BODY)
@blp.arguments(SmsCodeRequestSchema)
@blp.response(202, SmsCodeSchema)
def send_sms_code(args):
    """Text a six-digit login code to the phone (valid 10 minutes, once)."""
    issued = otp.issue_code(db.session, args["phone"])
    db.session.commit()
    result = {
        "request_id": issued.request_id,
        "expires_in": current_app.config["OTP_TTL_MINUTES"] * 60,
    }
    if current_app.config["APP_ENV"] in DEBUG_CODE_ENVS:
        result["debug_code"] = issued.code
    return result


@blp.post("/login")
@_limit("LOGIN_RATE_LIMIT_ACCOUNT", _account_key)
@_limit("LOGIN_RATE_LIMIT_IP", _ip_key)
@body_limits(*SIGN_IN_BODY)
@blp.arguments(LoginSchema)
@blp.response(200, TokensSchema)
def login(args):
    """Sign in with an SMS code (creates the resident's account) or a password."""
    if "username" in args:
        user = _committed(
            auth.login_with_password,
            db.session,
            args["username"],
            args["password"],
            ip=request.remote_addr,
        )
    else:
        user = _committed(
            auth.login_with_code,
            db.session,
            args["phone"],
            args.get("request_id"),
            args["code"],
            ip=request.remote_addr,
        )
    return _signed_in(user, args["session"])


@blp.post("/wechat")
@_limit("LOGIN_RATE_LIMIT_IP", _ip_key)
@body_limits(*SIGN_IN_BODY)
@blp.arguments(WeChatLoginSchema)
@blp.response(200, TokensSchema)
def login_wechat(args):
    """Sign in from the mini program with a `wx.login()` code."""
    user = _committed(auth.login_with_wechat, db.session, args["code"], ip=request.remote_addr)
    return _signed_in(user, args["session"])


@blp.post("/refresh")
@blp.response(200, RefreshedSchema)
@auth_required(refresh=True)
def refresh():
    """A new (not fresh) access token for the refresh token in the header or cookie."""
    access_token = tokens.refreshed_access_token(current_user(), get_jwt())
    if get_jwt_request_location() == "cookies":
        after_this_request(lambda response: _with_cookies(response, access_token))
        return {}
    return {"access_token": access_token}


@blp.post("/logout")
@blp.response(204)
@auth_required()
def logout():
    """Revoke this access token, its refresh token and the tokens refreshed from it."""
    auth.logout(db.session, current_user(), get_jwt(), ip=request.remote_addr)
    db.session.commit()
    after_this_request(_without_cookies)


def _committed(sign_in: Callable[..., User], *args, **kwargs) -> User:
    """Commit the attempt either way: a refusal leaves its audit row and counters."""
    try:
        user = sign_in(*args, **kwargs)
    except DomainError:
        db.session.commit()
        raise
    db.session.commit()
    return user


def _signed_in(user: User, mode: str) -> dict:
    pair = tokens.issue_pair(user)
    if mode == "cookie":
        after_this_request(
            lambda response: _with_cookies(response, pair.access_token, pair.refresh_token)
        )
        return {"user": user}
    return {"access_token": pair.access_token, "refresh_token": pair.refresh_token, "user": user}


def _with_cookies(response, access_token: str, refresh_token: str | None = None):
    set_access_cookies(response, access_token)
    if refresh_token:
        set_refresh_cookies(response, refresh_token)
    return response


def _without_cookies(response):
    unset_jwt_cookies(response)
    return response
