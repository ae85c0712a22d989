from django.conf import settings
from django.test import Client
from django.utils import timezone


def test_time_zone_is_wita() -> None:
    assert settings.TIME_ZONE == "Asia/Makassar"
    assert timezone.get_current_timezone_name() == "Asia/Makassar"


def test_default_language_is_indonesian_with_english_available() -> None:
    assert settings.LANGUAGE_CODE == "id"
    assert [code for code, _ in settings.LANGUAGES] == ["id", "en"]


def test_passwords_are_hashed_with_argon2() -> None:
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_the_login_page_speaks_indonesian_by_default_and_english_on_request(db: None) -> None:
    indonesian = Client().get("/akun/masuk/")
    assert indonesian.status_code == 200
    assert "Masuk" in indonesian.content.decode()
    english = Client(headers={"accept-language": "en"}).get("/akun/masuk/")
    assert "Log in" in english.content.decode()
