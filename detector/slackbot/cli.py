"""`detector slack`: run the bot in Socket Mode or HTTP mode."""

from __future__ import annotations

import logging
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console

from detector.errors import DetectorError

err = Console(stderr=True, soft_wrap=True)


def slack(
    http: Annotated[
        bool, typer.Option("--http", help="Serve Slack's HTTP requests instead of Socket Mode")
    ] = False,
    port: Annotated[int, typer.Option("--port", help="HTTP mode: port to listen on")] = 3000,
    host: Annotated[str, typer.Option("--host", help="HTTP mode: address to bind")] = "127.0.0.1",
    backend: Annotated[str | None, typer.Option("--backend", help="auto | llm | offline")] = None,
    model: Annotated[str | None, typer.Option("--model", help="Chat model name")] = None,
) -> None:
    """Run the newsroom Slack bot (Socket Mode when SLACK_APP_TOKEN is set)."""
    from detector.cli import BackendOpt, announce_backend, fail, settings_from_options
    from detector.slackbot.app import create_app
    from detector.slackbot.config import SlackSettings

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        chosen = BackendOpt(backend) if backend else None
    except ValueError:
        raise fail(f"--backend {backend!r}: choose auto, llm or offline") from None
    settings = settings_from_options(chosen, model, False)
    try:
        slack_settings = SlackSettings()
    except ValidationError as exc:
        first = exc.errors()[0]
        raise fail(
            f"invalid Slack configuration ({'.'.join(map(str, first['loc']))}: {first['msg']})"
        ) from None
    socket_mode = bool(slack_settings.app_token) and not http
    try:
        announce_backend(settings)
        app = create_app(slack_settings, settings, http=not socket_mode)
    except DetectorError as exc:
        raise fail(str(exc)) from None
    if socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        err.print("detector slack: connecting in Socket Mode", highlight=False)
        SocketModeHandler(app, slack_settings.app_token.get_secret_value()).start()  # type: ignore[union-attr]
        return
    from detector.slackbot.server import make_server

    server = make_server(app, host, port)
    err.print(f"detector slack: HTTP mode on http://{host}:{port}/slack/events", highlight=False)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
