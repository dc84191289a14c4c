"""Alembic environment: always called with a connection from ``app.db.migrate``."""

from typing import Any, Literal

from alembic import context

from app.models import Base, UTCDateTime


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Render our UTCDateTime as a plain DateTime so revisions never import app code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Treffpunkt runs its migrations programmatically (app.db.migrate)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
