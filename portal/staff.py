"""The staff workbench (/staff): page shells for township and county staff and
registrars. Every figure on them is read from /api/v1 by the page's own script, signed
in with the httpOnly cookies; the API decides who may see and do what."""

from flask import Blueprint, Flask, render_template

bp = Blueprint("staff", __name__, url_prefix="/staff", template_folder="templates")

# (path, page name = template, title, roles shown the link): the pages and the navigation.
PAGES = (
    ("/", "home", "今日待办", "township_staff county_staff"),
    ("/queue", "queue", "案件队列", "township_staff county_staff"),
    ("/relatives", "relatives", "近亲属备案", "township_staff county_staff"),
    ("/spot-checks", "spot_checks", "抽查", "county_staff"),
    ("/standards", "standards", "保障标准", "township_staff county_staff"),
    ("/calendar", "calendar", "工作日历", "county_staff admin"),
    ("/notices", "notices", "公示", "township_staff county_staff"),
    ("/registry", "registry", "婚姻登记", "registrar county_staff admin"),
)
NAV = tuple((bp.url_prefix + path, title, roles) for path, _name, title, roles in PAGES)


def _shell(name: str, title: str):
    def page():
        return render_template(f"staff/{name}.html", title=title, nav=NAV)

    return page


for _path, _name, _title, _roles in PAGES:
    bp.add_url_rule(_path, _name, _shell(_name, _title))


@bp.get("/login")
def login():
    return render_template("staff/login.html", title="工作人员登录", nav=())


@bp.get("/cases/<id:case_id>")
def case(case_id: int):
    return render_template("staff/case.html", title="案件详情", nav=NAV, case_id=case_id)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
