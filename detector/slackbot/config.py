"""The Slack bot's settings, from the environment (SLACK_* and DETECTOR_SLACK_*)."""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

SLACK_API_DEFAULT = "https://slack.com/api/"


class SlackSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DETECTOR_SLACK_", env_file=".env", extra="ignore")

    bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "bot_token")
    )
    app_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_APP_TOKEN", "app_token")
    )
    signing_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "signing_secret")
    )
    api_url: str = Field(
        default=SLACK_API_DEFAULT, validation_alias=AliasChoices("SLACK_API_URL", "api_url")
    )
    rate_limit: int = Field(default=10, ge=1, description="Analyses per user per window")
    rate_window: float = Field(default=3600.0, gt=0, description="Rate-limit window, seconds")
    max_chars: int = Field(default=60_000, description="Largest article the bot accepts")
    top: int = Field(default=5, ge=1, le=20, description="Contradictions shown in the result")
    workers: int = Field(default=4, ge=1, le=32, description="Analyses running at once")

    @property
    def api_base(self) -> str:
        return self.api_url if self.api_url.endswith("/") else self.api_url + "/"
