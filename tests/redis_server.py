"""A redis-server of a test's own, on a free loopback port, to stop for real.

Never the shared one on 6379. Every write goes to its append-only file before
it is answered (left to the system to flush, so a slow disk never delays it),
so a server killed and started again comes back with its old keys, as a
production Redis with persistence does.
"""

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
import redis

from tests.services import missing_service

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require_redis_server():
    if not os.path.exists(REDIS_SERVER):
        missing_service("redis-server is not installed (apt-get install redis-server)")


class RedisServer:
    def __init__(self, directory):
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(self.port),
             "--dir", str(self.directory), "--save", "", "--appendonly", "yes",
             "--appendfsync", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.client().ping():
                    return
            except redis.RedisError:
                time.sleep(0.05)
        pytest.fail(f"redis-server did not answer on port {self.port}")

    def kill(self):
        """Stop it dead, as a crash would: connections are refused."""
        self.process.kill()
        self.process.wait(timeout=10)

    def freeze(self):
        """Stop it answering, as a hung host would: connections hang."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.thaw()
            self.kill()

    def client(self):
        return redis.Redis.from_url(self.url, socket_timeout=2)
