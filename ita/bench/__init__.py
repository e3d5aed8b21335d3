"""Benchmarks: `ita bench NAME [--json]` (names and keys in docs/performance.md).

Each benchmark is a module of this package that defines ``BENCHMARKS: dict[str, Benchmark]``;
domain apps never import this package (generators and benchmarks live here, above them).
A benchmark builds the data it needs in a scratch area of its own, prints progress through
``progress``, and returns its figures.
Benchmarks print figures; they never pass or fail.
"""

from __future__ import annotations

import importlib
import platform
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

BENCH_MODULES = (  # one line per benchmark module
    "ita.bench.score",
    "ita.bench.submit",
    "ita.bench.linkcheck",
    "ita.bench.results",
)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Benchmark:
    name: str
    measures: str
    run: Callable[[dict[str, Any], Progress], dict[str, Any]]


def registry() -> dict[str, Benchmark]:
    found: dict[str, Benchmark] = {}
    for module_name in BENCH_MODULES:
        found.update(importlib.import_module(module_name).BENCHMARKS)
    return found


def machine() -> str:
    import os

    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
