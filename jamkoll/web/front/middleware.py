"""Refuse request bodies over the upload limit from their ``Content-Length``, before reading them.

Django reads a multipart body (and streams its files to disk) as soon as anything touches
``request.POST`` or ``request.FILES``; the CSRF check does that for every POST. This middleware
runs before it: a body declared larger than ``JAMKOLL_MAX_UPLOAD_BYTES`` (plus room for the form's
other fields) gets ``413`` at once, nothing of it read. A body without a length (chunked) is held
to the same limit by Django's own ``DATA_UPLOAD_MAX_MEMORY_SIZE`` for form fields and by
:func:`jamkoll.web.front.uploads.stage_upload` for files; the WSGI server (waitress) refuses it
from ``max_request_body_size`` (see :func:`jamkoll.web.serve`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Room for the form's other fields and the multipart boundaries around the files.
OVERHEAD_BYTES = 1024 * 1024


def body_limit() -> int:
    return int(settings.JAMKOLL_MAX_UPLOAD_BYTES) + OVERHEAD_BYTES


Handler = Callable[[HttpRequest], HttpResponse]


def refuse_oversized_bodies(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or ""
        try:
            length = int(declared) if declared else 0
        except ValueError:
            return HttpResponse("Ogiltig Content-Length.", status=400, content_type="text/plain; charset=utf-8")
        if length > body_limit():
            limit_mb = settings.JAMKOLL_MAX_UPLOAD_BYTES // (1024 * 1024)
            response = HttpResponse(
                f"För stor uppladdning: högst {limit_mb} MB åt gången. Dela upp filerna eller kontakta "
                "förbundets administratör.", status=413, content_type="text/plain; charset=utf-8")
            response["Connection"] = "close"
            return response
        return get_response(request)

    return middleware
