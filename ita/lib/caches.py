"""The per-process caches, in one registry: anything that must forget them (tests, whose ids
repeat once each test rolls back; a command that changed what they hold) calls ``clear()``.

A cache joins either by its decorator, ``@process_cache(maxsize=N)`` (an ``lru_cache``), or by
handing over its own clear function with ``register()``."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import ParamSpec, TypeVar, cast

P = ParamSpec("P")
R = TypeVar("R")

_clearers: list[Callable[[], None]] = []


def register(clear: Callable[[], None]) -> None:
    _clearers.append(clear)


def process_cache(maxsize: int) -> Callable[[Callable[P, R]], Callable[P, R]]:
    def wrap(function: Callable[P, R]) -> Callable[P, R]:
        cached = lru_cache(maxsize=maxsize)(function)
        register(cached.cache_clear)
        return cast(Callable[P, R], cached)

    return wrap


def clear() -> None:
    """Forget everything every per-process cache holds."""
    for clear_one in _clearers:
        clear_one()


def registered() -> int:
    return len(_clearers)
