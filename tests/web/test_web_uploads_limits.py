"""Uploads over the limit are refused from their Content-Length, before the body is read."""

from __future__ import annotations

import io
import socket
import threading
from typing import Any

from django.conf import settings
from django.urls import reverse

from jamkoll.web.front.middleware import body_limit
from jamkoll.web.front.models import Submission
from jamkoll.web.lib.stores import staging_root


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, size: int = -1) -> bytes:  # noqa: ARG002
        raise AssertionError("the body of an oversized request was read")

    def readline(self, size: int | None = -1) -> bytes:  # noqa: ARG002
        raise AssertionError("the body of an oversized request was read")


def test_a_body_declared_over_the_limit_is_refused_unread(
        org: Any, members: dict[str, Any], client_for: Any) -> None:
    client = client_for(members["analyst"])
    size = settings.JAMKOLL_MAX_UPLOAD_BYTES * 18  # 900 MB by default
    response = client.generic("POST", reverse("front:uploads", args=[org.slug]), b"",
                              content_type="multipart/form-data; boundary=x",
                              CONTENT_LENGTH=str(size), **{"wsgi.input": UnreadableBody()})
    assert response.status_code == 413
    assert "För stor uppladdning: högst 50 MB" in response.content.decode()
    assert not Submission.objects.exists()
    assert not staging_root(org).exists() or not any(staging_root(org).iterdir())


def test_a_body_within_the_limit_goes_through(org: Any, members: dict[str, Any], client_for: Any) -> None:
    response = client_for(members["analyst"]).get(reverse("front:uploads", args=[org.slug]))
    assert response.status_code == 200


def test_waitress_refuses_the_body_before_receiving_it(db: None) -> None:
    """The server as `jamkoll serve` runs it: 413 on the declared length, without waiting for the body."""
    from waitress.server import create_server

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"reached the app"]

    server = create_server(app, host="127.0.0.1", port=0, max_request_body_size=body_limit())
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        port = server.effective_port  # type: ignore[union-attr]
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(b"POST /o/x/uppladdningar/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         + f"Content-Length: {900 * 1024 * 1024}\r\n".encode()
                         + b"Content-Type: multipart/form-data; boundary=x\r\n\r\n")
            answer = sock.recv(4096).decode("latin-1")
        assert answer.startswith("HTTP/1.1 413"), answer[:200]
        assert "reached the app" not in answer
    finally:
        server.close()
