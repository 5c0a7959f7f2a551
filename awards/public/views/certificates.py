"""Certificates (printable page and PDF) and the share image of each award."""
from flask import Blueprint, Response, current_app, render_template

from awards.public.access import award_or_404
from awards.public.cache import cached_page
from awards.public.certificates import certificate_pdf, certificate_wording
from awards.public.share_image import share_png

bp = Blueprint("certificates", __name__)


@bp.route("/winners/<key>/certificate")
@cached_page
def certificate(key):
    """The certificate as a page, to print on A4 (its own print stylesheet)."""
    award = award_or_404(key)
    return render_template("public/certificate.html", award=award,
                           words=certificate_wording(award, current_app.config))


@bp.route("/winners/<key>/certificate.pdf")
@cached_page
def pdf(key):
    """The certificate as a PDF download, named after the name as shown."""
    award = award_or_404(key)
    response = Response(certificate_pdf(award, current_app.config), mimetype="application/pdf")
    response.headers.set("Content-Disposition", "attachment",
                         filename=f"certificate-{award.slug}.pdf")
    return response


@bp.route("/winners/<key>/share.png")
@cached_page
def share_image(key):
    """The image shown when the award's page is shared (og:image), 1200×630."""
    award = award_or_404(key)
    # Bytes, not send_file: the page cache keeps only responses it can read.
    return Response(share_png(award), mimetype="image/png")
