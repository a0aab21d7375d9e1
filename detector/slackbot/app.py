"""The slack-bolt app: entry points, background work, delivery, errors.

Every entry point acknowledges at once (Slack wants an answer within three
seconds) and the analysis runs on bolt's listener executor afterwards. The
result goes back where the request came from: the slash command's response
URL, or the thread of the message or mention, replacing a "working" note.
Every failure becomes a clear reply; nothing fails silently.
"""

from __future__ import annotations

import logging
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from detector.errors import DetectorError
from detector.ingest import article_from_text, article_from_url
from detector.models import Article, Report
from detector.pipeline import Detector
from detector.settings import Settings
from detector.slackbot.blocks import (
    claim_messages,
    error_blocks,
    fallback_text,
    result_blocks,
    working_blocks,
)
from detector.slackbot.config import SlackSettings
from detector.slackbot.ratelimit import RateLimiter

log = logging.getLogger(__name__)

SHORTCUT_ID = "check_contradictions"
COMMAND = "/contradictions"
_LINK = re.compile(r"<(https?://[^>|\s]+)(?:\|[^>]*)?>|(?<![<\w])(https?://[^\s>]+)")
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
USAGE = (
    "Paste an article's text or a link after the command, e.g. `/contradictions https://…`, "
    "or use the message shortcut *Check for contradictions* on any message."
)


def slack_text_to_plain(text: str) -> str:
    """Slack's markup back to the words people typed: links, mentions, entities."""
    text = _MENTION.sub("", text)
    text = re.sub(r"<(https?://[^>|]+)\|([^>]+)>", r"\2", text)
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def find_url(text: str) -> str | None:
    """A link given alone (the whole message is a URL, perhaps with a mention)."""
    stripped = _MENTION.sub("", text).strip()
    m = _LINK.fullmatch(stripped)
    if m:
        return m.group(1) or m.group(2)
    return None


class Bot:
    """Holds what the handlers share: the detector, the limits, the settings."""

    def __init__(
        self, slack: SlackSettings, settings: Settings, detector: Detector | None = None
    ) -> None:
        self.slack = slack
        self.settings = settings
        self.detector = detector or Detector(settings=settings)
        self.limiter = RateLimiter(slack.rate_limit, slack.rate_window)

    # -- the work --------------------------------------------------------------
    def article(self, raw: str) -> tuple[Article, str]:
        url = find_url(raw)
        limit = min(self.slack.max_chars, self.settings.max_chars)
        if url:
            article = article_from_url(
                url,
                self.settings.fetch_allow_list,
                limit,
                max_bytes=self.settings.fetch_max_bytes,
                timeout=self.settings.fetch_timeout,
            )
            return article, url
        text = slack_text_to_plain(raw)
        return article_from_text(text, "the message", limit), "the message"

    def analyze(self, raw: str) -> tuple[Report, str]:
        article, source = self.article(raw)
        return self.detector.analyze(article), source

    def limited(self, user: str) -> str | None:
        if self.limiter.allow(user):
            return None
        minutes = max(1, round(self.limiter.retry_after(user) / 60))
        return (
            f"You have reached the limit of {self.slack.rate_limit} checks per "
            f"{round(self.slack.rate_window / 60)} minutes. Try again in about {minutes} minute(s)."
        )

    @staticmethod
    def failure(exc: BaseException) -> str:
        if isinstance(exc, DetectorError):
            return f"Could not check this: {exc}"
        ref = uuid.uuid4().hex[:8]
        log.exception("slack analysis failed (ref %s)", ref)
        return f"Something went wrong while checking this (reference {ref}). The error was logged."

    # -- delivery into a thread ----------------------------------------------------
    def work_in_thread(
        self, client: WebClient, channel: str, thread_ts: str, raw: str, user: str
    ) -> None:
        refusal = self.limited(user)
        if refusal:
            client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, text=refusal, blocks=error_blocks(refusal)
            )
            return
        working = client.chat_postMessage(
            channel=channel,
            thread_ts=thread_ts,
            text="Checking for contradictions…",
            blocks=working_blocks("this"),
        )
        working_ts = working["ts"]
        try:
            report, source = self.analyze(raw)
        except Exception as exc:
            message = self.failure(exc)
            client.chat_update(
                channel=channel, ts=working_ts, text=message, blocks=error_blocks(message)
            )
            return
        client.chat_update(
            channel=channel,
            ts=working_ts,
            text=fallback_text(report),
            blocks=result_blocks(
                report, self.slack.top, source=source if source != "the message" else None
            ),
        )
        for blocks in claim_messages(report):
            client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, text="Claims by actor", blocks=blocks
            )


