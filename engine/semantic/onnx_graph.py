"""Write the two-node ONNX model that runs an int8 matrix product in onnxruntime.

onnxruntime reads models as ONNX protobuf bytes; the ``onnx`` package that normally writes them
is a large extra dependency for what we need: quantise the float input to uint8, multiply by
int8 weights with the CPU's integer dot-product instructions, scale back to float and add the
bias (onnxruntime's ``MatMulIntegerToFloat``). The few protobuf messages involved are encoded
here by hand, following the field numbers of ``onnx.proto``.
"""

from __future__ import annotations

import numpy as np

_FLOAT = 1  # TensorProto.DataType
_UINT8 = 2
_INT8 = 3
_IR_VERSION = 8
_OPSET = 17


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _key(field: int, wire: int) -> bytes:
    return _varint(field << 3 | wire)


def _int(field: int, value: int) -> bytes:
    return _key(field, 0) + _varint(value)


def _bytes(field: int, value: bytes | str) -> bytes:
    data = value.encode() if isinstance(value, str) else value
    return _key(field, 2) + _varint(len(data)) + data


def _tensor(name: str, array: np.ndarray) -> bytes:
    """TensorProto: dims (1), data_type (2), name (8), raw_data (9, little-endian)."""
    kinds = {np.dtype(np.float32): _FLOAT, np.dtype(np.uint8): _UINT8, np.dtype(np.int8): _INT8}
    array = np.ascontiguousarray(array)
    body = b"".join(_int(1, d) for d in array.shape)
    body += _int(2, kinds[array.dtype]) + _bytes(8, name)
    return body + _bytes(9, array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes())


def _value_info(name: str, dims: tuple[int | str, ...]) -> bytes:
    """ValueInfoProto of a float tensor: name (1), type (2) > tensor_type (1) > shape (2)."""
    shape = b"".join(_bytes(1, _bytes(2, d) if isinstance(d, str) else _int(1, d)) for d in dims)
    tensor_type = _int(1, _FLOAT) + _bytes(2, shape)
    return _bytes(1, name) + _bytes(2, _bytes(1, tensor_type))


def _node(op: str, inputs: tuple[str, ...], output: str, domain: str = "") -> bytes:
    """NodeProto: input (1), output (2), name (3), op_type (4), domain (7)."""
    body = b"".join(_bytes(1, name) for name in inputs)
    body += _bytes(2, output) + _bytes(3, output + "_node") + _bytes(4, op)
    return body + (_bytes(7, domain) if domain else b"")


def int8_matmul_model(
    weight_q: np.ndarray,
    weight_scale: np.ndarray,
    bias: np.ndarray,
    input_scale: float,
    input_zero: int,
    gelu: bool = False,
) -> bytes:
    """Model bytes computing ``y = x @ dequantised(weight_q) + bias`` for ``x`` of shape (m, k).

    ``x`` is quantised with one fixed scale and zero point (``QuantizeLinear``, saturating at the
    ends of the uint8 range), so a row's result never depends on the other rows of the call;
    the product is onnxruntime's ``MatMulIntegerToFloat``.

    Args:
        weight_q: ``(k, n)`` int8 weights, symmetric (zero point 0).
        weight_scale: ``(n,)`` float32 scale per output column.
        bias: ``(n,)`` float32.
        input_scale: float step of one uint8 unit of ``x``.
        input_zero: the uint8 value that stands for 0.0.
        gelu: pass the result through onnxruntime's GELU (the exact, erf form) as well.
    """
    k, n = weight_q.shape
    graph = _bytes(1, _node("QuantizeLinear", ("x", "x_scale", "x_zero"), "x_q"))
    graph += _bytes(
        1,
        _node(
            "MatMulIntegerToFloat",
            ("x_q", "w", "x_scale", "w_scale", "x_zero", "w_zero", "bias"),
            "z" if gelu else "y",
            domain="com.microsoft",
        ),
    )
    if gelu:
        graph += _bytes(1, _node("Gelu", ("z",), "y", domain="com.microsoft"))
    graph += _bytes(2, "int8_matmul")
    initializers = {
        "x_scale": np.array(input_scale, dtype=np.float32),
        "x_zero": np.array(input_zero, dtype=np.uint8),
        "w": weight_q.astype(np.int8),
        "w_scale": weight_scale.astype(np.float32),
        "w_zero": np.zeros(n, dtype=np.int8),
        "bias": bias.astype(np.float32),
    }
    graph += b"".join(_bytes(5, _tensor(name, value)) for name, value in initializers.items())
    graph += _bytes(11, _value_info("x", ("m", k)))
    graph += _bytes(12, _value_info("y", ("m", n)))
    opsets = _bytes(8, _bytes(1, "") + _int(2, _OPSET))
    opsets += _bytes(8, _bytes(1, "com.microsoft") + _int(2, 1))
    return _int(1, _IR_VERSION) + opsets + _bytes(7, graph)
