"""Treffpunkt core: domain models, storage and services. Imports nothing from Qt."""

__version__ = "0.2.0"
