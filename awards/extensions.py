"""Unbound extension objects; `create_app` binds them to an application.

Not here, because they keep per-app state on the extension object: the rate limiter
(`awards.core.security.init_rate_limits`) and Babel (its loaded catalogues), which
`create_app` makes for each app.
"""
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
cache = Cache()
