"""The real slack-bolt app over HTTP, against a Slack Web API stand-in on loopback."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_stub import SlackStub

from detector.settings import Settings
from detector.slackbot.app import create_app
from detector.slackbot.blocks import MAX_BLOCKS, MAX_FIELD, MAX_SECTION
from detector.slackbot.config import SlackSettings
from detector.slackbot.server import make_server

SECRET = "test-signing-secret-123"
TOKEN = "test-bot-token-not-real-000"
ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "examples" / "seed-article.txt").read_text(encoding="utf-8")

ARTICLE_HTML = """<html><head><title>Bridge row in Millbrook</title></head><body>
<nav>Home | News | Sport</nav>
<article><h1>Bridge row in Millbrook</h1>
<p>Millbrook Council has insisted that the town's footbridge is safe to use, despite a warning from the engineer who inspected it.</p>
<p>Council leader Margaret Hale said on Tuesday: "The bridge is safe and it will stay open."</p>
<p>But structural engineer David Okoro told the Gazette that the bridge is not safe. "Two of the main supports are badly corroded," he said.</p>
</article><footer>Copyright Millbrook Gazette</footer></body></html>"""


class PageHandler(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        port = self.server.server_address[1]
        if self.path == "/article":
            body = ARTICLE_HTML.encode()
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/to-loopback":
            self.send_response(302)
            self.send_header("location", f"http://127.0.0.1:{port}/article")
            self.end_headers()
        elif self.path == "/to-metadata":
            self.send_response(301)
            self.send_header("location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
        else:
            self.send_response(404)
            self.send_header("content-length", "0")
            self.end_headers()


@dataclass
class Env:
    slack: SlackStub
    url: str
    page_port: int

    def page(self, path: str, host: str = "localhost") -> str:
        return f"http://{host}:{self.page_port}{path}"


def _serve(server: ThreadingHTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


def make_env(rate_limit: int = 50) -> Iterator[Env]:
    stub = SlackStub()
    pages = ThreadingHTTPServer(("127.0.0.1", 0), PageHandler)
    _serve(pages)
    slack = SlackSettings(
        bot_token=TOKEN, signing_secret=SECRET, api_url=stub.api_url, rate_limit=rate_limit
    )
    settings = Settings(backend="offline", fetch_allow="localhost")
    app = create_app(slack, settings)
    server = make_server(app, "127.0.0.1", 0)
    _serve(server)
    host, port = server.server_address[:2]
    try:
        yield Env(stub, f"http://{host}:{port}/slack/events", pages.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        pages.shutdown()
        pages.server_close()
        stub.close()


@pytest.fixture
def env() -> Iterator[Env]:
    yield from make_env()


def post(
    url: str,
    body: str,
    ctype: str,
    *,
    timestamp: int | None = None,
    signature: str | None = None,
    signed: bool = True,
) -> tuple[int, str, float]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    headers = {"Content-Type": ctype}
    if signed:
        digest = hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
        headers["X-Slack-Request-Timestamp"] = ts
        headers["X-Slack-Signature"] = signature or f"v0={digest}"
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), time.monotonic() - started


def command(env: Env, text: str, user: str = "U1") -> tuple[int, str, float]:
    body = urlencode(
        {
            "token": "legacy",
            "team_id": "T1",
            "channel_id": "C1",
            "user_id": user,
            "command": "/contradictions",
            "text": text,
            "trigger_id": "tr",
            "response_url": env.slack.response_url(f"cmd-{user}"),
        }
    )
    return post(env.url, body, "application/x-www-form-urlencoded")


def mention(env: Env, text: str, ts: str = "1700000000.000100") -> tuple[int, str, float]:
    body = json.dumps(
        {
            "token": "legacy",
            "team_id": "T1",
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": f"Ev{ts}",
            "event_time": 1,
            "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
            "event": {
                "type": "app_mention",
                "user": "U1",
                "text": f"<@UBOT> {text}",
                "ts": ts,
                "channel": "C1",
                "event_ts": ts,
            },
        }
    )
    return post(env.url, body, "application/json")


def all_text(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def check_limits(blocks: list[dict[str, Any]]) -> None:
    assert len(blocks) <= MAX_BLOCKS
    for block in blocks:
        if "text" in block and isinstance(block["text"], dict):
            assert len(block["text"]["text"]) <= MAX_SECTION
        for field in block.get("fields", []):
            assert len(field["text"]) <= MAX_FIELD


# -- request signatures ------------------------------------------------------------


def test_valid_signature_is_accepted(env: Env) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"})
    status, text, _ = post(env.url, body, "application/json")
    assert status == 200 and "abc123" in text


@pytest.mark.parametrize(
    "kind",
    ["wrong", "stale", "missing"],
)
def test_bad_signatures_get_401(env: Env, kind: str) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"})
    if kind == "wrong":
        status, _, _ = post(env.url, body, "application/json", signature="v0=" + "0" * 64)
    elif kind == "stale":
        status, _, _ = post(env.url, body, "application/json", timestamp=int(time.time()) - 600)
    else:
        status, _, _ = post(env.url, body, "application/json", signed=False)
    assert status == 401
    assert env.slack.of("chat.postMessage") == []


def test_health_and_unknown_paths(env: Env) -> None:
    base = env.url.rsplit("/slack/events", 1)[0]
    with urllib.request.urlopen(base + "/healthz", timeout=10) as r:
        assert r.status == 200
    status, _, _ = post(base + "/elsewhere", "{}", "application/json")
    assert status == 404


# -- entry points --------------------------------------------------------------------


def test_slash_command_acks_fast_and_delivers_to_the_response_url(env: Env) -> None:
    status, text, elapsed = command(env, SEED)
    assert status == 200 and "Checking" in text
    assert elapsed < 3.0  # Slack's acknowledgement deadline
    replies = env.slack.wait_for("/response/cmd-U1", count=2)
    result = replies[0]
    assert result["response_type"] == "in_channel"
    check_limits(result["blocks"])
    rendered = all_text(result["blocks"])
    assert "Hamas" in rendered and "Ramzan Sharif" in rendered
    assert "one of the revenges" in rendered and "We deny the validity" in rendered
    assert "Backend *offline*" in rendered
    assert any(r.get("text") == "Claims by actor" for r in replies[1:])


def test_empty_command_explains_usage(env: Env) -> None:
    status, text, _ = command(env, "   ")
    assert status == 200 and "Paste an article" in text


def test_message_shortcut_works_in_the_thread(env: Env) -> None:
    payload = {
        "type": "message_action",
        "callback_id": "check_contradictions",
        "trigger_id": "t1",
        "response_url": env.slack.response_url("shortcut"),
        "team": {"id": "T1"},
        "channel": {"id": "C9", "name": "newsdesk"},
        "user": {"id": "U2", "name": "editor"},
        "message": {"type": "message", "text": SEED, "ts": "1700000001.000200", "user": "U3"},
        "message_ts": "1700000001.000200",
    }
    status, _, elapsed = post(
        env.url, urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
    )
    assert status == 200 and elapsed < 3.0
    update = env.slack.wait_for("chat.update")[0]
    posts = env.slack.wait_for("chat.postMessage", count=2)
    working = posts[0]
    assert working["channel"] == "C9" and working["thread_ts"] == "1700000001.000200"
    assert "Checking" in all_text(working["blocks"])
    assert update["channel"] == "C9" and update["ts"].endswith(".000100")
    assert "We deny the validity" in all_text(update["blocks"])
    check_limits(update["blocks"])
    assert all(p["thread_ts"] == "1700000001.000200" for p in posts)
    assert posts[0]["_auth"] == f"Bearer {TOKEN}"


def test_mention_with_a_link_fetches_the_article(env: Env) -> None:
    status, _, _ = mention(env, f"<{env.page('/article')}|the bridge story>")
    assert status == 200
    update = env.slack.wait_for("chat.update")[0]
    rendered = all_text(update["blocks"])
    assert "Margaret Hale" in rendered or "Millbrook Council" in rendered
    assert "David Okoro" in rendered
    assert "Copyright" not in rendered  # page furniture is not article text
    assert env.page("/article") in rendered


def test_mention_with_plain_text(env: Env) -> None:
    text = (
        'The mayor said the bridge is safe. "It is not safe at all," the engineer, Tom Okoro, said.'
    )
    mention(env, text)
    update = env.slack.wait_for("chat.update")[0]
    assert "Tom Okoro" in all_text(update["blocks"])


def test_empty_mention_gets_usage(env: Env) -> None:
    mention(env, "")
    reply = env.slack.wait_for("chat.postMessage")[0]
    assert "Paste an article" in reply["text"]


def test_unreadable_page_gets_a_clear_reply(env: Env) -> None:
    mention(env, env.page("/missing"))
    update = env.slack.wait_for("chat.update")[0]
    assert "HTTP 404" in update["text"] and "Could not check this" in update["text"]


@pytest.mark.parametrize(
    ("target", "needle"),
    [
        ("loopback", "loopback"),
        ("metadata", "169.254.169.254"),
        ("redirect-loopback", "loopback"),
        ("redirect-metadata", "169.254.169.254"),
    ],
)
def test_ssrf_attempts_are_refused(env: Env, target: str, needle: str) -> None:
    url = {
        "loopback": env.page("/article", host="127.0.0.1"),
        "metadata": "http://169.254.169.254/latest/meta-data/iam/",
        "redirect-loopback": env.page("/to-loopback"),
        "redirect-metadata": env.page("/to-metadata"),
    }[target]
    mention(env, f"<{url}>")
    update = env.slack.wait_for("chat.update")[0]
    assert "refused" in update["text"] and needle in update["text"]


def test_long_article_is_split_within_slack_limits(env: Env) -> None:
    paragraphs = [
        f'"The budget for project {i} is {i * 3} million pounds and rising," said Councillor Person{i} Smith{i}.'
        for i in range(120)
    ]
    mention(env, "\n".join(paragraphs))
    env.slack.wait_for("chat.update")
    time.sleep(0.5)
    thread_posts = env.slack.wait_for("chat.postMessage", count=2)
    for body in env.slack.of("chat.update") + thread_posts:
        if "blocks" in body:
            check_limits(body["blocks"])
    claims_posts = [p for p in thread_posts if p.get("text") == "Claims by actor"]
    assert claims_posts and sum(len(p["blocks"]) for p in claims_posts) >= 100


def test_rate_limit_per_user() -> None:
    for env in make_env(rate_limit=1):
        assert "Checking" in command(env, SEED, user="U7")[1]
        status, text, _ = command(env, SEED, user="U7")
        assert status == 200 and "limit of 1 checks" in text
        assert "Checking" in command(env, SEED, user="U8")[1]
        env.slack.wait_for("/response/cmd-U8")


def test_secrets_never_reach_the_logs(env: Env, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    command(env, SEED)
    env.slack.wait_for("/response/cmd-U1", count=2)
    post(
        env.url,
        json.dumps({"type": "url_verification", "challenge": "x"}),
        "application/json",
        signature="v0=bad",
    )
    logged = caplog.text
    assert TOKEN not in logged and SECRET not in logged


def test_http_mode_needs_a_signing_secret() -> None:
    from detector.errors import DetectorError

    with pytest.raises(DetectorError, match="SLACK_SIGNING_SECRET"):
        create_app(SlackSettings(bot_token=TOKEN, signing_secret=None), Settings(backend="offline"))
