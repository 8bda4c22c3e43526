"""Model providers: the protocol, the registry and the built-in providers."""

from cadenza.providers.base import (
    Completion,
    CompletionRequest,
    Message,
    Model,
    ModelInfo,
    Progress,
    Usage,
)
from cadenza.providers.registry import resolve

__all__ = [
    "Completion",
    "CompletionRequest",
    "Message",
    "Model",
    "ModelInfo",
    "Progress",
    "Usage",
    "resolve",
]
