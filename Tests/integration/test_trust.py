"""Trust: what a send may believe (journals), whom it may still mail (unsubscribes during a
send), what `forget` must reach (links, concurrent imports), what an --out may replace, and
how a list import reads a file of mixed encodings. Issue 10 items 5–9, the file-system errors
of item 14, and `status` after `forget` (issue 14).

Every test here failed on the code before the fix it covers.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import stat
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

JOURNAL = "Sent/2026-12--members.journal"


def outbox_files(workspace) -> list[Path]:
    folder = workspace.root / "out" / "outbox" / "new"
    return sorted(folder.iterdir()) if folder.exists() else []


def send_outbox(workspace, month: str = "2026-12"):
    return workspace.run("send", month, "--list", "members", "--transport", "outbox")


def no_foundation_dump(text: str) -> bool:
    return "NSCocoaErrorDomain" not in text and "Error Domain" not in text


# --- item 5: a journal from another month or list -------------------------------------------

def test_journal_names_its_issue_and_list_and_a_copied_one_is_refused(workspace):
    first = send_outbox(workspace)
    assert first.returncode == 0, first.stderr
    header = workspace.read(JOURNAL).splitlines()[0]
    assert "2026-12" in header and "members" in header, header
    sent_before = len(outbox_files(workspace))

    shutil.copy(workspace.root / JOURNAL, workspace.root / "Sent/2027-01--members.journal")
    result = send_outbox(workspace, "2027-01")
    assert result.returncode == 1
    assert "Sent/2027-01--members.journal:1:1: error:" in result.stderr, result.stderr
    assert "issue 2026-12" in result.stderr and "copied or renamed" in result.stderr
    assert len(outbox_files(workspace)) == sent_before, "nothing may be sent on a foreign journal"

    status = workspace.run("status", "2027-01", "--list", "members")
    assert status.returncode == 1 and "Sent/2027-01--members.journal:1:1" in status.stderr


def test_journal_of_another_list_is_refused(workspace):
    assert send_outbox(workspace).returncode == 0
    members = workspace.read("Lists/members.csv")
    (workspace.root / "Lists/others.csv").write_text(members, encoding="utf-8")
    shutil.copy(workspace.root / JOURNAL, workspace.root / "Sent/2026-12--others.journal")
    result = workspace.run("send", "2026-12", "--list", "others", "--transport", "outbox")
    assert result.returncode == 1
    assert "list members" in result.stderr and "Sent/2026-12--others.journal" in result.stderr


def test_a_legacy_journal_stays_readable_and_a_copied_one_is_caught_by_its_message_ids(workspace):
    assert send_outbox(workspace).returncode == 0
    path = workspace.root / JOURNAL
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    # The first line as journals had it before it named the issue and list.
    legacy = ["# tiedote delivery journal: one line per recipient and change of state\n"] + lines[1:]
    path.write_text("".join(legacy), encoding="utf-8")

    status = workspace.run("status", "2026-12", "--list", "members")
    assert status.returncode == 0, status.stderr
    assert "sent        39" in status.stdout
    again = send_outbox(workspace)
    assert again.returncode == 0 and "39 earlier" in again.stdout, again.stdout + again.stderr

    (workspace.root / "Sent/2027-01--members.journal").write_text("".join(legacy), encoding="utf-8")
    result = send_outbox(workspace, "2027-01")
    assert result.returncode == 1
    assert "Sent/2027-01--members.journal:2:1: error:" in result.stderr, result.stderr
    assert "2026-12.members." in result.stderr


# --- item 6: unsubscribing during a send ----------------------------------------------------

def test_unsubscribe_during_a_slow_send_is_honoured(workspace, smtp_server):
    server = smtp_server()
    rows = [{"email": f"lukija{i}@example.fi", "name": f"Lukija {i}"} for i in range(1, 7)]
    workspace.write_list("members", rows)
    workspace.set_smtp(server.url, connections=1)

    # The relay holds the first message at its end of DATA until the test lets it go.
    arrived, release = server.hold_messages()
    send = workspace.popen("send", "2026-12", "--list", "members")
    try:
        assert arrived.wait(120), "the send never reached the relay"
        unsubscribed = workspace.run("unsubscribe", "lukija5@example.fi")
        assert unsubscribed.returncode == 0, unsubscribed.stderr
    finally:
        release.set()
    out, err = send.communicate(timeout=300)
    assert send.returncode == 0, out + err

    received = server.received_by()
    assert "lukija5@example.fi" not in received, "unsubscribed during the send, and still mailed"
    assert sorted(received) == [f"lukija{i}@example.fi" for i in (1, 2, 3, 4, 6)]
    assert "suppressed during the send: 1" in out and "lukija5@example.fi" in out, out

    status = workspace.run("status", "2026-12", "--list", "members")
    assert "pending     0" in status.stdout and "failed      0" in status.stdout, status.stdout
    rerun = workspace.run("send", "2026-12", "--list", "members")
    assert rerun.returncode == 0 and "lukija5@example.fi" not in server.received_by()


# --- item 7: forget, links and races ----------------------------------------------------------

ADDRESS = "aino.makela@example.fi"


def test_forget_refuses_a_linked_list_file_instead_of_missing_it(workspace, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / "members.csv"
    shutil.move(workspace.root / "Lists/members.csv", target)
    (workspace.root / "Lists/members.csv").symlink_to(target)
    assert ADDRESS in target.read_text(encoding="utf-8")

    result = workspace.run("forget", ADDRESS)
    assert result.returncode == 1, result.stdout
    assert "Lists/members.csv:1:1: error: this is a symbolic link" in result.stderr, result.stderr
    assert "Forgotten" not in result.stdout
    for command in (["unsubscribe", ADDRESS], ["lists", "import", str(target), "--list", "members"]):
        refused = workspace.run(*command)
        assert refused.returncode == 1 and "symbolic link" in refused.stderr, (command, refused.stderr)
    check = workspace.run("check")
    assert check.returncode == 1 and "Lists/members.csv:1:1: error: this is a symbolic link" in check.stderr


def test_forget_refuses_a_linked_sent_folder_instead_of_leaving_the_address_in_it(workspace, tmp_path):
    assert send_outbox(workspace).returncode == 0
    shutil.rmtree(workspace.root / "out")
    target = tmp_path / "sent-elsewhere"
    shutil.move(workspace.root / "Sent", target)
    (workspace.root / "Sent").symlink_to(target)

    result = workspace.run("forget", ADDRESS)
    journal = (target / "2026-12--members.journal").read_text(encoding="utf-8")
    assert not (result.returncode == 0 and ADDRESS in journal), "said forgotten, kept the address in the journal"
    assert result.returncode == 1 and "Sent:1:1: error: this is a symbolic link" in result.stderr, result.stderr
    send = send_outbox(workspace)
    assert send.returncode == 1 and "symbolic link" in send.stderr


def test_forget_and_import_at_the_same_time_never_bring_the_address_back(workspace, tmp_path):
    # A long list makes the import's read-merge-write window wide, as in the field.
    rows = [{"email": f"jasen{i}@example.fi", "name": f"Jäsen {i}"} for i in range(2000)]
    victim = {"email": "poistettava@example.fi", "name": "Poistettava Henkilö"}
    incoming = tmp_path / "incoming.csv"
    incoming.write_text("sähköposti;nimi\npoistettava@example.fi;Poistettava Henkilö\nuusi@example.fi;Uusi\n",
                        encoding="utf-8")
    back = []
    for round_number in range(25):
        workspace.write_list("members", rows + [victim])
        with ThreadPoolExecutor(2) as pool:
            forget = pool.submit(workspace.run, "forget", victim["email"])
            time.sleep(0.002 * (round_number % 5))
            imported = pool.submit(workspace.run, "lists", "import", str(incoming), "--list", "members")
            forget, imported = forget.result(), imported.result()
        assert forget.returncode == 0, forget.stderr
        assert imported.returncode == 0, imported.stderr
        if victim["email"] in workspace.read("Lists/members.csv"):
            back.append(round_number)
    assert back == [], f"the forgotten address came back in rounds {back}"


# --- item 8: --out and what it may replace ----------------------------------------------------

def test_reach_out_never_replaces_a_users_file_without_force(workspace):
    members = workspace.read("Lists/members.csv")
    settings = workspace.read("tiedote.yml")
    for target in ("Lists/members.csv", "tiedote.yml"):
        result = workspace.run("reach", "--format", "csv", "--out", str(workspace.root / target))
        assert result.returncode == 1, result.stdout
        assert "already exists" in result.stderr and "--force" in result.stderr, result.stderr
    assert workspace.read("Lists/members.csv") == members
    assert workspace.read("tiedote.yml") == settings

    mine = workspace.root.parent / "reach.csv"
    mine.write_text("old\n", encoding="utf-8")
    assert workspace.run("reach", "--format", "csv", "--out", str(mine)).returncode == 1
    forced = workspace.run("reach", "--format", "csv", "--out", str(mine), "--force")
    assert forced.returncode == 0, forced.stderr
    assert mine.read_text(encoding="utf-8") != "old\n"
    # Its own output under out/ it replaces freely.
    for _ in range(2):
        assert workspace.run("reach", "--format", "svg").returncode == 0


def test_out_never_replaces_a_device_even_with_force(workspace, tmp_path):
    # A device node of our own (the same as /dev/full), so a failing run harms nothing shared.
    device = tmp_path / "full"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    except PermissionError:
        pytest.skip("cannot make a device node here (not root)")
    for extra in ([], ["--force"]):
        result = workspace.run("reach", "--format", "csv", "--out", str(device), *extra)
        assert result.returncode == 1, result.stdout
        assert "a device, not a regular file" in result.stderr, result.stderr
        assert stat.S_ISCHR(os.lstat(device).st_mode), "the device was replaced by a file"
    fifo = tmp_path / "pipe.ics"
    os.mkfifo(fifo)
    result = workspace.run("export", "ical", "--month", "2026-12", "--out", str(fifo), "--force")
    assert result.returncode == 1 and "a pipe, not a regular file" in result.stderr, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_export_out_refuses_an_existing_file_outside_out(workspace, tmp_path):
    target = tmp_path / "kalenteri.ics"
    target.write_text("mine\n", encoding="utf-8")
    result = workspace.run("export", "ical", "--month", "2026-12", "--out", str(target))
    assert result.returncode == 1 and "--force" in result.stderr, result.stderr
    assert target.read_text(encoding="utf-8") == "mine\n"
    assert workspace.run("export", "ical", "--month", "2026-12", "--out", str(target), "--force").returncode == 0
    assert target.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")


def test_compose_out_naming_a_file_says_so_in_words(workspace, tmp_path):
    existing = tmp_path / "existing"
    existing.write_text("mine\n", encoding="utf-8")
    result = workspace.run("compose", "2026-12", "--out", str(existing))
    assert result.returncode == 1
    assert no_foundation_dump(result.stderr), result.stderr
    assert f"{existing}:1:1: error: --out names a file, not a folder" in result.stderr, result.stderr
    assert existing.read_text(encoding="utf-8") == "mine\n"

    under_file = existing / "sub"
    result = workspace.run("compose", "2026-12", "--out", str(under_file))
    assert result.returncode == 1 and no_foundation_dump(result.stderr), result.stderr
    assert "a file is in the way" in result.stderr, result.stderr


# --- item 9: mixed encodings ------------------------------------------------------------------

def test_import_of_utf8_with_a_stray_byte_names_each_bad_byte(workspace, tmp_path):
    before = workspace.read("Lists/members.csv")
    lines = ["sähköposti;nimi;kunta",
             "outi.aaltonen@example.fi;Outi Äijälä;Jyväskylä",
             "pekka.nieminen@example.fi;Pekka Ny\xffström;Jämsä",
             "sari.koski@example.fi;Sari Öhman;Äänekoski",
             "tuula.vaara@example.fi;Tuula V\xfe;Laukaa"]
    data = "\n".join(lines).encode("utf-8") + b"\n"
    # Turn the two stand-in characters into raw bytes that are not UTF-8.
    data = data.replace("\xff".encode("utf-8"), b"\xff").replace("\xfe".encode("utf-8"), b"\xfe")
    source = tmp_path / "jasenet.csv"
    source.write_bytes(data)

    result = workspace.run("lists", "import", str(source), "--list", "members")
    assert result.returncode == 1, result.stdout
    assert f"{source}:3:35: error: the byte 0xFF is not UTF-8" in result.stderr, result.stderr
    assert f"{source}:5:31: error: the byte 0xFE is not UTF-8" in result.stderr, result.stderr
    assert workspace.read("Lists/members.csv") == before

    # A file that is Windows-1252 throughout is still read as such.
    source.write_bytes("\n".join(lines[:2] + lines[3:4]).replace("\xff", "").encode("cp1252") + b"\n")
    result = workspace.run("lists", "import", str(source), "--list", "members")
    assert result.returncode == 0, result.stderr
    assert "Windows-1252" in result.stdout and "Outi Äijälä" in workspace.read("Lists/members.csv")


# --- item 14: file-system errors in words, no partial output ----------------------------------

def test_a_journal_that_is_a_folder_is_said_in_words(workspace):
    (workspace.root / JOURNAL).mkdir(parents=True)
    for command in (["send", "2026-12", "--list", "members", "--transport", "outbox"],
                    ["status", "2026-12", "--list", "members"]):
        result = workspace.run(*command)
        assert result.returncode == 1
        assert no_foundation_dump(result.stderr), result.stderr
        assert f"{JOURNAL}:1:1: error: the journal is a folder" in result.stderr, result.stderr
    assert not outbox_files(workspace)


def test_an_unwritable_workspace_is_said_in_words(workspace):
    # Root ignores file modes, so "cannot write here" is made with a file where a folder must be.
    (workspace.root / "out").write_text("", encoding="utf-8")
    result = workspace.run("compose", "2026-12")
    assert result.returncode == 1 and no_foundation_dump(result.stderr), result.stderr
    assert "out:1:1: error: cannot create the folder for" in result.stderr and "a file is in the way" in result.stderr

    result = send_outbox(workspace)
    assert result.returncode == 1 and no_foundation_dump(result.stderr), result.stderr
    assert "cannot create the outbox" in result.stderr and "a file is in the way" in result.stderr, result.stderr

    shutil.rmtree(workspace.root / "Sent")
    (workspace.root / "Sent").write_text("", encoding="utf-8")
    result = send_outbox(workspace)
    assert result.returncode == 1 and no_foundation_dump(result.stderr), result.stderr
    assert "a file is in the way" in result.stderr, result.stderr

    # Any file error no step words itself is still said in words, with its path.
    shutil.rmtree(workspace.root / "Lists")
    (workspace.root / "Lists").write_text("", encoding="utf-8")
    result = workspace.run("lists", "stats")
    assert result.returncode == 1 and no_foundation_dump(result.stderr), result.stderr
    assert "Lists:1:1: error: cannot read the file: Not a directory" in result.stderr, result.stderr


@pytest.fixture
def small_disk(tmp_path):
    """A folder on a 160 KB tmpfs (a full disk); skipped where mounting is not allowed."""
    mount = tmp_path / "small"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=160k", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def test_compose_on_a_full_disk_leaves_no_partial_files(workspace, small_disk):
    # Most of the small disk filled, so the four files cannot all fit.
    (small_disk / "filler").write_bytes(b"x" * (160 * 1024 - 40 * 1024))
    folder = small_disk / "2026-12"
    result = workspace.run("compose", "2026-12", "--out", str(folder))
    assert result.returncode == 1, result.stdout
    assert no_foundation_dump(result.stderr), result.stderr
    assert "No space left on device" in result.stderr and "nothing was written" in result.stderr, result.stderr
    left = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    assert left == [], f"partial output left behind: {left}"


# --- issue 14: status after forget -----------------------------------------------------------

def test_status_after_forget_does_not_count_the_erased_address_as_sent(workspace):
    assert send_outbox(workspace).returncode == 0
    forgotten = workspace.run("forget", ADDRESS)
    assert forgotten.returncode == 0, forgotten.stderr
    assert ADDRESS not in workspace.read(JOURNAL)
    status = workspace.run("status", "2026-12", "--list", "members")
    assert status.returncode == 0, status.stderr
    assert "recipients  38" in status.stdout and "sent        38" in status.stdout, status.stdout
