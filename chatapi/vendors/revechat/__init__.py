"""REVE Chat REST adapter (both the legacy Basic-auth and the current auth-key generation)."""

from ._client import ReveChat

__all__ = ["ReveChat"]
