"""`python -m bench.smtp_sink PORT`: a local SMTP server (aiosmtpd) in a process of its own
that accepts every letter and, when terminated, prints how many it accepted (one JSON line).
The deadline bench sends its letters here: a real SMTP conversation per letter, without the
server competing for the sending process's interpreter."""

from __future__ import annotations

import json
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Counting:
    def __init__(self) -> None:
        self.letters = 0
        self.recipients = 0

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.letters += 1
        self.recipients += len(envelope.rcpt_tos)  # type: ignore[attr-defined]
        return "250 OK"


def main() -> None:
    port = int(sys.argv[1])
    handler = Counting()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    print("ready", flush=True)
    done.wait()
    controller.stop()
    print(json.dumps({"letters": handler.letters, "recipients": handler.recipients}), flush=True)


if __name__ == "__main__":
    main()
