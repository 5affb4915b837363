"""The fragment cache behind repeated comparison pages."""

from __future__ import annotations

import threading

from app.web.fragments import FragmentCache


def test_renders_once_per_key_and_forgets_the_least_recently_used() -> None:
    cache = FragmentCache(size=2)
    calls: list[str] = []

    def render(text: str):
        return lambda: calls.append(text) or f"<p>{text}</p>"

    assert cache.get_or_render("a", render("a")) == "<p>a</p>"
    assert cache.get_or_render("a", render("a-again")) == "<p>a</p>"
    cache.get_or_render("b", render("b"))
    cache.get_or_render("a", render("a-again"))  # a is now the most recent
    cache.get_or_render("c", render("c"))  # evicts b
    assert len(cache) == 2
    cache.get_or_render("b", render("b-again"))
    cache.get_or_render("a", render("a-evicted?"))
    assert calls == ["a", "b", "c", "b-again", "a-evicted?"]


def test_size_zero_keeps_nothing() -> None:
    cache = FragmentCache(size=0)
    calls = []
    for _ in range(3):
        cache.get_or_render("k", lambda: calls.append(1) or "x")
    assert len(calls) == 3 and len(cache) == 0


def test_threads_share_one_bounded_cache() -> None:
    cache = FragmentCache(size=50)

    def work(n: int) -> None:
        for i in range(200):
            assert cache.get_or_render((n + i) % 80, lambda i=i, n=n: str((n + i) % 80)) == str((n + i) % 80)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(cache) == 50
