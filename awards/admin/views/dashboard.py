"""The admin dashboard: the current cycle, what needs attention now, the cycle in charts,
and where recognition is missing."""
from flask import Blueprint, render_template

from awards.accounts.enums import Role
from awards.admin.charts import bar_chart
from awards.admin.queries import dashboard as queries
from awards.core.dates import format_day
from awards.core.security import role_required

bp = Blueprint("admin_dashboard", __name__, url_prefix="/admin")


@bp.route("")
@role_required(Role.ADMIN)
def index():
    """Everything an admin with ten minutes needs to see first."""
    cycle = queries.dashboard_cycle()
    context = {"cycle": cycle, "attention": queries.attention(cycle)}
    if cycle is not None:
        context.update(
            weekly=bar_chart((format_day(week, "short"), count)
                             for week, count in queries.by_week(cycle)),
            categories=bar_chart(queries.by_category(cycle)),
            areas=bar_chart(queries.by_area(cycle)),
            timeline=queries.timeline(cycle), few=queries.FEW,
            coverage=queries.coverage(cycle), previous=queries.previous_cycle(cycle),
            first_time=queries.first_time_nominators(cycle),
            assisted=queries.assisted(cycle))
    return render_template("admin/dashboard/index.html", **context)
