"""The web portal: pages and a little JavaScript over /api/v1. No business rules here."""

from flask import Flask, Response, redirect, request

from portal import assets, pages
from portal.assets import asset_url

bp = pages.bp


@bp.get("/favicon.ico")
def favicon():
    # Browsers ask for it on pages that name none (the API docs); the portal's pages name it.
    return redirect(asset_url("favicon.svg"), code=301)


# The portal loads only its own files: no inline script, no framing (clickjacking), and
# no page address (which may name a case) sent to other sites.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "media-src 'self' blob:; "
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}
PORTAL_BLUEPRINTS = frozenset({"portal", "staff", "portal_assets"})


def secure(response: Response) -> Response:
    if request.blueprint not in PORTAL_BLUEPRINTS:
        return response
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    from portal import staff

    app.after_request(secure)
    app.register_blueprint(bp)
    staff.init_app(app)
    app.register_blueprint(assets.bp)
    app.jinja_env.globals["asset_url"] = asset_url
