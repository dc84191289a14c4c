"""Services: what the window and the command line do, as plain functions over a Database.

They open their own short sessions and return frozen dataclasses, never ORM objects.
"""
