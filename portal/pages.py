"""The resident, agent and public pages. Each is a template and one script of its own;
everything they show comes from /api/v1 in the browser."""

import hashlib

from flask import Blueprint, Response, render_template

from portal.assets import asset_url

bp = Blueprint(
    "portal",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/portal-static",
)

# (title, summary, page) of the four services on the home page.
SERVICES = (
    ("低保申请", "最低生活保障:在线自助测算、申请、查进度", "/dibao/apply"),
    ("高龄津贴", "高龄老人津贴:在线申请、查进度", "/elderly/apply"),
    ("婚姻登记预约", "结婚、离婚、补领证件,在线预约时段", "/marriage"),
    ("灾情报告", "群众随手拍,报告灾情线索", "/disaster/tip"),
)

# Programmes a resident applies for in the browser: path → (API type, title).
PROGRAMS = {
    "dibao": ("dibao", "低保申请"),
    "elderly": ("elderly_allowance", "高龄津贴申请"),
}

# Pages that are one template each: path → (template, title).
SIMPLE_PAGES = {
    "/login": ("login.html", "登录"),
    "/real-name": ("real_name.html", "实名认证"),
    "/dibao/estimate": ("estimate.html", "低保自助测算"),
    "/marriage": ("marriage.html", "婚姻登记预约"),
    "/inbox": ("inbox.html", "我的消息"),
    "/agent": ("agent.html", "代办工作台"),
    "/outbox": ("outbox.html", "待发送"),
    "/public/services": ("services.html", "办事指南与保障标准"),
    "/public/notices": ("notices.html", "公示公告"),
    "/contact": ("contact.html", "联系我们"),
    "/disaster/tip": ("tip.html", "灾情随手拍"),
    "/disaster/report": ("report.html", "灾情报告"),
}


# What the service worker keeps for an agent working offline.
OFFLINE_PAGES = ("/", "/agent", "/outbox", "/dibao/apply", "/elderly/apply", "/disaster/report")
OFFLINE_FILES = (
    "api.js",
    "elder.js",
    "labels.js",
    "portal.css",
    "favicon.svg",
    "outbox.js",
    "photos.js",
    "apply.js",
    "agent.js",
    "home.js",
    "report.js",
    "vendor/weui/weui.min.css",
    "vendor/alpinejs-csp/cdn.min.js",
    "vendor/idb-keyval/umd.js",
)


@bp.get("/")
def home():
    return render_template("home.html", services=SERVICES)


def _simple(template: str, title: str):
    return lambda: render_template(template, title=title)


for _path, (_template, _title) in SIMPLE_PAGES.items():
    bp.add_url_rule(_path, _template.removesuffix(".html"), _simple(_template, _title))


@bp.get("/<any(dibao, elderly):program>/apply")
def apply(program: str):
    api_type, title = PROGRAMS[program]
    return render_template("apply.html", program=api_type, title=title)


@bp.get("/cases/<id:case_id>")
def case(case_id: int):
    return render_template("case.html", case_id=case_id, title="办理进度")


@bp.get("/appointments/<id:appointment_id>")
def appointment(appointment_id: int):
    return render_template("appointment.html", appointment_id=appointment_id, title="我的预约")


@bp.get("/sw.js")
def service_worker():
    """The service worker, from the site root so that it may serve every page offline."""
    shell = _offline_shell()
    version = hashlib.sha256("\n".join(shell).encode()).hexdigest()[:12]
    script = render_template("sw.js", shell=shell, version=version)
    response = Response(script, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


def _offline_shell() -> list[str]:
    """What a phone keeps for the pages an agent or officer opens with no signal."""
    return list(OFFLINE_PAGES) + [asset_url(name) for name in OFFLINE_FILES]
