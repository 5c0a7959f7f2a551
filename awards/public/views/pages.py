"""The public pages: home, a cycle's results, a winner, the hall of fame, areas, categories."""
from flask import (
    Blueprint,
    abort,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)

from awards.core.arguments import int_arg
from awards.core.uploads import upload_dir
from awards.nominations import queries as nomination_queries
from awards.public import queries
from awards.public.access import award_or_404
from awards.public.cache import cached_page
from awards.public.forms import HallOfFameForm
from awards.public.structured import award_json_ld

bp = Blueprint("public", __name__)
MAX_PAGE = 100_000  # far beyond any real list, and well inside what a database can count


@bp.route("/")
@cached_page
def home():
    """The current cycle and how to take part, how it works, and the latest winners."""
    return render_template("public/home.html", cycle=nomination_queries.current_cycle(),
                           latest=queries.latest_awards())


@bp.route("/results/<slug>")
@cached_page
def cycle_results(slug):
    """A published cycle's winners and highly commended, by category."""
    cycle = queries.published_cycle(slug) or abort(404)
    return render_template("public/cycle.html", cycle=cycle,
                           groups=queries.by_category(queries.cycle_awards(cycle)))


@bp.route("/winners/<key>")
@bp.route("/winners/<key>/<slug>")
@cached_page
def award(key, slug=None):
    """A winner's page; any other spelling of the name in the address redirects to it."""
    award = award_or_404(key)
    if slug != award.slug:
        # Temporary and never kept by caches: the name in the address changes with consent.
        response = redirect(url_for(".award", key=award.key, slug=award.slug))
        response.cache_control.no_cache = True
        return response
    page_url = url_for(".award", key=award.key, slug=award.slug, _external=True)
    return render_template("public/award.html", award=award, page_url=page_url,
                           json_ld=award_json_ld(award, page_url),
                           thanks=queries.approved_thanks(award.nomination_id))


@bp.route("/winners/<key>/photo-<any(display,thumb):size>.jpg")
def photo(key, size):
    """A winner's photo in one of its sizes, only while they allow it to be shown."""
    award = award_or_404(key)
    if award.photo is None:
        abort(404)
    name = award.photo.display_name if size == "display" else award.photo.thumb_name
    response = send_from_directory(upload_dir(), name, mimetype="image/jpeg", max_age=0)
    response.cache_control.public = True
    response.cache_control.no_cache = True  # ask again each time: consent can be withdrawn
    return response


@bp.route("/hall-of-fame")
@cached_page
def hall_of_fame():
    """Every published award: filter by year, area and category, search, page through."""
    form = HallOfFameForm(request.args, meta={"csrf": False})
    choices = queries.listing_choices()
    form.set_choices(choices.years, choices.areas, choices.categories)
    form.validate()  # a choice that is no longer offered is dropped, not an error page
    filters = form.filters()
    results = queries.hall_of_fame(filters, page=_page())
    return render_template("public/hall_of_fame.html", form=form, filters=filters,
                           results=results, page_args=form.page_args(), cycles=choices.cycles)


@bp.route("/areas/<int(max=2147483647):area_id>")
@cached_page
def area(area_id):
    """Every award shown with this area."""
    area = queries.area_by_id(area_id) or abort(404)
    results = queries.hall_of_fame(queries.Filters(area_id=area.id),
                                   page=_page())
    return render_template("public/area.html", area=area, results=results)


@bp.route("/categories/<slug>")
@cached_page
def category(slug):
    """Every award in the categories of this name, across the years."""
    names = dict(queries.listing_choices().categories)
    if slug not in names:
        abort(404)
    results = queries.hall_of_fame(queries.Filters(category=slug),
                                   page=_page())
    return render_template("public/category.html", name=names[slug], slug=slug,
                           results=results)


def _page():
    """The page number asked for; 1 when missing or nonsense (or beyond any real list)."""
    return int_arg("page", 1, maximum=MAX_PAGE)
