"""Write a new Alembic revision by comparing the models with the newest schema.

Usage: python scripts/new_migration.py "what changed"
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from app.db import migrate


def main() -> None:
    message = sys.argv[1] if len(sys.argv) > 1 else "schema change"
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite:///{Path(folder) / 'scratch.db'}")
        with engine.connect() as connection:
            if migrate.known_revisions():
                migrate.upgrade_sqlite(connection)
            config = migrate.alembic_config(connection)
            config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
            rev_id = date.today().strftime("%Y%m%d") + f"_{len(migrate.known_revisions()) + 1:02d}"
            command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
            connection.commit()
        engine.dispose()


if __name__ == "__main__":
    main()
