"""Write the audit log: every upload, change, export or download, and every failed login."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from jamkoll.web.lib.models import AuditEvent

# The actions written to the log (AuditEvent.action).
LOGIN = "login"
LOGIN_FAILED = "login_failed"
LOGIN_THROTTLED = "login_throttled"
TOKEN_FAILED = "token_failed"
PASSWORD_RESET_REQUESTED = "password_reset_requested"
LOGOUT = "logout"
PASSWORD_CHANGED = "password_changed"
UPLOAD_CHECKED = "upload_checked"
UPLOAD_REJECTED = "upload_rejected"
UPLOAD_ACCEPTED = "upload_accepted"
UPLOAD_CANCELLED = "upload_cancelled"
FINDINGS_UPDATED = "findings_updated"
CASE_CHANGED = "case_changed"
CASE_COMMENTED = "case_commented"
FINDINGS_EXPORTED = "findings_exported"
REPORT_DOWNLOADED = "report_downloaded"
STATISTICS_EXPORTED = "statistics_exported"
INDIVIDUAL_DATA_VIEWED = "individual_data_viewed"
TOKEN_CREATED = "token_created"
TOKEN_REVOKED = "token_revoked"
USER_CREATED = "user_created"
MEMBER_ADDED = "member_added"
MEMBER_CHANGED = "member_changed"
MEMBER_REMOVED = "member_removed"
# Every e-mail Jämkoll sends to a user (details: its kind; never its text or the address).
MAIL_SENT = "mail_sent"
NOTIFICATIONS_CHANGED = "notifications_changed"


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: ``REMOTE_ADDR``. Behind a trusted proxy the server (waitress with
    ``trusted_proxy``, see ``jamkoll serve --trusted-proxy``) has already put the address the proxy appended
    to ``X-Forwarded-For`` there; the header itself is never read here, since its first entries are
    whatever the client sent."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit(request: HttpRequest | None, action: str, *, user: Any = None, organization: Any = None,
          obj: Any = None, details: dict[str, Any] | None = None, username: str | None = None) -> AuditEvent:
    """Record one action. ``user`` defaults to the request's user; ``obj`` is any saved model object."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return AuditEvent.objects.create(
        user=user,
        username=username if username is not None else (user.get_username() if user is not None else ""),
        organization=organization,
        action=action,
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        details=details or {},
        ip=client_ip(request),
    )


def connect_signals() -> None:
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    user_login_failed.connect(_login_failed, dispatch_uid="jamkoll_audit_login_failed")
    user_logged_in.connect(_logged_in, dispatch_uid="jamkoll_audit_logged_in")
    user_logged_out.connect(_logged_out, dispatch_uid="jamkoll_audit_logged_out")


def _login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                  **kwargs: Any) -> None:
    # Django has already masked anything that looks like a password in ``credentials``.
    name = str(credentials.get("username", ""))[:150]
    # Refused by the login throttle (jamkoll.web.accounts.throttle) before any password was checked.
    reason = getattr(request, "jamkoll_login_throttled", None) if request is not None else None
    if reason:
        audit(request, LOGIN_THROTTLED, user=None, username=name, details={"reason": reason})
    else:
        audit(request, LOGIN_FAILED, user=None, username=name)


def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit(request, LOGIN, user=user)


def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit(request, LOGOUT, user=user)
