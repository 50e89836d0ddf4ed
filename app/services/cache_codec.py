"""How the cache stores a detail document: compact JSON, compressed, with decimals kept as decimals."""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from app.models import JsonDict

__all__ = ["decode_document", "encode_document"]

_DECIMAL_TAG = "\x00decimal"
_DECIMAL_MARK = json.dumps(_DECIMAL_TAG)  # how the tag looks inside stored JSON text


def encode_document(document: Mapping[str, Any]) -> bytes:
    """JSON, compressed; Decimal values survive as Decimals."""
    text = json.dumps(document, default=_encode_special, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8"), 1)


def decode_document(blob: bytes) -> JsonDict:
    """Return the document :func:`encode_document` stored."""
    text = zlib.decompress(blob).decode("utf-8")
    # why: a per-object hook makes decoding several times slower; only tagged documents need it
    hook = _decode_special if _DECIMAL_MARK in text else None
    value = json.loads(text, object_hook=hook)
    if not isinstance(value, dict):
        raise ValueError("A cached document is not a JSON object.")
    return value


def _encode_special(value: object) -> object:
    if isinstance(value, Decimal):
        return {_DECIMAL_TAG: str(value)}
    raise TypeError(f"Cannot store a {type(value).__name__} in the cache.")


def _decode_special(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and _DECIMAL_TAG in obj:
        return Decimal(obj[_DECIMAL_TAG])
    return obj
