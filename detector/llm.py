"""The LLM client: langchain chat models with retries, a cache, and accounting.

One `LLMClient.structured()` call turns a prompt file and its variables into a
validated pydantic object:

- the reply is requested as JSON matching the output model's schema, parsed
  with pydantic, and re-asked once with the validation error when it fails;
- transient faults (429 with Retry-After, 5xx, timeouts, dropped connections)
  are retried with tenacity, exponential backoff with jitter, within a
  bounded number of attempts and total time; every retry is counted;
- every reply's tokens are counted exactly as the server reported them, even
  when the reply then fails validation; cost comes from the price table;
- replies are cached on disk, keyed by model, prompt version and request.
"""

from __future__ import annotations

import json
import logging
import os
import re
from typing import Any, TypeVar

import openai
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from pydantic import BaseModel, ValidationError
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_random_exponential,
)

from detector.cache import CachedReply, ReplyCache, cache_key
from detector.errors import ConfigError, LLMError
from detector.interfaces import RunContext
from detector.models import Usage
from detector.pricing import cost_usd
from detector.prompts import Prompt
from detector.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T", bound=BaseModel)

# Longest wait honoured from a Retry-After header, in seconds.
MAX_RETRY_AFTER = 60.0


def make_chat_model(settings: Settings) -> BaseChatModel:
    """ChatOpenAI for OpenAI and compatible servers; AzureChatOpenAI when Azure is configured.

    The client's own retries are off: tenacity retries here, so each retry is
    counted and the total time is bounded.
    """
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    if settings.azure_openai_endpoint:
        from langchain_openai import AzureChatOpenAI

        return AzureChatOpenAI(
            azure_endpoint=settings.azure_openai_endpoint,
            azure_deployment=settings.model,
            api_version=os.environ.get("OPENAI_API_VERSION", "2024-10-21"),
            temperature=settings.temperature,
            timeout=settings.request_timeout,
            max_retries=0,
        )
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=settings.model,
        # A local server (Ollama, llama.cpp) needs no key, but the client insists on one.
        api_key=key or "not-needed",
        base_url=settings.openai_base_url,
        temperature=settings.temperature,
        timeout=settings.request_timeout,
        max_retries=0,
    )


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, openai.RateLimitError | openai.APITimeoutError | openai.APIConnectionError):
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code >= 500 or exc.status_code in (408, 409, 429)
    return False


def _retry_after(exc: BaseException | None) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    value = headers.get("retry-after-ms")
    if value:
        try:
            return float(value) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class _Wait:
    """Retry-After when the server gives it, else exponential backoff with jitter."""

    def __init__(self, initial: float, maximum: float) -> None:
        self.backoff = wait_random_exponential(multiplier=initial, max=maximum)

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        hinted = _retry_after(exc)
        if hinted is not None:
            return min(max(hinted, 0.0), MAX_RETRY_AFTER)
        return float(self.backoff(state))


def _scrub(text: str, secret: str | None) -> str:
    if secret:
        text = text.replace(secret, "***")
    return re.sub(r"sk-[A-Za-z0-9_-]{8,}", "sk-***", text)


def _describe(exc: BaseException, secret: str | None) -> str:
    if isinstance(exc, openai.APIStatusError):
        body = exc.body if isinstance(exc.body, dict) else {}
        inner = body.get("error", body) if isinstance(body.get("error", body), dict) else {}
        message = str(inner.get("message") or body.get("message") or exc.message or exc)
        return _scrub(f"HTTP {exc.status_code}: {message}", secret)[:300]
    if isinstance(exc, openai.APITimeoutError):
        return "the request timed out"
    if isinstance(exc, openai.APIConnectionError):
        return "could not connect to the server"
    return _scrub(f"{type(exc).__name__}: {exc}", secret)[:300]


def _schema_format(model: type[BaseModel]) -> dict[str, Any]:
    return {
        "type": "json_schema",
        "json_schema": {
            "name": model.__name__,
            "schema": model.model_json_schema(),
            "strict": False,
        },
    }


def _json_text(content: Any) -> str:
    """The reply's text, without the code fences some local models add."""
    if isinstance(content, list):
        content = "".join(
            part.get("text", "") if isinstance(part, dict) else str(part) for part in content
        )
    text = str(content).strip()
    fenced = re.match(r"^```(?:json)?\s*(.*?)\s*```$", text, re.S)
    return fenced.group(1) if fenced else text


