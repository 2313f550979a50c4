"""The Redis cache keeps one client per connection pool (Django's builds one a call)."""

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

REDIS = "redis://127.0.0.1:6379/13"


@pytest.fixture
def redis_cache(settings):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS).ping()
    except redis.ConnectionError:
        pytest.skip("needs Redis on 127.0.0.1:6379")
    settings.CACHES = {"default": {"BACKEND": "manyi.web.cache.Cache", "LOCATION": REDIS}}
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()


def test_one_client_serves_every_call_and_the_cache_still_works(redis_cache):
    assert isinstance(redis_cache, RedisCache)  # the rate limits count on Redis by it
    client = redis_cache._cache.get_client(write=True)
    assert redis_cache._cache.get_client("any", write=True) is client
    redis_cache.set("answer", {"n": 42}, timeout=60)
    assert redis_cache.get("answer") == {"n": 42}
    redis_cache.set("counter", 0)
    assert redis_cache.incr("counter") == 1


def test_a_redis_cache_url_selects_it(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "CACHE_URL": REDIS, "MANYI_VAR_DIR": str(tmp_path)}
    env["DJANGO_SETTINGS_MODULE"] = "manyi.settings"
    shown = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings as s; "
         "print(s.CACHES['default']['BACKEND'])"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert shown == "manyi.web.cache.Cache"
