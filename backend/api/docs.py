"""Swagger UI's assets, served by the app itself: county networks may have no internet."""

from pathlib import Path

import flask_swagger_ui
from flask import Blueprint, Flask, send_from_directory

ASSETS = Path(flask_swagger_ui.__file__).parent / "dist"
ALLOWED = {
    "swagger-ui-bundle.js",
    "swagger-ui-standalone-preset.js",
    "swagger-ui.css",
    "index.css",
    "favicon-16x16.png",
    "favicon-32x32.png",
}

assets = Blueprint("docs_assets", __name__, url_prefix="/api/v1/docs-assets")


@assets.get("/<name>")
def asset(name: str):
    if name not in ALLOWED:
        from backend.errors import NotFound

        raise NotFound()
    return send_from_directory(ASSETS, name, max_age=86400)


def init_app(app: Flask) -> None:
    app.register_blueprint(assets)
