"""A small keep-alive HTTP/1.1 load generator on raw asyncio streams.

The benchmarks measure Sauti, not the client: a general-purpose client spends more CPU per
request than the server under test, on the same two cores.
"""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlsplit


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                return status, body
            body += await reader.readexactly(size + 2)
    return status, await reader.readexactly(length) if length else b""


async def post_many(url: str, requests: list[tuple[bytes, dict[str, str]]], concurrency: int = 16,
                    retries: int = 5) -> float:
    """POST every (body, headers) over `concurrency` keep-alive connections; returns seconds taken.

    A request answered with anything but 200 is retried (as Meta does), up to `retries` times.
    """
    parts = urlsplit(url)
    host, port, path = parts.hostname or "127.0.0.1", parts.port or 80, parts.path or "/"
    queue = list(reversed(requests))

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while queue:
                body, headers = queue.pop()
                extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
                head = (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: {len(body)}\r\n"
                        f"Content-Type: application/json\r\n{extra}\r\n").encode()
                for attempt in range(retries + 1):
                    writer.write(head + body)
                    status, _ = await _read_response(reader)
                    if status == 200:
                        break
                    if attempt == retries:
                        raise RuntimeError(f"{url} answered {status} {retries + 1} times")
                    await asyncio.sleep(0.2)
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    return time.perf_counter() - start


class KeepAlivePool:
    """A few keep-alive connections to one server, lent to whoever sends a request next.

    For load with an order of its own (a person's messages one after another), where `post_many`'s
    free-for-all queue does not fit.
    """

    def __init__(self, base_url: str, size: int = 16) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.size = size
        self._idle: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()

    async def __aenter__(self) -> KeepAlivePool:
        for _ in range(self.size):
            self._idle.put_nowait(await asyncio.open_connection(self.host, self.port))
        return self

    async def __aexit__(self, *exc: object) -> None:
        while not self._idle.empty():
            _, writer = self._idle.get_nowait()
            writer.close()

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        reader, writer = await self._idle.get()
        try:
            writer.write(f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Length: {len(body)}\r\n"
                         f"Content-Type: application/json\r\n\r\n".encode() + body)
            return await _read_response(reader)
        finally:
            self._idle.put_nowait((reader, writer))
