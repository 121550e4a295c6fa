"""`archive search`: the same search as the web page and the API."""

from __future__ import annotations

import click

from archive.cli.support import emit_json, obj, run_command
from archive.documents.searching import results_json
from search import CLI_QUERY_HELP, SearchRequest


def register(main: click.Group) -> None:
    @main.command(
        help=f"Search the archive.\n\n{CLI_QUERY_HELP}\n\nExample: archive search 'type:factuur jansen date:2024'"
    )
    @click.argument("query")
    @click.option("--json", "as_json", is_flag=True, help="Print results as JSON.")
    @click.option("--limit", type=click.IntRange(1, 1000), default=None, help="Results per page (default from config).")
    @click.option("--page", type=click.IntRange(1), default=1, show_default=True, help="Page of results.")
    @click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
    @click.pass_context
    @run_command
    def search(ctx: click.Context, query: str, as_json: bool, limit: int | None, page: int, sort: str) -> None:
        cli = obj(ctx)
        with cli.open_archive() as archive:
            request = SearchRequest(
                query=query, page=page, sort=sort, page_size=limit or archive.config.search.page_size
            )
            results = archive.search(request, cli.actor(archive))
        if as_json:
            emit_json(results_json(results))
            return
        if results.suggestion:
            click.echo(f"Did you mean: {results.suggestion}")
        if results.notice:
            click.echo(results.notice)
        click.echo(f"{results.total} document(s)")
        for hit in results.hits:
            when = hit.document_date.isoformat() if hit.document_date else "-"
            click.echo(f"#{hit.id:<6} {when}  {hit.document_type or '-':<9} {hit.client_id or '-':<9} {hit.title}")
