"""Attendance in the window: door mode, marking after the meeting, sign-in sheet, figures."""
