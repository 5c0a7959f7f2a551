# The two commands: `make run` (set up and serve the site) and `make test` (set up and test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat setup.cfg pyproject.toml | sha1sum | cut -c1-12)
export FLASK_APP := wsgi.py
# The Nu Html Checker (tests/public/test_html_validity.py), from npm, run with the machine's Java.
VNU_VERSION := 26.9.27
VNU_DIR := $(VENV)/vnu
VNU_STAMP := $(VNU_DIR)/.installed-$(VNU_VERSION)
# Without npm (a developer's machine) the validity test skips; CI installs npm.
NPM := $(shell command -v npm 2>/dev/null)

.PHONY: run test install vnu db demo worker messages translations lint clean bench bench-newsletter
# The catalogues: one template (messages.pot) and a messages.po per language; `make messages`
# extracts and updates them, `make translations` (part of install) compiles the .mo files.
TRANSLATIONS := awards/translations
POT := $(TRANSLATIONS)/messages.pot
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po))
BABEL_KEYWORDS := -k _l -k lazy_gettext -k lazy_ngettext:1,2

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP) translations

translations: $(MO_FILES)

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --statistics -l $* -i $< -o $@

# --ignore-scripts: its postinstall would try to download a Java; the machine's Java runs it.
$(VNU_STAMP):
	rm -rf $(VNU_DIR)
	mkdir -p $(VNU_DIR)
	npm install --prefix $(VNU_DIR) --no-audit --no-fund --no-package-lock --ignore-scripts \
		--loglevel=error vnu-jar@$(VNU_VERSION)
	test -f $(VNU_DIR)/node_modules/vnu-jar/build/dist/vnu.jar
	touch $(VNU_STAMP)

vnu: $(VNU_STAMP)

db: install
	$(BIN)/flask db upgrade

demo: db
	$(BIN)/flask demo load

# `make run PORT=8000` serves on another port.
PORT ?= 5000

run: demo
	@echo "Serving http://127.0.0.1:$(PORT) (demo logins above; mail at http://127.0.0.1:$(PORT)/dev/mail)"
	PUBLIC_URL=$${PUBLIC_URL:-http://127.0.0.1:$(PORT)} $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: install $(if $(NPM),vnu)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The public pages under load against a Flask hello-world (docs/development.md); needs wrk.
bench: install
	$(BIN)/python bench/public_pages.py

# The newsletter's workers against plain smtplib on a local SMTP server (docs/newsletter.md).
bench-newsletter: install
	$(BIN)/python bench/newsletter.py

worker: install
	$(BIN)/huey_consumer awards.worker.huey --workers 2

# Locations without line numbers: the catalogues' diffs show changed strings, not moved lines.
messages: install
	$(BIN)/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) --project "Big Citizens" \
		--sort-by-file --no-wrap --add-location=file -o $(POT) .
	$(BIN)/pybabel update -i $(POT) -d $(TRANSLATIONS) --no-wrap

lint: install
	$(BIN)/ruff check awards tests config.py wsgi.py gunicorn.conf.py

clean:
	rm -rf $(VENV) instance .pytest_cache
