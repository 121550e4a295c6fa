"""The Analysis page (admins and auditors): the front-office figures as charts, tables and CSV.

Access is checked in front of every request by ``web.access`` (this blueprint needs
Permission.STATS); the analysis call checks it again.
"""

from __future__ import annotations

from flask import Blueprint, Response, g, render_template, request
from markupsafe import Markup

from archive.analysis.csv_lines import to_csv
from archive.analysis.period import GROUPINGS
from archive.errors import InvalidInput
from archive.typed import period_end, period_start
from web.access import current_actor
from web.analysis_panels import headline, panels
from web.analysis_text import text_for
from web.context import archive, config
from web.headers import content_disposition
from web.i18n import sentence

bp = Blueprint("analysis", __name__)


def _figures(args) -> tuple[dict, str | None]:
    """Return the analysis for the request's period, or the default period and why the asked one is not."""
    by = args.get("by", "day") if args.get("by", "day") in GROUPINGS else "day"
    try:
        since, until = period_start(args.get("since")), period_end(args.get("until"))
        return archive().analysis(current_actor(), since, until, by), None
    except InvalidInput as exc:
        return archive().analysis(current_actor(), by=by), sentence(exc)


@bp.get("/analysis")
def page():
    """Show every figure for the period (default: the last 30 days) with its chart and definition."""
    result, problem = _figures(request.args)
    language = g.get("lang", "nl")
    types = {
        code: (rule.label_en if language == "en" else rule.label_nl) or code
        for code, rule in config().extraction.types.items()
    }
    shown = [
        {**panel, "svg": Markup(panel["svg"]) if panel["svg"] else None} for panel in panels(result, language, types)
    ]
    return render_template(
        "analysis.html",
        t=text_for(language),
        result=result,
        period=result["period"],
        headline=headline(result, language),
        panels=shown,
        problem=problem,
        groupings=GROUPINGS,
    )


@bp.get("/analysis.csv")
def export_csv():
    """Download every figure of the period as CSV (figure, breakdown, value)."""
    result, _ = _figures(request.args)
    period = result["period"]
    response = Response(to_csv(result), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = content_disposition(f"analysis-{period['since']}-{period['until']}.csv")
    return response
