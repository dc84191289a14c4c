"""The press release as a Word document (python-docx: press offices edit in Word) and as
plain text; both from a ``PressDraft`` (frozen data), no database."""