class LLMClient:
    """Structured calls to one chat model, shared by the three LLM stages."""

    def __init__(self, settings: Settings, chat_model: BaseChatModel | None = None) -> None:
        if not settings.llm_configured and chat_model is None:
            raise ConfigError("no LLM configured: set OPENAI_API_KEY or OPENAI_BASE_URL")
        self.settings = settings
        self.model_name = settings.model
        self.chat = chat_model or make_chat_model(settings)
        self._secret = (
            settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        )
        self.cache = ReplyCache(settings.cache_dir) if settings.cache else None
        self._structured = True  # JSON-schema response_format, until a server refuses it

    async def structured(
        self,
        prompt: Prompt,
        variables: dict[str, Any],
        output: type[T],
        ctx: RunContext,
    ) -> T | None:
        """The parsed reply, or None (with a warning) when the model never produced valid output."""
        ctx.prompts[prompt.name] = prompt.tag
        messages: list[BaseMessage] = list(prompt.template.format_messages(**variables))
        key = cache_key(
            {
                "model": self.model_name,
                "prompt": prompt.name,
                "version": prompt.tag,
                "messages": [(m.type, m.content) for m in messages],
                "schema": output.model_json_schema(),
                "temperature": self.settings.temperature,
            }
        )
        use_cache = self.cache is not None and ctx.use_cache
        if use_cache and self.cache is not None:
            hit = self.cache.get(key)
            if hit is not None:
                try:
                    parsed = output.model_validate_json(_json_text(hit.content))
                except ValidationError:
                    parsed = None
                if parsed is not None:
                    ctx.usage.cache_hits += 1
                    return parsed

        for attempt in range(2):
            reply = await self._call(messages, output, ctx)
            try:
                parsed = output.model_validate_json(_json_text(reply.content))
            except ValidationError as exc:
                if attempt == 0:
                    log.info("reply to %s failed validation; asking again", prompt.name)
                    messages = [
                        *messages,
                        AIMessage(content=str(reply.content)),
                        HumanMessage(
                            content="Your reply did not match the required JSON schema:\n"
                            f"{_short_errors(exc)}\nAnswer again with JSON only, matching the schema."
                        ),
                    ]
                    continue
                ctx.warn(
                    f"{prompt.name}: the model's reply failed validation twice; "
                    f"its output was skipped ({_short_errors(exc)[:200]})"
                )
                return None
            if use_cache and self.cache is not None:
                self.cache.put(
                    key,
                    self.model_name,
                    prompt.tag,
                    CachedReply(content=str(reply.content)),
                )
            return parsed
        return None

    async def _call(
        self, messages: list[BaseMessage], output: type[BaseModel], ctx: RunContext
    ) -> AIMessage:
        try:
            return await self._attempts(messages, output, ctx, structured=self._structured)
        except openai.BadRequestError as exc:
            if not self._structured or "response_format" not in str(exc):
                raise self._failure(exc, 1) from None
            # An OpenAI-compatible server without JSON-schema output (older Ollama,
            # some proxies): ask in plain JSON from now on; the prompts describe it.
            log.info("server refused response_format; continuing without it")
            self._structured = False
            try:
                return await self._attempts(messages, output, ctx, structured=False)
            except openai.BadRequestError as again:
                raise self._failure(again, 1) from None

    def _failure(self, exc: BaseException, tries: int) -> LLMError:
        return LLMError(
            f"the LLM request to model {self.model_name!r} failed after {tries} attempt(s): "
            f"{_describe(exc, self._secret)}"
        )

    async def _attempts(
        self,
        messages: list[BaseMessage],
        output: type[BaseModel],
        ctx: RunContext,
        structured: bool,
    ) -> AIMessage:
        bound = self.chat.bind(response_format=_schema_format(output)) if structured else self.chat
        if not structured:
            schema = json.dumps(output.model_json_schema(), ensure_ascii=False)
            messages = [
                *messages,
                HumanMessage(
                    content=f"Answer with one JSON object matching this JSON schema:\n{schema}"
                ),
            ]
        retrying = AsyncRetrying(
            retry=retry_if_exception(_is_transient),
            wait=_Wait(initial=0.5, maximum=20.0),
            stop=stop_after_attempt(self.settings.max_retries + 1)
            | stop_after_delay(self.settings.max_retry_seconds),
            reraise=True,
            before_sleep=lambda state: self._count_retry(state, ctx),
        )
        try:
            async for attempt in retrying:
                with attempt:
                    reply = await bound.ainvoke(messages)
        except openai.BadRequestError:
            raise  # the caller decides: maybe the server only lacks response_format
        except Exception as exc:  # the last error after retries, or a permanent one
            if isinstance(exc, openai.OpenAIError | ConnectionError | TimeoutError):
                raise self._failure(exc, retrying.statistics.get("attempt_number", 1)) from None
            raise
        assert isinstance(reply, AIMessage)
        self._account(reply, ctx)
        return reply

    def _count_retry(self, state: RetryCallState, ctx: RunContext) -> None:
        ctx.usage.retries += 1
        exc = state.outcome.exception() if state.outcome else None
        log.info("LLM call failed (%s); retrying", _describe(exc, self._secret) if exc else "?")

    def _account(self, reply: AIMessage, ctx: RunContext) -> None:
        usage: dict[str, Any] = dict(reply.usage_metadata or {})
        prompt_tokens = int(usage.get("input_tokens", 0) or 0)
        completion_tokens = int(usage.get("output_tokens", 0) or 0)
        ctx.usage.add(
            Usage(
                llm_calls=1,
                prompt_tokens=prompt_tokens,
                completion_tokens=completion_tokens,
                cost_usd=cost_usd(self.model_name, prompt_tokens, completion_tokens),
            )
        )


def _short_errors(exc: ValidationError) -> str:
    lines = []
    for err in exc.errors()[:8]:
        where = ".".join(str(p) for p in err["loc"]) or "(root)"
        lines.append(f"- {where}: {err['msg']}")
    return "\n".join(lines)
