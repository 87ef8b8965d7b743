"""Cache backends shared between processes, with the atomic operations we need.

Two operations carry the protocol's guarantees, and both must be atomic across
gunicorn workers and machines:

- ``add`` sets a key only when it is absent (locks, single-use markers);
- ``take`` reads a key and deletes it in one step (one-time values).

cachelib's file-system ``add`` checks and then writes, so two workers can both
win; its ``delete`` reports success for a key that was never there; and its
Redis ``add`` sets the expiry in a second call. The classes below mend that.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import struct
import tempfile
import time
from typing import Any

from flask import Flask
from flask_caching.backends.filesystemcache import FileSystemCache
from flask_caching.backends.rediscache import RedisCache

logger = logging.getLogger(__name__)

# One write in this many sweeps the directory for expired files.
_SWEEP_ONE_IN = 500


class SharedFileSystemCache(FileSystemCache):
    """File-system cache whose add and take are atomic across processes."""

    @classmethod
    def factory(
        cls,
        app: Flask,
        config: dict[str, Any],
        args: list[Any],
        kwargs: dict[str, Any],
    ) -> SharedFileSystemCache:
        """Build the cache from Flask-Caching settings (no item threshold)."""
        args.insert(0, config["CACHE_DIR"])
        kwargs.update(threshold=0, hash_method=config["CACHE_FILE_HASH_METHOD"])
        return cls(*args, **kwargs)

    def _write_temp(self, value: Any, timeout: int | dt.timedelta | None) -> str:
        expires = self._normalize_timeout(timeout)
        fd, tmp = tempfile.mkstemp(suffix=self._fs_transaction_suffix, dir=self._path)
        with os.fdopen(fd, "wb") as f:
            f.write(struct.pack("I", expires))
            self.serializer.dump(value, f)
        os.chmod(tmp, self._mode or 0o600)
        return tmp

    def _is_expired(self, filename: str) -> bool:
        try:
            with open(filename, "rb") as f:
                expires = struct.unpack("I", f.read(4))[0]
        except FileNotFoundError:
            return True
        except (OSError, struct.error):
            return False
        return bool(expires != 0 and expires < time.time())

    def add(
        self, key: str, value: Any, timeout: int | dt.timedelta | None = None
    ) -> bool:
        """Set ``key`` only if it is absent or expired; True when this call set it."""
        filename = self._get_filename(key)
        tmp = self._write_temp(value, timeout)
        try:
            for _ in range(2):
                try:
                    # link() fails when the name exists: exactly one writer wins.
                    os.link(tmp, filename)
                    return True
                except FileExistsError:
                    if not self._evict_if_expired(filename):
                        return False
            return False
        finally:
            os.unlink(tmp)

    def _evict_if_expired(self, filename: str) -> bool:
        """Move an expired file out of the way; True if the name is free now."""
        if not self._is_expired(filename):
            return False
        grave = f"{filename}.{os.getpid()}.{random.getrandbits(32)}.expired"
        try:
            os.rename(filename, grave)
        except FileNotFoundError:
            return True
        if not self._is_expired(grave):
            # Another worker replaced it in between: put the live value back.
            try:
                os.link(grave, filename)
            except FileExistsError:
                pass
            os.unlink(grave)
            return False
        os.unlink(grave)
        return True

    def take(self, key: str) -> Any:
        """Return the value of ``key`` and delete it; only one caller gets it."""
        filename = self._get_filename(key)
        claimed = f"{filename}.{os.getpid()}.{random.getrandbits(32)}.taken"
        try:
            os.rename(filename, claimed)
        except FileNotFoundError:
            return None
        try:
            with open(claimed, "rb") as f:
                expires = struct.unpack("I", f.read(4))[0]
                if expires != 0 and expires < time.time():
                    return None
                return self.serializer.load(f)
        finally:
            os.unlink(claimed)

    def delete(self, key: str, mgmt_element: bool = False) -> bool:
        """Delete ``key``; True only if it was there."""
        try:
            os.remove(self._get_filename(key))
        except FileNotFoundError:
            return False
        return True

    def set(
        self,
        key: str,
        value: Any,
        timeout: int | dt.timedelta | None = None,
        mgmt_element: bool = False,
    ) -> bool:
        """Set ``key``; now and then sweep expired files from the directory."""
        if random.randrange(_SWEEP_ONE_IN) == 0:
            self._remove_expired(time.time())
        result: bool = super().set(key, value, timeout, mgmt_element)
        return result

    def _list_dir(self) -> Any:
        return (
            os.path.join(self._path, fn)
            for fn in os.listdir(self._path)
            if not self._is_mgmt(fn)
            and not fn.endswith((".taken", ".expired"))
            and not fn.startswith("tmp")
        )


class SharedRedisCache(RedisCache):
    """Redis cache whose add sets value and expiry in one command, with take."""

    def add(
        self, key: str, value: Any, timeout: int | dt.timedelta | None = None
    ) -> bool:
        """Set ``key`` only if absent (SET NX EX); True when this call set it."""
        expires = self._normalize_timeout(timeout)
        created = self._write_client.set(
            name=f"{self._get_prefix()}{key}",
            value=self.serializer.dumps(value),
            ex=expires if expires != -1 else None,
            nx=True,
        )
        return bool(created)

    def take(self, key: str) -> Any:
        """Return the value of ``key`` and delete it (GETDEL)."""
        return self.serializer.loads(
            self._write_client.getdel(f"{self._get_prefix()}{key}")
        )


# CACHE_TYPE values people write, and the shared backend that serves each.
SHARED_BACKENDS = {
    "FileSystemCache": "app.cache.SharedFileSystemCache",
    "filesystem": "app.cache.SharedFileSystemCache",
    "flask_caching.backends.filesystemcache.FileSystemCache": (
        "app.cache.SharedFileSystemCache"
    ),
    "app.cache.SharedFileSystemCache": "app.cache.SharedFileSystemCache",
    "RedisCache": "app.cache.SharedRedisCache",
    "redis": "app.cache.SharedRedisCache",
    "flask_caching.backends.rediscache.RedisCache": "app.cache.SharedRedisCache",
    "app.cache.SharedRedisCache": "app.cache.SharedRedisCache",
}
