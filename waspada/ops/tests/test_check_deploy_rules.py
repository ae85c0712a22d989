"""Each rule of `waspada check --deploy`, at its boundary, in this process."""

from __future__ import annotations

import io
import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import timezone

from waspada.core.models import WorkerHeartbeat
from waspada.lib import crypto
from waspada.ops import checks
from waspada.reports.tests.factories import submit


def ids(messages: list) -> list[str]:
    return [m.id for m in messages]


def _beat(age: timedelta) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="uji", hostname="uji", pid=1, started_at=now - age, seen_at=now - age
    )


@pytest.mark.django_db
def test_a_heartbeat_older_than_two_minutes_is_an_error_and_a_recent_one_is_fine() -> None:
    assert ids(checks._worker_heartbeat()) == ["waspada.E060"]
    _beat(timedelta(minutes=2, seconds=5))
    stale = checks._worker_heartbeat()
    assert ids(stale) == ["waspada.E060"] and "tidak berdetak sejak 2 menit" in stale[0].msg
    WorkerHeartbeat.objects.all().delete()
    _beat(timedelta(seconds=90))
    assert checks._worker_heartbeat() == []


def test_the_secret_key_must_be_configured_and_long(monkeypatch: pytest.MonkeyPatch, settings) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SECRET_KEY_FILE", raising=False)
    assert ids(checks.secret_key_is_configured()) == ["waspada.E001"]
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    settings.SECRET_KEY = "abcdefghij" * 4
    assert ids(checks.secret_key_is_configured()) == ["waspada.E002"]
    settings.SECRET_KEY = "a" * 60  # long but one character
    assert ids(checks.secret_key_is_configured()) == ["waspada.E002"]
    settings.SECRET_KEY = "Zq3-" + "k9Lp_xW2" * 7
    assert checks.secret_key_is_configured() == []


