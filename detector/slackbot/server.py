"""A small threaded HTTP server for bolt's HTTP mode, bound where you choose.

bolt's own development server always binds 0.0.0.0; this one binds
127.0.0.1 by default (put a TLS proxy in front), serves Slack at
`/slack/events` and a health check at `/healthz`.
"""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from slack_bolt import App, BoltRequest

MAX_BODY = 1_000_000


def make_server(
    app: App, host: str = "127.0.0.1", port: int = 3000, path: str = "/slack/events"
) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        server_version = "detector-slack"

        def log_message(
            self, format: str, *args: Any
        ) -> None:  # no request logging: bodies hold tokens
            pass

        def _send(self, status: int, body: str, headers: dict[str, Any] | None = None) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            for key, values in (headers or {}).items():
                for value in values if isinstance(values, list | tuple) else [values]:
                    if key.lower() != "content-length":
                        self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if urlsplit(self.path).path == "/healthz":
                self._send(200, "ok", {"content-type": ["text/plain"]})
            else:
                self._send(404, "not found")

        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            if parts.path != path:
                self._send(404, "not found")
                return
            length = int(self.headers.get("content-length") or 0)
            if length > MAX_BODY:
                self._send(413, "request too large")
                return
            body = self.rfile.read(length).decode("utf-8")
            request = BoltRequest(
                body=body, query=parts.query, headers={k: [v] for k, v in self.headers.items()}
            )
            response = app.dispatch(request)
            payload = response.body if isinstance(response.body, str) else str(response.body)
            self._send(response.status, payload, response.headers)

    return ThreadingHTTPServer((host, port), Handler)
