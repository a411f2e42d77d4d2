"""A small keep-alive HTTP/1.1 client on asyncio streams, for the sender's hot path.

A general-purpose client (httpx) spends several times more CPU per request than the rest of a
send; at a 1,000 messages/s tier on two cores that is the difference between keeping up and
not. This client does one thing: POST a JSON body to one origin over a bounded pool of
persistent connections (TLS when https), and read the answer (Content-Length or chunked).
"""

from __future__ import annotations

import asyncio
import ssl
import time
from urllib.parse import urlsplit

IDLE_MAX_S = 4.0  # servers close idle keep-alive connections (uvicorn after 5 s): drop ours first
TIMEOUT_S = 20.0


class HTTPFailure(Exception):
    """The request could not be completed (connection refused, reset, timed out, bad answer)."""


class _Conn:
    __slots__ = ("reader", "writer", "idle_since")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer, self.idle_since = reader, writer, time.monotonic()

    def close(self) -> None:
        try:
            self.writer.close()
        except Exception:  # noqa: S110 - already broken; nothing to do
            pass


class Http11Pool:
    """Up to `size` persistent connections to the origin of `base_url`, one request each at a time."""

    def __init__(self, base_url: str, size: int = 16) -> None:
        parts = urlsplit(base_url)
        self.tls = parts.scheme == "https"
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or (443 if self.tls else 80)
        self.prefix = parts.path.rstrip("/")
        default_port = (self.tls and self.port == 443) or (not self.tls and self.port == 80)
        self.host_header = self.host if default_port else f"{self.host}:{self.port}"
        self.size = size
        self._idle: list[_Conn] = []
        self._open = 0
        self._freed = asyncio.Condition()
        self._ssl = ssl.create_default_context() if self.tls else None

    async def _take(self) -> _Conn:
        async with self._freed:
            while True:
                now = time.monotonic()
                while self._idle:
                    conn = self._idle.pop()
                    if now - conn.idle_since < IDLE_MAX_S and not conn.reader.at_eof():
                        return conn
                    conn.close()
                    self._open -= 1
                if self._open < self.size:
                    self._open += 1
                    break
                await self._freed.wait()
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(self.host, self.port, ssl=self._ssl), timeout=5.0)
        except (OSError, TimeoutError) as exc:
            await self._lost()
            raise HTTPFailure(f"cannot connect: {type(exc).__name__}: {exc}") from exc
        return _Conn(reader, writer)

    async def _give_back(self, conn: _Conn) -> None:
        conn.idle_since = time.monotonic()
        async with self._freed:
            self._idle.append(conn)
            self._freed.notify()

    async def _lost(self) -> None:
        async with self._freed:
            self._open -= 1
            self._freed.notify()

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        """POST `body` to prefix + `path`; returns (status, response body)."""
        extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        head = (f"POST {self.prefix}{path} HTTP/1.1\r\nHost: {self.host_header}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n{extra}\r\n").encode("latin-1")
        conn = await self._take()
        try:
            conn.writer.write(head + body)
            status, answer, keep = await asyncio.wait_for(_read_response(conn.reader), timeout=TIMEOUT_S)
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
            conn.close()
            await self._lost()
            raise HTTPFailure(f"{type(exc).__name__}: {exc}") from exc
        except BaseException:
            conn.close()
            await self._lost()
            raise
        if keep:
            await self._give_back(conn)
        else:
            conn.close()
            await self._lost()
        return status, answer

    async def close(self) -> None:
        for conn in self._idle:
            conn.close()
        self._idle.clear()
        self._open = 0


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    version, status = lines[0].split(" ", 2)[:2]
    length: int | None = None
    chunked = False
    keep = version == "HTTP/1.1"
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
        elif name == "connection":
            keep = value.strip().lower() != "close" if keep else value.strip().lower() == "keep-alive"
    if chunked:
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":
                    pass
                return int(status), b"".join(parts), keep
            parts.append(await reader.readexactly(size))
            await reader.readexactly(2)
    if int(status) in (204, 304) or int(status) < 200:
        return int(status), b"", keep
    if length is None:
        return int(status), await reader.read(), False
    return int(status), (await reader.readexactly(length) if length else b""), keep
