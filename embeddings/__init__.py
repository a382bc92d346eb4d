"""Text embedding models and FAISS vector indexes. Knows nothing of transcripts."""

from embeddings.cache import content_hash
from embeddings.models import (
    DEFAULT_MODEL,
    EmbeddingModel,
    HashingModel,
    ModelUnavailableError,
    SentenceTransformerModel,
    load_model,
)
from embeddings.vectors import VectorIndex

__all__ = [
    "DEFAULT_MODEL",
    "EmbeddingModel",
    "HashingModel",
    "ModelUnavailableError",
    "SentenceTransformerModel",
    "VectorIndex",
    "content_hash",
    "load_model",
]
