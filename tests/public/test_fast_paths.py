"""Shortcuts taken for speed give exactly what the general path gives: award addresses
built from a pattern, and the hall of fame's quick select options."""
from flask import url_for
from wtforms import Form, SelectField

from awards.public.forms import QuickSelect
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


def test_quick_select_writes_the_options_wtforms_writes(app):

    choices = [("", "Any"), ("1", "Town & <Country>"), ("2", 'The "Quay"')]

    class Plain(Form):
        area = SelectField("Area", choices=choices)

    class Quick(Form):
        area = SelectField("Area", choices=choices, widget=QuickSelect())

    for value in ("", "1", "2"):
        assert str(Quick(data={"area": value}).area()) == str(Plain(data={"area": value}).area())
