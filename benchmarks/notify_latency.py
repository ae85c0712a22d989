"""Latency from an `awas` report accepted by the API to its message visible to a member in the
cross-forum Matrix room, with the worker running.

Starts, all on 127.0.0.1: a real Synapse (test virtualenv, see waspada/testing/synapse.py), an
installation of its own (SQLite file, or a new PostgreSQL database with --postgres), `waspada
serve` (gunicorn), `waspada worker`, the bot's rooms, and a member (matrix-nio) in the room. Then
files N `awas` reports one after another through POST /api/v1/reports and, for each, long-polls
the member's /sync until the room shows the report's reference.

Figures: from the API's 201 answer to the message seen by the member (the target: p95 < 3 s),
and from the request sent. Ends with one line of key=value figures.

With ``--channel whatsapp`` there is no Synapse: the WhatsApp Cloud API stand-in
(waspada/testing/whatsapp.py) takes its place. The installation asks for the cross-forum group
through the Groups API; the platform's ``group_create`` webhook reaches the served app, which
sends the invite link to the analyst's linked number; she joins (the ``group_participants_update``
webhook, checked against forum membership), and a report counts as seen when the stand-in has
accepted a message into the group naming its reference ("awas report accepted → message seen in
the WhatsApp group"). Her own notice, sent beside it, is counted too and printed.

With ``--channel sms`` the figure is another one, the issue's "SMS intake → reference reply":
the SMS Gateway for Android stand-in (waspada/testing/sms.py) posts a member's ``LAPOR <isu>
<desa> <cerita>`` as a signed ``sms:received`` webhook to the served app, and the time runs until
the stand-in has accepted the reply naming the new report's reference (``POST /message``). The
worker runs beside it and sends the analyst's SMS notices of each report meanwhile.

Usage: python benchmarks/notify_latency.py [--reports 50] [--postgres] [--interval 0.1]
       [--channel matrix|whatsapp|sms] [--warmup 4]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cryptography.fernet import Fernet  # noqa: E402

from waspada.chat.tests.members import Member  # noqa: E402
from waspada.testing.server import run_waspada, served_database, stop  # noqa: E402
from waspada.testing.sms import FakeSmsGateway, running_fake_sms_gateway  # noqa: E402
from waspada.testing.smtp import free_port  # noqa: E402
from waspada.testing.synapse import running_synapse  # noqa: E402
from waspada.testing.whatsapp import TEST_VERIFY_TOKEN, FakeWhatsApp, running_fake_whatsapp  # noqa: E402

ANALYST_NUMBER = "6281234500002"
REPORTER_NUMBER = "6281234500001"
SETUP_SMS = """
from waspada.forums.defaults import ensure_default_forums
from waspada.notify.actions import link_account, set_preference
from waspada.regions.importers import load_bundled_regions
from waspada.regions.models import Region
from waspada.response.defaults import ensure_defaults
from waspada.testing.personas import ensure_persona

load_bundled_regions("64.01")
paser = Region.objects.get(code="64.01")
ensure_default_forums(regency=paser)
ensure_defaults()
reporter = ensure_persona("desa_reporter", regency=paser)
analyst = ensure_persona("kesbangpol_analyst", regency=paser)
link_account(person=reporter, channel="sms", address=REPORTER, by=None)
link_account(person=analyst, channel="sms", address=ANALYST, by=None)
set_preference(person=analyst, channel="sms", enabled=True, min_level="normal")
print("SETUP=ok")
"""
SETUP_WHATSAPP = """
import json
from waspada.forums.defaults import ensure_default_forums
from waspada.notify.actions import link_account
from waspada.people.tokens import create_token
from waspada.regions.importers import load_bundled_regions
from waspada.regions.models import Region
from waspada.response.defaults import ensure_defaults
from waspada.testing.personas import ensure_persona

