# The two commands a newcomer needs: `make up` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: up test bench install install-test check-compose clean

up: install
	$(PY) deploy/mesh.py up

test: install-test
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install
	$(PY) benchmarks/run.py $(BENCH_ARGS)

install:
	@deploy/install.sh

install-test:
	@deploy/install.sh --with-browser

check-compose: install
	deploy/check-compose.sh

clean:
	rm -rf var
