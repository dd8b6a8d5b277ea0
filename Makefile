# Two commands: `make run` serves the portal with a demo study; `make test` runs every test.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
VENDOR := static/vendor/nhsuk
# The portal's own files and the built NHS.UK ones, hashed and compressed for serving.
STATIC_MANIFEST := static/vendor/manifest.json
OWN_STATIC := $(shell find static/css static/js static/images -type f 2>/dev/null)
# The languages besides English; their compiled catalogues are built, never committed.
LANGUAGES := ur bn pa
CATALOGUES := $(foreach code,$(LANGUAGES),translations/$(code)/LC_MESSAGES/messages.mo)

.PHONY: run test lint format worker assets clean translations

run: $(VENV)/.installed-run $(STATIC_MANIFEST) $(CATALOGUES) instance/config.py
	$(FLASK) db upgrade
	$(FLASK) portal demo
	@echo "Serving LEAP Portal on http://127.0.0.1:5000 (Ctrl+C to stop)"
	@trap 'kill 0' INT TERM EXIT; $(FLASK) portal worker & $(FLASK) run --host 127.0.0.1 --port 5000

# Tests run in parallel, one process per core (TEST_WORKERS=1 runs them in one process).
TEST_WORKERS ?= auto

test: $(VENV)/.installed-test $(STATIC_MANIFEST) $(CATALOGUES) lint
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: $(VENV)/.installed-run
	$(FLASK) portal worker

assets: $(STATIC_MANIFEST)

# Extract every message from the code and templates, then add new ones to each catalogue (and
# mark changed ones "fuzzy") for translators; see "For translators" in the README.
translations: $(VENV)/.installed-run
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k translated -k lazy_translated -k plain_later \
	   --no-wrap --sort-by-file -o translations/messages.pot .
	for code in $(LANGUAGES); do \
	  $(BIN)/pybabel -q update -i translations/messages.pot -d translations -l $$code \
	     --width 100 --no-fuzzy-matching --ignore-obsolete; \
	done

# A missing or fuzzy translation is left out, so the page shows the English (never a blank).
translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(VENV)/.installed-run
	$(BIN)/pybabel compile --statistics -i $< -o $@

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

# NHS.UK frontend comes from npm, pinned by package-lock.json. Its stylesheet is built from its Sass
# with only the components the portal uses and without the NHS font (static/scss/nhsuk.scss); its
# script and images are copied. Install scripts are not run: none of these packages needs one.
$(VENDOR)/.built: package.json package-lock.json static/scss/nhsuk.scss
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	rm -rf static/vendor
	mkdir -p $(VENDOR)
	node_modules/.bin/sass --no-source-map --style=compressed --quiet-deps --load-path=node_modules \
	   static/scss/nhsuk.scss $(VENDOR)/nhsuk-frontend.min.css
	cp node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js $(VENDOR)/
	cp -R node_modules/nhsuk-frontend/dist/nhsuk/assets $(VENDOR)/assets
	touch $@

# Content-hashed, gzip and Brotli copies of every static file, and the manifest of their names.
$(STATIC_MANIFEST): $(VENV)/.installed-run $(VENDOR)/.built $(OWN_STATIC)
	$(BIN)/python -m portal.static_files

# A random secret key for this machine, kept out of the repository.
instance/config.py:
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(f'SECRET_KEY = {secrets.token_hex(32)!r}')" > $@

clean:
	rm -rf $(VENV) node_modules static/vendor translations/*/LC_MESSAGES/*.mo
