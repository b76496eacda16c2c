"""07_sequences/lstm_outputs, hidden: three layers, GRUs, negative layers, a batch of one, long sequences."""

import pytest

from helpers import assert_tensor_close, visible_tests

visible = visible_tests(__file__)


@pytest.mark.parametrize("num_layers,bidirectional", [(3, True), (3, False), (2, False)])
def test_final_states_deeper(ex, num_layers, bidirectional):
    visible.check_final_states(ex, num_layers, bidirectional, seed=num_layers)


@pytest.mark.parametrize("batch,seq", [(1, 7), (2, 1), (4, 9)])
def test_final_states_other_shapes(ex, batch, seq):
    visible.check_final_states(ex, 2, True, seed=batch, batch=batch, seq=seq)


def test_gru_has_the_same_layout(ex):
    visible.check_final_states(ex, 2, True, seed=7, cell=visible.nn.GRU)


@pytest.mark.parametrize("bidirectional", [True, False])
def test_state_of_three_layers_with_negative_index(ex, bidirectional):
    rnn, x, _, h_n = visible.run_rnn(3, bidirectional, seed=11)
    layers = visible.per_layer_outputs(rnn, x)
    for layer in (0, 1, 2, -1, -2):
        for direction in range(2 if bidirectional else 1):
            assert_tensor_close(ex.state_of(h_n, 3, bidirectional, layer, direction),
                                visible.expected_state(layers[layer], direction), atol=1e-6, rtol=1e-5,
                                what=f"state_of(layer={layer}, direction={direction}, bidirectional={bidirectional})")


def test_state_of_a_gru(ex):
    rnn, x, _, h_n = visible.run_rnn(2, True, seed=13, cell=visible.nn.GRU)
    layers = visible.per_layer_outputs(rnn, x)
    assert_tensor_close(ex.state_of(h_n, 2, True, 0, 1), visible.expected_state(layers[0], 1), atol=1e-6, rtol=1e-5,
                        what="GRU state_of(layer=0, direction=1)")


@pytest.mark.parametrize("layer", [0, 2, -1])
def test_no_backward_direction_at_any_layer(ex, layer):
    _, _, _, h_n = visible.run_rnn(3, False)
    with pytest.raises((IndexError, ValueError)):
        ex.state_of(h_n, 3, False, layer, 1)
        pytest.fail(f"state_of(h_n, 3, False, layer={layer}, direction=1) returned instead of raising: a "
                    "one-directional LSTM has no backward state (h_n has num_layers rows, one per layer)",
                    pytrace=False)
