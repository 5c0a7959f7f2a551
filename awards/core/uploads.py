"""Where uploaded files are kept."""
from pathlib import Path

from flask import current_app


def upload_dir():
    """Where photos are stored (a shared volume when scaled out)."""
    path = Path(current_app.config["UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path
