"""Building an index on a Ray cluster: the same index a local build writes, made by many nodes.

`build_index` (assistant/build.py) runs unchanged on the driver; it is given a Ray reader and a
Ray encoder in place of the local ones:

- reading and cutting: `read_source` of each file, on Ray tasks (a handful of files per task,
  retried when a node dies); the corpus folder must be on storage every node sees at the same
  path (docs/scale.md);
- embedding: only the passages whose content hash is not in the live index (the cache is
  respected: unchanged passages are never sent to a worker), through Ray Data `map_batches` over
  actors that each load the model once: one GPU per actor (fp16) where the cluster has GPUs,
  CPU actors otherwise. Every row comes back exactly once (checked), whatever was retried;
- writing: the driver writes the version folder and switches `CURRENT` atomically, so a killed
  driver leaves the previous index live, as a local build does.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from assistant.build import BuildReport, ReadSource, build_index, read_source
from assistant.cluster import connect, quiet_data, ray_module
from assistant.corpus import Skipped, SourceFile
from embeddings import EmbeddingModel, load_model

FILES_PER_TASK = 4
# rows per Ray Data block and per actor call: few enough blocks that Ray's per-block costs
# stay small, small enough that the last blocks keep every actor busy
CPU_BATCH = 128
GPU_BATCH = 512


class _Embedder:
    """One Ray Data actor: loads the model once, embeds batches of {"row", "text"} on as many
    threads as it has CPUs (the local build's threads when one actor has the node's cores)."""

    def __init__(
        self,
        model_name: str,
        batch_size: int,
        load: Callable[[str], EmbeddingModel],
        threads: int = 1,
    ) -> None:
        # read by the ONNX encoder's session count and by torch: its share, not the node's
        os.environ["OMP_NUM_THREADS"] = str(threads)
        if "torch" in sys.modules:
            sys.modules["torch"].set_num_threads(threads)
        self.model = load(model_name)
        self.batch_size = batch_size

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        vectors = self.model.encode([str(t) for t in batch["text"]], batch_size=self.batch_size)
        return {"row": np.asarray(batch["row"], dtype=np.int64), "vector": vectors}


def _read_many(sources: Sequence[SourceFile], corpus_root: str) -> list[ReadSource | Skipped]:
    return [read_source(source, Path(corpus_root)) for source in sources]


def ray_reader(sources: list[SourceFile], corpus_root: Path) -> list[ReadSource | Skipped]:
    """`read_source` of every file on Ray tasks, results in the sources' order."""
    ray = ray_module()
    task = ray.remote(max_retries=3)(_read_many)
    groups = [sources[i : i + FILES_PER_TASK] for i in range(0, len(sources), FILES_PER_TASK)]
    refs = [task.remote(group, str(corpus_root)) for group in groups]
    return [result for ref in refs for result in ray.get(ref)]


def cluster_resources() -> tuple[float, float]:
    """(CPUs, GPUs) of the alive nodes."""
    ray = ray_module()
    resources = ray.cluster_resources()
    return float(resources.get("CPU", 0.0)), float(resources.get("GPU", 0.0))


def ray_encoder(
    model_name: str,
    dimension: int,
    *,
    actors: int | None = None,
    cpus_per_actor: float = 1.0,
    use_gpus: bool | None = None,
    batch_size: int | None = None,
    load: Callable[[str], EmbeddingModel] = load_model,
) -> Callable[[list[str]], np.ndarray]:
    """An encoder for `build_index` that embeds on Ray Data actors (GPU actors when the
    cluster has GPUs, unless `use_gpus=False`); each actor gets its model from `load`."""

    def encode(texts: list[str]) -> np.ndarray:
        ray_module()  # a clear error when the extra is not installed
        import ray.data

        quiet_data()
        cpus, gpus = cluster_resources()
        on_gpu = gpus >= 1 if use_gpus is None else use_gpus
        if on_gpu:
            count = actors or max(1, int(gpus))
            per_batch = batch_size or GPU_BATCH
            resources = {"num_gpus": 1, "num_cpus": 1}
            threads = 1
        else:
            count = actors or max(1, int(cpus // cpus_per_actor))
            per_batch = batch_size or CPU_BATCH
            resources = {"num_cpus": cpus_per_actor}
            threads = max(1, int(cpus_per_actor))
        blocks = max(count, math.ceil(len(texts) / per_batch))
        dataset = ray.data.from_items(
            [{"row": i, "text": t} for i, t in enumerate(texts)], override_num_blocks=blocks
        )
        embedded = dataset.map_batches(
            _Embedder,
            fn_constructor_args=(model_name, per_batch, load, threads),
            batch_size=per_batch,
            # a pool that may shrink: a dead node's actor need not come back for the rest
            compute=ray.data.ActorPoolStrategy(min_size=1, max_size=count, initial_size=count),
            batch_format="numpy",
            **resources,
        )
        matrix = np.zeros((len(texts), dimension), dtype=np.float32)
        seen = np.zeros(len(texts), dtype=np.int64)
        for batch in embedded.iter_batches(batch_size=4096, batch_format="numpy"):
            rows = batch["row"]
            matrix[rows] = batch["vector"]
            np.add.at(seen, rows, 1)
        if not (seen == 1).all():
            lost, twice = int((seen == 0).sum()), int((seen > 1).sum())
            raise RuntimeError(
                f"the Ray embedding returned {lost} passages missing and {twice} twice; "
                "nothing was written, the previous index is unchanged"
            )
        return matrix

    return encode


def build_on_ray(
    corpus_root: Path,
    index_dir: Path,
    model: str | EmbeddingModel,
    *,
    address: str | None = None,
    actors: int | None = None,
    cpus_per_actor: float = 1.0,
    use_gpus: bool | None = None,
    batch_size: int | None = None,
    log: Callable[[str], None] | None = None,
    follow_links: bool = False,
    wait: bool = True,
) -> BuildReport:
    """`build_index` with reading on Ray tasks and embedding on Ray Data actors; the same
    index, citations and answers as a local build."""
    embedder = load_model(model) if isinstance(model, str) else model
    done = connect(address)
    if log:
        cpus, gpus = cluster_resources()
        log(f"Ray: {done}; {cpus:g} CPUs, {gpus:g} GPUs")
    return build_index(
        Path(corpus_root),
        Path(index_dir),
        embedder,
        log=log,
        follow_links=follow_links,
        wait=wait,
        reader=ray_reader,
        encoder=ray_encoder(
            embedder.name,
            embedder.dimension,
            actors=actors,
            cpus_per_actor=cpus_per_actor,
            use_gpus=use_gpus,
            batch_size=batch_size,
        ),
    )
