"""Prompt files (`prompts/*.yaml`) loaded into langchain ChatPromptTemplates.

Prompts live in files so they can be reviewed and versioned like code; each
carries a version and the report records a hash of its content, so an eval
result says exactly which prompts produced it.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from langchain_core.prompts import ChatPromptTemplate

from detector.errors import ConfigError

_REQUIRED = ("name", "version", "output", "system", "user")


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    output: str
    template: ChatPromptTemplate
    digest: str

    @property
    def tag(self) -> str:
        """What a report records: version and content hash."""
        return f"v{self.version}:{self.digest}"


def prompt_dirs(configured: Path | None = None) -> list[Path]:
    """Where prompt files are looked for, in order."""
    dirs = [configured] if configured else []
    dirs.append(Path(__file__).resolve().parent.parent / "prompts")
    dirs.append(Path(sys.prefix) / "share" / "detector" / "prompts")
    return dirs


@lru_cache(maxsize=32)
def load_prompt(name: str, directory: Path | None = None) -> Prompt:
    for folder in prompt_dirs(directory):
        path = folder / f"{name}.yaml"
        if path.is_file():
            return parse_prompt(path)
    searched = ", ".join(str(d) for d in prompt_dirs(directory))
    raise ConfigError(f"prompt file {name}.yaml not found (looked in {searched})")


def parse_prompt(path: Path) -> Prompt:
    raw = path.read_bytes()
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a prompt file must be a mapping")
    missing = [k for k in _REQUIRED if k not in data]
    if missing:
        raise ConfigError(f"{path}: missing field(s) {', '.join(missing)}")
    template = ChatPromptTemplate.from_messages(
        [("system", str(data["system"])), ("human", str(data["user"]))]
    )
    return Prompt(
        name=str(data["name"]),
        version=str(data["version"]),
        output=str(data["output"]),
        template=template,
        digest=hashlib.sha256(raw).hexdigest()[:12],
    )
