"""The Groundwork web application.

`create_app` is the application factory (app/factory.py). This module imports
nothing else, so that `groundwork score` and `groundwork questionnaire`, which
need only the domain (assessments/), start without loading the web stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    from .factory import create_app as factory

    return factory(config)
