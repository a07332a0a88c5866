"""A test SMS gateway for the browser walks: it stands where a city's SMS provider would, receiving the platform's
outbound channel messages (POST, JSON with "to" and "text") and answering 200, and lets a walk read what was sent to
a phone (GET /messages?to=PHONE, newest last). Loopback only; it keeps messages in memory.

    python3 Tests/e2e/sms_receiver.py PORT
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

messages = []
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        try:
            message = json.loads(body)
        except ValueError:
            self.send_response(400)
            self.end_headers()
            return
        message["_headers"] = {k.lower(): v for k, v in self.headers.items()}
        with lock:
            messages.append(message)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"ok": true}')

    def do_GET(self):
        url = urlparse(self.path)
        if url.path != "/messages":
            self.send_response(404)
            self.end_headers()
            return
        to = parse_qs(url.query).get("to", [None])[0]
        with lock:
            found = [m for m in messages if to is None or m.get("to") == to]
        data = json.dumps(found, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.end_headers()
        self.wfile.write(data)


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    print(f"test SMS receiver on http://127.0.0.1:{sys.argv[1]}", flush=True)
    server.serve_forever()
