"""Small widgets and the table model/view shared by every page."""
