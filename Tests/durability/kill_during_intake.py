"""A process crash (kill -9) during intake loses no acknowledged order: a `hotline serve` takes orders from eight
concurrent clients, is killed with SIGKILL in the middle, and is started again on the same database; every order it
acknowledged (201 with its number) must exist, and every hash chain must verify.

    python3 Tests/durability/kill_during_intake.py BINARY (--sqlite PATH | --database-url URL) PORT
"""
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

binary, kind, where, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
base = f"http://127.0.0.1:{port}"
db_args = [kind, where]
log = open(os.path.join(os.path.dirname(where) if kind == "--sqlite" else "/tmp", f"kill-test-{port}.log"), "ab")


def start(demo):
    args = [binary, "serve", *db_args, "--port", str(port), "--sweep-every", "0"] + (["--demo"] if demo else [])
    process = subprocess.Popen(args, stdout=log, stderr=log)
    for _ in range(240):
        try:
            urllib.request.urlopen(base + "/api/v1/health", timeout=1)
            return process
        except Exception:
            if process.poll() is not None:
                sys.exit(f"the server exited with {process.returncode}")
            time.sleep(0.5)
    sys.exit("the server did not start")


def call(method, path, token=None, body=None, timeout=30):
    request = urllib.request.Request(base + "/api/v1" + path, method=method)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    data = None
    if body is not None:
        request.add_header("Content-Type", "application/json")
        data = json.dumps(body).encode()
    with urllib.request.urlopen(request, data, timeout=timeout) as reply:
        return reply.status, json.loads(reply.read())


server = start(demo=True)
_, login = call("POST", "/auth/login", body={"username": "agent", "password": "hotline12345"})
token = login["token"]

acknowledged, refused, lock = [], [], threading.Lock()
stop = threading.Event()


def client(n):
    rng = random.Random(n)
    while not stop.is_set():
        phone = "139" + "".join(str(rng.randrange(10)) for _ in range(8))
        body = {"channel": "phone", "kind": "complaint", "category_code": "01.01.02", "title": f"夜间施工噪音（压测{n}）",
                "content": "小区旁工地夜间施工，噪音很大，影响休息。", "caller": {"name": "测试", "phone": phone},
                "location": {"address": "幸福路1号", "district": "江城区"}}
        try:
            status, reply = call("POST", "/orders", token, body, timeout=10)
            if status == 201:
                with lock:
                    acknowledged.append(reply["order"]["number"])
        except urllib.error.HTTPError as e:
            with lock:
                refused.append(e.code)
        except Exception:
            # The connection broke: the order was not acknowledged (it may or may not have been stored).
            if stop.is_set():
                return
            time.sleep(0.01)


threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
for t in threads:
    t.start()
time.sleep(3)
server.send_signal(signal.SIGKILL)
server.wait()
killed_after = len(acknowledged)
time.sleep(0.5)
stop.set()
for t in threads:
    t.join()
if killed_after < 20:
    sys.exit(f"only {killed_after} orders were acknowledged before the kill; the load did not run")
if any(code >= 500 for code in refused):
    sys.exit(f"the server answered errors before the kill: {sorted(set(refused))}")

server = start(demo=False)
try:
    _, login = call("POST", "/auth/login", body={"username": "supervisor", "password": "hotline12345"})
    token = login["token"]
    missing = []
    for number in acknowledged:
        try:
            status, _ = call("GET", "/orders/" + number, token)
        except urllib.error.HTTPError as e:
            status = e.code
        if status != 200:
            missing.append((number, status))
finally:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=60)
if missing:
    sys.exit(f"{len(missing)} acknowledged orders are missing after the crash: {missing[:5]}")
env = dict(os.environ)
verify = subprocess.run([binary, "verify-log", *db_args], capture_output=True, text=True, env=env)
if verify.returncode != 0 or not verify.stdout.startswith("OK: "):
    sys.exit(f"verify-log after the crash: {verify.stdout} {verify.stderr}")
label = "SQLite" if kind == "--sqlite" else "PostgreSQL"
print(f"ok durability {label}: kill -9 after {killed_after} acknowledged orders from 8 clients; all {len(acknowledged)} found after a restart;"
      f" {verify.stdout.strip()}")
