"""What the app keeps in its cache under a *generation*: a token that names the current state
of something (the public pages, the panels' results). A change to that state starts a new
generation, so everything kept under the old one is never read again, without listing the
keys it affects. Each process also keeps its most recent entries in memory (`Recent`): safe
without asking the shared store, as their keys name their generation."""
import secrets
import threading
import time
from collections import OrderedDict

from flask import current_app

from awards.extensions import cache


def cache_store(app=None):
    """The app's cache backend itself: usable before Flask has pushed a context (a WSGI
    middleware) as well as inside one."""
    return (app or current_app).extensions["cache"][cache]


class Generation:
    """The generation kept under one cache key."""

    def __init__(self, key):
        self.key = key

    def current(self, app=None):
        """The current generation (started on first use)."""
        store = cache_store(app)
        value = store.get(self.key)
        if value is None:
            store.add(self.key, secrets.token_hex(8), timeout=0)
            value = store.get(self.key)
        return value

    def advance(self, app=None):
        """Start a new generation: whatever was kept under the old one is stale."""
        cache_store(app).set(self.key, secrets.token_hex(8), timeout=0)


class Recent:
    """The entries this process used last, by key, each for as long as the shared store
    keeps it (the app's CACHE_DEFAULT_TIMEOUT)."""

    def __init__(self, size, seconds):
        self.size, self.seconds = size, seconds
        self.entries = OrderedDict()  # key → (entry, when it expires)
        self.lock = threading.Lock()  # gunicorn's threaded workers share one

    @classmethod
    def for_app(cls, app, size):
        """`size` entries, each for as long as the app's cache keeps it."""
        return cls(size, app.config["CACHE_DEFAULT_TIMEOUT"] or 600)

    def get(self, key):
        """The kept entry, or None."""
        with self.lock:
            entry, expires = self.entries.get(key, (None, 0))
            if entry is None or expires < time.monotonic():
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        """Keep an entry, forgetting the least recently used beyond the size."""
        with self.lock:
            self.entries[key] = (entry, time.monotonic() + self.seconds)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
