"""The web portal: pages and a little JavaScript over /api/v1. No business rules here."""

from flask import Flask, redirect

from portal import assets, pages
from portal.assets import asset_url

bp = pages.bp


@bp.get("/favicon.ico")
def favicon():
    # Browsers ask for it on pages that name none (the API docs); the portal's pages name it.
    return redirect(asset_url("favicon.svg"), code=301)


def init_app(app: Flask) -> None:
    from portal import staff

    app.register_blueprint(bp)
    staff.init_app(app)
    app.register_blueprint(assets.bp)
    app.jinja_env.globals["asset_url"] = asset_url
