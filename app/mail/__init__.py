"""Mail core: settings and keyring, templates, composing, the outbox, SMTP and .eml drafts.

Modules, lowest first: ``addresses`` (strict addresses, header-safe text), ``language``
(recipient-language phrases and dates), ``settings`` and ``secrets`` (SMTP settings; password
in the OS keyring), ``templates`` (editable templates, salutations), ``compose`` (one
EmailMessage), ``transports`` (SMTP, .eml), ``outbox`` (queue, send, resume) and ``mailings``
(who gets which mail). The calendar files come from ``app.documents.calendar``.
"""
