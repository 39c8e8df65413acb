"""Django's Redis cache, with one client per connection pool instead of one per operation.

Django's client builds a new `redis.Redis` for every get, set and get_many (about 0.2 ms each
in redis-py 6: it sets up its response callbacks), and a cold public page makes eight or more
of them. A `redis.Redis` over a pool is safe to share between threads, and Django keeps one
cache backend per thread anyway; the pools themselves stay Django's.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClient
