"""Team mode in the window: connecting to a PostgreSQL server, colleagues' changes shown live."""
