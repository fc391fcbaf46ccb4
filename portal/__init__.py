"""The web portal: pages and a little JavaScript over /api/v1. No business rules here."""

from flask import Blueprint, Flask, Response, render_template

bp = Blueprint(
    "portal",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/portal-static",
)

# (title, summary, page) — page None while the service is offered in the mini program only.
SERVICES = (
    ("低保申请", "最低生活保障:在线自助测算、申请、查进度", "/dibao/estimate"),
    ("高龄津贴", "80/90/100 周岁以上老人津贴,免申即享", None),
    ("婚姻登记预约", "结婚、离婚、补领证件,在线预约时段", None),
    ("灾情报告", "灾害信息员报灾,群众随手拍", None),
)


@bp.get("/")
def home():
    return render_template("home.html", services=SERVICES)


@bp.get("/dibao/estimate")
def dibao_estimate():
    return render_template("estimate.html")


# The portal loads only its own files: no inline script, no framing (clickjacking), and
# no page address (which may name a case) sent to other sites.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}


@bp.after_request
def secure(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
