"""Serving one index from several processes: Ray Serve replicas behind the UI and API.

`verbatim serve --replicas N` starts N replicas of `AssistantReplica` (each memory-maps the same
index and loads the model once) and serves the chat UI and the JSON API from a front process
whose `ReplicatedAssistant` answers questions through them. The front keeps the index's light
facts (documents, speakers) to itself; every question goes to a replica. No Ray Serve HTTP
proxy is started: the front talks to the replicas through deployment handles, and only the front
listens for users (on 127.0.0.1 unless told otherwise).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.answers import Answer
from assistant.api import Assistant
from assistant.cluster import connect, ray_module

APP = "verbatim"


class AssistantReplica:
    """One replica: an `Assistant` over the index, answering with plain data."""

    def __init__(self, index_dir: str) -> None:
        self.assistant = Assistant.load(index_dir)

    def ask(self, question: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        try:
            return {"answer": self.assistant.ask(question, **kwargs).to_dict()}
        except ValueError as error:  # bad input: the front raises it as asking here would
            return {"error": str(error)}


def start_replicas(index_dir: Path, replicas: int, *, address: str | None = None) -> Any:
    """Start `replicas` replicas over `index_dir` (Ray Serve, no HTTP proxy); their handle."""
    if replicas < 1:
        raise ValueError(f"--replicas must be at least 1, got {replicas}")
    connect(address)
    ray_module()
    from ray import serve

    serve.start(proxy_location="Disabled", logging_config={"log_level": "WARNING"})
    deployment = serve.deployment(
        AssistantReplica,
        name="AssistantReplica",
        num_replicas=replicas,
        max_ongoing_requests=8,
        ray_actor_options={"num_cpus": 0},
    )
    return serve.run(deployment.bind(str(index_dir)), name=APP, route_prefix=None)


class ReplicatedAssistant(Assistant):
    """An `Assistant` whose questions (`ask`) are answered by replicas; the rest (documents,
    speakers, texts, staleness, and the other capabilities) is answered here, from the same
    index."""

    def __init__(self, assistant: Assistant, handle: Any) -> None:
        super().__init__(assistant.index, assistant.model, assistant.retriever.config)
        self.handle = handle

    def ask(self, question: str, k: int = 5, **kwargs: Any) -> Answer:  # type: ignore[override]
        data = self.handle.ask.remote(question, {"k": k, **kwargs}).result()
        if "error" in data:
            raise ValueError(data["error"])
        return Answer.from_dict(data["answer"])


def stop_replicas() -> None:
    from ray import serve

    serve.delete(APP)
