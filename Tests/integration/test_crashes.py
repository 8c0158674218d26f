"""No input and no broken output may crash the CLI (issue 10, items 10–12).

Every run here is a subprocess: a stack overflow or a trap shows up as a signal exit
(a negative return code) instead of taking the test runner down with it.
"""

from __future__ import annotations

import os
import re
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

MONTH = "2026-12"
#: A generous bound on one run, so a regression hangs no CI job: never a timing assertion.
HANG_GUARD = 600
POSITIONED_ERROR = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<column>\d+): error: (?P<message>.*)$", re.M)


def people(count: int) -> list[dict]:
    return [{"email": f"jasen{i}@example.fi", "name": f"Jäsen {i}"} for i in range(count)]


@contextmanager
def sink(kind: str):
    """A file descriptor that refuses writes: a pipe whose reader is gone, or a full disk."""
    if kind == "closed-pipe":
        read_end, write_end = os.pipe()
        os.close(read_end)
        try:
            yield write_end
        finally:
            os.close(write_end)
    else:
        fd = os.open("/dev/full", os.O_WRONLY)
        try:
            yield fd
        finally:
            os.close(fd)


def run_into(workspace, args: list[str], *, stdout, stderr) -> subprocess.CompletedProcess:
    """Runs the CLI with its output streams going where the caller says."""
    return subprocess.run([str(workspace.bin), *args, "--workspace", str(workspace.root)],
                          env=workspace.env(None), stdout=stdout, stderr=stderr,
                          timeout=HANG_GUARD)


def assert_no_crash(result: subprocess.CompletedProcess) -> None:
    assert result.returncode >= 0, f"killed by signal {-result.returncode}"
    # Swift traps end in SIGILL/SIGTRAP; through a shell they show as 132/133.
    assert result.returncode not in (132, 133, 134, 139), f"exit {result.returncode}"
    for stream in (result.stdout, result.stderr):
        if isinstance(stream, (bytes, str)) and stream:
            text = stream.decode(errors="replace") if isinstance(stream, bytes) else stream
            assert "Fatal error" not in text, text[-2000:]


def status_counts(output: str) -> dict[str, int]:
    return {m.group(1): int(m.group(2))
            for m in re.finditer(r"^(recipients|sent|failed|pending|uncertain)\s+(\d+)$", output, re.M)}


# --- item 10: a closed pipe or a full disk stops console output, never the command ----------

COMMANDS = {
    "check": ["check"],
    "rotation": ["rotation"],
    "dry-run": ["send", MONTH, "--list", "members", "--dry-run"],
    "status": ["status", MONTH, "--list", "members"],
}


