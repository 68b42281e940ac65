"""One accepted socket: what it is signed in as, and its outbound queue."""

import asyncio
import contextlib
import uuid

from starlette.types import Message
from starlette.websockets import WebSocket, WebSocketDisconnect

# Past this many bytes waiting for a client (beyond what the OS socket buffers took), it
# is not reading: it is dropped rather than buffered without bound.
MAX_PENDING_BYTES = 256 * 1024
# A close that cannot get out (a client that does not read) waits no longer than this.
CLOSE_TIMEOUT_SECONDS = 5
# The close sent to a client that was dropped for not reading (RFC 6455: policy violation).
DROPPED_CODE = 1008


class Connection:
    """Messages are queued without waiting (the hub delivers an event to many sockets at
    once) and written by a task of their own, in order."""

    def __init__(self, websocket: WebSocket) -> None:
        self.websocket = websocket
        self.user_id: uuid.UUID | None = None
        self.is_admin = False
        self._queue: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
        self._pending_bytes = 0
        self._closing = False
        self._receiving: asyncio.Timeout | None = None
        self._sender = asyncio.create_task(self._send_queued())

    def send(self, text: str, size: int | None = None) -> None:
        """Queue a text message (`size`: its UTF-8 length, when the caller knows it)."""
        if self._closing:
            return
        size = len(text.encode()) if size is None else size
        if self._pending_bytes + size > MAX_PENDING_BYTES:
            asyncio.ensure_future(self.close(DROPPED_CODE))  # noqa: RUF006 - close() keeps no task
            return
        self._pending_bytes += size
        self._queue.put_nowait((text, size))

    @property
    def closing(self) -> bool:
        return self._closing

    async def receive(self, deadline: float) -> Message | None:
        """The client's next message; None at `deadline` (loop time) or once closing."""
        try:
            async with asyncio.timeout_at(deadline) as self._receiving:
                return await self.websocket.receive()
        except TimeoutError:
            return None
        finally:
            self._receiving = None

    async def close(self, code: int, reason: str = "") -> None:
        """Close once, dropping what is still queued; whoever comes second does nothing."""
        if self._closing:
            return
        self._closing = True
        self._sender.cancel()
        if self._receiving is not None:  # wake the reader: the socket is done
            self._receiving.reschedule(asyncio.get_running_loop().time())
        # Suppressed: the client may be gone already, or may never read the close frame.
        with contextlib.suppress(WebSocketDisconnect, RuntimeError, TimeoutError):
            async with asyncio.timeout(CLOSE_TIMEOUT_SECONDS):
                await self.websocket.close(code, reason)

    async def _send_queued(self) -> None:
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                text, size = await self._queue.get()
                await self.websocket.send_text(text)
                self._pending_bytes -= size
