# Front Office Archive — the two commands of the README, and a few helpers.
#   make run   install what is missing, create ./data if absent, start watcher + web
#   make test  the same installation, then the whole test suite

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOME_DIR ?= ./data
STAMP := $(VENV)/.installed
# dovecot-imapd: the real IMAP server the mail tests start on loopback; the -nogui
# LibreOffice packages turn office files into PDF viewing copies, headless; postgresql: the
# server (initdb, pg_ctl) the tests start on a throw-away folder to run the storage,
# records and filing tests on both databases.
APT_PACKAGES := tesseract-ocr tesseract-ocr-nld tesseract-ocr-eng chromium poppler-utils fonts-dejavu-core \
	fonts-liberation2 fonts-freefont-ttf dovecot-imapd libreoffice-writer-nogui libreoffice-calc-nogui postgresql

# The web app's gettext catalogues: .po files are kept in git, .mo files compiled here.
TRANSLATIONS := web/translations
CATALOGUES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)
# Every room's sentences: the error templates of all of them, the pages of web/.
SOURCES := archive ingest search storage web

.PHONY: run test install system-packages bench lint clean messages

run: install
	@test -f "$(HOME_DIR)/archive.sqlite3" || $(BIN)/archive --home "$(HOME_DIR)" init
	$(BIN)/archive --home "$(HOME_DIR)" run

# --max-worker-restart=0: a worker that crashes fails the run at once, naming its test;
# pytest-xdist 3.8 replacing a crashed worker under --dist loadgroup can wait forever.
test: install
	$(BIN)/lint-imports
	$(BIN)/ruff check
	$(BIN)/ruff format --check
	$(BIN)/mypy
	$(BIN)/pytest -n 2 --dist loadgroup --max-worker-restart=0 -q -m "not alone"
	$(BIN)/pytest -q -m alone

# axe-core, the accessibility checker the browser tests put into every page, from npm at the
# exact version package-lock.json pins.
AXE := node_modules/axe-core/axe.min.js

install: system-packages $(STAMP) $(COMPILED) $(AXE)

$(AXE): package.json package-lock.json
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm; }
	npm ci --no-audit --no-fund
	touch $@

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --statistics -l $* -i $< -o $@

# After adding or changing a sentence: extract every message id, bring both catalogues up
# to date (a new sentence is never guessed from an old one), then write the Dutch of each
# new entry in nl/messages.po.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output -o $(TRANSLATIONS)/messages.pot $(SOURCES)
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-wrap --ignore-obsolete --no-fuzzy-matching
	rm -f $(TRANSLATIONS)/messages.pot

# apt-get only what is missing, so a machine that has everything needs no network.
system-packages:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

bench: install
	for b in bench/*.py; do $(BIN)/python $$b --quick || exit 1; done

lint: install
	$(BIN)/lint-imports
	$(BIN)/ruff check
	$(BIN)/ruff format --check
	$(BIN)/mypy

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache $(COMPILED) node_modules
