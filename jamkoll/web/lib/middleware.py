"""Response headers the Django security middleware does not set, and the language of the pages."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

# No CDN, no inline script: everything the pages load comes from this site.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
# Swagger UI (at /api/docs, served from ninja's own static files) sets inline styles.
DOCS_POLICY = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# The public portal's read-only pages (views marked ``xframe_options_exempt``) may be embedded anywhere;
# every other page, and every portal page that changes something, may not be framed at all.
EMBED_POLICY = CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", "frame-ancestors *")


_TEXT_BODIES = ("application/json", "application/x-www-form-urlencoded")


def refuse_nul_characters(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Refuse form and JSON bodies that carry a NUL character (raw or as ``\\u0000``), with 400.

    No text a user types holds one, PostgreSQL cannot store one in a text field (the request would end
    in a server error there and pass on SQLite), and it is a common trick against parsers. Uploaded
    files (multipart) are not affected: a workbook is binary and is checked by the readers.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        content_type = (request.content_type or "").lower()
        if request.method in ("POST", "PUT", "PATCH") and content_type in _TEXT_BODIES:
            body = request.body
            if b"\x00" in body or b"\\u0000" in body.lower() or b"%00" in body:
                return HttpResponse("Texten innehåller ett otillåtet tecken (NUL).", status=400,
                                    content_type="text/plain; charset=utf-8")
        return get_response(request)

    return middleware


def security_headers(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        policy = DOCS_POLICY if request.path.startswith("/api/docs") else CONTENT_SECURITY_POLICY
        if request.path.startswith("/portal/") and getattr(response, "xframe_options_exempt", False):
            policy = EMBED_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    return middleware


NO_STORE = "no-store, private"


def no_store_when_logged_in(
        get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """``Cache-Control: no-store, private`` on every response to a logged-in user (a session or an API token).

    Pages, downloads and API answers of logged-in users may hold personal data: no browser or proxy cache
    keeps them. One rule instead of a decorator per view, so no new view can forget it. Anonymous answers
    (the login page, the public portal, static files) keep their own caching.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        # Only a request with a session cookie or a token can be a logged-in user's; looking at the user of
        # any other would touch the session and add "Vary: Cookie" to the portal's public pages.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES and "HTTP_AUTHORIZATION" not in request.META:
            return response
        user = getattr(request, "user", None)  # the API's token sets it in the view
        if user is not None and user.is_authenticated:
            response.headers["Cache-Control"] = NO_STORE
            response.headers.pop("Expires", None)
        return response

    return middleware


def swedish_first(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Swedish unless the user chose English with the language switch (its cookie).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: a Swedish public
    service speaks Swedish to a user whose browser happens to be set up in English.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        try:
            response = get_response(request)  # pages are rendered in here
        finally:
            # The thread goes back to the default: one user's English does not leak into the next work
            # this thread does outside a request (or into the next test).
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response

    return middleware