load_bundled_regions("64.01")
paser = Region.objects.get(code="64.01")
ensure_default_forums(regency=paser)
ensure_defaults()
reporter = ensure_persona("desa_reporter", regency=paser)
analyst = ensure_persona("kesbangpol_analyst", regency=paser)
link_account(person=analyst, channel="whatsapp", address=NUMBER, by=None)
from waspada.notify.whatsapp_groups import ensure_groups
ensure_groups()  # answered with a request id; the platform's webhook names the group
_row, token = create_token(person=reporter, name="benchmark", by=None)
print("SETUP=" + json.dumps({"token": token}))
"""

SETUP = """
import json
from waspada.forums.defaults import ensure_default_forums
from waspada.notify.actions import link_account
from waspada.chat.bot import MatrixBot
from waspada.people.tokens import create_token
from waspada.regions.importers import load_bundled_regions
from waspada.regions.models import Region
from waspada.response.defaults import ensure_defaults
from waspada.testing.personas import ensure_persona

load_bundled_regions("64.01")
paser = Region.objects.get(code="64.01")
ensure_default_forums(regency=paser)
ensure_defaults()
reporter = ensure_persona("desa_reporter", regency=paser)
analyst = ensure_persona("kesbangpol_analyst", regency=paser)
link_account(person=analyst, channel="matrix", address=MEMBER, by=None)
bot = MatrixBot()
bot.sync_once()
rooms = bot.ensure_rooms(invite_members=False)
cross = rooms[0]
bot.client.invite(cross.address, MEMBER)
_row, token = create_token(person=reporter, name="benchmark", by=None)
print("SETUP=" + json.dumps({"room": cross.address, "token": token}))
"""


def post_report(url: str, token: str, n: int) -> float:
    body = json.dumps(
        {
            "title": f"Uji latensi notifikasi {n}: bentrokan warga",
            "what": "Dua kelompok warga saling serang di simpang jalan hauling.",
            "athg": "gangguan",
            "isu": "sara_etnis",
            "alert_level": "awas",
            "region_code": "64.01.06.2006",
            "occurred_at": (datetime.now(UTC) - timedelta(minutes=5)).isoformat(),
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{url}/api/v1/reports/",
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        assert response.status == 201, response.status
        return time.monotonic(), json.loads(response.read())["reference"]  # type: ignore[return-value]


def wait_visible(member: Member, room: str, reference: str, timeout: float = 60) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for room_id, _sender, body in member.messages:
            if room_id == room and reference in body:
                return time.monotonic()
        member.sync(timeout_ms=2000)
    raise RuntimeError(f"{reference} never appeared in the room")


def wait_whatsapp(api: FakeWhatsApp, reference: str, to: str = ANALYST_NUMBER, timeout: float = 60) -> float:
    """When the stand-in accepted a message to ``to`` (a number or a group id) naming ``reference``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with api.lock:
            for m in api.sent:
                if m["to"] == to and reference in m["shown"]:
                    return float(m["at"]) - time.time() + time.monotonic()
        time.sleep(0.005)
    raise RuntimeError(f"{reference} never reached {to} at the WhatsApp stand-in")


