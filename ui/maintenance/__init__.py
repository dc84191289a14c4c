"""Maintenance in the window: backups and restore, the database lock, DSGVO dialogs, retention."""
