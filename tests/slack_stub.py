"""A stand-in for Slack's Web API on loopback (the technique slack-bolt's own tests use).

It answers the Web API methods the bot calls and the response URLs Slack
gives slash commands and shortcuts, and records every call.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


class SlackStub:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.fail: dict[str, str] = {}  # method -> Slack error code
        self._ts = 1000
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length).decode()
                if "json" in (self.headers.get("content-type") or ""):
                    body = json.loads(raw or "{}")
                else:
                    body = {k: v[0] for k, v in parse_qs(raw).items()}
                    for key in ("blocks",):
                        if isinstance(body.get(key), str):
                            body[key] = json.loads(body[key])
                body["_auth"] = self.headers.get("authorization")
                method = self.path.rsplit("/", 1)[-1]
                stub.calls.append((self.path, body))
                if method in stub.fail:
                    reply: dict[str, Any] = {"ok": False, "error": stub.fail[method]}
                elif self.path.startswith("/response/"):
                    self._send(200, "ok", "text/plain")
                    return
                elif method == "auth.test":
                    reply = {
                        "ok": True,
                        "user_id": "UBOT",
                        "bot_id": "BBOT",
                        "team_id": "T1",
                        "user": "detector",
                    }
                else:
                    stub._ts += 1
                    reply = {"ok": True, "channel": body.get("channel"), "ts": f"{stub._ts}.000100"}
                self._send(200, json.dumps(reply), "application/json")

            def _send(self, status: int, data: str, ctype: str) -> None:
                payload = data.encode()
                self.send_response(status)
                self.send_header("content-type", ctype)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.url}/response/{name}"

    def of(self, suffix: str) -> list[dict[str, Any]]:
        return [body for path, body in self.calls if path.endswith(suffix)]

    def wait_for(self, suffix: str, count: int = 1, timeout: float = 30.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.of(suffix)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(
            f"no {count} call(s) to {suffix} within {timeout}s: {[p for p, _ in self.calls]}"
        )

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
