"""An on-disk cache of LLM replies in SQLite, shared by processes and tasks.

Keyed by model, prompt version and the exact request, so re-running an
article or an eval costs nothing, and changing a prompt invalidates only what
it touches. SQLite's WAL mode lets several processes (an eval and the Slack
bot) share one file safely.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any

from pydantic import BaseModel


class CachedReply(BaseModel):
    content: str
    prompt_tokens: int = 0
    completion_tokens: int = 0


def cache_key(payload: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


class ReplyCache:
    def __init__(self, directory: Path) -> None:
        self.path = directory / "llm-replies.sqlite3"
        directory.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS replies ("
                " key TEXT PRIMARY KEY, model TEXT, prompt TEXT, reply TEXT, created REAL)"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def get(self, key: str) -> CachedReply | None:
        with closing(self._connect()) as db, db:
            row = db.execute("SELECT reply FROM replies WHERE key = ?", (key,)).fetchone()
        return CachedReply.model_validate_json(row[0]) if row else None

    def put(self, key: str, model: str, prompt: str, reply: CachedReply) -> None:
        with closing(self._connect()) as db, db:
            db.execute(
                "INSERT OR REPLACE INTO replies (key, model, prompt, reply, created) VALUES (?, ?, ?, ?, ?)",
                (key, model, prompt, reply.model_dump_json(), time.time()),
            )
