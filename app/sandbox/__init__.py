"""A simulated DEAR Inventory account served over real HTTP on loopback (stdlib only).

Used by tests, benchmarks, the demo mode and ``python -m app sandbox``::

    from app.sandbox import Sandbox, SandboxConfig

    with Sandbox(SandboxConfig(seed=1, rate_limit=None)) as sb:
        ...  # call sb.base_url + "saleList" with sb.headers

Test hooks: ``sb.dataset`` (``sales``, ``products``, ``customers``, ... as lazy row lists,
``sale_detail(id)``, ``purchase_detail(id)``); ``sb.inject(kind, count=1, path=None)`` with kinds
``500``, ``drop``, ``html502``, ``html200``, ``truncated``, ``throttle``; ``sb.call_counts()`` (per
lower-case path, plus ``_throttled``, ``_faults``, ``_total``); ``sb.touch/void/deprecate``;
``sb.delete(kind, id)`` (the record leaves its list; its detail answers 400 "... not found");
``sb.configure(...)`` (``drift_rows=N`` makes lists move while they are read). Another process can use
``GET /_sandbox/stats`` and ``POST /_sandbox/{touch,void,deprecate,delete,inject,reset,configure}``
with a JSON body.

Facts about DEAR that the sandbox imitates are in docs/dear-api.md (section numbers cited in the code).
"""

from app.sandbox.config import SIZES, SandboxConfig, parse_rate_limit
from app.sandbox.dataset import Dataset
from app.sandbox.faults import FAULT_KINDS, INJECTABLE, throttle_message
from app.sandbox.refbooks import COMPANY
from app.sandbox.server import Sandbox

__all__ = [
    "COMPANY",
    "FAULT_KINDS",
    "INJECTABLE",
    "SIZES",
    "Dataset",
    "Sandbox",
    "SandboxConfig",
    "parse_rate_limit",
    "throttle_message",
]
