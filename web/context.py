"""The app's one Archive and the configuration, for the blueprints."""

from __future__ import annotations

from flask import current_app

from archive.config import Config


def archive():
    """Return the Archive this process opened."""
    return current_app.extensions["archive"]


def config() -> Config:
    return current_app.config["ARCHIVE_CONFIG"]
