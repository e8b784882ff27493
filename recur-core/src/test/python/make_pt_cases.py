"""Writes the torch.save test files of recur-core (dev/recur/core/io/pt/) with real PyTorch.

Each NAME.pt is written by torch.save; beside it NAME.safetensors holds the same tensors, contiguous, with the
same names and dtypes, written by the small writer below (no safetensors package), so that a Java test can
compare every tensor bit for bit. lstm_case/ is a reference case in the reference case format whose weights are
a .pt file (config.json, model.pt, io.safetensors, grads.safetensors).

Run with Debian's interpreter, which has torch: /usr/bin/python3 recur-core/src/test/python/make_pt_cases.py
"""
import collections
import json
import os
import struct
import sys

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "dev", "recur", "core", "io", "pt")

DTYPES = {
    torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
    torch.bool: "BOOL",
}
# Integer views of the same width, to take raw bytes of types numpy lacks (bfloat16).
BITS = {2: torch.int16, 4: torch.int32, 8: torch.int64, 1: torch.uint8}


def raw_bytes(t):
    t = t.detach().contiguous()
    if t.dtype == torch.bool:
        return t.to(torch.uint8).numpy().tobytes()
    return t.view(BITS[t.element_size()]).numpy().astype("<i%d" % t.element_size()
                                                         if t.element_size() > 1 else "u1").tobytes()


def write_safetensors(path, tensors):
    """8-byte little-endian header length, a JSON header, then each tensor's bytes in order."""
    header = {}
    data = b""
    for name in sorted(tensors):
        t = tensors[name]
        b = raw_bytes(t)
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [len(data), len(data) + len(b)]}
        data += b
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


def save_pair(name, state_dict, **kwargs):
    torch.save(state_dict, os.path.join(OUT, name + ".pt"), **kwargs)
    write_safetensors(os.path.join(OUT, name + ".safetensors"), dict(state_dict))


def lstm():
    torch.manual_seed(1)
    m = torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True, batch_first=True)
    save_pair("lstm", m.state_dict())


def dtypes():
    torch.manual_seed(2)
    specials = torch.tensor([0.0, -0.0, 1.0, -2.5, float("inf"), float("-inf"), 65504.0, 6e-8, 1e-40, 3.14159])
    sd = collections.OrderedDict()
    sd["f32"] = torch.cat([specials, torch.randn(6)]).reshape(4, 4)
    sd["f16"] = torch.cat([specials, torch.randn(5)]).to(torch.float16).reshape(3, 5)
    sd["bf16"] = torch.cat([specials, torch.randn(2)]).to(torch.bfloat16).reshape(2, 2, 3)
    sd["f64"] = torch.cat([specials.double(), torch.randn(2, dtype=torch.float64)])
    sd["nan"] = torch.tensor([float("nan"), 1.0])
    sd["i64"] = torch.tensor([[0, -1, 2147483647], [-2147483648, 5, 7]], dtype=torch.int64)
    sd["i32"] = torch.tensor([3, -4, 2147483647], dtype=torch.int32)
    sd["i16"] = torch.tensor([-32768, 32767, 1], dtype=torch.int16)
    sd["i8"] = torch.tensor([-128, 127, 0], dtype=torch.int8)
    sd["u8"] = torch.tensor([0, 255, 17], dtype=torch.uint8)
    sd["bool"] = torch.tensor([True, False, True])
    sd["scalar"] = torch.tensor(2.75)
    sd["empty"] = torch.zeros(0, 3)
    sd["steps"] = torch.tensor(12345, dtype=torch.int64)
    save_pair("dtypes", sd)


def views():
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4) * 0.5 - 1.0
    half = torch.arange(20, dtype=torch.float32).to(torch.float16).reshape(4, 5)
    longs = torch.arange(10, dtype=torch.int64) * 1000 - 3000
    sd = collections.OrderedDict()
    sd["base"] = base
    sd["transposed"] = base.t()
    sd["columns"] = base[:, 1:3]
    sd["tail"] = base.view(-1)[5:]
    sd["row"] = base[2]
    sd["every_third"] = base.view(-1)[::3]
    sd["broadcast"] = base[0:1, 0:3].expand(2, 3)
    sd["element"] = base[1, 2]
    sd["half_t"] = half.t()[1:4]
    sd["longs_step"] = longs[1::2]
    sd["cube"] = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4).permute(2, 0, 1)[:, 1:, ::2]
    # Every view shares its base's storage: torch.save writes each storage once.
    assert sd["transposed"].data_ptr() == base.data_ptr()
    save_pair("views", sd)


def parameters():
    torch.manual_seed(3)
    m = torch.nn.Linear(3, 2)
    sd = m.state_dict(keep_vars=True)  # nn.Parameter objects: _rebuild_parameter in the pickle
    assert isinstance(sd["weight"], torch.nn.Parameter)
    torch.save(sd, os.path.join(OUT, "parameters.pt"))
    write_safetensors(os.path.join(OUT, "parameters.safetensors"), {k: v.detach() for k, v in sd.items()})


def protocol4():
    torch.manual_seed(4)
    m = torch.nn.GRU(2, 3)
    save_pair("protocol4", m.state_dict(), pickle_protocol=4)


def refused():
    torch.manual_seed(5)
    sd = torch.nn.Linear(2, 2).state_dict()
    torch.save({"model": sd, "step": 3}, os.path.join(OUT, "nested.pt"))
    torch.save({"w": torch.ones(2), "step": 3}, os.path.join(OUT, "not_a_tensor.pt"))
    torch.save(sd, os.path.join(OUT, "legacy.pt"), _use_new_zipfile_serialization=False)


def lstm_case():
    """A reference case (docs/reference-cases.md) for nn.LSTM whose weights are a torch.save file."""
    torch.manual_seed(6)
    d = os.path.join(OUT, "lstm_case")
    os.makedirs(d, exist_ok=True)
    m = torch.nn.LSTM(3, 5, num_layers=2, batch_first=True)
    x = torch.randn(2, 4, 3, requires_grad=True)
    h0 = torch.randn(2, 2, 5, requires_grad=True)
    c0 = torch.randn(2, 2, 5, requires_grad=True)
    out, (hn, cn) = m(x, (h0, c0))
    g_out = torch.randn_like(out)
    g_hn = torch.randn_like(hn)
    ((out * g_out).sum() + (hn * g_hn).sum()).backward()
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump({"module": "LSTM", "input_size": 3, "hidden_size": 5, "num_layers": 2, "batch_first": True}, f)
    torch.save(m.state_dict(), os.path.join(d, "model.pt"))
    write_safetensors(os.path.join(d, "io.safetensors"), {
        "input": x.detach(), "h0": h0.detach(), "c0": c0.detach(), "output": out.detach(), "h_n": hn.detach(),
        "c_n": cn.detach(), "grad_output": g_out, "grad_h_n": g_hn})
    grads = {"input": x.grad, "h0": h0.grad, "c0": c0.grad}
    grads.update({k: p.grad for k, p in m.named_parameters()})
    write_safetensors(os.path.join(d, "grads.safetensors"), grads)


def main():
    os.makedirs(OUT, exist_ok=True)
    lstm()
    dtypes()
    views()
    parameters()
    protocol4()
    refused()
    lstm_case()
    print("wrote", sorted(os.listdir(OUT)), "with torch", torch.__version__, file=sys.stderr)


if __name__ == "__main__":
    main()
