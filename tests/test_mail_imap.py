"""officebot mail with [mail] imap_host: drafts into a real Dovecot's Drafts folder on loopback."""

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time

import pytest
from click.testing import CliRunner

from conftest import need_tool
from mailfixtures import AS_OF, SETTINGS, cases, folder_with, free_port, letter_bytes, parse
from officebot.cli import cli

CONF = """\
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{mail}/%u
first_valid_uid = 1
default_internal_user = {internal}
default_login_user = {login}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
passdb {{
  driver = static
  args = password=geheim
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={mail}/%u
}}
namespace inbox {{
  inbox = yes
  mailbox Brouillons {{
    special_use = \\Drafts
    auto = create
  }}
}}
"""


@pytest.fixture
def dovecot(tmp_path):
    """A throwaway Dovecot on 127.0.0.1 (user any, password geheim); yields its port."""
    binary = shutil.which("dovecot") or ("/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot")
                                         else None)
    if binary is None:
        need_tool("dovecot")
    base = tmp_path / "dovecot"
    base.mkdir()
    if os.geteuid() == 0:  # Dovecot never serves mail as root: a dropped user owns the mail
        nobody = pwd.getpwnam("nobody")
        mail = tempfile.mkdtemp(prefix="officebot-dovecot-")
        os.chown(mail, nobody.pw_uid, nobody.pw_gid)
        uid, gid = nobody.pw_uid, nobody.pw_gid
        internal = "dovecot" if _user("dovecot") else "nobody"
        login = "dovenull" if _user("dovenull") else "nobody"
    else:
        mail = str(tmp_path / "mail")
        uid, gid = os.getuid(), os.getgid()
        internal = login = pwd.getpwuid(uid).pw_name
    port = free_port()
    conf = base / "dovecot.conf"
    conf.write_text(CONF.format(d=base, mail=mail, port=port, uid=uid, gid=gid,
                                internal=internal, login=login), encoding="utf-8")
    proc = subprocess.Popen([binary, "-F", "-c", str(conf)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log = (base / "dovecot.log")
                    pytest.fail("Dovecot did not start: " + (
                        log.read_text() if log.exists() else proc.stdout.read().decode()))
                time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if os.geteuid() == 0:
            shutil.rmtree(mail, ignore_errors=True)


def _user(name):
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def test_drafts_go_into_the_imap_drafts_folder(tmp_path, dovecot, monkeypatch):
    monkeypatch.setenv("OFFICEBOT_IMAP_PASSWORD", "geheim")
    settings = SETTINGS + (f'imap_host = "127.0.0.1"\nimap_port = {dovecot}\n'
                           'imap_security = "none"\nimap_user = "kefu"\n')
    reg = folder_with(tmp_path / "office", cases(2), settings=settings)
    res = CliRunner().invoke(cli, ["mail", str(reg), "--as-of", AS_OF], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert "Brouillons" in res.output
    assert not list((tmp_path / "office").glob("outbox/**/*.eml"))
    imap = imaplib.IMAP4("127.0.0.1", dovecot, timeout=10)
    try:
        imap.login("kefu", "geheim")
        imap.select('"Brouillons"', readonly=True)
        _, ids = imap.search(None, "DRAFT")
        found = ids[0].split()
        assert len(found) == 2
        subjects = {}
        for num in found:
            _, data = imap.fetch(num, "(RFC822)")
            m = parse(data[0][1])
            subjects[str(m["Subject"])] = m
        m = next(m for s, m in subjects.items() if "TS-001" in s)
        (att,) = list(m.iter_attachments())
        assert att.get_content() == letter_bytes(tmp_path / "office", "TS-001")
        assert m["To"].addresses[0].addr_spec == "kehu1@example.cn"
    finally:
        imap.logout()
    # drafts are put there once
    res = CliRunner().invoke(cli, ["mail", str(reg), "--as-of", AS_OF], catch_exceptions=False)
    imap = imaplib.IMAP4("127.0.0.1", dovecot, timeout=10)
    imap.login("kefu", "geheim")
    imap.select('"Brouillons"', readonly=True)
    assert len(imap.search(None, "ALL")[1][0].split()) == 2
    imap.logout()


def test_imap_login_refused_is_one_sentence(tmp_path, dovecot, monkeypatch):
    monkeypatch.setenv("OFFICEBOT_IMAP_PASSWORD", "wrong")
    settings = SETTINGS + (f'imap_host = "127.0.0.1"\nimap_port = {dovecot}\n'
                           'imap_security = "none"\nimap_user = "kefu"\n')
    reg = folder_with(tmp_path / "office", cases(1), settings=settings)
    res = CliRunner().invoke(cli, ["mail", str(reg), "--as-of", AS_OF], catch_exceptions=False)
    assert res.exit_code == 1
    assert "拒绝了 kefu 的登录" in res.output and "Traceback" not in res.output


def test_a_chinese_drafts_folder_is_named_in_modified_utf7(tmp_path, dovecot, monkeypatch):
    monkeypatch.setenv("OFFICEBOT_IMAP_PASSWORD", "geheim")
    settings = SETTINGS + (f'imap_host = "127.0.0.1"\nimap_port = {dovecot}\n'
                           'imap_security = "none"\nimap_user = "kefu"\n'
                           'drafts_folder = "客服 草稿箱"\n')
    reg = folder_with(tmp_path / "office", cases(2), settings=settings)
    res = CliRunner().invoke(cli, ["mail", str(reg), "--as-of", AS_OF], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert "客服 草稿箱" in res.output
    imap = imaplib.IMAP4("127.0.0.1", dovecot, timeout=10)
    try:
        imap.login("kefu", "geheim")
        _, listed = imap.list()
        assert any(b'"&W6JnDQ- &g0l6P3ux-"' in line for line in listed), listed
        typ, _ = imap.select('"&W6JnDQ- &g0l6P3ux-"', readonly=True)
        assert typ == "OK"
        assert len(imap.search(None, "DRAFT")[1][0].split()) == 2
    finally:
        imap.logout()
