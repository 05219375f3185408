#!/usr/bin/env python3
"""A webhook subscriber for the sandbox and the tests: verifies every delivery with the Standard
Webhooks reference library (`standardwebhooks`, from PyPI) and appends each verified event, one
JSON line, to --out. The secret is read from --secret-file at each delivery (it exists only once
the endpoint is created). Prints `listening on http://127.0.0.1:PORT` when ready.

  --fail N     answer 503 to the first N deliveries (to exercise retries)
  --gone       answer 410 Gone to every delivery (the sender must stop)

It stops on SIGTERM or SIGINT (even when started with them ignored), and when the process that
started it ends.
"""
import argparse
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=0)
parser.add_argument("--secret-file", required=True)
parser.add_argument("--out", required=True)
parser.add_argument("--fail", type=int, default=0)
parser.add_argument("--gone", action="store_true")
args = parser.parse_args()

lock = threading.Lock()
state = {"deliveries": 0}


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("content-length", "0"))
        body = self.rfile.read(min(length, 1 << 20))
        with lock:
            state["deliveries"] += 1
            delivery = state["deliveries"]
        if args.gone:
            return self.answer(410)
        if delivery <= args.fail:
            return self.answer(503)
        try:
            with open(args.secret_file) as handle:
                secret = handle.read().strip()
            event = Webhook(secret).verify(body, dict(self.headers.items()))
        except (OSError, WebhookVerificationError, ValueError) as error:
            self.record({"rejected": str(error)})
            return self.answer(400)
        self.record({"id": self.headers["webhook-id"], "signatures": len(self.headers["webhook-signature"].split(" ")), "event": event})
        self.answer(204)

    def record(self, line):
        with lock, open(args.out, "a") as out:
            out.write(json.dumps(line, sort_keys=True) + "\n")

    def answer(self, status):
        self.send_response(status)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *_):
        pass


def stop(*_):
    os._exit(0)


# A handler of its own: a parent that ignores SIGTERM would otherwise pass the ignoring on.
signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
parent = os.getppid()


def watch_parent():
    while os.getppid() == parent:
        time.sleep(0.5)
    stop()


threading.Thread(target=watch_parent, daemon=True).start()
server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()
