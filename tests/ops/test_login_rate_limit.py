"""Password guessing at the admin login is stopped: after a few failures for one username (or
many from one address) further attempts get 429 for the lockout window, even with the right
password, and the window ends by itself."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


@pytest.fixture
def editor():
    return get_user_model().objects.create_user("kov-editor", password="correct horse battery", is_staff=True)


@pytest.fixture(autouse=True)
def empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def attempt(client, password, username="kov-editor", ip="198.51.100.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_the_right_password_works_before_any_failures(client, editor):
    assert attempt(client, "correct horse battery").status_code == 302


def test_after_five_failures_the_username_is_locked_out_from_that_address_only(client, editor, settings):
    for _ in range(settings.OPS_LOGIN_FAILURES_PER_USER):
        assert attempt(client, "wrong").status_code == 200  # the form again, with an error
    blocked = attempt(client, "correct horse battery")
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == str(settings.OPS_LOGIN_LOCKOUT_SECONDS)
    assert "_auth_user_id" not in client.session
    # Someone else's failures cannot lock the owner out: the right password from the owner's
    # own address works.
    assert attempt(client, "correct horse battery", ip="203.0.113.9").status_code == 302


def test_repeated_lockouts_back_off(client, editor, settings):
    with time_machine.travel(dt.datetime(2025, 5, 1, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        for _ in range(settings.OPS_LOGIN_FAILURES_PER_USER):
            attempt(client, "wrong")
        assert attempt(client, "x")["Retry-After"] == str(settings.OPS_LOGIN_LOCKOUT_SECONDS)
        clock.shift(settings.OPS_LOGIN_LOCKOUT_SECONDS + 1)
        for _ in range(settings.OPS_LOGIN_FAILURES_PER_USER):
            attempt(client, "wrong")
        assert attempt(client, "x")["Retry-After"] == str(2 * settings.OPS_LOGIN_LOCKOUT_SECONDS)
        clock.shift(settings.OPS_LOGIN_LOCKOUT_SECONDS + 1)
        assert attempt(client, "correct horse battery").status_code == 429
        clock.shift(settings.OPS_LOGIN_LOCKOUT_SECONDS)
        assert attempt(client, "correct horse battery").status_code == 302


def test_one_address_guessing_many_usernames_is_locked_out(client, editor, settings):
    for n in range(settings.OPS_LOGIN_FAILURES_PER_IP):
        attempt(client, "wrong", username=f"guess-{n}")
    assert attempt(client, "correct horse battery").status_code == 429
    assert attempt(client, "correct horse battery", ip="192.0.2.44").status_code == 302, (
        "the same user from elsewhere is not locked"
    )


def test_the_lockout_ends_when_the_window_has_passed(client, editor, settings):
    with time_machine.travel(dt.datetime(2025, 5, 1, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        for _ in range(settings.OPS_LOGIN_FAILURES_PER_USER):
            attempt(client, "wrong")
        assert attempt(client, "correct horse battery").status_code == 429
        clock.shift(settings.OPS_LOGIN_LOCKOUT_SECONDS + 1)
        assert attempt(client, "correct horse battery").status_code == 302


def test_the_lockout_page_is_in_the_browsers_language(client, editor, settings):
    for _ in range(settings.OPS_LOGIN_FAILURES_PER_USER):
        attempt(client, "wrong")
    response = client.post(
        LOGIN,
        {"username": "kov-editor", "password": "x"},
        REMOTE_ADDR="198.51.100.7",
        HTTP_ACCEPT_LANGUAGE="et",
    )
    assert response.status_code == 429
    assert "Liiga palju katseid" in response.content.decode()


def test_behind_a_trusted_proxy_the_forwarded_client_address_counts(client, editor, settings):
    settings.OPS_TRUSTED_PROXY_COUNT = 1
    for n in range(settings.OPS_LOGIN_FAILURES_PER_IP):
        client.post(
            LOGIN,
            {"username": f"guess-{n}", "password": "x"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7",
        )
    # Another client behind the same load balancer is not affected...
    other = client.post(
        LOGIN,
        {"username": "kov-editor", "password": "correct horse battery"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="192.0.2.10",
    )
    assert other.status_code == 302
    # ...and a forged leftmost address does not let the guesser escape.
    forged = client.post(
        LOGIN,
        {"username": "someone", "password": "x"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="8.8.8.8, 198.51.100.7",
    )
    assert forged.status_code == 429