def create_app(
    slack: SlackSettings | None = None,
    settings: Settings | None = None,
    detector: Detector | None = None,
    *,
    http: bool = True,
) -> App:
    """The bolt App with the three entry points registered."""
    slack = slack or SlackSettings()
    settings = settings or Settings()
    bot = Bot(slack, settings, detector)
    token = slack.bot_token.get_secret_value() if slack.bot_token else None
    secret = slack.signing_secret.get_secret_value() if slack.signing_secret else None
    if http and not secret:
        raise DetectorError(
            "SLACK_SIGNING_SECRET is not set: HTTP mode needs it to verify requests"
        )
    if not token:
        raise DetectorError("SLACK_BOT_TOKEN is not set (the bot's xoxb- token)")
    app = App(
        client=WebClient(token=token, base_url=slack.api_base),
        signing_secret=secret or "socket-mode",
        request_verification_enabled=http,
        listener_executor=ThreadPoolExecutor(
            max_workers=slack.workers, thread_name_prefix="detector-slack"
        ),
    )
    app._detector_bot = bot  # type: ignore[attr-defined]  # for tests and introspection

    @app.command(COMMAND)
    def on_command(ack: Any, command: dict[str, Any], respond: Any) -> None:
        raw = (command.get("text") or "").strip()
        if not raw:
            ack(response_type="ephemeral", text=USAGE)
            return
        refusal = bot.limited(command.get("user_id", "?"))
        if refusal:
            ack(response_type="ephemeral", text=refusal)
            return
        ack(
            response_type="ephemeral",
            text="Checking for contradictions… the result will appear here.",
        )
        try:
            report, source = bot.analyze(raw)
        except Exception as exc:
            message = bot.failure(exc)
            respond(response_type="ephemeral", text=message, blocks=error_blocks(message))
            return
        respond(
            response_type="in_channel",
            text=fallback_text(report),
            blocks=result_blocks(
                report, slack.top, source=source if source != "the message" else None
            ),
        )
        for blocks in claim_messages(report)[:3]:
            respond(
                response_type="in_channel",
                text="Claims by actor",
                blocks=blocks,
                replace_original=False,
            )

    @app.shortcut(SHORTCUT_ID)
    def on_shortcut(ack: Any, shortcut: dict[str, Any], client: WebClient, respond: Any) -> None:
        ack()
        message = shortcut.get("message") or {}
        channel = (shortcut.get("channel") or {}).get("id")
        raw = message.get("text") or ""
        user = (shortcut.get("user") or {}).get("id", "?")
        if not raw.strip() or not channel:
            respond(response_type="ephemeral", text="That message has no text to check.")
            return
        try:
            bot.work_in_thread(
                client, channel, message.get("thread_ts") or message["ts"], raw, user
            )
        except SlackApiError as exc:
            # e.g. not_in_channel: answer privately through the response URL instead
            log.warning("could not post in the channel: %s", exc.response.get("error"))
            respond(
                response_type="ephemeral",
                text="I can't post in this channel. Invite me with `/invite @detector` and try again.",
            )

    @app.event("app_mention")
    def on_mention(event: dict[str, Any], client: WebClient) -> None:
        raw = _MENTION.sub("", event.get("text") or "").strip()
        channel = event["channel"]
        thread_ts = event.get("thread_ts") or event["ts"]
        if not raw:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=USAGE)
            return
        bot.work_in_thread(client, channel, thread_ts, raw, event.get("user", "?"))

    return app
