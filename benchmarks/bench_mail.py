"""officebot's sending loop next to a bare smtplib loop, both in one run, as a ratio.

    python benchmarks/bench_mail.py [--letters 1000] [--repeat 3] [--dir /dev/shm]

Both send the same prepared messages (a letter's text as the body and a 60 KB attachment)
to one real SMTP server (aiosmtpd, in its own process) on 127.0.0.1 over one connection each. The bare loop is
``smtplib.SMTP.sendmail`` per message. officebot's loop (``mail.run.deliver`` with
``per_minute = 0``) talks to the server one command at a time and keeps the mail journal:
an intent synced to disk before each body goes, the result after the answer. The journal
lives in --dir (default: a temporary folder). Each round runs both, in alternating order;
the ratio is the median over rounds. Goal: at most 1.2x.
"""

import argparse
import os
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from officebot.mail.ledger import MailLedger  # noqa: E402
from officebot.mail.message import Attachment, build_message  # noqa: E402
from officebot.mail.run import MailResult, Outgoing, deliver  # noqa: E402
from officebot.mail.transport import SmtpSender  # noqa: E402

SENDER = "kefu@mingchuan.cn"
BODY = ("尊敬的客户：\n\n您于2026年3月6日向我们反映的问题，我们已登记受理。对由此给您带来的不便，"
        "我们深表歉意。我们将在2026年3月13日前办结本案，并把结果告知您。\n") * 4


def start_server(port: int) -> subprocess.Popen:
    """aiosmtpd in its own process (taking every message and dropping it), so that the
    server does not share this process's interpreter with the loops being measured."""
    proc = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                             "-c", "aiosmtpd.handlers.Sink"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise SystemExit("aiosmtpd did not start")
            time.sleep(0.1)


def prepared(n: int):
    """n messages as officebot sends them, with their (fake) letters."""
    attachment = Attachment("致歉函-TS.pdf", os.urandom(60_000))
    out = []
    for i in range(n):
        msg = build_message(subject=f"致歉函（投诉编号 TS-{i:05d}）", body=BODY, sender=SENDER,
                            to=[(f"客户{i}", f"kehu{i}@example.cn")], cc=[], reply_to="",
                            attachments=[attachment])
        item = SimpleNamespace(case=SimpleNamespace(case_id=f"TS-{i:05d}"), kind="apology",
                               docx=f"letters/2026-03/TS-{i:05d}_apology.docx",
                               label=f"TS-{i:05d} apology", to=[f"kehu{i}@example.cn"])
        out.append(Outgoing([item], msg.as_bytes(), str(msg["Message-ID"]), item.to))
    return out


def bare(port: int, ready) -> float:
    start = time.perf_counter()
    smtp = smtplib.SMTP("127.0.0.1", port, timeout=60)
    for o in ready:
        smtp.sendmail(SENDER, o.to, o.data)
    smtp.quit()
    return time.perf_counter() - start


def officebot(port: int, ready, logs: Path) -> float:
    ledger = MailLedger(logs)
    start = time.perf_counter()
    with ledger:
        smtp = SmtpSender("127.0.0.1", port, "none", timeout=60)
        out = MailResult("send")
        try:
            deliver(out, smtp, ready, ledger, SENDER, [], per_minute=0)
        finally:
            smtp.close()
    elapsed = time.perf_counter() - start
    assert len(out.sent) == len(ready), (len(out.sent), len(ready))
    return elapsed


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--letters", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", default=None, help="where the journal goes (default: a temp dir)")
    args = ap.parse_args(argv)
    with socket.socket() as probe:  # a free port for the server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = start_server(port)
    ready = prepared(args.letters)
    size = sum(len(o.data) for o in ready) / len(ready) / 1024
    print(f"{args.letters} messages of {size:.0f} KB to aiosmtpd on 127.0.0.1:{port}, "
          "one connection each")
    ratios, bares, ours = [], [], []
    try:
        with tempfile.TemporaryDirectory(prefix="officebot-bench-mail-", dir=args.dir) as tmp:
            for n in range(args.repeat):
                logs = Path(tmp) / f"logs{n}"
                if n % 2:
                    b = bare(port, ready)
                    o = officebot(port, ready, logs)
                else:
                    o = officebot(port, ready, logs)
                    b = bare(port, ready)
                bares.append(b)
                ours.append(o)
                ratios.append(o / b)
                print(f"round {n + 1}: bare smtplib {b:.2f} s ({len(ready) / b:.0f} msg/s), "
                      f"officebot {o:.2f} s ({len(ready) / o:.0f} msg/s), ratio {o / b:.2f}x")
    finally:
        server.terminate()
        server.wait(10)
    print(f"bare smtplib loop: median {statistics.median(bares):.2f} s")
    print(f"officebot deliver: median {statistics.median(ours):.2f} s")
    print(f"ratio officebot / bare smtplib: median of rounds {statistics.median(ratios):.2f}x "
          "(goal: at most 1.2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
