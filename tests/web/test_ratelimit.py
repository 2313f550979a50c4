"""Rate limits count every hit, however many arrive at once, and count the real client.

A robot posts to store A's complaint form twenty times at once; the site sits behind a
reverse proxy at 10.0.0.1.
"""

import socket
from concurrent.futures import ThreadPoolExecutor
from uuid import uuid4

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client, RequestFactory

from manyi.cases.models import Case
from manyi.cases.public import POSTS_PER_IP
from manyi.org.services import staff_create
from manyi.web.ratelimit import _bucket, allow_all, client_ip, hits

COMPLAINT = {"kind": "complaint", "subject": "Rude", "description": "Very rude.", "website": ""}


def _post_once(address: str) -> int:
    try:
        return Client(REMOTE_ADDR=address).post("/tell/S-A/", COMPLAINT).status_code
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_complaints_from_one_address_open_only_the_allowed_five(network):
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(_post_once, ["198.51.100.9"] * 20))
    assert sorted(answers).count(200) == POSTS_PER_IP
    assert answers.count(429) == 20 - POSTS_PER_IP
    assert Case.objects.count() == POSTS_PER_IP


def _redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_fifty_parallel_hits_are_counted_once_each(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        }
    }
    key = f"test:{uuid4().hex}"
    caches["default"]._cache.get_client(write=True).script_flush()  # as after a restart
    with ThreadPoolExecutor(max_workers=25) as pool:
        counts = list(pool.map(lambda _n: hits(key, seconds=60), range(50)))
    assert sorted(counts) == list(range(1, 51))
    # The window's counter goes away with the window.
    client = caches["default"]._cache.get_client(write=True)
    bucket = caches["default"].make_key(_bucket(key, 60)[0])
    assert 0 < client.ttl(bucket) <= 60


@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_one_call_counts_a_minute_and_an_hour_each_to_its_own_end(settings):
    settings.CACHES = {
        "default": {"BACKEND": "manyi.web.cache.Cache", "LOCATION": "redis://127.0.0.1:6379/15"}
    }
    token, address = f"test:{uuid4().hex}", f"test:{uuid4().hex}"
    limits = ((token, 2, 60), (address, 100, 3600))
    assert [allow_all(*limits) for _ in range(3)] == [True, True, False]  # the token's third
    client = caches["default"]._cache.get_client(write=True)
    for key, seconds in ((token, 60), (address, 3600)):
        bucket = caches["default"].make_key(_bucket(key, seconds)[0])
        assert int(client.get(bucket)) == 3
        assert seconds - 5 < client.ttl(bucket) <= seconds


def _request(peer: str, forwarded: str = ""):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=peer, **extra)


def test_without_trusted_proxies_the_forwarded_header_is_not_believed(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.5", "1.2.3.4")) == "203.0.113.5"


def test_through_a_trusted_proxy_the_client_is_the_address_it_appended(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_ip(_request("10.0.0.1", "203.0.113.5")) == "203.0.113.5"


def test_what_the_client_wrote_before_our_proxy_is_not_believed(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    spoofed = _request("10.0.0.1", "1.2.3.4, 203.0.113.5")
    assert client_ip(spoofed) == "203.0.113.5"


def test_a_chain_of_trusted_proxies_is_walked_back_to_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1", "10.0.0.2"]
    assert client_ip(_request("10.0.0.1", "203.0.113.5, 10.0.0.2")) == "203.0.113.5"


def test_a_malformed_hop_leaves_the_proxy_as_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_ip(_request("10.0.0.1", "not-an-address")) == "10.0.0.1"


def test_behind_the_proxy_one_client_s_wrong_passwords_lock_out_nobody_else(settings, network):
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    for name in ("mallory_a", "bob_b"):
        staff_create(
            actor=None,
            username=name,
            full_name=name,
            unit=network.store_a,
            role="advisor",
            password="a-long-test-password",
        )
    attacker = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        attacker.post("/login/", {"username": "mallory_a", "password": "wrong"})
    bob = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    answer = bob.post("/login/", {"username": "bob_b", "password": "a-long-test-password"})
    assert answer.status_code == 302 and answer["Location"] == "/"
    locked = attacker.post("/login/", {"username": "bob_b", "password": "a-long-test-password"})
    assert locked.status_code == 429
