"""What each entry point loads, in a fresh interpreter: heavy parts only where they are used."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLE

HEAVY = ("spacy", "thinc", "torch", "transformers", "sentence_transformers", "sklearn", "dask", "distributed")


def _loaded(code: str) -> dict[str, bool]:
    """Run `code` in a new interpreter and report which of HEAVY (and a few more) it imported."""
    watched = (*HEAVY, "datasketch", "trafilatura", "numpy")
    probe = f"import sys, json\n{code}\nprint(json.dumps({{m: m in sys.modules for m in {watched!r}}}))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=300)
    result: dict[str, bool] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_import_newsweave_and_the_cli_load_no_model() -> None:
    loaded = _loaded("import newsweave, newsweave.cli, newsweave.stories, newsweave.errors")
    assert not any(loaded.values()), {m for m, v in loaded.items() if v}


def test_version_runs_without_loading_models() -> None:
    code = (
        "import sys\nsys.argv = ['newsweave', '--version']\nfrom newsweave.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    loaded = _loaded(code)
    assert not any(loaded.values()), {m for m, v in loaded.items() if v}


def test_a_brief_loads_spacy_but_never_torch_or_scikit_learn() -> None:
    loaded = _loaded(f"import newsweave\nb = newsweave.brief([{str(EXAMPLE)!r}])\nassert b.summary")
    assert loaded["spacy"] and loaded["numpy"]
    for m in ("torch", "transformers", "sentence_transformers", "sklearn", "dask"):
        assert not loaded[m], m


def test_torch_imported_by_the_caller_first_still_works() -> None:
    """A user's process that already uses torch keeps it, and spaCy loads beside it."""
    pytest.importorskip("torch", reason="torch is not installed (nothing to hide from thinc)")
    code = (
        "import torch\nfrom newsweave.nlp.language import load_model\nnlp = load_model()\n"
        "assert torch.zeros(2).sum().item() == 0 and nlp('Iran signed.').text"
    )
    _loaded(code)


def test_torch_imported_after_spacy_is_the_real_module() -> None:
    pytest.importorskip("torch", reason="torch is not installed (nothing to hide from thinc)")
    code = (
        "from newsweave.nlp.language import import_spacy\nimport_spacy()\n"
        "import torch\nassert torch.ones(3).sum().item() == 3"
    )
    _loaded(code)