@pytest.mark.parametrize("kind", ["closed-pipe", "dev-full"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_stdout_that_refuses_writes_does_not_crash(workspace, command, kind):
    workspace.write_list("members", people(3))
    with sink(kind) as fd:
        result = run_into(workspace, COMMANDS[command], stdout=fd, stderr=subprocess.PIPE)
    assert_no_crash(result)
    assert result.returncode == 0, result.stderr.decode(errors="replace")


@pytest.mark.parametrize("kind", ["closed-pipe", "dev-full"])
@pytest.mark.parametrize("command", ["check", "status"])
def test_stderr_that_refuses_writes_does_not_crash(workspace, command, kind):
    """Errors go to stderr: with stderr gone the exit status still says what happened."""
    event = workspace.root / "Events" / "2026-12-09-verkkokahvit-apurahat.md"
    event.write_text(event.read_text(encoding="utf-8").replace("venue: Teams", "venue: Teams\nunknown_key: 1"),
                     encoding="utf-8")
    with sink(kind) as fd:
        result = run_into(workspace, COMMANDS[command], stdout=subprocess.PIPE, stderr=fd)
    assert_no_crash(result)
    assert result.returncode == 1


@pytest.mark.parametrize("kind", ["closed-pipe", "dev-full"])
def test_a_real_send_with_both_streams_gone_delivers_everyone(workspace, kind):
    count = 7
    workspace.write_list("members", people(count))
    with sink(kind) as out, sink(kind) as err:
        result = run_into(workspace, ["send", MONTH, "--list", "members", "--verbose"], stdout=out, stderr=err)
    assert_no_crash(result)
    assert result.returncode == 0, "the journal is complete, so the send succeeded"

    delivered = list((workspace.root / "out" / "outbox" / "new").iterdir())
    assert len(delivered) == count
    status = workspace.run("status", MONTH, "--list", "members")
    assert status.returncode == 0, status.stderr
    counts = status_counts(status.stdout)
    assert counts["recipients"] == count
    assert counts["sent"] == count
    assert counts["pending"] == 0 and counts["failed"] == 0 and counts["uncertain"] == 0


def test_a_send_piped_into_true_through_a_shell(workspace):
    """The issue's own reproduction: `tiedote send … | true`."""
    workspace.write_list("members", people(4))
    command = (f"'{workspace.bin}' send {MONTH} --list members --workspace '{workspace.root}' | true; "
               "echo \"status=${PIPESTATUS[0]}\" >&2")
    result = subprocess.run(["bash", "-c", command], env=workspace.env(None), capture_output=True, text=True,
                            timeout=HANG_GUARD)
    assert "status=0" in result.stderr, result.stderr
    assert "Fatal error" not in result.stderr
    assert len(list((workspace.root / "out" / "outbox" / "new").iterdir())) == 4


# --- item 11: deep nesting is a positioned error, never a stack overflow ---------------------

DEEP_EVENT = "Events/2026-12-20-syvalle.md"


def add_event(workspace, body: str) -> None:
    """A December event whose description is `body` (front matter of 13 lines before it)."""
    (workspace.root / DEEP_EVENT).write_text(
        "---\n"
        'title: "Syvälle sisäkkäin"\n'
        "start: 2026-12-20T10:00\n"
        "venue: Teams\n"
        "municipality: verkossa\n"
        "category: Seminaarit ja keskustelut\n"
        'short: "Lyhyt kuvaus."\n'
        "status: scheduled\n"
        "---\n"
        "Ensimmäinen kappale.\n"
        "\n" + body + "\n",
        encoding="utf-8")


def positioned_errors(stderr: str, path: str) -> list[re.Match]:
    """The `PATH:LINE:COLUMN: error:` lines about `path` (printed under the workspace's folder)."""
    return [m for m in POSITIONED_ERROR.finditer(stderr) if m["path"].endswith("/" + path) or m["path"] == path]


DEEP_MARKDOWN = {
    "block quotes": ">" * 25_000 + " syvällä",
    "spaced block quotes": "> " * 25_000 + "syvällä",
    "list markers": "- " * 50_000 + "syvällä",
    "ordered list markers": "1. " * 30_000 + "syvällä",
    "emphasis": "*" * 30_000 + "syvällä" + "*" * 30_000,
    "images": "![" * 5_000 + "syvällä" + "](https://example.fi/k.jpg)" * 5_000,
    "indented lists": "\n".join("  " * depth + "- taso" for depth in range(3_000)),
}

NESTING_COMMANDS = {
    "check": ["check"],
    "compose": ["compose", MONTH, "--out", "OUT"],
    "export ical": ["export", "ical", "--month", MONTH, "--out", "OUT/tapahtumat.ics"],
    "send --dry-run": ["send", MONTH, "--list", "members", "--dry-run"],
}


@pytest.mark.parametrize("shape", sorted(DEEP_MARKDOWN))
def test_deep_markdown_in_an_event_is_a_positioned_error_in_check(workspace, shape):
    add_event(workspace, DEEP_MARKDOWN[shape])
    result = workspace.run("check", timeout=HANG_GUARD)
    assert_no_crash(result)
    assert result.returncode == 1
    errors = positioned_errors(result.stderr, DEEP_EVENT)
    assert errors, result.stderr[-2000:]
    assert int(errors[0]["line"]) >= 12, "the position is in the description, after the front matter"
    assert "deeper than 100 levels" in errors[0]["message"]


@pytest.mark.parametrize("command", sorted(NESTING_COMMANDS))
def test_deep_block_quotes_stop_every_command_with_the_events_position(workspace, tmp_path, command):
    workspace.write_list("members", people(2))
    add_event(workspace, "Toinen kappale.\n\n" + ">" * 25_000 + " syvällä")
    args = [a.replace("OUT", str(tmp_path / "out")) for a in NESTING_COMMANDS[command]]
    result = workspace.run(*args, timeout=HANG_GUARD)
    assert_no_crash(result)
    assert result.returncode == 1
    errors = positioned_errors(result.stderr, DEEP_EVENT)
    assert errors, result.stderr[-2000:]
    # Line 12 of the file: 9 lines of front matter, the first paragraph, a blank, the second
    # paragraph, a blank: the quotes start on line 14; the 101st '>' is at column 101.
    assert (int(errors[0]["line"]), int(errors[0]["column"])) == (14, 101)


def test_moderate_nesting_still_renders(workspace, tmp_path):
    add_event(workspace, ">" * 20 + " kaksikymmentä lainausta\n\n" + "- " * 20 + "kaksikymmentä listaa")
    result = workspace.run("compose", MONTH, "--out", str(tmp_path / "out"), timeout=HANG_GUARD)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "out" / "newsletter.txt").read_text(encoding="utf-8")
    assert "kaksikymmentä lainausta" in text and "kaksikymmentä listaa" in text


def test_deep_markdown_in_the_issue_text_is_a_positioned_error(workspace, tmp_path):
    issue = workspace.root / "Issues" / f"{MONTH}.md"
    lines_before = issue.read_text(encoding="utf-8").rstrip("\n").count("\n") + 1
    workspace.append_issue_text(MONTH, "- " * 50_000 + "syvällä")
    result = workspace.run("compose", MONTH, "--out", str(tmp_path / "out"), timeout=HANG_GUARD)
    assert_no_crash(result)
    assert result.returncode == 1
    errors = positioned_errors(result.stderr, f"Issues/{MONTH}.md")
    assert errors, result.stderr[-2000:]
    assert int(errors[0]["line"]) == lines_before + 2


def test_deep_markdown_in_the_template_is_a_positioned_error(workspace):
    template = workspace.root / "Templates" / "newsletter.md"
    template.write_text(template.read_text(encoding="utf-8") + "\n" + "> " * 25_000 + "syvällä\n", encoding="utf-8")
    result = workspace.run("check", timeout=HANG_GUARD)
    assert_no_crash(result)
    assert result.returncode == 1
    errors = positioned_errors(result.stderr, "Templates/newsletter.md")
    assert errors and "deeper than 100 levels" in errors[0]["message"], result.stderr[-2000:]


@pytest.mark.parametrize("depth", [40_000, 20_000])
def test_deeply_nested_template_sections_are_a_positioned_error(workspace, depth):
    template = workspace.root / "Templates" / "newsletter.md"
    template.write_text("{{#has_events}}" * depth + "x" + "{{/has_events}}" * depth + "\n", encoding="utf-8")
    result = workspace.run("check", timeout=HANG_GUARD)
    assert_no_crash(result)
    assert result.returncode == 1
    errors = positioned_errors(result.stderr, "Templates/newsletter.md")
    assert errors, result.stderr[-2000:]
    # The 101st opening tag is the one too many: 15 characters each.
    assert (int(errors[0]["line"]), int(errors[0]["column"])) == (1, 100 * 15 + 1)
    assert "deeper than 100 levels" in errors[0]["message"]


# --- item 12: nested list sections cannot make check (or compose) run for ever ----------------

def test_nested_list_sections_end_with_a_positioned_error(workspace, tmp_path):
    template = workspace.root / "Templates" / "newsletter.md"
    template.write_text("{{#events}}\n" * 12 + "{{title}}\n" + "{{/events}}\n" * 12, encoding="utf-8")
    for args in (["check"], ["compose", MONTH, "--out", str(tmp_path / "out")]):
        result = workspace.run(*args, timeout=HANG_GUARD)
        assert_no_crash(result)
        assert result.returncode == 1, result.stdout
        errors = positioned_errors(result.stderr, "Templates/newsletter.md")
        assert errors, result.stderr[-2000:]
        assert "nested list sections" in errors[0]["message"]


def test_two_nested_list_sections_are_still_fine(workspace, tmp_path):
    """Each event beside every other: 49 pairs for December's 7 events, well within bounds."""
    template = workspace.root / "Templates" / "newsletter.md"
    template.write_text("{{#events}}{{#events}}{{title}}; {{/events}}\n{{/events}}", encoding="utf-8")
    result = workspace.run("compose", MONTH, "--out", str(tmp_path / "out"), timeout=HANG_GUARD)
    assert result.returncode == 0, result.stderr


def test_nesting_that_only_the_merge_makes_too_deep_names_the_template(workspace, tmp_path):
    """60 quotes in the template around 60 in a description: each file is fine, the merge is not."""
    template = workspace.root / "Templates" / "newsletter.md"
    template.write_text("{{#events}}\n" + "> " * 60 + "{{{description}}}\n\n{{/events}}\n", encoding="utf-8")
    add_event(workspace, "> " * 60 + "syvällä")
    (workspace.root / DEEP_EVENT).write_text(
        (workspace.root / DEEP_EVENT).read_text(encoding="utf-8").replace("Ensimmäinen kappale.\n\n", ""),
        encoding="utf-8")
    check = workspace.run("check", timeout=HANG_GUARD)
    assert_no_crash(check)
    assert not positioned_errors(check.stderr, DEEP_EVENT), "the description alone nests 60 deep: fine"
    result = workspace.run("compose", MONTH, "--out", str(tmp_path / "out"), timeout=HANG_GUARD)
    assert_no_crash(result)
    assert result.returncode == 1
    errors = positioned_errors(result.stderr, "Templates/newsletter.md")
    assert errors and "merged newsletter nests deeper than 100 levels" in errors[0]["message"], result.stderr
