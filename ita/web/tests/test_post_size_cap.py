"""The post-size cap counts multipart file parts too: a large upload to any form is refused
with 413 before it is read, and file parts past the cap are stopped even when the request did
not declare its true length. Before, DATA_UPLOAD_MAX_MEMORY_SIZE ignored files and a 100 MB
multipart post was accepted."""

from __future__ import annotations

import io
import socket
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.test import Client, override_settings

from ita.web.middleware import CappedUploadHandler

pytestmark = pytest.mark.django_db
BOUNDARY = "ita-test-boundary"


def _multipart(size: int) -> bytes:
    return (
        (
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="username"\r\n\r\nsomeone\r\n'
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="evidence"; filename="big.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + b"x" * size
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


def test_a_file_part_over_the_cap_is_refused_with_413_and_a_thai_page() -> None:
    big = io.BytesIO(b"x" * (settings.ITA_MAX_POST_BYTES + 1))
    big.name = "evidence.pdf"
    response = Client(raise_request_exception=False).post("/accounts/login/", {"username": "x", "evidence": big})
    assert response.status_code == 413
    assert "ใหญ่เกินไป" in response.content.decode() and "ลองใหม่" in response.content.decode()


def test_a_raw_multipart_post_over_the_cap_is_refused_with_413() -> None:
    response = Client(raise_request_exception=False).generic(
        "POST", "/accounts/login/", _multipart(1024 * 1024), content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )
    assert response.status_code == 413


def test_a_post_under_the_cap_is_still_served() -> None:
    response = Client().generic(
        "POST", "/accounts/login/", _multipart(1000), content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )
    assert response.status_code == 200  # the login form again, with its error


def test_a_100_mb_post_over_a_real_socket_is_refused_before_its_body_is_sent(live_server: Any) -> None:
    # The client declares 100 MB and sends only the first 64 KB: the answer comes back without
    # the server waiting for (or storing) the rest.
    host = urlsplit(live_server.url)
    head = (
        f"POST /accounts/login/ HTTP/1.1\r\nHost: {host.hostname}:{host.port}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
        f"Content-Length: {100 * 1024 * 1024}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((host.hostname, host.port), timeout=10) as sock:
        sock.sendall(head + _multipart(64 * 1024)[: 64 * 1024])
        answer = sock.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 413") or answer.startswith("HTTP/1.0 413"), answer[:200]


@override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if not m.endswith("RequestLimitsMiddleware")])
def test_without_the_middleware_the_upload_handler_still_refuses_a_declared_large_multipart_post() -> None:
    response = Client(raise_request_exception=False).generic(
        "POST", "/accounts/login/", _multipart(1024 * 1024), content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )
    assert response.status_code == 400


def test_file_parts_past_the_cap_are_stopped_when_the_request_understates_its_length() -> None:
    # A body longer than its Content-Length (or sent without one) reaches the parser unbounded;
    # the handler counts what actually arrives.
    body = _multipart(settings.ITA_MAX_POST_BYTES + 1)
    meta = {"CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}", "CONTENT_LENGTH": "1000"}
    handlers = [CappedUploadHandler(), MemoryFileUploadHandler()]
    with pytest.raises(RequestDataTooBig):
        MultiPartParser(meta, io.BytesIO(body), handlers).parse()


def test_a_small_file_part_passes_the_upload_handler() -> None:
    body = _multipart(1000)
    meta = {"CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}", "CONTENT_LENGTH": str(len(body))}
    _post, files = MultiPartParser(meta, io.BytesIO(body), [CappedUploadHandler(), MemoryFileUploadHandler()]).parse()
    assert getattr(files["evidence"], "size", None) == 1000
