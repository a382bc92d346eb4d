"""Shared fixtures: where things are, tiny corpora written on the fly, and counting models.

Most tests use the deterministic `HashingModel` (instant, no torch); only tests marked `model`
load the packaged all-MiniLM-L6-v2, on the shipped one-file corpus.
"""

from __future__ import annotations

import mmap
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

from embeddings import HashingModel

if TYPE_CHECKING:
    from assistant import Assistant

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

REPO = Path(__file__).resolve().parents[1]


def _shared() -> Path:
    """../shared beside the checkout; from a worktree, $VERBATIM_SHARED or /work/shared."""
    for candidate in (os.environ.get("VERBATIM_SHARED"), REPO.parent / "shared", "/work/shared"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return REPO.parent / "shared"


SHARED = _shared()
SHARED_CORPUS = SHARED / "corpus"
SEED_CORPUS = REPO / "corpus"
SEED_DOCUMENT = "seed/000_d939996c60e74ad7.txt"

needs_shared = pytest.mark.skipif(
    not SHARED_CORPUS.is_dir(),
    reason=f"needs the shared data beside the checkout ({SHARED_CORPUS} is absent)",
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes several seconds even with the hashing model")


# ----------------------------------------------------------------------------- models
class CountingModel(HashingModel):
    """The hashing model, counting the texts it is asked to encode (for no-re-embed tests)."""

    def __init__(self) -> None:
        super().__init__()
        self.encoded = 0
        self.calls = 0

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray:
        self.calls += 1
        self.encoded += len(texts)
        return super().encode(texts, batch_size=batch_size, show_progress=show_progress)

    def reset(self) -> None:
        self.encoded = 0
        self.calls = 0


@pytest.fixture
def counting_model() -> CountingModel:
    return CountingModel()


@pytest.fixture
def hashing_model() -> HashingModel:
    return HashingModel()


# ----------------------------------------------------------------------------- corpora
# Three small transcripts in the corpus's formats: inline capitals labels with a moderator,
# bare `Q` questions with a time stamp and a room name, and an own-line label after an
# unlabelled opening question.
FOMC_LIKE = """Transcript of Chair Powell's Press Conference, 2022-06-15

CHAIR POWELL: Good afternoon. Inflation is much too high and we are moving expeditiously to bring it back down. The labor market is extremely tight.

MICHELLE SMITH: Howard.

HOWARD SCHNEIDER: Thank you. Howard Schneider with Reuters. Why did the Committee raise rates by three quarters of a point today?

CHAIR POWELL: We raised rates by three quarters of a point because inflation data came in hotter than expected and inflation expectations moved up.

MICHELLE SMITH: Jeanna.

JEANNA SMIALEK: Jeanna Smialek with the New York Times. How do you think about the housing market and mortgage rates?

CHAIR POWELL: The housing market is softening as mortgage rates have risen sharply.
"""

WHITEHOUSE_LIKE = """Press Briefing by Press Secretary Josh Earnest, 10/29/2014

James S. Brady Press Briefing Room

1:09 P.M. EDT

MR. EARNEST: Good afternoon, everybody. Let me start with a quick announcement about the Ebola response.

Q Josh, does the President support a quarantine of health workers returning from West Africa?

MR. EARNEST: The President believes policy should be driven by science, and the guidance of the CDC reflects the best scientific advice on Ebola.

Q And what about the budget talks with Congress?

MR. EARNEST: The budget talks will continue next week when members return to Washington.

END

2:26 P.M. EDT
"""

SEED_LIKE = """Press conference on foreign affairs | October 31, 2022


Could you share the experience of local governments in trade cooperation?

Li Wei:

We have always worked closely with local governments to expand trade cooperation and exchanges.

Second, we have built platforms for dialogue between provinces and foreign partners.

<  1  2  3  >
"""

SMALL_CORPUS = {
    "fomc/fomc_2022-06-15.txt": FOMC_LIKE,
    "whitehouse/wh_2014-10-29.txt": WHITEHOUSE_LIKE,
    "seed/briefing.txt": SEED_LIKE,
}


def write_corpus(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (relative path -> text or bytes) under `root`; returns `root`."""
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return root


def transcript(first_line: str, turns: Sequence[str]) -> str:
    """A transcript's text: its first line (title and date), then one turn a paragraph."""
    return first_line + "\n\n" + "\n\n".join(turns) + "\n"


def hashed_assistant(root: Path, files: dict[str, str | bytes]) -> Assistant:
    """`files` written as a corpus under `root` and indexed there with the hashing model."""
    from assistant import Assistant

    corpus = write_corpus(root / "corpus", files)
    return Assistant.build(corpus, root / "index", model=HashingModel())


@pytest.fixture
def make_corpus(tmp_path: Path) -> Callable[..., Path]:
    """`make_corpus(files, name="corpus")` writes a corpus folder under tmp_path."""

    def make(files: dict[str, str | bytes] | None = None, name: str = "corpus") -> Path:
        return write_corpus(tmp_path / name, SMALL_CORPUS if files is None else files)

    return make


@pytest.fixture
def small_corpus(make_corpus: Callable[..., Path]) -> Path:
    return make_corpus()


@pytest.fixture
def shared_corpus() -> Path:
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"needs the shared data beside the checkout ({SHARED_CORPUS} is absent)")
    return SHARED_CORPUS


@pytest.fixture(scope="session")
def shared_index(tmp_path_factory: pytest.TempPathFactory):
    """An index of the whole ../shared/corpus built once with the hashing model (~3 s)."""
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"needs the shared data beside the checkout ({SHARED_CORPUS} is absent)")
    from assistant import Assistant

    index_dir = tmp_path_factory.mktemp("shared-index")
    return Assistant.build(SHARED_CORPUS, index_dir, model=HashingModel())


def assert_passages_match_files(qa) -> int:
    """Offsets invariant through an index: every stored passage of `qa` (an `Assistant`)
    equals `(corpus_root / document).read_text(encoding="utf-8")[start:end]`. Returns how many
    files were read."""
    root = qa.corpus_root
    texts: dict[str, str] = {}
    for c in qa.index.chunks:
        if c.document not in texts:
            texts[c.document] = (root / c.document).read_text(encoding="utf-8")
        assert texts[c.document][c.start : c.end] == c.text
    return len(texts)


def seed_only_corpus(destination: Path) -> Path:
    """A corpus folder holding only the shipped seed transcript, under seed/ as in corpus/ (the
    shipped corpus/ also holds 61 FOMC and White House transcripts: far too many passages to
    embed with the real model in a test)."""
    (destination / "seed").mkdir(parents=True, exist_ok=True)
    copy_seed_corpus(destination / "seed")
    return destination


def copy_seed_corpus(destination: Path, *extra: Path) -> Path:
    """A writable copy of the shipped seed transcripts (plus `extra` files) in `destination`."""
    for source in [*sorted((SEED_CORPUS / "seed").glob("*.txt")), *extra]:
        shutil.copy(source, destination / source.name)
    return destination


@pytest.fixture(scope="session")
def seed_assistant(tmp_path_factory: pytest.TempPathFactory):
    """The shipped seed transcript indexed with the real packaged model (one small file)."""
    from assistant import Assistant

    index_dir = tmp_path_factory.mktemp("seed-index")
    return Assistant.build(seed_only_corpus(tmp_path_factory.mktemp("seed-corpus")), index_dir)


# ----------------------------------------------------------------------------- browser tests
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def server(assistant) -> Iterator[str]:
    """The UI over the test module's own `assistant` fixture, served in this process."""
    from ui.app import build_app, free_port, launch

    app = build_app(assistant)
    url = launch(app, host="127.0.0.1", port=free_port(), prevent_thread_lock=True, quiet=True)
    yield url
    app.close()


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.skip(f"Debian chromium is not installed at {CHROMIUM} (`make browser` installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    from ui.screenshot import CHROMIUM_ARGS

    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def memory_mapped(array: np.ndarray) -> bool:
    """Whether `array` reads a mapped file (itself or through the arrays it views)."""
    while array is not None:
        if isinstance(array, np.memmap | mmap.mmap):
            return True
        array = getattr(array, "base", None)
    return False
