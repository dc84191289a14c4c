"""The Projekte page: funded projects, their links, the funding report and press releases."""
