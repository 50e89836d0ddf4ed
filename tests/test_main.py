"""The composition root: what reaches the user's terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_an_unreachable_host_gives_one_plain_line_without_library_noise(tmp_path: Path) -> None:
    env = dict(
        os.environ,
        DEAR_BASE_URL="http://127.0.0.1:9/ExternalApi/v2/",  # the discard port: connection refused
        DEAR_ACCOUNT_ID="account",
        DEAR_APPLICATION_KEY="not-a-real-key",
        DEAR_EXPORT_HOME=str(tmp_path / "home"),
    )
    done = subprocess.run(
        [sys.executable, "-m", "app", "export", "--endpoint", "customers", "--out", str(tmp_path / "x.xlsx")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 4
    assert "Error: Could not reach DEAR at 127.0.0.1:9." in done.stderr
    # urllib3's own retry warnings go to the log file, not to the user.
    assert "Retrying" not in done.stderr
    assert "Retrying" in (tmp_path / "home" / "logs" / "dear-export.log").read_text(encoding="utf-8")
    assert not (tmp_path / "x.xlsx").exists()


# A child process: free one large block (which raises glibc's dynamic threshold), then ask for a
# block between the default threshold and the freed one's size: is it mapped on its own?
_MAPPED_AFTER_FREE = """
import ctypes, sys
from app.main import tune_allocator

class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
                 "fordblks", "keepcost")]

libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
libc.mallinfo2.restype = MallInfo2
if sys.argv[1] == "tuned":
    assert tune_allocator()
libc.free(libc.malloc(2_000_000))
before = libc.mallinfo2().hblks
block = libc.malloc(300_000)
print(libc.mallinfo2().hblks - before)
libc.free(block)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator is Linux-only")
def test_large_blocks_are_given_back_once_the_allocator_is_tuned() -> None:
    def mapped(mode: str) -> int:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        done = subprocess.run(
            [sys.executable, "-c", _MAPPED_AFTER_FREE, mode],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return int(done.stdout)

    assert mapped("default") == 0  # glibc's own rule: served from a heap that may never shrink
    assert mapped("tuned") == 1  # mapped on its own, so freeing it returns the memory at once
