"""A local web server for link-check tests: pages whose content the test changes at will."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Page:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    location: str = ""
    trickle: bool = False  # send the headers and a little, then keep the body coming too slowly


@dataclass
class Site:
    host: str
    port: int
    pages: dict[str, Page] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    scheme: str = "http"

    def url(self, path: str) -> str:
        return f"{self.scheme}://{self.host}:{self.port}{path}"

    def html(self, path: str, title: str, text: str = "") -> str:
        self.pages[path] = Page(body=f"<html><head><title>{title}</title></head><body>{text}</body></html>".encode())
        return self.url(path)


@contextmanager
def serve(tls: tuple[str, str] | None = None) -> Iterator[Site]:
    """Serve ``site.pages``; with ``tls=(certfile, keyfile)`` over HTTPS."""
    site = Site("127.0.0.1", 0)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.hits.append(self.path)
            page = site.pages.get(self.path, Page(status=404, body=b"not found", content_type="text/plain"))
            self.send_response(page.status)
            if page.location:
                self.send_header("Location", page.location)
            self.send_header("Content-Type", page.content_type)
            self.send_header("Content-Length", str(len(page.body) * (1000 if page.trickle else 1)))
            self.end_headers()
            self.wfile.write(page.body)
            while page.trickle and not site.release.wait(0.05):  # a byte at a time, never finishing
                self.wfile.write(b" ")
                self.wfile.flush()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        site.scheme = "https"
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.release.set()
        server.shutdown()
        server.server_close()
