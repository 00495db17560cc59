import pytest


@pytest.fixture(scope="session")
def e5_folder():  # type: ignore[no-untyped-def]
    from digestnlp.modeling.cache import ensure_e5_folder

    return ensure_e5_folder()


@pytest.fixture(scope="session")
def e5_tokenizer(e5_folder):  # type: ignore[no-untyped-def]
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(e5_folder)
