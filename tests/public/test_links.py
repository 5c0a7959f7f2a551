"""Award addresses built from a pattern are the ones url_for builds."""
from flask import url_for

from awards.public.links import award_url, photo_url


def test_award_links_are_what_url_for_builds(app, published):
    p = published(("winner", "highly_commended"), names=["Siân O'Brien-Jones", "Zoë Ng"])

    for script_root in ("", "/awards"):
        with app.test_request_context("/", base_url=f"https://example.org{script_root}"):
            for award in p.awards:
                assert award_url(award) == url_for("public.award", key=award.key,
                                                   slug=award.slug)
                for size in ("thumb", "display"):
                    assert photo_url(award, size) == url_for("public.photo", key=award.key,
                                                             size=size)
