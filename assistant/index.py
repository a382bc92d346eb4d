"""The on-disk index of a corpus: passages, their vectors (FAISS), BM25, and a manifest.

Layout of an index folder (plain files, bm25s style):

    CURRENT                 name of the live version folder, replaced atomically
    v-<time>/manifest.json  format version, model, corpus root, per-file hashes, counts, checksums
    v-<time>/tables.json    each document's title, date, hash, text and paragraph offsets; the
                            tables of speakers, roles and times the columns code
    v-<time>/texts.bin      the canonical texts of all documents, UTF-8, one after another
    v-<time>/passages/*.npy one int32 column per passage field (document, paragraph, start, end,
                            speaker, role, question, page, time), memory-mapped on load
    v-<time>/paragraphs/*.npy the same for the paragraphs of all documents
    v-<time>/hashes.json    content hash of each passage's embedded text, row-aligned with vectors
    v-<time>/vectors.npy    float32 unit vectors (memory-mapped on load); ivf.faiss when large
    v-<time>/bm25/          the bm25s index and its vocabulary

Passages and documents are built into objects only when used, so a million passages load in
about the time it takes to map the files (`assistant.columns`). `assistant.build` builds a
version from a corpus; this module loads, verifies and writes versions.

A build writes a new version folder, then points CURRENT at it: a build killed at any moment
leaves the previous version whole and loadable.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from assistant.columns import (
    ColumnStore,
    DocumentRecord,
    Documents,
    Passages,
    write_columns,
)
from assistant.corpus import file_sha256
from assistant.files import fsync, fsync_tree, read_json, write_json
from assistant.passages import Chunk
from assistant.tokens import bm25_tokenizer
from embeddings import VectorIndex, encoder_of

FORMAT_VERSION = 2
CURRENT = "CURRENT"
MANIFEST = "manifest.json"
HASHES = "hashes.json"
BM25_DIR = "bm25"


class IndexError_(RuntimeError):
    """Base class for index problems; the message says what to run."""


class IndexNotFoundError(IndexError_):
    pass


class IndexMismatchError(IndexError_):
    """Another format version or embedding model than this program uses."""


class IndexCorruptError(IndexError_):
    """A file of the index is missing, truncated or edited."""


class IndexWriteError(IndexError_):
    """The index folder cannot be written (not a folder, read-only, disk full); the previous
    index, if any, is left as it was."""


def rebuild_hint(index_dir: Path, corpus_root: str | None = None) -> str:
    corpus = corpus_root or "CORPUS_DIR"
    return f"rebuild it with: verbatim index {corpus} --index {index_dir}"


# are those recorded when the build hashed them: hashing the vectors of a million passages
# (~3 GB with the IVF file) takes longer than the whole rest of the load. Any write to the file
# changes its ctime, which no tool can set back, so an edited or replaced file is still hashed.
# Small files are always hashed (timestamps can be too coarse to tell a quick edit apart).
TRUST_STAT_BYTES = 64 << 20


def _stat_key(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def _unchanged_since_build(path: Path, expected: dict) -> bool:
    return expected.get("size", 0) >= TRUST_STAT_BYTES and expected.get("stat") == _stat_key(path)


def live_version(index_dir: Path) -> Path | None:
    """The live version folder of an index, or None if there is no index there."""
    pointer = Path(index_dir) / CURRENT
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise IndexCorruptError(
            f"index file {pointer} cannot be read ({error}); {rebuild_hint(Path(index_dir))}"
        ) from None
    if not name or "/" in name or "\\" in name or name in (".", ".."):
        raise IndexCorruptError(
            f"index file {pointer} does not name a version folder; {rebuild_hint(Path(index_dir))}"
        )
    return Path(index_dir) / name


def manifest_problem(manifest: object) -> str | None:
    """What is wrong with the shape of a manifest (a hand edit, a bad copy), or None. Only
    what the loader and the builder rely on is checked; the checksums catch the rest."""
    if not isinstance(manifest, dict):
        return (
            f"it holds {type(manifest).__name__ if manifest is not None else 'null'}, not an object"
        )
    model = manifest.get("model")
    if not isinstance(model, dict) or not isinstance(model.get("name"), str):
        return "its model entry is not an object with a name"
    if not isinstance(manifest.get("corpus_root"), str):
        return "its corpus_root is not a path"
    for key in ("files", "unreadable"):
        entries = manifest.get(key, {})
        if not isinstance(entries, dict) or not all(
            isinstance(v, dict) and isinstance(v.get("sha256"), str) for v in entries.values()
        ):
            return f"its {key} entry is not an object of file records"
    checksums = manifest.get("checksums")
    if not isinstance(checksums, dict) or not checksums:
        return "it lists no checksums"
    for name, expected in checksums.items():
        if not (
            isinstance(expected, dict)
            and isinstance(expected.get("size"), int)
            and isinstance(expected.get("sha256"), str)
        ):
            return f"its checksum entry for {name} is not an object with a size and a sha256"
    if not isinstance(manifest.get("skipped_documents", []), list):
        return "its skipped_documents entry is not a list"
    if not isinstance(manifest.get("counts", {}), dict):
        return "its counts entry is not an object"
    return None


def read_manifest(index_dir: Path) -> dict | None:
    """The live version's manifest, or None when there is none or it is unusable (the next
    build then rebuilds from scratch)."""
    try:
        version = live_version(index_dir)
    except IndexCorruptError:
        return None
    if version is None:
        return None
    try:
        manifest = read_json(version / MANIFEST)
    except (OSError, ValueError):
        return None
    return manifest if manifest_problem(manifest) is None else None  # type: ignore[return-value]


def built_with(index_dir: Path) -> str | None:
    """The embedding model (and so encoder) name the live index at `index_dir` was built with,
    or None where there is no readable index."""
    name = ((read_manifest(Path(index_dir)) or {}).get("model") or {}).get("name")
    return name if isinstance(name, str) else None


class CorpusIndex:
    """A loaded index: documents, passages, vectors and BM25, read-only and thread-safe."""

    def __init__(
        self,
        path: Path,
        manifest: dict,
        documents: Documents,
        chunks: Passages,
        vectors: VectorIndex,
        bm25: object,
        tokenizer: object,
    ) -> None:
        self.path = path
        self.manifest = manifest
        self.documents = documents
        self.chunks = chunks
        self.vectors = vectors
        self.bm25 = bm25
        self.tokenizer = tokenizer
        self._hash_checks: dict[tuple[str, int, int], bool] = {}  # (path, size, mtime) -> same

    @property
    def corpus_root(self) -> Path:
        return Path(self.manifest["corpus_root"])

    @property
    def model_name(self) -> str:
        return self.manifest["model"]["name"]

    def stale_documents(self, documents: list[str] | None = None) -> list[str]:
        """Indexed documents whose file changed or disappeared since indexing (all of them, or
        those in `documents`): their stored text and offsets no longer match the file.

        A file whose size and modification time are as indexed is taken as unchanged; otherwise
        its content hash decides (a touched but identical file is not stale). When the corpus
        folder itself is gone the index is used on its own and nothing is reported stale.
        """
        root = self.corpus_root
        if not root.is_dir():
            return []
        files = self.manifest.get("files", {})
        stale = []
        for document in sorted(set(documents) if documents is not None else self.documents):
            if document not in self.documents:
                continue
            sha256 = self.documents.sha256(document)
            recorded = files.get(document, {})
            parts = recorded.get("parts")
            if parts:  # a document read from several files (name_1.html, name_2.html, ...)
                fresh = all(self._file_matches(root / p["path"], p["sha256"], p) for p in parts)
            else:
                fresh = self._file_matches(root / document, sha256, recorded)
            if not fresh:
                stale.append(document)
        return stale

    def _file_matches(self, path: Path, sha256: str, recorded: dict) -> bool:
        """Whether the file at `path` still holds the content hashed `sha256` (cached per stat)."""
        try:
            st = path.stat()
        except OSError:
            return False
        if recorded.get("size") == st.st_size and recorded.get("mtime_ns") == st.st_mtime_ns:
            return True
        key = (str(path), st.st_size, st.st_mtime_ns)
        if key not in self._hash_checks:
            try:
                self._hash_checks[key] = file_sha256(path) == sha256
            except OSError:
                return False
        return self._hash_checks[key]

    # ---------------------------------------------------------------- load
    @classmethod
    def load(
        cls, index_dir: Path, *, model_name: str | None = None, verify: bool = True
    ) -> CorpusIndex:
        index_dir = Path(index_dir)
        for _ in range(3):
            version = live_version(index_dir)
            try:
                return cls._load_version(index_dir, version, model_name, verify)
            except IndexCorruptError:
                # a build that finished meanwhile switched CURRENT and removed this version:
                # load the new one instead
                if version is None or live_version(index_dir) == version:
                    raise
        return cls._load_version(index_dir, live_version(index_dir), model_name, verify)

    @classmethod
    def _load_version(
        cls, index_dir: Path, version: Path | None, model_name: str | None, verify: bool
    ) -> CorpusIndex:
        if version is None:
            raise IndexNotFoundError(
                f"no index at {index_dir}; build one with: verbatim index CORPUS_DIR --index {index_dir}"
            )
        manifest_path = version / MANIFEST
        try:
            manifest = read_json(manifest_path)
        except FileNotFoundError:
            raise IndexCorruptError(
                f"index file {manifest_path} is missing; {rebuild_hint(index_dir)}"
            ) from None
        except (OSError, ValueError) as error:
            raise IndexCorruptError(
                f"index file {manifest_path} is not valid JSON ({error}); {rebuild_hint(index_dir)}"
            ) from None
        if not isinstance(manifest, dict):
            raise IndexCorruptError(
                f"index file {manifest_path} is damaged ({manifest_problem(manifest)}); "
                f"{rebuild_hint(index_dir)}"
            )
        root = manifest.get("corpus_root")
        hint = rebuild_hint(index_dir, root if isinstance(root, str) else None)
        if manifest.get("format_version") != FORMAT_VERSION:
            raise IndexMismatchError(
                f"index at {index_dir} has format version {manifest.get('format_version')}, "
                f"this Verbatim reads version {FORMAT_VERSION}; {hint}"
            )
        problem = manifest_problem(manifest)
        if problem:
            raise IndexCorruptError(f"index file {manifest_path} is damaged ({problem}); {hint}")
        built_with = manifest["model"]["name"]
        if model_name is not None and built_with != model_name:
            # two encoders' vectors differ a little: questions are encoded as the passages were
            raise IndexMismatchError(
                f"index at {index_dir} was built with the embedding model {built_with!r}, "
                f"not {model_name!r}, and the two encoders' vectors do not mix; open it "
                f"without choosing a model or encoder (it then uses {built_with!r}), or "
                f"{hint} --encoder {encoder_of(model_name)}"
            )
        verify_checksums(version, manifest, hint, full=verify)
        try:
            store = ColumnStore(version)
            documents, chunks = Documents(store), Passages(store)
            vectors = VectorIndex.load(version)
            bm25, tokenizer = _load_bm25(version / BM25_DIR)
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise IndexCorruptError(
                f"index at {version} cannot be read ({type(error).__name__}: {error}); {hint}"
            ) from None
        if len(vectors) != len(chunks):
            raise IndexCorruptError(
                f"index at {version} has {len(vectors)} vectors for {len(chunks)} passages; {hint}"
            )
        return cls(version, manifest, documents, chunks, vectors, bm25, tokenizer)


def verify_checksums(version: Path, manifest: dict, hint: str, *, full: bool = True) -> None:
    """Raise IndexCorruptError naming the first index file that is missing, of the wrong size
    or (when `full`) of the wrong content hash."""
    checksums = manifest.get("checksums")
    if not isinstance(checksums, dict) or not checksums:
        raise IndexCorruptError(f"index file {version / MANIFEST} lists no checksums; {hint}")
    for name, expected in checksums.items():
        if not isinstance(expected, dict) or not isinstance(expected.get("size"), int):
            raise IndexCorruptError(
                f"index file {version / MANIFEST} has a damaged checksum entry for {name}; {hint}"
            )
        path = version / name
        if not path.is_file():
            raise IndexCorruptError(f"index file {path} is missing; {hint}")
        if path.stat().st_size != expected["size"]:
            raise IndexCorruptError(
                f"index file {path} has {path.stat().st_size} bytes, expected "
                f"{expected['size']} (truncated or edited); {hint}"
            )
        if (
            full
            and not _unchanged_since_build(path, expected)
            and file_sha256(path) != expected["sha256"]
        ):
            raise IndexCorruptError(
                f"index file {path} fails its checksum (edited or damaged); {hint}"
            )


# -------------------------------------------------------------------- bm25
def build_bm25(texts: list[str]) -> tuple[object, object]:
    import bm25s

    tokenizer = bm25_tokenizer()
    tokens = tokenizer.tokenize(texts, update_vocab=True, return_as="tuple", show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(tokens, show_progress=False)
    return retriever, tokenizer


def _save_bm25(directory: Path, retriever: object, tokenizer: object) -> None:
    directory.mkdir()
    retriever.save(str(directory), show_progress=False)  # type: ignore[attr-defined]
    tokenizer.save_vocab(str(directory))  # type: ignore[attr-defined]
    tokenizer.save_stopwords(str(directory))  # type: ignore[attr-defined]


def _load_bm25(directory: Path) -> tuple[object, object]:
    import bm25s

    # memory-mapped: at a million passages its arrays are ~600 MB, read on demand
    retriever = bm25s.BM25.load(str(directory), mmap=True, show_progress=False)
    for name in ("data", "indices", "indptr"):  # still mapped, without np.memmap's __getitem__
        retriever.scores[name] = np.asarray(retriever.scores[name])
    tokenizer = bm25_tokenizer()
    tokenizer.load_vocab(str(directory))  # type: ignore[attr-defined]
    tokenizer.load_stopwords(str(directory))  # type: ignore[attr-defined]
    return retriever, tokenizer


# ----------------------------------------------------------------- versions
def write_version(
    index_dir: Path,
    manifest: dict,
    documents: list[DocumentRecord],
    chunks: list[Chunk],
    hashes: list[str],
    vector_index: VectorIndex,
    bm25: object,
    tokenizer: object,
) -> None:
    """Write a complete version folder beside the live one, then switch CURRENT to it; on any
    failure the previous version stays live and nothing half-written is left."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".building-", dir=index_dir))
    except OSError as error:
        raise IndexWriteError(
            f"cannot write the index at {index_dir} ({error.strerror or error})"
        ) from error
    version_dir: Path | None = None
    pointer: Path | None = None
    try:
        write_json(staging / HASHES, hashes)
        names = [*write_columns(staging, documents, chunks), HASHES, *vector_index.save(staging)]
        _save_bm25(staging / BM25_DIR, bm25, tokenizer)
        names += [f"{BM25_DIR}/{p.name}" for p in sorted((staging / BM25_DIR).iterdir())]
        fsync_tree(staging)
        manifest["checksums"] = {
            name: {
                "sha256": file_sha256(staging / name),
                "size": (staging / name).stat().st_size,
                "stat": _stat_key(staging / name),
            }
            for name in names
        }
        write_json(staging / MANIFEST, manifest)
        fsync(staging / MANIFEST)
        fsync(staging)
        version = f"v-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**9}"
        version_dir = index_dir / version
        staging.rename(version_dir)
        pointer = index_dir / f".{CURRENT}.tmp-{os.getpid()}"
        pointer.write_text(version + "\n", encoding="utf-8")
        fsync(pointer)
        os.replace(pointer, index_dir / CURRENT)
        fsync(index_dir)
    except OSError as error:
        why = write_failure(error, index_dir)  # before the discard frees the space again
        _discard(staging, version_dir, pointer, index_dir)
        raise IndexWriteError(
            f"cannot write the index at {index_dir} ({why}); "
            "the previous index, if any, is unchanged"
        ) from error
    except BaseException:
        _discard(staging, version_dir, pointer, index_dir)
        raise
    _remove_old_versions(index_dir, keep=version)


