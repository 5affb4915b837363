"""Rendered HTML kept by content key, so that a page seen again is not worked out again.

A key names everything the fragment shows (for a comparison: each
assessment's id, token, revision, label and date, and the organisation's
name), so an edit makes a new key and a stale fragment is never served: it
ages out. The cache is per process and bounded; questionnaire and role files
change only with a deploy, which starts new processes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import Flask, current_app
from markupsafe import Markup


class FragmentCache:
    """A least-recently-used map from key to rendered HTML, safe to share between threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get_or_render(self, key: Hashable, render: Callable[[], str]) -> Markup:
        """render() must return the output of an autoescaped template."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        # Render outside the lock: two threads may both render a new key, which is harmless.
        html = Markup(render())  # noqa: S704 - render() is an autoescaped template's output
        if self.size > 0:
            with self._lock:
                self._items[key] = html
                self._items.move_to_end(key)
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return html


def init_app(app: Flask) -> None:
    app.extensions["groundwork.fragments"] = FragmentCache(int(app.config["FRAGMENT_CACHE_SIZE"]))


def cached(key: Hashable, render: Callable[[], str]) -> Markup:
    """The fragment for key, rendered by render() when this process has not kept it."""
    cache: FragmentCache = current_app.extensions["groundwork.fragments"]
    return cache.get_or_render(key, render)
