"""What a running `verbatim serve` exposes: loopback only, a password when asked for, no file
outside Gradio's own cache, and not one connection to another machine.

One real server for the module: `python -m assistant.cli index corpus` and `... serve` as
subprocesses (the packaged model, the shipped one-file corpus), password from `VERBATIM_AUTH`,
and a `sitecustomize` that records and blocks every connection or name look-up that is not
loopback. The Makefile's offline variables are removed from their environment: `serve` must set
what it needs itself.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

gradio_client = pytest.importorskip("gradio_client", reason="gradio_client is not installed")
client_errors = pytest.importorskip("gradio_client.exceptions")
httpx = pytest.importorskip("httpx")


from .conftest import seed_only_corpus  # noqa: E402
from .servers import verbatim_serve  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
USER, PASSWORD = "alice", "s3cret-pw"
QUESTION = "What platforms were built for dialogue between Chinese and foreign political parties?"
OFFLINE_VARS = (
    "GRADIO_ANALYTICS_ENABLED",
    "HF_HUB_OFFLINE",
    "HF_HUB_DISABLE_TELEMETRY",
    "TRANSFORMERS_OFFLINE",
)

# Loaded into every Python process started with it on PYTHONPATH: any socket connection or
# name look-up aimed anywhere but this machine is written to $VERBATIM_NET_LOG and refused.
RECORDER = textwrap.dedent(
    """
    import os
    import socket

    _LOG = os.environ.get("VERBATIM_NET_LOG")
    _LOCAL_NAMES = {"localhost", "", "0.0.0.0", "::", socket.gethostname()}


    def _local(host):
        host = host.decode() if isinstance(host, bytes) else str(host)
        host = host.strip("[]").lower()
        return (
            host in _LOCAL_NAMES
            or host.startswith("127.")
            or host in ("::1", "::ffff:127.0.0.1")
            or host.startswith("::ffff:127.")
        )


    def _record(kind, target):
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(f"{kind} {target!r} pid={os.getpid()}\\n")


    if _LOG:
        _connect = socket.socket.connect
        _connect_ex = socket.socket.connect_ex
        _getaddrinfo = socket.getaddrinfo

        def _check(sock, address):
            if sock.family in (socket.AF_INET, socket.AF_INET6) and not _local(address[0]):
                _record("connect", address)
                raise ConnectionRefusedError(f"blocked by the test: {address!r}")

        def connect(self, address):
            _check(self, address)
            return _connect(self, address)

        def connect_ex(self, address):
            _check(self, address)
            return _connect_ex(self, address)

        def getaddrinfo(host, *args, **kwargs):
            if host is not None and not _local(host):
                _record("getaddrinfo", host)
                raise socket.gaierror(socket.EAI_NONAME, f"blocked by the test: {host!r}")
            return _getaddrinfo(host, *args, **kwargs)

        socket.socket.connect = connect
        socket.socket.connect_ex = connect_ex
        socket.getaddrinfo = getaddrinfo
    """
)


@dataclass(frozen=True)
class Served:
    url: str
    port: int
    index: Path
    log: Path
    process: subprocess.Popen


def _recorded_env(tmp: Path, log: Path) -> dict[str, str]:
    (tmp / "sitecustomize.py").write_text(RECORDER, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in OFFLINE_VARS}
    env.pop("VERBATIM_AUTH", None)
    env["PYTHONPATH"] = os.pathsep.join([str(tmp), str(ROOT)])
    env["VERBATIM_NET_LOG"] = str(log)
    return env


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("security")
    log = tmp / "network.log"
    env = _recorded_env(tmp, log)
    index = tmp / "index"
    corpus = seed_only_corpus(tmp / "corpus")
    built = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "index", str(corpus), "--index", str(index)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    server_env = {**env, "VERBATIM_AUTH": f"{USER}:{PASSWORD}"}
    with verbatim_serve(index, tmp / "server.log", env=server_env, timeout=180) as server:
        yield Served(server.url.rstrip("/"), server.port, index, log, server.process)


def _login_cookie(served: Served) -> str:
    response = httpx.post(
        f"{served.url}/login", data={"username": USER, "password": PASSWORD}, timeout=30
    )
    assert response.status_code == 200, response.text
    return "; ".join(f"{name}={value}" for name, value in response.cookies.items())


def _raw_get(served: Served, path: str, cookie: str) -> tuple[int, bytes]:
    """GET `path` exactly as written: no client-side normalisation of `..` or `%2e`."""
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.putheader("Cookie", cookie)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# ----------------------------------------------------------------------------- binding
def _listening_addresses(port: int) -> list[str]:
    """Local addresses listening on `port`, from /proc/net/tcp{,6} (state 0A = LISTEN)."""
    found = []
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, _, hex_port = fields[1].partition(":")
            if fields[3] == "0A" and int(hex_port, 16) == port:
                raw = bytes.fromhex(address)
                if width == 8:
                    found.append(socket.inet_ntop(socket.AF_INET, raw[::-1]))
                else:
                    words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
                    found.append(socket.inet_ntop(socket.AF_INET6, words))
    return found


@pytest.mark.model
def test_serve_listens_on_loopback_only_by_default(served: Served) -> None:
    """Started without `--host`, the server's only listening socket is 127.0.0.1; reaching it from
    the network takes an explicit `--host 0.0.0.0`."""
    if not Path("/proc/net/tcp").exists():
        pytest.skip("needs Linux /proc/net/tcp to read listening sockets")
    assert _listening_addresses(served.port) == ["127.0.0.1"]
    from assistant.cli import build_parser

    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"
    assert build_parser().parse_args(["serve", "--host", "0.0.0.0"]).host == "0.0.0.0"


# ----------------------------------------------------------------------------- auth
@pytest.mark.model
def test_verbatim_auth_from_the_environment_guards_the_api(served: Served) -> None:
    """With `VERBATIM_AUTH=user:password`, the API refuses a client without the password or with a
    wrong one (and a bare HTTP call gets 401), and answers one with it."""
    with pytest.raises(client_errors.AuthenticationError):
        gradio_client.Client(served.url, verbose=False)
    with pytest.raises(ValueError, match="Could not login"):
        gradio_client.Client(served.url, auth=(USER, "wrong"), verbose=False)
    bare = httpx.post(f"{served.url}/gradio_api/call/ask", json={"data": [QUESTION]}, timeout=30)
    assert bare.status_code == 401
    client = gradio_client.Client(served.url, auth=(USER, PASSWORD), verbose=False)
    answer = client.predict(question=QUESTION, api_name="/ask")
    assert answer["answered"] and answer["passages"]
    assert answer["passages"][0]["citation"]["document"] == "seed/000_d939996c60e74ad7.txt"


# ----------------------------------------------------------------------------- files
SECRET_MARKERS = (b"root:x:0:0", b"[project]", b"Shen Beili", PASSWORD.encode(), b"PATH=")


@pytest.mark.model
def test_no_path_reaches_files_outside_gradios_cache(served: Served) -> None:
    """Logged in, requests for system files, the repository, the corpus, the index and the
    server's own environment, by absolute path, `..`, URL-encoded and doubled variants, through
    every file route, are all refused (403/404), never the content."""
    cookie = _login_cookie(served)
    corpus_file = ROOT / "corpus" / "seed" / "000_d939996c60e74ad7.txt"
    targets = [
        "/etc/passwd",
        "../../../../../../etc/passwd",
        "..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "%2Fetc%2Fpasswd",
        "%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "%252e%252e/%252e%252e/etc/passwd",
        "....//....//....//etc/passwd",
        "..\\..\\..\\etc\\passwd",
        "/proc/self/environ",
        "pyproject.toml",
        str(ROOT / "pyproject.toml"),
        "corpus/seed/000_d939996c60e74ad7.txt",
        str(corpus_file),
        str(served.index / "CURRENT"),
        "file:///etc/passwd",
    ]
    paths = [f"{prefix}/file={t}" for prefix in ("/gradio_api", "") for t in targets] + [
        "/static/../../../../../../etc/passwd",
        "/static/..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/assets/..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/gradio_api/static/..%2F..%2F..%2F..%2Fpyproject.toml",
        "/gradio_api/file=/gradio_api/../../../../etc/passwd",
    ]
    served_anyway = {}
    for path in paths:
        status, body = _raw_get(served, path, cookie)
        if status not in (403, 404) or any(marker in body for marker in SECRET_MARKERS):
            served_anyway[path] = (status, body[:80])
    assert served_anyway == {}


@pytest.mark.model
def test_file_routes_never_fetch_from_another_machine(served: Served) -> None:
    """`/file=<URL>` (which Gradio would download server-side) and `/proxy=` are refused before
    any look-up: the recorder sees no name resolution of the host."""
    cookie = _login_cookie(served)
    for path in (
        "/gradio_api/file=https://example.com/x.txt",
        "/gradio_api/file=http%3A%2F%2Fexample.com%2Fx.txt",
        "/gradio_api/file=//example.com/x.txt",
        "/gradio_api/proxy=https://example.com/x.txt",
        "/file=https://example.com/x.txt",
    ):
        status, body = _raw_get(served, path, cookie)
        assert status == 403, (path, status, body[:80])
    assert not served.log.exists() or "example.com" not in served.log.read_text()


# ----------------------------------------------------------------------------- network
@pytest.mark.model
def test_indexing_serving_and_asking_make_no_network_call(served: Served) -> None:
    """Building the index with the real model, starting the server, logging in, loading the page
    and asking through the API: not one connection or name look-up beyond this machine."""
    client = gradio_client.Client(served.url, auth=(USER, PASSWORD), verbose=False)
    assert client.predict(question=QUESTION, api_name="/ask")["answered"]
    page = httpx.get(f"{served.url}/", cookies={}, timeout=30, follow_redirects=True)
    assert page.status_code == 200
    assert served.process.poll() is None
    recorded = served.log.read_text() if served.log.exists() else ""
    assert recorded == ""


def test_the_recorder_catches_an_outside_connection(tmp_path: Path) -> None:
    """The check above can fail: under the same recorder, a connection to a non-loopback address
    and a look-up of a public name are both logged (and refused)."""
    log = tmp_path / "network.log"
    env = _recorded_env(tmp_path, log)
    probe = (
        "import socket\n"
        "for attempt in (lambda: socket.create_connection(('192.0.2.1', 80), timeout=1),\n"
        "                lambda: socket.getaddrinfo('huggingface.co', 443)):\n"
        "    try: attempt()\n"
        "    except OSError: pass\n"
    )
    subprocess.run([sys.executable, "-c", probe], env=env, check=True, timeout=60)
    recorded = log.read_text()
    assert "192.0.2.1" in recorded and "huggingface.co" in recorded


def test_serve_turns_analytics_and_hub_access_off(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`verbatim serve` itself sets GRADIO_ANALYTICS_ENABLED=False and HF_HUB_OFFLINE=1 (and the
    telemetry switches) before the UI starts, whatever the caller's environment says."""
    pytest.importorskip("gradio")
    import gradio.analytics

    import ui.app
    from assistant.api import Assistant
    from assistant.cli import main

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "corpus" / "seed" / "000_d939996c60e74ad7.txt", corpus / "a.txt")
    Assistant.build(corpus, tmp_path / "index", model="hashing-384")
    monkeypatch.setenv("GRADIO_ANALYTICS_ENABLED", "True")
    for name in OFFLINE_VARS[1:]:
        monkeypatch.delenv(name, raising=False)
    seen: dict[str, object] = {}

    def fake_launch(app: object, **kwargs: object) -> str:
        seen.update({name: os.environ.get(name) for name in OFFLINE_VARS})
        seen["analytics"] = gradio.analytics.analytics_enabled()
        seen["host"] = kwargs["host"]
        return ""

    monkeypatch.setattr(ui.app, "launch", fake_launch)
    assert main(["serve", "--index", str(tmp_path / "index")]) == 0
    assert seen.pop("HF_HUB_DISABLE_TELEMETRY") in ("1", "True")  # Gradio writes "True" itself
    assert seen == {
        "GRADIO_ANALYTICS_ENABLED": "False",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "analytics": False,
        "host": "127.0.0.1",
    }
