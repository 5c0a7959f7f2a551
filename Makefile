# The two commands: `make run` (set up and serve the site) and `make test` (set up and test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat setup.cfg pyproject.toml | sha1sum | cut -c1-12)
export FLASK_APP := wsgi.py

.PHONY: run test install db demo worker messages lint clean

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

db: install
	$(BIN)/flask db upgrade

demo: db
	$(BIN)/flask demo load

run: demo
	@echo "Serving http://127.0.0.1:5000 (demo logins above; mail at http://127.0.0.1:5000/dev/mail)"
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

worker: install
	$(BIN)/huey_consumer awards.worker.huey --workers 2

messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o messages.pot .

lint: install
	$(BIN)/ruff check awards tests config.py wsgi.py

clean:
	rm -rf $(VENV) instance .pytest_cache
