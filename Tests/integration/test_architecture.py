"""ARCHITECTURE.md's table of targets says what each target may import; this test reads the
table and every `import` in Sources/, so the document and the code cannot drift apart."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

#: Modules every target may use whatever the table says.
ALWAYS = {"Foundation", "Glibc", "Musl", "Darwin", "Dispatch"}

#: Short names the table uses for targets and products.
ALIASES = {
    "Core": "TiedoteCore", "Audience": "TiedoteAudience", "Render": "TiedoteRender",
    "Mail": "TiedoteMail", "Export": "TiedoteExport", "Send": "TiedoteSend", "CLI": "TiedoteCLI",
    "Site": "TiedoteSite", "Inbox": "TiedoteInbox", "Publish": "TiedotePublish", "Web": "TiedoteWeb",
    "swift-crypto": "Crypto", "ArgumentParser": "ArgumentParser",
}


def allowed_imports() -> dict[str, set[str] | None]:
    """target → the modules its row allows (None: 'everything above')."""
    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    rows: dict[str, set[str] | None] = {}
    order: list[str] = []
    for line in text.splitlines():
        m = re.match(r"^\| `([A-Za-z-]+)`(?:, `[A-Za-z]+`)* \| .* \| (.*) \|$", line)
        if not m:
            continue
        target, allowed = m.group(1), re.sub(r"\(.*?\)", "", m.group(2))
        order.append(target)
        if "everything above" in allowed:
            rows[target] = set(ALIASES.get(o, o) for o in order[:-1])
            extra = allowed.split(",")[1:]
        else:
            extra = allowed.split(",")
        names = set()
        for item in extra:
            word = item.strip().split(" ")[0].strip("`")
            if word and word != "—":
                names.add(ALIASES.get(word, word))
        rows[target] = (rows.get(target) or set()) | names
    return rows


def imports_of(target: str) -> set[str]:
    folder = REPO / "Sources" / ("TiedoteBench" if target == "tiedote-bench" else target)
    found = set()
    for path in folder.rglob("*.swift"):
        for line in path.read_text(encoding="utf-8").splitlines():
            m = re.match(r"^(?:@testable |@_implementationOnly |public |package )?import (\w+)", line)
            if m:
                found.add(m.group(1))
    return found


def test_every_target_in_package_swift_has_a_row():
    package = (REPO / "Package.swift").read_text(encoding="utf-8")
    targets = re.findall(r'\.(?:target|executableTarget|systemLibrary)\(\s*name: "([^"]+)"', package)
    rows = allowed_imports()
    missing = [t for t in targets if t not in rows and not t.startswith("C")]
    assert missing == [], f"targets without a row in ARCHITECTURE.md: {missing}"


def test_no_target_imports_what_the_document_forbids():
    rows = allowed_imports()
    assert "TiedoteCore" in rows and "TiedoteCLI" in rows, rows.keys()
    problems = []
    for target, allowed in rows.items():
        if target in ("tiedote-bench", "TiedoteTestSupport") or target.startswith("C"):
            continue
        folder = REPO / "Sources" / target
        if not folder.is_dir():
            continue
        own_c = {"CCmark", "CCurl"} & (allowed or set())
        extra = imports_of(target) - ALWAYS - (allowed or set()) - own_c
        if extra:
            problems.append(f"{target} imports {sorted(extra)}; ARCHITECTURE.md allows {sorted(allowed or [])}")
    assert problems == [], "\n".join(problems)
