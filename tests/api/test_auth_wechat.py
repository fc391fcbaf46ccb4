"""POST /auth/wechat against a local stand-in for WeChat's jscode2session."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from backend.extensions import db
from backend.models import User
from tests.api.auth_support import assert_error, bearer

APPID, SECRET = "wx0123456789abcdef", "s" * 32

# js_code -> what the stand-in answers, as WeChat does: HTTP 200 with errcode on failure.
ANSWERS = {
    "good-code": {"openid": "o-resident-1", "session_key": "k1"},
    "union-code": {"openid": "o-resident-2", "session_key": "k2", "unionid": "u-2"},
    "used-code": {"errcode": 40163, "errmsg": "code been used"},
    "bad-code": {"errcode": 40029, "errmsg": "invalid code"},
    "risky-code": {"errcode": 40226, "errmsg": "high risk user"},
    "busy-code": {"errcode": 45011, "errmsg": "api minute-quota reach limit"},
    "system-busy": {"errcode": -1, "errmsg": "system error"},
    "no-openid": {"session_key": "k3"},
}


class FakeWeChat(BaseHTTPRequestHandler):
    requests: list[dict] = []

    def do_GET(self):
        url = urlparse(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        FakeWeChat.requests.append({"path": url.path, **query})
        if query.get("js_code") == "broken-json":
            self._answer(b"<html>gateway error</html>")
        elif url.path != "/sns/jscode2session" or query.get("secret") != SECRET:
            self._answer(json.dumps({"errcode": 40125, "errmsg": "invalid appsecret"}).encode())
        else:
            self._answer(json.dumps(ANSWERS[query["js_code"]]).encode())

    def _answer(self, body: bytes):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


@pytest.fixture
def wechat(app):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeWeChat)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeWeChat.requests = []
    app.config.update(
        WECHAT_API_BASE=f"http://127.0.0.1:{server.server_port}",
        WECHAT_APPID=APPID,
        WECHAT_SECRET=SECRET,
    )
    yield FakeWeChat.requests
    server.shutdown()
    server.server_close()


def wechat_login(client, code, **extra):
    return client.post("/api/v1/auth/wechat", json={"code": code, **extra})


def test_the_first_wechat_login_creates_a_citizen_found_by_openid(client, demo, wechat):
    response = wechat_login(client, "good-code")
    assert response.status_code == 200
    body = response.get_json()
    assert body["user"]["role"] == "citizen"
    assert body["user"]["phone"] is None
    again = wechat_login(client, "good-code").get_json()
    assert again["user"]["id"] == body["user"]["id"]
    assert db.session.get(User, body["user"]["id"]).wechat_openid == "o-resident-1"
    assert client.get("/api/v1/me", headers=bearer(body["access_token"])).status_code == 200


def test_the_exchange_sends_appid_secret_and_code(client, demo, wechat):
    wechat_login(client, "good-code")
    assert wechat == [
        {
            "path": "/sns/jscode2session",
            "appid": APPID,
            "secret": SECRET,
            "js_code": "good-code",
            "grant_type": "authorization_code",
        }
    ]


def test_different_openids_are_different_residents(client, demo, wechat):
    first = wechat_login(client, "good-code").get_json()["user"]["id"]
    second = wechat_login(client, "union-code").get_json()["user"]["id"]
    assert first != second


@pytest.mark.parametrize(
    ("code", "status", "words"),
    [
        ("bad-code", 401, "凭证无效"),
        ("used-code", 401, "已被使用"),
        ("risky-code", 403, "安全风险"),
        ("busy-code", 429, "频繁"),
    ],
)
def test_wechat_refusals_are_clear_4xx_in_chinese(client, demo, wechat, code, status, words):
    response = wechat_login(client, code)
    assert response.status_code == status
    assert words in response.get_json()["error"]["message"]
    assert db.session.query(User).filter(User.wechat_openid.isnot(None)).count() == 0


@pytest.mark.parametrize("code", ["system-busy", "no-openid", "broken-json"])
def test_a_confused_wechat_is_503(client, demo, wechat, code):
    assert_error(wechat_login(client, code), 503, "service_unavailable")


def test_a_wrong_secret_is_503_not_the_residents_fault(client, demo, wechat):
    client.application.config["WECHAT_SECRET"] = "wrong"
    assert_error(wechat_login(client, "good-code"), 503, "service_unavailable")


def test_an_unreachable_wechat_is_503(client, demo):
    client.application.config.update(
        WECHAT_API_BASE="http://127.0.0.1:9", WECHAT_APPID=APPID, WECHAT_SECRET=SECRET
    )
    error = assert_error(wechat_login(client, "good-code"), 503, "service_unavailable")
    assert "微信" in error["message"]


def test_without_an_appid_wechat_login_is_503(client, demo):
    client.application.config.update(WECHAT_APPID="", WECHAT_SECRET="")
    assert_error(wechat_login(client, "good-code"), 503, "service_unavailable")


def test_a_disabled_wechat_account_cannot_sign_in(client, demo, wechat):
    user_id = wechat_login(client, "good-code").get_json()["user"]["id"]
    db.session.get(User, user_id).is_active = False
    db.session.commit()
    assert_error(wechat_login(client, "good-code"), 401, "unauthorized")


def test_wechat_cookie_mode_sets_cookies(client, demo, wechat):
    response = wechat_login(client, "good-code", session="cookie")
    assert set(response.get_json()) == {"user"}
    assert client.get_cookie("access_token_cookie") is not None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": ""}, "code"),
        ({"code": "a" * 129}, "code"),
        ({"code": "code with spaces"}, "code"),
        ({"code": "good-code&appid=evil"}, "code"),
        ({"code": 123}, "code"),
        ({}, "code"),
        ({"code": "good-code", "openid": "o-admin"}, "openid"),
        ({"code": "good-code", "session": "jar"}, "session"),
    ],
)
def test_bad_wechat_input_is_422_naming_the_field(client, demo, wechat, body, field):
    error = assert_error(client.post("/api/v1/auth/wechat", json=body), 422, "validation_error")
    assert field in error["details"]
    assert wechat == []
