"""Configuration from the environment, a `.env` file or a TOML settings file.

One `Settings` object is the single place a run's configuration is read, so
the CLI, the Python API, the eval harness and the Slack bot agree on it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from platformdirs import user_cache_dir, user_config_dir
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

DEFAULT_MODEL = "gpt-4o-mini"
BackendChoice = Literal["auto", "llm", "offline"]


def config_file() -> Path:
    """`DETECTOR_CONFIG`, else `detector.toml` in the user's config directory."""
    env = os.environ.get("DETECTOR_CONFIG")
    if env:
        return Path(env)
    return Path(user_config_dir("detector")) / "detector.toml"


class Settings(BaseSettings):
    """Every knob, with the environment variable that sets it."""

    model_config = SettingsConfigDict(
        env_prefix="DETECTOR_", env_file=".env", extra="ignore", populate_by_name=True
    )

    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "openai_api_key")
    )
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "openai_base_url")
    )
    azure_openai_endpoint: str | None = Field(
        default=None,
        validation_alias=AliasChoices("AZURE_OPENAI_ENDPOINT", "azure_openai_endpoint"),
    )
    model: str = DEFAULT_MODEL
    backend: BackendChoice = "auto"
    temperature: float = 0.0
    request_timeout: float = Field(default=60.0, description="Seconds per LLM request")
    max_retries: int = Field(default=4, description="Retries of a transient LLM fault")
    max_retry_seconds: float = Field(default=120.0, description="Total retry budget per call")
    cache_dir: Path = Field(default_factory=lambda: Path(user_cache_dir("detector")))
    cache: bool = True
    concurrency: int = Field(default=4, ge=1, le=64)
    max_chars: int = Field(default=200_000, description="Largest article accepted, in characters")
    chunk_chars: int = Field(default=6000, description="Chunk size for long articles")
    score_batch: int = Field(default=8, description="Pairs judged per scoring call")
    fetch_allow: str = Field(
        default="",
        description="Comma-separated hosts or networks that URL fetching may reach even though "
        "they are private (e.g. an intranet CMS); empty by default",
    )
    fetch_max_bytes: int = 5_000_000
    fetch_timeout: float = 15.0
    prompts_dir: Path | None = None
    calibration_dir: Path | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings, dotenv_settings]
        path = config_file()
        if path.is_file():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    @property
    def llm_configured(self) -> bool:
        return bool(self.openai_api_key or self.openai_base_url or self.azure_openai_endpoint)

    @property
    def fetch_allow_list(self) -> list[str]:
        return [x.strip() for x in self.fetch_allow.split(",") if x.strip()]

    def resolved_backend(self) -> Literal["llm", "offline"]:
        """`auto` means the LLM when one is configured, the offline backend otherwise."""
        if self.backend == "auto":
            return "llm" if self.llm_configured else "offline"
        return self.backend

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with the non-None overrides applied (CLI flags win over env)."""
        data = {k: v for k, v in overrides.items() if v is not None}
        return self.model_copy(update=data)
