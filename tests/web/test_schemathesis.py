"""The OpenAPI schema fuzzed with Schemathesis against a real uvicorn: whatever a client sends
within or outside the schema, the server never answers 5xx. Bounded: a few examples per
operation (POST /brief builds a real brief per example)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed (pip install -e '.[test]')")
from hypothesis import HealthCheck, settings  # noqa: E402

from tests.web.conftest import Served  # noqa: E402

# Examples per operation: about 30 s in all on 2 cores; NEWSWEAVE_FUZZ_EXAMPLES=200 for a long run.
EXAMPLES = int(os.environ.get("NEWSWEAVE_FUZZ_EXAMPLES", "25"))


@pytest.fixture(scope="module")
def fuzzed(example_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    from newsweave.web import create_app

    db = tmp_path_factory.mktemp("fuzz") / "news.db"
    shutil.copy(example_store_path, db)
    with Served(create_app(db, rebuild=False)) as s:  # stored briefs only: no background work to wait for
        yield s


@pytest.fixture(scope="module")
def api_schema(fuzzed: Served) -> Any:
    return schemathesis.openapi.from_url(f"{fuzzed.url}/api/v1/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_error(case: Any) -> None:
    response = case.call(timeout=120)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"
    )