def write_failure(error: OSError, folder: Path) -> str:
    """Why a write failed, in words: a short write that numpy reports as "176640 requested and
    33760 written" (no errno) on a disk with less room left than was asked is a full disk."""
    if error.errno == errno.ENOSPC:
        return os.strerror(errno.ENOSPC)
    if error.errno is None:
        short = re.search(r"(\d+) requested and (\d+) written", str(error))
        try:
            free = shutil.disk_usage(folder).free
        except OSError:
            free = None
        if short and free is not None and free < int(short[1]) - int(short[2]) + (1 << 20):
            return f"{os.strerror(errno.ENOSPC)}: {free:,} bytes free"
        if short:
            return f"a write was cut short: {short[1]} bytes requested, {short[2]} written"
    return error.strerror or str(error)


def _discard(
    staging: Path, version_dir: Path | None, pointer: Path | None, index_dir: Path
) -> None:
    """Remove what a failed write left, never the live version (on a full disk, space matters)."""
    shutil.rmtree(staging, ignore_errors=True)
    if pointer is not None:
        pointer.unlink(missing_ok=True)
    try:
        live = live_version(index_dir)
    except IndexCorruptError:
        live = None
    if version_dir is not None and live != version_dir:
        shutil.rmtree(version_dir, ignore_errors=True)


def _remove_old_versions(index_dir: Path, keep: str) -> None:
    """Old versions and leftovers of killed builds; never the live one."""
    for entry in index_dir.iterdir():
        if entry.name == keep or not entry.is_dir():
            continue
        if entry.name.startswith(("v-", ".building-")):
            shutil.rmtree(entry, ignore_errors=True)
    for entry in index_dir.glob(f".{CURRENT}.tmp-*"):
        entry.unlink(missing_ok=True)


def log_to_stderr(message: str) -> None:
    """A build's progress on stderr, its control characters (from file names) made inert."""
    from assistant.terminal import safe

    print(safe(message), file=sys.stderr, flush=True)
