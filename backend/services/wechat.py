"""WeChat: the mini program login (`wx.login()` code → `jscode2session` → openid),
and subscribe messages (订阅消息) to an openid, the `wechat` notification channel.

The base URL is a setting (`WECHAT_API_BASE`), so tests and staging talk to a local
stand-in. WeChat answers HTTP 200 with `errcode` on failure; each known code becomes
a clear Chinese message, and an unreachable or confused WeChat becomes 503.

Subscribe messages go out through one adapter interface, chosen by
`WECHAT_MESSAGE_BACKEND`, as text messages do (`sms`). Only `console` exists yet: it
logs and never calls WeChat. The real sender (access token, a template per message,
`/cgi-bin/message/subscribe/send`) is one more adapter with the same `send`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Protocol
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import urlopen

from flask import current_app

from backend.errors import DomainError, Forbidden, ServiceUnavailable, Unauthorized

log = logging.getLogger(__name__)

SESSION_PATH = "/sns/jscode2session"


class WeChatBusy(DomainError):
    status, code = 429, "rate_limited"


# errcode -> what the resident is told. Anything else (−1 busy, 40013 bad appid, …) is
# WeChat's or our trouble, not the resident's: 503.
REFUSALS: dict[int, tuple[type[DomainError], str]] = {
    40029: (Unauthorized, "微信登录凭证无效,请重新打开小程序后再试"),
    40163: (Unauthorized, "微信登录凭证已被使用,请重新打开小程序后再试"),
    40226: (Forbidden, "该微信账号存在安全风险,暂不能登录"),
    45011: (WeChatBusy, "微信登录过于频繁,请稍后再试"),
}


@dataclass(frozen=True)
class WeChatSession:
    openid: str
    unionid: str | None


def code_to_session(code: str) -> WeChatSession:
    """Exchange a `wx.login()` code for the user's openid, or raise a domain error."""
    config = current_app.config
    if not (config["WECHAT_APPID"] and config["WECHAT_SECRET"]):
        raise ServiceUnavailable("微信登录未开通,请使用手机号登录")
    query = urlencode(
        {
            "appid": config["WECHAT_APPID"],
            "secret": config["WECHAT_SECRET"],
            "js_code": code,
            "grant_type": "authorization_code",
        }
    )
    url = f"{config['WECHAT_API_BASE'].rstrip('/')}{SESSION_PATH}?{query}"
    try:
        with urlopen(url, timeout=config["WECHAT_TIMEOUT_SECONDS"]) as response:
            answer = json.loads(response.read())
    except (URLError, TimeoutError, OSError, ValueError) as error:
        log.warning("jscode2session failed: %s", type(error).__name__)
        raise ServiceUnavailable("微信服务暂时无法连接,请稍后再试") from error
    return _session_from(answer)


def _session_from(answer: object) -> WeChatSession:
    if not isinstance(answer, dict):
        raise ServiceUnavailable("微信服务返回异常,请稍后再试")
    errcode = answer.get("errcode") or 0
    if errcode in REFUSALS:
        error, message = REFUSALS[errcode]
        raise error(message)
    openid = answer.get("openid")
    if errcode or not isinstance(openid, str) or not openid:
        log.error("jscode2session errcode %s: %s", errcode, answer.get("errmsg"))
        raise ServiceUnavailable("微信服务返回异常,请稍后再试")
    unionid = answer.get("unionid")
    return WeChatSession(openid=openid, unionid=unionid if isinstance(unionid, str) else None)


# ---- subscribe messages ---------------------------------------------------------------


class MessageSender(Protocol):
    def send(self, openid: str, title: str, body: str) -> None: ...


class ConsoleMessageSender:
    """Development and tests: the message appears in the log; WeChat is never called."""

    def send(self, openid: str, title: str, body: str) -> None:
        log.info("WeChat message to %s****: %s", openid[:4], title)


MESSAGE_SENDERS: dict[str, type[MessageSender]] = {"console": ConsoleMessageSender}


def message_sender() -> MessageSender:
    return MESSAGE_SENDERS[current_app.config["WECHAT_MESSAGE_BACKEND"]]()
