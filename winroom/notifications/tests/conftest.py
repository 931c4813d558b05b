import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class Robot:
    """A local chat robot: answers each POST with the next scripted (status, body, delay)."""

    def __init__(self):
        self.script: list[tuple[int, dict, float]] = []
        self.received: list[dict] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                robot.received.append(json.loads(self.rfile.read(length) or b"{}"))
                status, body, delay = (
                    robot.script.pop(0) if robot.script else (200, {"errcode": 0}, 0)
                )
                if delay:
                    time.sleep(delay)
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up (timeout)
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = (
            f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/webhook/send?key=secret"
        )
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot():
    server = Robot()
    yield server
    server.close()


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    settings.WINROOM_WEBHOOK_BACKGROUND = False
    settings.WINROOM_WEBHOOK_TIMEOUT = 0.5
    settings.WINROOM_WEBHOOK_MAX_ATTEMPTS = 3
    settings.WINROOM_WEBHOOK_RETRY_SECONDS = 60


@pytest.fixture
def english():
    from django.utils import translation

    with translation.override("en"):
        yield