REFERENCE = re.compile(r"SKD-\d{4}-\d{4}-\d{6}")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=50)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--interval", type=float, default=0.1, help="the worker's queue polling interval (s)")
    parser.add_argument("--channel", choices=["matrix", "whatsapp", "sms"], default="matrix")
    parser.add_argument("--warmup", type=int, default=4, help="--channel sms: SMS sent first, not counted")
    options = parser.parse_args()
    if options.channel == "sms":
        with running_fake_sms_gateway() as gateway:
            from_accept, from_send = run_sms(options, gateway)
        report(options, from_accept, from_send)
        return
    if options.channel == "whatsapp":
        with running_fake_whatsapp(
            templates={("waspada_pemberitahuan", "id"): "Pemberitahuan Waspada: {{1}} Buka: {{2}}"},
            auto_statuses=True,
        ) as api:
            from_accept, from_send = run_whatsapp(options, api)
        report(options, from_accept, from_send)
        return

    tmp = Path(tempfile.mkdtemp(prefix="notify-bench-"))
    with running_synapse(tmp / "synapse") as synapse:
        bot = synapse.register("waspada-bot")
        member_user = synapse.register("rina")
        data_dir = tmp / "data"
        data_dir.mkdir()
        base_url = "postgres://postgres@127.0.0.1:5432/postgres" if options.postgres else ""
        with served_database(base_url, data_dir) as database_url:
            env = {k: v for k, v in os.environ.items() if not k.startswith(("WASPADA_", "DJANGO_"))}
            env.update(
                {
                    "DATABASE_URL": database_url,
                    "WASPADA_DATA_DIR": str(data_dir),
                    "STATIC_ROOT": str(tmp / "static"),
                    "SECRET_KEY": secrets.token_urlsafe(50),
                    "WASPADA_ENCRYPTION_KEY": Fernet.generate_key().decode(),
                    "ALLOWED_HOSTS": "127.0.0.1",
                    "DEBUG": "false",
                    "LOG_LEVEL": "WARNING",
                    "WASPADA_API_RATE_PER_CLIENT": "0",
                    "WASPADA_API_RATE_PER_ADDRESS": "0",
                    "WASPADA_MATRIX_HOMESERVER": synapse.url,
                    "WASPADA_MATRIX_USER_ID": bot.user_id,
                    "WASPADA_MATRIX_ACCESS_TOKEN": bot.access_token,
                }
            )
            run_waspada(["collectstatic", "--noinput", "--verbosity", "0"], env, timeout=600)
            run_waspada(["migrate", "--noinput", "--verbosity", "0"], env, timeout=600)
            out = run_waspada(
                ["shell", "--no-startup", "-c", f"MEMBER={member_user.user_id!r}\n" + SETUP], env, timeout=600
            )
            setup: dict[str, Any] = json.loads(out.split("SETUP=", 1)[1].strip())
            room, token = setup["room"], setup["token"]

            member = Member(synapse.url, member_user)
            member.accept_invites()
            port = free_port()
            logs = (tmp / "serve.log").open("wb"), (tmp / "worker.log").open("wb")
            serve = subprocess.Popen(
                [sys.executable, "-m", "waspada", "serve", "--no-collectstatic",
                 "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2"],
                env=env, cwd=ROOT, stdout=logs[0], stderr=subprocess.STDOUT,
            )  # fmt: skip
            worker = subprocess.Popen(
                [sys.executable, "-m", "waspada", "worker", "--interval", str(options.interval)],
                env=env, cwd=ROOT, stdout=logs[1], stderr=subprocess.STDOUT,
            )  # fmt: skip
            url = f"http://127.0.0.1:{port}"
            try:
                deadline = time.monotonic() + 60
                while True:
                    try:
                        urllib.request.urlopen(f"{url}/akun/masuk/", timeout=2)  # noqa: S310
                        break
                    except OSError:
                        if time.monotonic() > deadline:
                            raise
                        time.sleep(0.2)
                # Warm-up (not counted): first connections, the member's direct room being made.
                accepted, reference = post_report(url, token, 0)
                wait_visible(member, room, reference)
                from_accept, from_send = [], []
                for n in range(1, options.reports + 1):
                    sent = time.monotonic()
                    accepted, reference = post_report(url, token, n)
                    seen = wait_visible(member, room, reference)
                    from_accept.append(seen - accepted)
                    from_send.append(seen - sent)
            finally:
                for process in (serve, worker):
                    stop(process, timeout=30)
                member.close()
    report(options, from_accept, from_send)


