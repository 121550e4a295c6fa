"""`archive serve`: the web app and JSON API under waitress."""

from __future__ import annotations

import click

from archive.cli_support import obj, run_command


def register(main: click.Group) -> None:
    @main.command()
    @click.option("--host", default=None, help="Address to listen on (default: web.host of the config).")
    @click.option("--port", type=click.IntRange(1, 65535), default=None,
                  help="Port to listen on (default: web.port of the config).")
    @click.pass_context
    @run_command
    def serve(ctx: click.Context, host: str | None, port: int | None) -> None:
        """Serve the web app and the JSON API (waitress) until stopped with Ctrl-C.

        Example: archive serve --port 8000, then open http://127.0.0.1:8000
        """
        from web.server import serve_forever

        cli = obj(ctx)
        with cli.open_archive() as archive:
            serve_forever(archive, host=host, port=port)
