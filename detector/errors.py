"""Errors a user can act on; each message names what was wrong."""

from __future__ import annotations


class DetectorError(Exception):
    """Base class: the CLI prints the message on one line and exits non-zero."""

    exit_code = 1


class InputError(DetectorError):
    """The article (or dataset) given is unusable: empty, binary, too large, ..."""

    exit_code = 2


class ConfigError(DetectorError):
    """The configuration cannot work (no LLM configured for `--backend llm`, ...)."""

    exit_code = 2


class LLMError(DetectorError):
    """The LLM service failed permanently (after retries) or refused the request."""

    exit_code = 3
