"""Text embedding models and FAISS vector indexes. Knows nothing of transcripts."""

from embeddings.cache import content_hash
from embeddings.models import (
    DEFAULT_MODEL,
    ENCODERS,
    EmbeddingModel,
    HashingModel,
    ModelUnavailableError,
    SentenceTransformerModel,
    default_encoder,
    encoder_of,
    load_model,
    model_name,
)
from embeddings.vectors import CompactIndex, VectorIndex

__all__ = [
    "DEFAULT_MODEL",
    "ENCODERS",
    "CompactIndex",
    "EmbeddingModel",
    "HashingModel",
    "ModelUnavailableError",
    "SentenceTransformerModel",
    "VectorIndex",
    "content_hash",
    "default_encoder",
    "encoder_of",
    "load_model",
    "model_name",
]
