"""Errors of the mail core. Each message is one translated sentence a user can act on."""

from __future__ import annotations

from app.errors import InvalidAddressError, MailError, TemplateError

# Defined with the other core errors: address checks (``app.addresses``) and the mail templates
# in the settings (``app.services.mail_templates``) sit below the mail layer and raise them too.
__all__ = [
    "DeliveryRefusedError",
    "DeliveryUncertainError",
    "InvalidAddressError",
    "KeyringUnavailableError",
    "LoginRefusedError",
    "MailError",
    "MailNotConfiguredError",
    "TemplateError",
    "TlsError",
    "TransportError",
]


class MailNotConfiguredError(MailError):
    """No sender address (or no SMTP server) is set up yet."""


class KeyringUnavailableError(MailError):
    """The OS keyring is missing or silently drops passwords: ask once per session instead."""


class TransportError(MailError):
    """The way out is not usable: server unreachable, TLS or login failed, folder not writable.

    Raised before a message is handed over, so nothing was sent by the failing step and the
    outbox stays ready to resume.
    """


class TlsError(TransportError):
    """The server's certificate could not be verified or TLS failed; nothing was sent."""


class LoginRefusedError(TransportError):
    """The server refused the user name or password."""


class DeliveryRefusedError(MailError):
    """The server answered a message with an error (e.g. 550 for one recipient).

    ``answer`` holds the server's reply ("550 5.1.1 User unknown") for the outbox row.
    """

    def __init__(self, answer: str) -> None:
        super().__init__(answer)
        self.answer = answer

    @property
    def temporary(self) -> bool:
        """A 4xx answer ("451 try again later", "421 too many connections"): worth another
        try after a pause; a 5xx answer is final."""
        return self.answer[:1] == "4"


class DeliveryUncertainError(MailError):
    """The connection broke after the message body was handed over, before the server's
    final answer: the message may or may not have been delivered."""
