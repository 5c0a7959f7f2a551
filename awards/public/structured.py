"""schema.org JSON-LD for a winner's page, made only from the public row."""
from flask import url_for


def award_json_ld(award, page_url):
    """A WebPage about the person (or group) and the award they received."""
    subject = {"@type": "Person",
               "award": f"{award.outcome.label}, {award.category.name}, {award.cycle.name}"}
    if not award.is_anonymous:
        subject["name"] = award.display_name
    if award.area is not None:
        subject["homeLocation"] = {"@type": "Place", "name": award.area.name}
    if award.photo is not None:
        subject["image"] = url_for("public.photo", key=award.key, size="display", _external=True)
    page = {"@context": "https://schema.org", "@type": "WebPage", "url": page_url,
            "name": f"{award.display_name}: {award.outcome.label}", "about": subject,
            "datePublished": award.cycle.results_published_at.date().isoformat()}
    if award.citation:
        page["description"] = award.citation
    return page
