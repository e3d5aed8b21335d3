"""The per-process caches answer from one registry."""

from __future__ import annotations

from ita.lib import caches


def test_clear_forgets_what_every_registered_cache_holds() -> None:
    calls: list[int] = []

    @caches.process_cache(maxsize=4)
    def square(n: int) -> int:
        calls.append(n)
        return n * n

    held: dict[str, int] = {"kept": 1}
    caches.register(held.clear)
    assert square(3) == 9 and square(3) == 9 and calls == [3]
    caches.clear()
    assert square(3) == 9 and calls == [3, 3]
    assert held == {}


def test_the_products_caches_have_all_joined_the_registry() -> None:
    import ita.lib.net
    import ita.surveys.collect
    import ita.surveys.views  # noqa: F401 - importing registers their caches

    assert caches.registered() >= 5  # spec_for, the SQL of a sheet, the lookups, the blank forms, the calendar
