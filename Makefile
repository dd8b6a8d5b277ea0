# Two commands: `make run` serves the portal with a demo study; `make test` runs every test.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
VENDOR := static/vendor/nhsuk

.PHONY: run test lint format worker assets clean translations

run: $(VENV)/.installed-run $(VENDOR)/.built instance/config.py
	$(FLASK) db upgrade
	$(FLASK) portal demo
	@echo "Serving LEAP Portal on http://127.0.0.1:5000 (Ctrl+C to stop)"
	@trap 'kill 0' INT TERM EXIT; $(FLASK) portal worker & $(FLASK) run --host 127.0.0.1 --port 5000

test: $(VENV)/.installed-test $(VENDOR)/.built lint
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: $(VENV)/.installed-run
	$(FLASK) portal worker

assets: $(VENDOR)/.built

translations: $(VENV)/.installed-run
	$(BIN)/pybabel extract -F babel.cfg -k _l -k translated -k lazy_translated -o translations/messages.pot .

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.installed-run: $(VENV)/.created pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-run pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

# NHS.UK frontend comes from npm, pinned by package-lock.json, and is copied into static/vendor.
$(VENDOR)/.built: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/vendor
	mkdir -p $(VENDOR)
	cp node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css \
	   node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js $(VENDOR)/
	cp -R node_modules/nhsuk-frontend/dist/nhsuk/assets $(VENDOR)/assets
	touch $@

# A random secret key for this machine, kept out of the repository.
instance/config.py:
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(f'SECRET_KEY = {secrets.token_hex(32)!r}')" > $@

clean:
	rm -rf $(VENV) node_modules static/vendor
