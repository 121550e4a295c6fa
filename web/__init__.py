"""The web app (placeholder until the web pages land): ``create_app(config)`` is the factory."""

from __future__ import annotations

from flask import Flask


def create_app(config) -> Flask:
    """Return the web app for this configuration (for now one page saying the archive runs)."""
    app = Flask(__name__)
    app.config["ARCHIVE_CONFIG"] = config

    @app.get("/")
    def index() -> str:
        return "<!doctype html><title>Front Office Archive</title><p>Front Office Archive draait.</p>"

    return app
