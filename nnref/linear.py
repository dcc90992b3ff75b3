"""linear (being written)."""

__all__ = []
