"""Treffpunkt window: PySide6 widgets, Qt models and background tasks over app/ services."""
