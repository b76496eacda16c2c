"""07_sequences/lstm_outputs: the final states of a stacked, bidirectional LSTM, from output and from h_n."""

import pytest
import torch
from torch import nn

from helpers import assert_tensor_close, randn

BATCH, SEQ, INPUT, HIDDEN = 3, 5, 3, 4


def run_rnn(num_layers: int, bidirectional: bool, seed: int = 0, cell=nn.LSTM, batch=BATCH, seq=SEQ):
    torch.manual_seed(seed)
    rnn = cell(INPUT, HIDDEN, num_layers=num_layers, bidirectional=bidirectional, batch_first=True)
    x = randn(batch, seq, INPUT, seed=seed + 100)
    with torch.no_grad():
        output, state = rnn(x)
    h_n = state[0] if isinstance(state, tuple) else state
    return rnn, x, output, h_n


def per_layer_outputs(rnn, x: torch.Tensor) -> list[torch.Tensor]:
    """Every layer's full output, by running the stack one layer at a time with the same weights."""
    suffixes = ["", "_reverse"] if rnn.bidirectional else [""]
    outputs, layer_input = [], x
    for layer in range(rnn.num_layers):
        single = type(rnn)(layer_input.shape[-1], HIDDEN, bidirectional=rnn.bidirectional, batch_first=True)
        with torch.no_grad():
            for suffix in suffixes:
                for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                    getattr(single, f"{kind}_l0{suffix}").copy_(getattr(rnn, f"{kind}_l{layer}{suffix}"))
            layer_input, _ = single(layer_input)
        outputs.append(layer_input)
    return outputs


def expected_state(layer_output: torch.Tensor, direction: int) -> torch.Tensor:
    """Forward finishes at the last step (first half of the features), backward at step 0 (second half)."""
    return layer_output[:, -1, :HIDDEN] if direction == 0 else layer_output[:, 0, HIDDEN:]


def expected_final(output: torch.Tensor, bidirectional: bool) -> torch.Tensor:
    if not bidirectional:
        return expected_state(output, 0)
    return torch.cat([expected_state(output, 0), expected_state(output, 1)], dim=1)


FINAL_HINT = ("the forward half ends at output[:, -1, :hidden], the backward half at output[:, 0, hidden:]; "
              "h_n.view(num_layers, num_directions, batch, hidden)[-1] holds the last layer, forward then backward")


def check_final_states(ex, num_layers: int, bidirectional: bool, **run_kwargs) -> None:
    _, _, output, h_n = run_rnn(num_layers, bidirectional, **run_kwargs)
    result = ex.final_states(output, h_n, num_layers, bidirectional)
    assert isinstance(result, tuple) and len(result) == 2, (
        f"expected a tuple (from_output, from_h_n), got {type(result).__name__}")
    expected = expected_final(output, bidirectional)
    label = f"num_layers={num_layers}, bidirectional={bidirectional}"
    assert_tensor_close(result[0], expected, atol=1e-6, rtol=1e-5, what=f"from_output ({label})", hint=FINAL_HINT)
    assert_tensor_close(result[1], expected, atol=1e-6, rtol=1e-5, what=f"from_h_n ({label})", hint=FINAL_HINT)


@pytest.mark.parametrize("num_layers,bidirectional", [(1, False), (1, True), (2, True)])
def test_final_states(ex, num_layers, bidirectional):
    check_final_states(ex, num_layers, bidirectional)


def test_state_of_every_layer_and_direction(ex):
    rnn, x, output, h_n = run_rnn(2, True)
    layers = per_layer_outputs(rnn, x)
    assert_tensor_close(layers[-1], output, atol=1e-6, rtol=1e-5, what="(test self-check) layer-by-layer rerun")
    for layer in range(2):
        for direction in range(2):
            assert_tensor_close(
                ex.state_of(h_n, 2, True, layer, direction), expected_state(layers[layer], direction),
                atol=1e-6, rtol=1e-5, what=f"state_of(layer={layer}, direction={direction})",
                hint="h_n is laid out layer by layer, directions inside each layer: "
                     "h_n.view(num_layers, num_directions, batch, hidden)[layer, direction]")


def test_no_backward_direction_in_a_one_directional_lstm(ex):
    _, _, _, h_n = run_rnn(2, False)
    with pytest.raises((IndexError, ValueError)):
        ex.state_of(h_n, 2, False, 0, 1)
