"""Connecting to Ray, for builds and serving past one machine, with Ray's pitfalls handled.

Imported only by `verbatim index --ray` and `verbatim serve --replicas`: the local build and
server never import Ray (the `ray` extra: `pip install -e ".[ray]"`).

What `connect` takes care of (measured with Ray 2.60):
- A Ray started here binds only to 127.0.0.1. Ray resolves a loopback node address to the
  machine's outward address, and then every core server (GCS, raylet, workers) listens on all
  interfaces; kept on loopback, they listen on loopback only.
- No dashboard; usage statistics off; and Ray's start-up probe of cloud metadata addresses
  (169.254.169.254 and the like), which it makes unless `~/ray_bootstrap_config.yaml` says
  `provider: {type: local}`, is answered by such a file in a folder of Verbatim's own, given to
  the Ray processes started here as their HOME.
- Joining an existing cluster (`address="ray://..."`, `"auto"` or `"host:port"`) changes none of
  its settings; docs/scale.md says how to start one safely (token auth, node addresses).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

RAY_ENV = {
    "RAY_USAGE_STATS_ENABLED": "0",  # no usage report
    "RAY_DISABLE_DOCKER_CPU_WARNING": "1",
}
BOOTSTRAP = "provider:\n  type: local\n"
LOCAL = ("", "local")


class ClusterError(RuntimeError):
    """Ray is not installed, or the cluster cannot be reached."""


def ray_module():
    try:
        import ray
    except ImportError:
        raise ClusterError(
            'Ray is not installed; install the extra with: pip install -e ".[ray]"'
        ) from None
    return ray


def ray_home() -> Path:
    """A folder holding the bootstrap config that tells Ray it runs on a local provider."""
    home = Path(os.environ.get("VERBATIM_RAY_HOME") or Path(tempfile.gettempdir()) / "verbatim-ray")
    home.mkdir(parents=True, exist_ok=True)
    config = home / "ray_bootstrap_config.yaml"
    if not config.is_file() or config.read_text(encoding="utf-8") != BOOTSTRAP:
        config.write_text(BOOTSTRAP, encoding="utf-8")
    return home


@contextmanager
def ray_processes_env() -> Iterator[None]:
    """The environment Ray processes started inside inherit: Verbatim's HOME (for the
    bootstrap config), the caller's model cache (`VERBATIM_CACHE`) and Ray's settings above;
    the caller's own environment is restored."""
    from embeddings.onnx import cache_root

    saved = {k: os.environ.get(k) for k in ("HOME", "VERBATIM_CACHE", *RAY_ENV)}
    # before HOME moves: the actors reuse this user's exported ONNX model instead of
    # exporting one of their own under Ray's HOME (tens of seconds of both cores)
    os.environ["VERBATIM_CACHE"] = str(cache_root())
    os.environ.update(RAY_ENV)
    os.environ["HOME"] = str(ray_home())
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def loopback_nodes() -> Iterator[None]:
    """Nodes started inside keep 127.0.0.1 as their address (Ray would replace it)."""
    import ray._private.services as services

    original = services.resolve_ip_for_localhost
    services.resolve_ip_for_localhost = lambda host: host
    try:
        yield
    finally:
        services.resolve_ip_for_localhost = original


def connect(address: str | None = None, *, num_cpus: int | None = None) -> str:
    """Connect this process to Ray: start a private local instance (`address` None or
    "local") or join the cluster at `address`. Returns what was done, for logs."""
    ray = ray_module()
    if ray.is_initialized():
        return "already connected"
    options = {"include_dashboard": False, "log_to_driver": False, "logging_level": "WARNING"}
    if address in (None, *LOCAL):
        with ray_processes_env(), loopback_nodes():
            ray.init(
                address="local",
                num_cpus=num_cpus,
                _node_ip_address="127.0.0.1",
                **options,
            )
        return "started a local Ray instance on 127.0.0.1"
    os.environ.update(RAY_ENV)
    try:
        # a cluster on this machine's loopback stays there (Ray would look for it on the
        # outward address and wait minutes for nothing); other addresses are unaffected
        with loopback_nodes():
            ray.init(
                address=address, **{k: v for k, v in options.items() if k != "include_dashboard"}
            )
    except (ConnectionError, RuntimeError, ValueError) as error:
        raise ClusterError(f"cannot connect to the Ray cluster at {address!r}: {error}") from None
    return f"joined the Ray cluster at {address}"


def quiet_data() -> None:
    """Ray Data without its progress bars and per-operator logs (Verbatim shows its own)."""
    import logging

    import ray.data

    logging.getLogger("ray.data").setLevel(logging.WARNING)
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    context.verbose_stats_logs = False
