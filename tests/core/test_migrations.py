"""The migrations create exactly the schema of the models, with foreign keys intact."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from app.db import Database, migrate
from app.models import Base


def test_models_match_migrations(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_database_is_at_head_and_foreign_keys_are_clean(db: Database) -> None:
    assert db.schema_revision() == migrate.head_revision()
    with db.read() as session:
        if db.is_server:
            # PostgreSQL checks every reference itself; none may be left unvalidated.
            unchecked = session.execute(
                text("SELECT conname FROM pg_constraint WHERE contype = 'f' AND NOT convalidated")
            ).fetchall()
            assert unchecked == []
            count = session.execute(
                text("SELECT count(*) FROM pg_constraint WHERE contype = 'f'")
            ).scalar()
            assert count is not None
            assert count > 20
        else:
            assert session.execute(text("PRAGMA foreign_key_check")).fetchall() == []


def test_revision_files_are_date_prefixed() -> None:
    for path in (migrate.MIGRATIONS_DIR / "versions").glob("*.py"):
        assert path.name[:8].isdigit(), path.name


def test_revision_graph_read_without_alembic_matches_alembic() -> None:
    script = migrate.script_directory()
    assert migrate.head_revision() == script.get_current_head()
    assert migrate.known_revisions() == {rev.revision for rev in script.walk_revisions()}
    assert migrate.revision_graph() == {
        rev.revision: rev.down_revision for rev in script.walk_revisions()
    }
