"""The sandbox cites only sections that its copy of the DEAR reference holds.

Its modules' size and import cycles are checked with the rest of ``app`` (tests/test_import_cycles.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import app.sandbox

FOLDER = Path(app.sandbox.__file__).parent


def test_every_section_the_sandbox_cites_is_in_the_copied_reference() -> None:
    doc = (FOLDER.parents[1] / "docs" / "dear-api.md").read_text(encoding="utf-8")
    sections = set(re.findall(r"^#{2,3} (\d+(?:\.\d+)?)[. ]", doc, re.MULTILINE))
    quirks = doc[doc.index("## 8. ") : doc.index("## 9. ")]
    sections |= {f"8.{n}" for n in re.findall(r"^(\d+)\. ", quirks, re.MULTILINE)}
    # every § in the sandbox refers to docs/dear-api.md, the only numbered document it cites
    cited = {
        section
        for path in FOLDER.glob("*.py")
        for section in re.findall(r"§(\d+(?:\.\d+)?)", path.read_text("utf-8"))
    }
    assert cited >= {"2", "5.1", "6", "6.2", "7", "8.6", "9"}
    assert cited - sections == set()
