"""Django's Redis cache with one client per connection pool.

Django's own backend builds a new ``redis.Redis`` — and with it the table of reply
callbacks — for every cache call. At several calls a request that was most of a
millisecond each (measured on the survey submit); the connections were pooled already,
the clients were not. ``CACHE_URL=redis://…`` selects this backend (settings.py).
"""

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class PooledClients(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class Cache(RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = PooledClients
