"""Building an index from a corpus folder: read, cut, embed what changed, write a version.

Passages whose embedded text is unchanged (same content hash) reuse their vectors from the live
index, so re-indexing an edited corpus embeds only what changed and an unchanged corpus is a
quick no-op. The version is written by `assistant.index.write_version` (atomic switch).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from assistant.columns import DocumentRecord
from assistant.corpus import (
    FileState,
    Skipped,
    SourceFile,
    check_corpus_root,
    find_sources,
    read_verified,
)
from assistant.files import read_json
from assistant.index import (
    FORMAT_VERSION,
    HASHES,
    CorpusIndex,
    IndexError_,
    IndexWriteError,
    build_bm25,
    live_version,
    read_manifest,
    verify_checksums,
    write_version,
)
from assistant.lock import build_lock
from assistant.passages import Chunk, chunk_transcript, embedding_text, lexical_text
from assistant.readers import SUFFIXES
from assistant.transcripts import Transcript
from embeddings import EmbeddingModel, VectorIndex, content_hash


@dataclass
class BuildReport:
    """What a build did, for the CLI to print."""

    documents: int = 0
    passages: int = 0
    embedded: int = 0
    reused: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    up_to_date: bool = False
    seconds: float = 0.0


def _previous_vectors(index_dir: Path) -> dict[str, np.ndarray]:
    """Content hash -> vector of the live index, so unchanged text is not embedded again."""
    manifest = read_manifest(index_dir)
    version = live_version(index_dir)
    if version is None or manifest is None:
        return {}
    try:
        # a damaged index must not pass its damage on to the next one
        verify_checksums(version, manifest, "")
        hashes = read_json(version / HASHES)
        vectors = np.load(version / "vectors.npy", mmap_mode="r")
        if not isinstance(hashes, list) or len(hashes) != len(vectors):
            return {}
        return {h: vectors[i] for i, h in enumerate(hashes)}
    except (OSError, ValueError, IndexError_):
        return {}


@dataclass(frozen=True)
class ReadSource:
    """One source file read and cut: its record, its passages and the texts the model and BM25
    read for them (row-aligned), and the file facts the manifest keeps."""

    record: DocumentRecord
    chunks: tuple[Chunk, ...]
    embed_texts: tuple[str, ...]
    lex_texts: tuple[str, ...]
    size: int
    mtime_ns: int
    parts: tuple[dict, ...] = ()


def read_source(source: SourceFile, corpus_root: Path) -> ReadSource | Skipped:
    """Read, parse and cut one source; a file that cannot be read is `Skipped` with the reason.
    Pure of the index: a distributed build runs it on workers. The hash recorded is that of the
    bytes parsed (`read_verified`), so a file caught half-written is read again next time."""
    verified = read_verified(source)
    if isinstance(verified, Skipped):
        return verified
    source, read = verified
    transcript = read.transcript
    chunks = tuple(
        replace(chunk, page=read.page_at(chunk.start), time=read.time_at(chunk.start))
        for chunk in chunk_transcript(transcript)
    )
    first = source.states[0]
    return ReadSource(
        _record(source, read.text, transcript),
        chunks,
        tuple(embedding_text(c, transcript) for c in chunks),
        tuple(lexical_text(c, transcript) for c in chunks),
        first.size,
        first.mtime_ns,
        tuple(_part_record(corpus_root, state) for state in source.states) if source.parts else (),
    )


def read_sources(sources: list[SourceFile], corpus_root: Path) -> list[ReadSource | Skipped]:
    """Every source read here, in order (the local build's reader)."""
    return [read_source(source, corpus_root) for source in sources]


Reader = Callable[[list[SourceFile], Path], list["ReadSource | Skipped"]]
Encoder = Callable[[list[str]], np.ndarray]
# Bumped when reading, cutting or tokenising changes what an index holds for the same files
# (2: speaker labels that recur, roles in discussions, text without spaces; 3: the readers of
# real-world layouts, speakers taken as the format states them; 4: BM25 reads a passage
# without its speaker's label; 5: what a label's parenthetical says of a speaker shown without
# it, `Transcript.titles`; 6: the office a transcript's title gives the one holding it, "by
# Press Secretary Josh Earnest"; 7: a transcript whose title has no date dated by a date line
# near its top or its file's name; 8: PDF words spaced as printed, paragraphs by their indented
# first lines; 9: a hearing's paragraphs by their indented first lines, `Mr. POWELL.` and
# `Chairman McHenry.` labels; 10: YouTube's held captions read once; 11: lines opening with a
# time stamp and a name are turns; 12: a name on a line of its own, as Hansard lays turns
# out; 13: a correction's asterisks before a label, `** MR. CARNEY:`; 14: broadcasters' labels
# with roles and titles, a surname alone as the full name's, `I:`; 15: stamped lines in Word and
# PDF; 16: `de Guindos:`, a surname's particle before its capital; 17: a hearing's title over
# centred lines in capitals, below the publisher's bracketed note; 18: a production note in
# capitals on its own is not speech; 19: an earnings call's name lines with roles after
# dashes, a recurring `Operator` line, and a heading alone on its line, `Prepared Remarks:`, no
# speaker; 20: a committee's question number before a label, `Q1   Chair:`, is not the name;
# 21: a caption's `>>` in a text file opens another speaker's turn; 22: a trial's `Q.` and `A.`
# are the examiner's, `BY MR. ROOS:`, and the sworn witness's; 23: `Name (00:00:05): text`
# opens a stamped turn):
# an index built by an older reader is read again, its unchanged vectors reused, instead of
# being "up to date".
READING_VERSION = 23


def build_index(
    corpus_root: Path,
    index_dir: Path,
    model: EmbeddingModel,
    *,
    batch_size: int | None = None,
    show_progress: bool = False,
    log: Callable[[str], None] | None = None,
    exact_limit: int | None = None,
    reader: Reader = read_sources,
    encoder: Encoder | None = None,
    follow_links: bool = False,
    wait: bool = True,
) -> BuildReport:
    """Index every transcript under `corpus_root` into `index_dir`, re-embedding only passages
    whose text changed. Returns what was done; an unchanged corpus is a quick no-op.

    `reader` reads and cuts the sources (default: here, one by one) and `encoder` embeds the
    texts not cached (default: `model.encode`); a distributed build passes its own, and the
    result is the same index. Symbolic links leaving the corpus folder are skipped (and
    reported) unless `follow_links`. One build of an index runs at a time: another waits for
    it (`wait`, saying so through `log`) or raises `IndexBusyError` naming it."""
    say = log or (lambda message: None)
    corpus_root = Path(corpus_root).resolve()
    index_dir = Path(index_dir)
    check_corpus_root(corpus_root)  # before the index folder is touched
    with build_lock(index_dir, wait=wait, say=say):
        return _build(
            corpus_root,
            index_dir,
            model,
            say,
            batch_size=batch_size,
            show_progress=show_progress,
            exact_limit=exact_limit,
            reader=reader,
            encoder=encoder,
            follow_links=follow_links,
        )


def _build(
    corpus_root: Path,
    index_dir: Path,
    model: EmbeddingModel,
    say: Callable[[str], None],
    *,
    batch_size: int,
    show_progress: bool,
    exact_limit: int | None,
    reader: Reader,
    encoder: Encoder | None,
    follow_links: bool,
) -> BuildReport:
    started = time.perf_counter()
    sources, skipped = find_sources(corpus_root, follow_links=follow_links, exclude=[index_dir])
    report = BuildReport(skipped=list(skipped))
    old = read_manifest(index_dir)
    old_files: dict[str, dict] = (old or {}).get("files", {})
    if _up_to_date(old, model, corpus_root, sources, skipped, index_dir):
        assert old is not None
        report.up_to_date = True
        report.skipped += [Skipped(d, f["reason"]) for d, f in old.get("unreadable", {}).items()]
        report.documents = len(old_files)
        report.passages = old.get("counts", {}).get("passages", 0)
        _tune(index_dir, model, show_progress, say)
        report.seconds = time.perf_counter() - started
        return report
    # before minutes of embedding, not after; after the up-to-date check, so that an index on
    # a read-only disk still answers "up to date"
    _check_writable(index_dir)

    read: list[ReadSource] = []
    unreadable: dict[str, dict] = {}  # failed to read: not re-read until they change
    for result in reader(sources, corpus_root):
        if isinstance(result, Skipped):
            report.skipped.append(result)
            if result.sha256 is not None:  # None: it was changing; read it again next time
                unreadable[result.document] = {"sha256": result.sha256, "reason": result.reason}
            continue
        read.append(result)
        document = result.record.document
        previous = old_files.get(document)
        if previous is None:
            report.added.append(document)
        elif previous["sha256"] != result.record.sha256:
            report.changed.append(document)
    documents = [r.record for r in read]
    chunks = [c for r in read for c in r.chunks]
    embed_texts = [t for r in read for t in r.embed_texts]
    lex_texts = [t for r in read for t in r.lex_texts]
    present = {d.document for d in documents}
    report.removed = sorted(set(old_files) - present)
    for item in report.skipped:
        say(f"skipped {item.document}: {item.reason}")
    if not documents:
        from assistant.corpus import CorpusError

        raise CorpusError(
            f"no transcripts to index under {corpus_root}"
            + (f" ({len(report.skipped)} files skipped)" if report.skipped else "")
            + f"; transcripts are {', '.join(SUFFIXES)} files"
        )

    # the hashes name the model and its encoder: another encoder's vectors are never reused
    hashes = [content_hash(model.name, t) for t in embed_texts]
    built_with = (old or {}).get("model", {}).get("name")
    cache = _previous_vectors(index_dir) if built_with == model.name else {}
    if built_with and built_with != model.name:
        say(f"the index was built with {built_with}; re-embedding every passage with {model.name}")
    missing = sorted(
        {h: i for i, h in enumerate(hashes) if h not in cache}.items(), key=lambda x: x[1]
    )
    say(
        f"{len(documents)} documents, {len(chunks)} passages; embedding {len(missing)} new "
        f"({len(chunks) - len(missing)} unchanged)"
    )
    fresh: dict[str, np.ndarray] = {}
    if missing:
        texts = [embed_texts[i] for _, i in missing]
        if encoder is None:
            vectors = model.encode(
                texts,
                batch_size=batch_size or getattr(model, "preferred_batch_size", 32),
                show_progress=show_progress,
            )
        else:
            vectors = encoder(texts)
        if vectors.shape != (len(texts), model.dimension):
            raise ValueError(f"the encoder returned {vectors.shape} vectors for {len(texts)} texts")
        fresh = {h: vectors[n] for n, (h, _) in enumerate(missing)}
    matrix = np.zeros((len(chunks), model.dimension), dtype=np.float32)
    for row, h in enumerate(hashes):
        matrix[row] = fresh[h] if h in fresh else cache[h]
    report.embedded = len(missing)
    report.reused = len(chunks) - len(missing)

    vector_index = (
        VectorIndex.build(matrix)
        if exact_limit is None
        else VectorIndex.build(matrix, exact_limit=exact_limit)
    )
    bm25, tokenizer = build_bm25(lex_texts)
    per_document = Counter(c.document for c in chunks)
    manifest = {
        "format_version": FORMAT_VERSION,
        "reading_version": READING_VERSION,
        "model": {
            "name": model.name,
            "encoder": getattr(model, "encoder", model.name),
            "dimension": model.dimension,
        },
        "corpus_root": str(corpus_root),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "files": {
            r.record.document: {
                "sha256": r.record.sha256,
                "size": r.size,
                "mtime_ns": r.mtime_ns,
                "passages": per_document[r.record.document],
                **({"parts": list(r.parts)} if r.parts else {}),
            }
            for r in read
        },
        "unreadable": unreadable,
        "skipped_documents": [s.document for s in skipped],
        "counts": {"documents": len(documents), "passages": len(chunks)},
        "vector_index": vector_index.params,
    }
    write_version(index_dir, manifest, documents, chunks, hashes, vector_index, bm25, tokenizer)
    _tune(index_dir, model, show_progress, say)
    report.documents = len(documents)
    report.passages = len(chunks)
    report.seconds = time.perf_counter() - started
    return report


def _tune(index_dir: Path, model: EmbeddingModel, show_progress: bool, say: Callable) -> None:
    """What ranking learns of a new version (the corpus's names, for aliases): once per
    version, so an unchanged corpus is not tuned again (assistant/retrieval/tune.py)."""
    from assistant.retrieval.tune import tune_index

    tune_index(index_dir, model, ranker=False, show_progress=show_progress, log=say)


def _up_to_date(
    old: dict | None,
    model: EmbeddingModel,
    corpus_root: Path,
    sources: list[SourceFile],
    skipped: list[Skipped],
    index_dir: Path,
) -> bool:
    """The live index was built from exactly these files with this model, and loads whole."""
    if not (
        old
        and old.get("format_version") == FORMAT_VERSION
        and old.get("reading_version", 1) == READING_VERSION
        and old.get("model", {}).get("name") == model.name
        and old.get("corpus_root") == str(corpus_root)
    ):
        return False
    recorded = {**old.get("files", {}), **old.get("unreadable", {})}
    if {s.document: s.sha256 for s in sources} != {d: f["sha256"] for d, f in recorded.items()}:
        return False
    if [s.document for s in skipped] != old.get("skipped_documents", []):
        return False
    try:
        # verified in full: `verbatim index` is the command that repairs a damaged index
        CorpusIndex.load(index_dir, model_name=model.name, verify=True)
    except IndexError_:
        return False  # damaged: rebuild
    return True


def _check_writable(index_dir: Path) -> None:
    """Fail early, with a plain message, when the index cannot be written where asked."""
    for parent in [index_dir, *index_dir.parents]:
        if parent.exists():
            if not parent.is_dir():
                what = "the index folder" if parent == index_dir else f"{parent}, above it,"
                raise IndexWriteError(
                    f"cannot write the index at {index_dir}: {what} is a file, not a folder; "
                    "choose another --index folder or move the file"
                )
            if not os.access(parent, os.W_OK):
                raise IndexWriteError(
                    f"cannot write the index at {index_dir}: {parent} is not writable"
                )
            return


def _part_record(corpus_root: Path, state: FileState) -> dict:
    return {
        "path": state.path.relative_to(corpus_root).as_posix(),
        "sha256": state.sha256,
        "size": state.size,
        "mtime_ns": state.mtime_ns,
    }


def _record(source: SourceFile, text: str, transcript: Transcript) -> DocumentRecord:
    return DocumentRecord(
        source.document,
        transcript.title,
        transcript.date,
        source.sha256,
        text,
        transcript.paragraphs,
        transcript.times,
        transcript.titles,
    )
