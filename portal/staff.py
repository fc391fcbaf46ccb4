"""The staff workbench (/staff): page shells for township and county staff and
registrars. Every figure on them is read from /api/v1 by the page's own script, signed
in with the httpOnly cookies; the API decides who may see and do what."""

from flask import Blueprint, Flask, render_template

bp = Blueprint("staff", __name__, url_prefix="/staff", template_folder="templates")

# (path, title, roles the link is shown to) — the navigation of every page.
NAV = (
    ("/staff/", "今日待办", "township_staff county_staff"),
    ("/staff/queue", "案件队列", "township_staff county_staff"),
    ("/staff/relatives", "近亲属备案", "township_staff county_staff"),
    ("/staff/spot-checks", "抽查", "county_staff"),
    ("/staff/standards", "保障标准", "township_staff county_staff"),
    ("/staff/calendar", "工作日历", "county_staff admin"),
    ("/staff/notices", "公示", "township_staff county_staff"),
    ("/staff/registry", "婚姻登记", "registrar county_staff admin"),
)

# page name → (template, title)
PAGES = {
    "home": ("staff/home.html", "今日待办"),
    "queue": ("staff/queue.html", "案件队列"),
    "relatives": ("staff/relatives.html", "近亲属备案"),
    "spot_checks": ("staff/spot_checks.html", "抽查"),
    "standards": ("staff/standards.html", "保障标准"),
    "calendar": ("staff/calendar.html", "工作日历"),
    "notices": ("staff/notices.html", "公示"),
    "registry": ("staff/registry.html", "婚姻登记"),
}


def _page(name: str, **context):
    template, title = PAGES[name]
    return render_template(template, title=title, nav=NAV, **context)


@bp.get("/login")
def login():
    return render_template("staff/login.html", title="工作人员登录", nav=())


@bp.get("/")
def home():
    return _page("home")


@bp.get("/queue")
def queue():
    return _page("queue")


@bp.get("/cases/<int:case_id>")
def case(case_id: int):
    return render_template("staff/case.html", title="案件详情", nav=NAV, case_id=case_id)


@bp.get("/relatives")
def relatives():
    return _page("relatives")


@bp.get("/spot-checks")
def spot_checks():
    return _page("spot_checks")


@bp.get("/standards")
def standards():
    return _page("standards")


@bp.get("/calendar")
def calendar():
    return _page("calendar")


@bp.get("/notices")
def notices():
    return _page("notices")


@bp.get("/registry")
def registry():
    return _page("registry")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
