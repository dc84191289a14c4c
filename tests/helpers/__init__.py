"""Helpers shared by tests of several folders (fixtures stay in the conftest files)."""