def base_env(database_url: str, data_dir: Path, tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WASPADA_", "DJANGO_"))}
    env.update(
        {
            "DATABASE_URL": database_url,
            "WASPADA_DATA_DIR": str(data_dir),
            "STATIC_ROOT": str(tmp / "static"),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "WASPADA_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "WASPADA_API_RATE_PER_CLIENT": "0",
            "WASPADA_API_RATE_PER_ADDRESS": "0",
        }
    )
    return env


def run_whatsapp(options: argparse.Namespace, api: FakeWhatsApp) -> tuple[list[float], list[float]]:
    tmp = Path(tempfile.mkdtemp(prefix="notify-bench-wa-"))
    data_dir = tmp / "data"
    data_dir.mkdir()
    base_url = "postgres://postgres@127.0.0.1:5432/postgres" if options.postgres else ""
    with served_database(base_url, data_dir) as database_url:
        env = base_env(database_url, data_dir, tmp)
        env.update(
            {
                "WASPADA_WHATSAPP_API_URL": api.url,
                "WASPADA_WHATSAPP_ACCESS_TOKEN": api.token,
                "WASPADA_WHATSAPP_PHONE_NUMBER_ID": api.phone_number_id,
                "WASPADA_WHATSAPP_APP_SECRET": api.app_secret,
                "WASPADA_WHATSAPP_VERIFY_TOKEN": TEST_VERIFY_TOKEN,
            }
        )
        run_waspada(["collectstatic", "--noinput", "--verbosity", "0"], env, timeout=600)
        run_waspada(["migrate", "--noinput", "--verbosity", "0"], env, timeout=600)
        out = run_waspada(
            ["shell", "--no-startup", "-c", f"NUMBER={ANALYST_NUMBER!r}\n" + SETUP_WHATSAPP], env, timeout=600
        )
        token = json.loads(out.split("SETUP=", 1)[1].strip())["token"]
        port = free_port()
        logs = (tmp / "serve.log").open("wb"), (tmp / "worker.log").open("wb")
        serve = subprocess.Popen(
            [sys.executable, "-m", "waspada", "serve", "--no-collectstatic",
             "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2"],
            env=env, cwd=ROOT, stdout=logs[0], stderr=subprocess.STDOUT,
        )  # fmt: skip
        worker = subprocess.Popen(
            [sys.executable, "-m", "waspada", "worker", "--interval", str(options.interval)],
            env=env, cwd=ROOT, stdout=logs[1], stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        api.webhook_url = f"{url}/obrolan/whatsapp/webhook/"
        try:
            deadline = time.monotonic() + 180  # gunicorn's start takes over a minute at load 25+
            while True:
                try:
                    urllib.request.urlopen(f"{url}/akun/masuk/", timeout=10)  # noqa: S310
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            code, _id = api.user_says(ANALYST_NUMBER, "bantuan")  # opens her 24-hour window
            assert code == 200, code
            api.flush_statuses()  # the group_create webhook: the app learns the group, invites her
            group = next(iter(api.groups.values()))
            deadline = time.monotonic() + 60
            while not any(group.invite_link in m["shown"] for m in api.sent if m["to"] == ANALYST_NUMBER):
                if time.monotonic() > deadline:
                    raise RuntimeError("the invite link never reached the analyst")
                time.sleep(0.05)
            assert api.user_joins_group(ANALYST_NUMBER, group.invite_link) == 200
            accepted, reference = post_report(url, token, 0)  # warm-up, not counted
            wait_whatsapp(api, reference, to=group.id)
            from_accept, from_send, direct = [], [], []
            for n in range(1, options.reports + 1):
                sent = time.monotonic()
                accepted, reference = post_report(url, token, n)
                seen = wait_whatsapp(api, reference, to=group.id)
                from_accept.append(seen - accepted)
                from_send.append(seen - sent)
                direct.append(wait_whatsapp(api, reference) - accepted)
        finally:
            for process in (serve, worker):
                stop(process, timeout=30)
    kinds = {m["type"] for m in api.sent if m["to"] == ANALYST_NUMBER and m.get("biz_opaque_callback_data")}
    answers = sorted(set(api.webhook_answers))
    print(f"message types sent to the analyst: {sorted(kinds)}; webhook answers: {answers}")
    print(
        f"group: {len(api.texts_in_group(group.id))} posts, participants {group.participants}, "
        f"removed {group.removed}; the analyst's own notice accepted→sent p50 "
        f"{statistics.median(direct):.3f} s p95 {percentile(direct, 0.95):.3f} s"
    )
    return from_accept, from_send


def wait_sms_reply(api: FakeSmsGateway, after: int, timeout: float = 60) -> tuple[float, str]:
    """When the stand-in accepted the first reply to the reporter after index ``after`` naming a
    reference, and that reference."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with api.lock:
            for message in api.sent[after:]:
                found = REFERENCE.search(message["text"])
                # The reply to LAPOR ("… Balas STATUS …"), not the worker's notices to her.
                if message["to"] == f"+{REPORTER_NUMBER}" and found and "Balas STATUS" in message["text"]:
                    return message["at"], found[0]
        time.sleep(0.005)
    raise RuntimeError("no reply with a reference reached the SMS stand-in")


def run_sms(options: argparse.Namespace, api: FakeSmsGateway) -> tuple[list[float], list[float]]:
    tmp = Path(tempfile.mkdtemp(prefix="notify-bench-sms-"))
    data_dir = tmp / "data"
    data_dir.mkdir()
    base_url = "postgres://postgres@127.0.0.1:5432/postgres" if options.postgres else ""
    with served_database(base_url, data_dir) as database_url:
        env = base_env(database_url, data_dir, tmp)
        env.update(
            {
                "WASPADA_SMS_PROVIDER": "android",
                "WASPADA_SMS_GATEWAY_URL": api.url,
                "WASPADA_SMS_GATEWAY_USERNAME": api.username,
                "WASPADA_SMS_GATEWAY_PASSWORD": api.password,
                "WASPADA_SMS_WEBHOOK_SIGNING_KEY": api.signing_key,
            }
        )
        run_waspada(["collectstatic", "--noinput", "--verbosity", "0"], env, timeout=600)
        run_waspada(["migrate", "--noinput", "--verbosity", "0"], env, timeout=600)
        code = f"REPORTER={REPORTER_NUMBER!r}\nANALYST={ANALYST_NUMBER!r}\n" + SETUP_SMS
        run_waspada(["shell", "--no-startup", "-c", code], env, timeout=600)
        port = free_port()
        logs = (tmp / "serve.log").open("wb"), (tmp / "worker.log").open("wb")
        serve = subprocess.Popen(
            [sys.executable, "-m", "waspada", "serve", "--no-collectstatic",
             "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2"],
            env=env, cwd=ROOT, stdout=logs[0], stderr=subprocess.STDOUT,
        )  # fmt: skip
        worker = subprocess.Popen(
            [sys.executable, "-m", "waspada", "worker", "--interval", str(options.interval)],
            env=env, cwd=ROOT, stdout=logs[1], stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        api.webhook_url = f"{url}/obrolan/sms/android/"
        from_accept: list[float] = []
        from_send: list[float] = []
        references: set[str] = set()
        warmup: list[float] = []
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"{url}/akun/masuk/", timeout=2)  # noqa: S310
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            # The first SMS each web process handles loads the triage model (seconds): those of
            # the warm-up are printed, not counted (docs/notifications.md, Latency).
            for n in range(-options.warmup, options.reports):
                text = f"LAPOR agama Lombok Warga menghentikan pembangunan rumah ibadah, uji {n}"
                after = len(api.sent)
                sent = time.time()
                code, _event = api.user_texts(f"+{REPORTER_NUMBER}", text)
                answered = time.time()
                assert code == 200, code
                seen, reference = wait_sms_reply(api, after)
                assert reference not in references, reference
                references.add(reference)
                if n < 0:
                    warmup.append(seen - sent)
                    continue
                from_send.append(seen - sent)  # the SMS reaches the phone → reply accepted
                from_accept.append(answered - sent)  # the webhook's answer to the phone
        finally:
            for process in (serve, worker):
                stop(process, timeout=30)
    print("warm-up SMS → reply (not counted): " + ", ".join(f"{v:.3f} s" for v in warmup))
    notices = [m for m in api.sent if m["to"] == f"+{ANALYST_NUMBER}"]
    print(
        f"SMS notices to the analyst meanwhile: {len(notices)}; "
        f"longest SMS {max(len(m['text']) for m in api.sent)}"
    )
    return from_send, from_accept


def report(options: argparse.Namespace, from_accept: list[float], from_send: list[float]) -> None:
    """Figures; for SMS, ``from_accept`` holds SMS → reply accepted and ``from_send`` the time
    until the webhook's answer to the phone."""
    engine = "postgresql" if options.postgres else "sqlite"
    sms = options.channel == "sms"
    kind = "SMS LAPOR reports" if sms else "awas reports"
    print(
        f"{options.reports} {kind}, {engine}, channel {options.channel}, worker interval {options.interval} s"
    )
    names = ("SMS→reply", "SMS→webhook answered") if sms else ("accepted→visible", "sent→visible")
    for name, values in zip(names, (from_accept, from_send), strict=True):
        print(
            f"  {name:21} p50 {statistics.median(values):.3f} s  p95 {percentile(values, 0.95):.3f} s"
            f"  max {max(values):.3f} s"
        )
    second = "p95_webhook_answer" if sms else "p95_from_send"
    print(
        f"channel={options.channel} reports={options.reports} engine={engine} "
        f"p50={statistics.median(from_accept):.3f} "
        f"p95={percentile(from_accept, 0.95):.3f} max={max(from_accept):.3f} "
        f"{second}={percentile(from_send, 0.95):.3f} target_p95=3.0"
    )


if __name__ == "__main__":
    main()
