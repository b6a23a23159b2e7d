"""Print the API's OpenAPI schema (what /api/v1/openapi.json serves), for docs/openapi.json:

python -m newsweave.web.openapi > docs/openapi.json
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path


def schema() -> dict[str, object]:
    """The schema of an app over an empty store (it does not depend on the store)."""
    from newsweave import stories
    from newsweave.web.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "empty.db"
        stories.open_store(db).close()
        app = create_app(db, rebuild=False)
        out = app.openapi()
        app.state.web.close()
        return out


if __name__ == "__main__":
    sys.stdout.write(json.dumps(schema(), indent=2, ensure_ascii=False) + "\n")
