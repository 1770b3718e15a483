"""One throttle for every way of logging in: the site's login page, ``/admin/login/``, any other caller of
Django's ``authenticate()`` and the API's bearer tokens.

Failures are read from the audit log (``login_failed`` and ``token_failed`` events, which already carry the
user name as typed and the client address), so every process of the app agrees and nothing else is stored.
Three limits, each over a sliding window (OWASP ASVS 4.0 V2.2.1: soft lockouts and rate limits that resist
both guessing and lockout attacks):

* **user name + address**: ``PER_NAME_AND_ADDRESS`` failures for a name from one address within ``WINDOW``
  refuse that name from that address (a successful login from that address starts the count again);
* **address**: ``PER_ADDRESS`` failures from one address, whatever the names, refuse that address for
  every name (spraying one password over many names; set well above the per-name limit because a
  municipality's staff often share one NAT address);
* **user name**: ``PER_NAME`` failures for a name from any addresses refuse the name, but only from
  addresses it has *not* logged in from successfully within ``KNOWN_ADDRESS_DAYS`` (distributed guessing).

Why a stranger cannot lock a user out indefinitely: the first two limits only ever refuse the stranger's
own address; the third never refuses the user's known addresses. Every refusal ends by itself when the
failures leave the window, and refused attempts are logged as ``login_throttled``, not as failures, so
hammering a locked door does not keep it locked. django-axes was considered: it has one failure limit for
all lockout parameters, so a per-address limit above the per-name one (shared NAT) and the known-address
exemption are not possible with it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone

from jamkoll.web.lib import audit
from jamkoll.web.lib.models import AuditEvent

WINDOW = dt.timedelta(minutes=15)
PER_NAME_AND_ADDRESS = 5
PER_ADDRESS = 30
PER_NAME = 20
KNOWN_ADDRESS_DAYS = 90
FAILURES = (audit.LOGIN_FAILED, audit.TOKEN_FAILED)
# Set on the request when a login was refused by the throttle (the audit log then says login_throttled).
THROTTLED_ATTRIBUTE = "jamkoll_login_throttled"


@dataclass(frozen=True)
class Decision:
    """Why a login is refused (``reason`` is one of "name_and_address", "address", "name"), or not."""

    reason: str | None = None

    def __bool__(self) -> bool:
        return self.reason is not None


def _failures(since: dt.datetime) -> Any:
    return AuditEvent.objects.filter(action__in=FAILURES, at__gte=since)


def check(request: HttpRequest | None, username: str) -> Decision:
    """Would a login attempt for ``username`` from the request's client address be refused now?"""
    now = timezone.now()
    since = now - WINDOW
    address = audit.client_ip(request)
    name = username.strip()
    if address:
        if _failures(since).filter(ip=address).count() >= PER_ADDRESS:
            return Decision("address")
        if name:
            last_success = (AuditEvent.objects.filter(action=audit.LOGIN, username__iexact=name, ip=address,
                                                      at__gte=since).order_by("-at").values_list("at", flat=True)
                            .first())
            pair = _failures(max(since, last_success) if last_success else since).filter(
                ip=address, username__iexact=name)
            if pair.count() >= PER_NAME_AND_ADDRESS:
                return Decision("name_and_address")
    if name and _failures(since).filter(username__iexact=name).count() >= PER_NAME:
        known = address is not None and AuditEvent.objects.filter(
            action=audit.LOGIN, username__iexact=name, ip=address,
            at__gte=now - dt.timedelta(days=KNOWN_ADDRESS_DAYS)).exists()
        if not known:
            return Decision("name")
    return Decision()


def refuse(request: HttpRequest | None, username: str, decision: Decision) -> None:
    """Log a refused attempt (``login_throttled``, which does not count as a failure)."""
    audit.audit(request, audit.LOGIN_THROTTLED, user=None, username=username.strip()[:150],
                details={"reason": decision.reason})


class ThrottledModelBackend(ModelBackend):
    """Django's ``ModelBackend`` that refuses a throttled attempt before any password is checked, on every
    path that calls ``authenticate()`` (the login page, the admin's login, anything later). The only entry
    of ``AUTHENTICATION_BACKENDS``, so no path can reach the plain backend around it."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> Any:
        name = username if username is not None else kwargs.get(get_user_model().USERNAME_FIELD)
        decision = check(request, str(name or ""))
        if decision:
            if request is not None:
                setattr(request, THROTTLED_ATTRIBUTE, decision.reason)
            # Django stops at PermissionDenied and sends user_login_failed; the audit log records it as
            # login_throttled because of the attribute above.
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)


def token_user(request: HttpRequest, plain: str) -> Any | None:
    """The API's bearer-token check, throttled per client address like the logins: a refused address gets
    no user even for a valid token; a wrong token is a failure (``token_failed``)."""
    from .models import ApiToken

    decision = check(request, "")
    if decision:
        refuse(request, "", decision)
        return None
    user = ApiToken.user_for(plain)
    if user is None:
        audit.audit(request, audit.TOKEN_FAILED, user=None)
    return user

