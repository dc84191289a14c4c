"""Snapshots: the plain frozen data each document renders, gathered here in short sessions.

The renderers in ``app.documents`` take a snapshot and never open a session (pretix' invoice
pattern); ``treffpunkt pdf …``, the window and the mail layer gather a snapshot here first.
"""