def test_the_encryption_key_must_come_from_the_environment_and_be_a_fernet_key(
    monkeypatch: pytest.MonkeyPatch, settings, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    monkeypatch.delenv("WASPADA_ENCRYPTION_KEY", raising=False)
    monkeypatch.delenv("WASPADA_ENCRYPTION_KEY_FILE", raising=False)
    assert ids(checks.encryption_key_is_configured()) == ["waspada.E010"]
    monkeypatch.setenv("WASPADA_ENCRYPTION_KEY", f"{Fernet.generate_key().decode()},bukan-kunci")
    broken = checks.encryption_key_is_configured()
    assert ids(broken) == ["waspada.E011"] and "kunci ke-2" in broken[0].msg
    key_file = tmp_path / "kunci"
    key_file.write_text(Fernet.generate_key().decode())
    monkeypatch.delenv("WASPADA_ENCRYPTION_KEY")
    monkeypatch.setenv("WASPADA_ENCRYPTION_KEY_FILE", str(key_file))
    assert checks.encryption_key_is_configured() == []
    (tmp_path / "encryption_key").write_text(Fernet.generate_key().decode())
    assert ids(checks.encryption_key_is_configured()) == ["waspada.W012"]


@pytest.mark.django_db
def test_stored_informants_must_open_with_the_configured_key(
    monkeypatch: pytest.MonkeyPatch, desa_reporter
) -> None:
    submit(desa_reporter, informant_name="Pak Rahasia")
    assert checks._informants_readable() == []
    monkeypatch.setenv("WASPADA_ENCRYPTION_KEY", Fernet.generate_key().decode())
    crypto._fernet.cache_clear()
    try:
        assert ids(checks._informants_readable()) == ["waspada.E013"]
    finally:
        monkeypatch.undo()
        crypto._fernet.cache_clear()


def test_hosts_debug_and_https(settings) -> None:
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = []
    assert ids(checks.hosts_and_debug()) == ["waspada.E021"]
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    assert ids(checks.hosts_and_debug()) == ["waspada.W022"]
    settings.ALLOWED_HOSTS = ["waspada.paserkab.go.id", "*"]
    assert ids(checks.hosts_and_debug()) == ["waspada.E020"]
    settings.ALLOWED_HOSTS = ["waspada.paserkab.go.id"]
    assert checks.hosts_and_debug() == []

    settings.HTTPS = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.CSRF_TRUSTED_ORIGINS = ["https://waspada.paserkab.go.id"]
    settings.WASPADA_TRUSTED_PROXIES = []
    assert ids(checks.https_is_on()) == ["waspada.W044"]
    settings.WASPADA_TRUSTED_PROXIES = ["127.0.0.1"]
    assert checks.https_is_on() == []
    settings.SESSION_COOKIE_SECURE = False
    settings.SECURE_HSTS_SECONDS = 0
    settings.CSRF_TRUSTED_ORIGINS = ["http://waspada.paserkab.go.id"]
    assert ids(checks.https_is_on()) == ["waspada.E041", "waspada.E042", "waspada.W043"]
    settings.HTTPS = False
    assert ids(checks.https_is_on()) == ["waspada.E040"]


def test_static_files_must_be_collected_for_this_version(settings, tmp_path: Path) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_HOST = "mail.paserkab.go.id"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    assert ids(checks.files_are_in_place()) == ["waspada.E070"]
    call_command("collectstatic", interactive=False, verbosity=0)
    assert checks.files_are_in_place() == []
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    collected = json.loads(manifest.read_text())
    del collected["paths"]["waspada/waspada.css"]
    manifest.write_text(json.dumps(collected))  # a file this version added since collectstatic
    stale = checks.files_are_in_place()
    assert ids(stale) == ["waspada.W071"] and "waspada/waspada.css" in stale[0].msg
    call_command("collectstatic", interactive=False, verbosity=0)
    assert checks.files_are_in_place() == []
    os.utime(manifest, (946684800, 946684800))  # collected in 2000: every source file is newer
    assert ids(checks.files_are_in_place()) == ["waspada.W071"]


@pytest.mark.django_db
def test_the_command_exits_non_zero_and_lists_errors_before_warnings(settings) -> None:
    settings.DEBUG = True
    err = io.StringIO()
    with pytest.raises(SystemCheckError) as failure:
        call_command("check", "--deploy", "--tag", checks.TAG, stdout=io.StringIO(), stderr=err)
    report = str(failure.value)
    assert report.index("GALAT") < report.index("PERINGATAN")
    assert "[waspada.E030] DEBUG menyala" in report
    assert "Pemeriksaan selesai:" in report


def test_whatsapp_switched_on_needs_its_secrets_and_a_template_for_every_language(settings) -> None:
    settings.WASPADA_WHATSAPP_PHONE_NUMBER_ID = ""
    assert checks.whatsapp_is_complete() == []  # off: nothing to say
    settings.WASPADA_WHATSAPP_PHONE_NUMBER_ID = "109876543210987"
    settings.WASPADA_WHATSAPP_ACCESS_TOKEN = "token"
    settings.WASPADA_WHATSAPP_APP_SECRET = ""
    settings.WASPADA_WHATSAPP_VERIFY_TOKEN = "verifikasi"
    problems = checks.whatsapp_is_complete()
    assert ids(problems) == ["waspada.E110"] and "WASPADA_WHATSAPP_APP_SECRET" in problems[0].msg
    settings.WASPADA_WHATSAPP_APP_SECRET = "rahasia"
    assert checks.whatsapp_is_complete() == []  # the default templates name both languages
    settings.WASPADA_WHATSAPP_TEMPLATES = json.dumps({"name": "waspada_pemberitahuan", "bodies": {"id": "x"}})
    assert ids(checks.whatsapp_is_complete()) == ["waspada.E111"]
    settings.WASPADA_WHATSAPP_TEMPLATES = "{bukan json"
    assert ids(checks.whatsapp_is_complete()) == ["waspada.E111"]


def test_sms_switched_on_needs_its_gateway_and_the_key_for_incoming_sms(settings) -> None:
    settings.WASPADA_SMS_PROVIDER = ""
    assert checks.sms_is_complete() == []  # off: nothing to say
    settings.WASPADA_SMS_PROVIDER = "android"
    settings.WASPADA_SMS_GATEWAY_URL = "http://192.168.10.20:8080"
    settings.WASPADA_SMS_GATEWAY_PASSWORD = "sandi"
    settings.WASPADA_SMS_WEBHOOK_SIGNING_KEY = ""
    problems = checks.sms_is_complete()
    assert ids(problems) == ["waspada.E120"] and "WASPADA_SMS_WEBHOOK_SIGNING_KEY" in problems[0].msg
    settings.WASPADA_SMS_WEBHOOK_SIGNING_KEY = "kunci"
    assert checks.sms_is_complete() == []
    settings.WASPADA_SMS_PROVIDER = "http"
    settings.WASPADA_SMS_HTTP_SEND_URL = "https://sms.example/send"
    settings.WASPADA_SMS_HTTP_INBOUND_TOKEN = ""
    problems = checks.sms_is_complete()
    assert ids(problems) == ["waspada.E120"] and "WASPADA_SMS_HTTP_INBOUND_TOKEN" in problems[0].msg
