"""Unbound extension objects; `create_app` binds them to an application.

The rate limiter is not here: each app gets its own (`awards.core.security.init_rate_limits`).
"""
from flask_babel import Babel
from flask_caching import Cache
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from awards.core.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
cache = Cache()
