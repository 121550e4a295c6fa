"""`archive stats`: the front-office analysis on the command line."""

from __future__ import annotations

import click

from archive.analysis.csv_lines import to_csv
from archive.analysis.period import GROUPINGS
from archive.cli.support import emit_json, obj, run_command
from archive.typed import period_end, period_start


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if value >= size:
            return f"{value / size:.1f} {unit}"
    return f"{value:.0f} s"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f} %"


def summary_lines(result: dict) -> list[str]:
    """Return the headline figures as aligned lines of text."""
    period, filed = result["period"], result["arrival_to_filed_seconds"]
    reviewed, queue, searches = result["arrival_to_reviewed_seconds"], result["review_queue"], result["searches"]
    lines = [
        f"Period              {period['since']} .. {period['until']} ({period['days']} days, by {period['by']})",
        f"Filed               {result['filed']} documents, {result['pages']} pages",
        f"Arrival to filed    p50 {_seconds(filed['p50'])}, p90 {_seconds(filed['p90'])}",
        f"Arrival to reviewed p50 {_seconds(reviewed['p50'])}, p90 {_seconds(reviewed['p90'])}"
        f" ({reviewed['count']} reviews)",
        f"Filed automatically {_percent(result['auto_filed_rate'])} (no fact corrected afterwards)",
        "Corrected           " + ", ".join(f"{k} {_percent(v)}" for k, v in result["correction_rate"].items()),
        f"Review queue now    {queue['size']}, oldest waiting {_seconds(queue['oldest_age_seconds'])}",
        f"Failed              {result['failed']}; duplicates caught {result['duplicates']}",
        f"Searches            {searches['total']} ({searches['per_day']} a day), "
        f"{_percent(searches['opened_rate'])} led to opening a document",
        f"Per client visit    {result['retrieval']['documents_per_visit_day'] or '-'} documents opened",
    ]
    for title, key in (("By type", "by_type"), ("Failed by reason", "failed_by_reason")):
        lines += [f"{title}:"] + [f"  {count:>6}  {name}" for name, count in result[key].items()]
    for title, key in (("By clerk", "by_clerk"), ("By channel", "by_channel")):
        lines += [f"{title}:"] + [f"  {s['filed']:>6}  {name} ({s['pages']} pages)" for name, s in result[key].items()]
    return lines


def register(main: click.Group) -> None:
    @main.command()
    @click.option("--json", "as_json", is_flag=True, help="Print every figure as one JSON object.")
    @click.option("--csv", "as_csv", is_flag=True, help="Print every figure as CSV (figure,breakdown,value).")
    @click.option(
        "--since",
        metavar="DATE",
        help="First day, e.g. 2026-11-01 or 01-11-2026; a month or year "
        "starts on its first day (default: 30 days before --until).",
    )
    @click.option(
        "--until", metavar="DATE", help="Last day, included; a month or year ends on its last day (default: today)."
    )
    @click.option(
        "--by",
        type=click.Choice(GROUPINGS),
        default="day",
        show_default=True,
        help="Group the series per day, ISO week or month.",
    )
    @click.pass_context
    @run_command
    def stats(ctx: click.Context, as_json: bool, as_csv: bool, since: str | None, until: str | None, by: str) -> None:
        """Front-office analysis: filed, times, corrections, review queue, failures, searches.

        Every figure comes from the audit trail and the database; days are UTC days and
        both ends of the period are included. Admins and auditors only.

        Example: archive --user ada stats --since 2026-11-01 --until 2026-11-30 --by week --json
        """
        cli = obj(ctx)
        first, last = period_start(since), period_end(until)
        with cli.open_archive() as archive:
            result = archive.analysis(cli.actor(archive), first, last, by)
        if as_json:
            emit_json(result)
        elif as_csv:
            click.echo(to_csv(result), nl=False)
        else:
            click.echo("\n".join(summary_lines(result)))
