"""Who may see a benefit case, and finding one they may see."""

from __future__ import annotations

from sqlalchemy.orm import Session

from backend.models import Application, User
from backend.services import roles, scope

APPLICATION_SCOPE = scope.Scope(
    region_id=Application.region_id,
    owner_id=Application.owner_id,
    owner_id_index=Application.applicant_id_index,
    opened_for=Application.on_behalf,
    submitted_by_id=Application.submitted_by_id,
    roles=roles.CASE_READERS,
)


def get(session: Session, user: User, application_id: int) -> Application:
    return scope.get_visible(session, Application, application_id, APPLICATION_SCOPE, user)
