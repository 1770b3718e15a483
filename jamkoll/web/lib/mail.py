"""Send one e-mail to one user: plain text and simple HTML, in the user's language, written to the audit log.

Every e-mail Jämkoll sends to an account (invitations, password resets, notifications) goes through
:func:`send_to_user` and Django's e-mail framework (the console backend unless ``JAMKOLL_EMAIL_HOST`` is set;
the tests use the locmem backend). A message is rendered from two templates, ``<name>.txt`` and
``<name>.html`` (the HTML one extends ``lib/mail/base.html``), with the language active while they render,
so ``{% translate %}`` gives English to a user who chose English. The audit log records the kind of
message and the recipient's account, never its text or the address.
"""

from __future__ import annotations

from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation

from . import audit

__all__ = ["send_to_user"]


def send_to_user(user: Any, kind: str, template: str, context: dict[str, Any], *, language: str = "sv",
                 request: HttpRequest | None = None, organization: Any = None, details: dict[str, Any] | None = None,
                 subject: str | None = None) -> bool:
    """Mail ``user`` (at the account's address) the message ``template`` (``.txt``, ``.html`` and
    ``_subject.txt``); False, and nothing sent, when the account has no address."""
    address = (getattr(user, "email", "") or "").strip()
    if not address:
        return False
    context = {"user": user, **context}
    with translation.override(language):
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
        if subject is None:
            subject = render_to_string(f"{template}_subject.txt", context)
    subject = " ".join(subject.split())  # a header: one line
    message = EmailMultiAlternatives(subject, text, None, [address])
    message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)
    audit.audit(request, audit.MAIL_SENT, user=user, organization=organization,
                details={"kind": kind, **(details or {})})
    return True
