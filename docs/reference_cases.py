"""Writes reference cases for `recur verify` from PyTorch's own nn.RNN/LSTM/GRU and their cells.

Usage: python3 reference_cases.py OUT_DIR [NAME...]   (PyTorch >= 1.8; no other package needed)

Each case is a folder in the reference case format (docs/reference-cases.md): config.json,
model.safetensors, io.safetensors and grads.safetensors. Recur's own test cases
(recur-layers/src/test/resources/torch-cases) are written by this file with the settings in CASES.
"""
import json
import pathlib
import struct
import sys

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

DTYPES = {torch.float32: ("F32", "<f4"), torch.int64: ("I64", "<i8")}


def save_safetensors(tensors, path):
    """A minimal safetensors writer: 8-byte little-endian header size, JSON header, raw little-endian data."""
    header, chunks, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        dtype, layout = DTYPES[t.dtype]
        data = t.numpy().astype(layout).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # pad so that the data starts 8-byte aligned
    pathlib.Path(path).write_bytes(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def module_config(module):
    """The module's constructor arguments, under PyTorch's own names."""
    config = {"module": type(module).__name__, "input_size": module.input_size,
              "hidden_size": module.hidden_size, "bias": module.bias}
    if isinstance(module, torch.nn.RNNCellBase):
        if isinstance(module, torch.nn.RNNCell):
            config["nonlinearity"] = module.nonlinearity
        return config
    config.update(num_layers=module.num_layers, bidirectional=module.bidirectional,
                  batch_first=module.batch_first, dropout=module.dropout)
    if isinstance(module, torch.nn.RNN):
        config["nonlinearity"] = module.nonlinearity
    if isinstance(module, torch.nn.LSTM):
        config["proj_size"] = module.proj_size
    return config


def write_case(module, folder, batch=3, seq=5, lengths=None, initial_state=True, seed=0):
    """Saves config, weights, random inputs, PyTorch's outputs and gradients for `recur verify`.

    module: an nn.RNN, nn.LSTM or nn.GRU (any batch_first, proj_size, nonlinearity), or an nn.RNNCell,
    nn.LSTMCell or nn.GRUCell, which is applied step by step over a time-major input [seq, batch, input_size].
    lengths: a list of batch ints in 1..seq (any order) to run a variable-length batch through
    pack_padded_sequence(enforce_sorted=False) and pad_packed_sequence(total_length=seq); modules only.
    initial_state: whether to give h0 (and c0) or let the module start from zeros.
    """
    torch.manual_seed(seed)
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    module = module.float().eval()  # eval: no dropout between layers
    (folder / "config.json").write_text(json.dumps(module_config(module), indent=2) + "\n")
    save_safetensors(dict(module.state_dict()), folder / "model.safetensors")
    cell = isinstance(module, torch.nn.RNNCellBase)
    lstm = isinstance(module, (torch.nn.LSTM, torch.nn.LSTMCell))

    if cell:
        x = torch.randn(seq, batch, module.input_size)
        h_shape = c_shape = (batch, module.hidden_size)
    else:
        x = torch.randn(*((batch, seq) if module.batch_first else (seq, batch)), module.input_size)
        rows = module.num_layers * (2 if module.bidirectional else 1)
        h_shape = (rows, batch, module.proj_size or module.hidden_size)
        c_shape = (rows, batch, module.hidden_size)
    inputs = {"input": x}
    if initial_state:
        inputs["h0"] = torch.randn(*h_shape)
        if lstm:
            inputs["c0"] = torch.randn(*c_shape)
    for t in inputs.values():
        t.requires_grad_(True)
    h0 = inputs.get("h0")
    state = (h0, inputs["c0"]) if lstm and initial_state else h0

    io = {name: t.detach() for name, t in inputs.items()}
    if cell:
        assert lengths is None, "cells take no lengths"
        h = h0 if initial_state else torch.zeros(*h_shape)
        c = inputs["c0"] if initial_state and lstm else torch.zeros(*c_shape)
        steps = []
        for t in range(seq):
            if lstm:
                h, c = module(x[t], (h, c))
            else:
                h = module(x[t], h)
            steps.append(h)
        output = torch.stack(steps)
        finals = {}
    else:
        if lengths is not None:
            io["lengths"] = torch.tensor(lengths, dtype=torch.int64)
            packed = pack_padded_sequence(x, io["lengths"], batch_first=module.batch_first,
                                          enforce_sorted=False)
            packed_out, final = module(packed, state)
            output, _ = pad_packed_sequence(packed_out, batch_first=module.batch_first, total_length=seq)
        else:
            output, final = module(x, state)
        finals = {"h_n": final[0], "c_n": final[1]} if lstm else {"h_n": final}

    # The checked loss: sum(output * grad_output) + sum(h_n * grad_h_n) + sum(c_n * grad_c_n).
    io["output"] = output.detach()
    io["grad_output"] = torch.randn_like(output)
    loss = (output * io["grad_output"]).sum()
    for name, t in finals.items():
        io[name] = t.detach()
        io["grad_" + name] = torch.randn_like(t)
        loss = loss + (t * io["grad_" + name]).sum()
    save_safetensors(io, folder / "io.safetensors")

    named = list(inputs.items()) + list(module.named_parameters())
    grads = torch.autograd.grad(loss, [t for _, t in named])
    save_safetensors({name: g for (name, _), g in zip(named, grads)}, folder / "grads.safetensors")


# Recur's own cases: small awkward sizes, every feature of the recurrent API at least once.
CASES = {
    "lstm_proj": lambda: (torch.nn.LSTM(3, 6, num_layers=2, proj_size=4, batch_first=True), {}),
    "lstm_proj_bidir": lambda: (torch.nn.LSTM(3, 5, num_layers=2, proj_size=2, bidirectional=True), {}),
    "rnn_relu": lambda: (torch.nn.RNN(4, 6, num_layers=2, nonlinearity="relu", bidirectional=True,
                                      batch_first=True), {}),
    "gru_time_major": lambda: (torch.nn.GRU(3, 5, num_layers=2), {"seq": 6}),
    "lstm_lengths_bidir": lambda: (torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True, batch_first=True),
                                   {"batch": 4, "lengths": [3, 5, 1, 4]}),
    "lstm_proj_lengths": lambda: (torch.nn.LSTM(3, 5, proj_size=3, bidirectional=True),
                                  {"lengths": [2, 5, 4]}),
    "gru_lengths": lambda: (torch.nn.GRU(3, 4, num_layers=2, bidirectional=True),
                            {"batch": 4, "seq": 4, "lengths": [2, 4, 4, 1], "initial_state": False}),
    "rnn_lengths": lambda: (torch.nn.RNN(3, 5, nonlinearity="relu", bidirectional=True, batch_first=True,
                                         bias=False), {"lengths": [5, 2, 3]}),
    "lstm_cell": lambda: (torch.nn.LSTMCell(3, 5), {"seq": 4}),
    "gru_cell": lambda: (torch.nn.GRUCell(4, 3), {"seq": 4}),
    "rnn_cell_relu": lambda: (torch.nn.RNNCell(3, 4, nonlinearity="relu"), {"seq": 4}),
    "rnn_cell_tanh": lambda: (torch.nn.RNNCell(3, 4, bias=False), {"seq": 3, "initial_state": False}),
}


def main(out_dir, names):
    for name in names or CASES:
        torch.manual_seed(1)  # the weights
        module, options = CASES[name]()
        write_case(module, pathlib.Path(out_dir) / name, **options)
        print("wrote", pathlib.Path(out_dir) / name)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
