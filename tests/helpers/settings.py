"""The settings keys of the command-line contract (``settings show --json`` has at least
these)."""

DESIGN_KEYS = (
    "organisation.name",
    "organisation.department",
    "organisation.street",
    "organisation.postcode",
    "organisation.city",
    "sender.name",
    "sender.address",
    "sender.reply_to",
    "mail.mode",
    "mail.smtp_host",
    "mail.smtp_port",
    "mail.smtp_security",
    "mail.smtp_user",
    "meetings.default_organiser",
    "meetings.default_venue",
    "meetings.default_start",
    "press.contact",
    "privacy.retention_months",
)
