"""GET /health: is the database and Redis answering?"""

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from backend.extensions import db
from backend.redis_connection import get_redis
from backend.services import health

blp = Blueprint("health", __name__, url_prefix="/api/v1/health", description="运行状态")


class HealthSchema(Schema):
    status = fields.String(metadata={"example": "ok"})
    database = fields.String(metadata={"example": "ok"})
    redis = fields.String(metadata={"example": "ok"})


@blp.get("")
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="某个组件不可用")
def get_health():
    parts = health.check(db.session, get_redis())
    healthy = all(state == "ok" for state in parts.values())
    return {"status": "ok" if healthy else "degraded", **parts}, 200 if healthy else 503
