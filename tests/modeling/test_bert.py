from digestnlp.check.nli import NLIModel
from digestnlp.modeling.bert import WORD_EMBEDDING, base_state
from digestnlp.modeling.cache import ensure_e5_folder
from digestnlp.modeling.embed import get_encoder


def test_the_encoder_and_the_nli_model_share_one_word_embedding() -> None:
    """96M frozen parameters: one copy per process, however many models sit on the e5 base."""
    encoder = get_encoder().loaded.model
    nli = NLIModel().loaded.model
    assert nli.bert.word.weight.data_ptr() == encoder.word.weight.data_ptr()
    again = base_state(ensure_e5_folder())[WORD_EMBEDDING]
    assert again.data_ptr() == encoder.word.weight.data_ptr()
    assert encoder.layers[0].query.weight.data_ptr() != nli.bert.layers[0].query.weight.data_ptr()
