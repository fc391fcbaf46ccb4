"""A local stand-in for WeChat's `jscode2session`, for the mini program's login.

Any `wx.login()` code of the form `code-<name>` signs in the WeChat user `o-<name>`
(the Node shim hands out such codes); `code-refused` is refused as WeChat refuses an
invalid code (HTTP 200 with `errcode`). The backend reaches it through its real WeChat
client, pointed here by WECHAT_API_BASE.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from tests.api.test_auth_wechat import FakeWeChat

APPID, SECRET = "wxminiprogramtest01", "m" * 32


class JsCode2Session(FakeWeChat):
    """The API tests' stand-in (its HTTP answer), with any `code-<name>` accepted."""

    def do_GET(self):
        url = urlparse(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        code = query.get("js_code", "")
        if url.path != "/sns/jscode2session" or query.get("secret") != SECRET:
            answer = {"errcode": 40125, "errmsg": "invalid appsecret"}
        elif code.startswith("code-") and code != "code-refused":
            answer = {"openid": "o-" + code.removeprefix("code-"), "session_key": "k"}
        else:
            answer = {"errcode": 40029, "errmsg": "invalid code"}
        self._answer(json.dumps(answer).encode())


@contextmanager
def running() -> Iterator[str]:
    """The stand-in on a free local port; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), JsCode2Session)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
