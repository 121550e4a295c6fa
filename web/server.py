"""Serving the app under waitress (never Flask's development server)."""

from __future__ import annotations

import logging
import signal
import sys

from waitress import create_server

from web import create_app

log = logging.getLogger(__name__)


def make_server(archive, host: str | None = None, port: int | None = None):
    """Return a waitress server for the app over this open Archive (not yet running)."""
    config = archive.config
    app = create_app(config, archive=archive)
    archive.filing_queue.start()  # uploads left by a previous run are filed again now
    return create_server(
        app,
        host=host or config.web.host,
        port=port or config.web.port,
        threads=config.web.threads,
        ident="archive",
        max_request_body_size=(config.web.max_upload_mb + 1) * 1024 * 1024,
    )


def serve_forever(archive, host: str | None = None, port: int | None = None) -> None:
    """Serve until SIGINT/SIGTERM, then close the server cleanly."""
    server = make_server(archive, host, port)

    def stop(signum, frame):  # SIGTERM from a service manager: stop like Ctrl-C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print(
        f"Serving on http://{server.effective_host}:{server.effective_port}/ (Ctrl-C to stop).",
        file=sys.stderr,
        flush=True,
    )
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
