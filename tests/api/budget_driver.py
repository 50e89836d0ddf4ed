"""A second program on the same key: ``python budget_driver.py BASE_URL ACCOUNT KEY CALLS SECONDS N``.

Makes N ``me`` calls through an ordinary DearClient (so through the key's shared governor,
whose ledger lives under DEAR_EXPORT_HOME) and prints one JSON line with its figures.
It prints ``started`` once its first call has been answered, so a test can kill it mid-run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.api import DearClient
from app.models import CancelToken, Connection, RateLimit


def main(argv: list[str]) -> None:
    base_url, account, key, calls, seconds, count = argv
    limit = RateLimit(int(calls), float(seconds))
    conn = Connection("Driver", account, key, base_url=base_url, rate_limit=limit)
    with DearClient(conn) as client:
        assert client.governor.shared, "the driver must use the shared ledger"

        def one(index: int, token: CancelToken) -> int:
            client.get("me", cancel=token)
            if index == 0:
                print("started", flush=True)
            return index

        done = sum(1 for _ in client.map_ordered(one, range(int(count)), None))
        stats = client.stats
    print(json.dumps({"done": done, "calls": stats.calls, "throttled": stats.throttled}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
