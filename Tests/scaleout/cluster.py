"""Several `hotline serve` instances on one PostgreSQL database behind HAProxy, on loopback, for the scale-out tests
(run.py) and the load test (load.py). Python's standard library only.

    with Cluster(binary, server_url, instances=3) as cluster:   # a fresh database on that PostgreSQL server
        cluster.start()                                          # the first with --demo, then the others, then HAProxy
        client = Client(cluster.lb_port)

Every process runs in its own process group and is killed on exit (also on SIGTERM/SIGINT), and the database is
dropped; its logs stay in `cluster.dir` (printed by the callers when something fails).
"""
import atexit
import csv
import http.client
import io
import json
import os
import re
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "hotline12345"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def say(line):
    print(line, flush=True)


def ensure_haproxy():
    """HAProxy from Debian's packages, installed when missing (idempotent). Returns its path."""
    found = shutil.which("haproxy") or ("/usr/sbin/haproxy" if os.path.exists("/usr/sbin/haproxy") else None)
    if found:
        return found
    say("installing haproxy from Debian's packages...")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    if subprocess.run(["apt-get", "install", "-y", "-qq", "haproxy"], **quiet).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], **quiet)
        result = subprocess.run(["apt-get", "install", "-y", "-qq", "haproxy"], **quiet)
        if result.returncode != 0:
            raise SystemExit("could not install haproxy: " + result.stderr.decode(errors="replace")[-500:])
    found = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not os.path.exists(found):
        raise SystemExit("haproxy was installed but is not on PATH")
    return found


def database_url(server_url, name):
    """`server_url` (postgres://user@host:port/db?params) with the database `name`."""
    parts = urllib.parse.urlsplit(server_url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def psql(server_url, sql):
    parts = urllib.parse.urlsplit(server_url)
    url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    result = subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qtAc", sql], capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"psql failed ({sql[:80]}): {result.stderr.strip()}")
    return result.stdout


class Instance:
    def __init__(self, index, port, log_path):
        self.index, self.port, self.log_path = index, port, log_path
        self.name = f"h{index + 1}"
        self.process = None

    @property
    def alive(self):
        return self.process is not None and self.process.poll() is None

    def log_text(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""


class Cluster:
    """`instances` servers on one fresh database of the PostgreSQL server at `server_url`, HAProxy in front."""

    def __init__(self, binary, server_url, instances=3, name="scaleout", serve_args=(), keep_dir=False):
        self.binary = os.path.abspath(binary)
        if not os.access(self.binary, os.X_OK):
            raise SystemExit(f"no hotline binary at {self.binary}")
        self.server_url = server_url
        self.db_name = f"hotline_{name}_{os.getpid()}"
        self.db_url = database_url(server_url, self.db_name)
        self.serve_args = list(serve_args)
        self.dir = tempfile.mkdtemp(prefix=f"hotline-{name}-")
        self.keep_dir = keep_dir
        self.instances = [Instance(i, free_port(), os.path.join(self.dir, f"h{i + 1}.log")) for i in range(instances)]
        self.lb_port, self.stats_port = free_port(), free_port()
        self.haproxy = None
        self.haproxy_log = os.path.join(self.dir, "haproxy.log")
        self.created = False
        self.closed = False

    # Lifecycle ---------------------------------------------------------------------------------------------------

    def __enter__(self):
        atexit.register(self.close)
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._on_signal)
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _on_signal(self, signum, frame):
        self.close()
        raise SystemExit(f"stopped by signal {signum}")

    def create_database(self):
        psql(self.server_url, f"DROP DATABASE IF EXISTS {self.db_name}")
        psql(self.server_url, f"CREATE DATABASE {self.db_name}")
        self.created = True

    def start(self, haproxy=True, timeout=300):
        """A fresh database, the first instance with --demo (it migrates and seeds), then the others once it is
        ready, then HAProxy; returns when HAProxy sees every instance up."""
        self.create_database()
        first = self.instances[0]
        started = time.monotonic()
        self.start_instance(first, demo=True)
        self.wait_ready(first, timeout)
        say(f"  {first.name} ready on :{first.port} (migrated and seeded the demo city) after {time.monotonic() - started:.1f} s")
        for instance in self.instances[1:]:
            self.start_instance(instance)
        for instance in self.instances[1:]:
            self.wait_ready(instance, timeout)
        say(f"  {len(self.instances)} instances ready ({', '.join(f'{i.name} :{i.port}' for i in self.instances)})"
            f" after {time.monotonic() - started:.1f} s; logs in {self.dir}")
        if haproxy:
            self.start_haproxy()
            self.wait_lb_state({i.name: "UP" for i in self.instances}, timeout=30)
            say(f"  HAProxy on :{self.lb_port} (stats :{self.stats_port}) sees every instance UP")

    def start_instance(self, instance, demo=False):
        args = [self.binary, "serve", "--database-url", self.db_url, "--port", str(instance.port), "--trust-proxy",
                *self.serve_args] + (["--demo"] if demo else [])
        log = open(instance.log_path, "ab")
        log.write(f"\n=== {time.strftime('%H:%M:%S')} started: {' '.join(args)}\n".encode())
        log.flush()
        instance.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()

    def wait_ready(self, instance, timeout=300):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not instance.alive:
                tail = instance.log_text()[-1500:]
                raise SystemExit(f"{instance.name} exited with {instance.process.returncode} while starting; its log ends:\n{tail}")
            try:
                status, _, _ = request_once(instance.port, "GET", "/api/v1/health/ready", timeout=3)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.25)
        raise SystemExit(f"{instance.name} was not ready within {timeout} s (log: {instance.log_path})")

    def kill(self, instance):
        """SIGKILL to the instance's process group; returns the time of the kill (time.monotonic())."""
        at = time.monotonic()
        try:
            os.killpg(instance.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        instance.process.wait(timeout=10)
        return at

    def start_haproxy(self):
        binary = ensure_haproxy()
        with open(os.path.join(HERE, "haproxy.cfg.template"), encoding="utf-8") as f:
            template = string.Template(f.read())
        servers = "\n".join(f"    server {i.name} 127.0.0.1:{i.port} check" for i in self.instances)
        config = template.substitute(lb_port=self.lb_port, stats_port=self.stats_port, servers=servers)
        path = os.path.join(self.dir, "haproxy.cfg")
        with open(path, "w", encoding="utf-8") as f:
            f.write(config)
        check = subprocess.run([binary, "-c", "-f", path], capture_output=True, text=True)
        if check.returncode != 0:
            raise SystemExit(f"haproxy refuses {path}:\n{check.stdout}{check.stderr}")
        log = open(self.haproxy_log, "ab")
        self.haproxy = subprocess.Popen([binary, "-db", "-f", path], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.haproxy.poll() is not None:
                raise SystemExit(f"haproxy exited with {self.haproxy.returncode}: {open(self.haproxy_log).read()[-1000:]}")
            try:
                self.lb_states()
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("haproxy's stats page did not answer within 10 s")

    def close(self):
        if self.closed:
            return
        self.closed = True
        for process in [self.haproxy] + [i.process for i in self.instances]:
            if process is not None and process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for process in [self.haproxy] + [i.process for i in self.instances]:
            if process is None:
                continue
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait(timeout=10)
        if self.created:
            try:
                psql(self.server_url, f"DROP DATABASE IF EXISTS {self.db_name} WITH (FORCE)")
            except Exception as e:  # the server may be gone already; nothing else to clean
                say(f"  (could not drop {self.db_name}: {e})")
        if not self.keep_dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    # HAProxy's view ------------------------------------------------------------------------------------------------

    def lb_states(self):
        """{server name: status} from HAProxy's CSV stats (UP, DOWN, UP 1/2, DOWN 1/2, ...)."""
        status, _, body = request_once(self.stats_port, "GET", "/stats;csv", timeout=2)
        if status != 200:
            raise OSError(f"stats answered {status}")
        rows = csv.DictReader(io.StringIO(body.decode().lstrip("# ")))
        return {r["svname"]: r["status"] for r in rows if r["pxname"] == "hotline" and r["svname"] not in ("FRONTEND", "BACKEND")}

    def wait_lb_state(self, wanted, timeout):
        deadline = time.monotonic() + timeout
        states = {}
        while time.monotonic() < deadline:
            states = self.lb_states()
            if all(states.get(name) == state for name, state in wanted.items()):
                return time.monotonic()
            time.sleep(0.05)
        raise SystemExit(f"HAProxy did not reach {wanted} within {timeout} s; it shows {states}")

    # Where requests landed -----------------------------------------------------------------------------------------

    REQUEST_ID = re.compile(r"request_id[\"']?\s*[=:]\s*[\"']?([A-Za-z0-9._-]+)")

    def served_by(self, prefix):
        """{request id: [instance names]} of every access line whose request id starts with `prefix`."""
        seen = {}
        for instance in self.instances:
            for line in instance.log_text().splitlines():
                if "request" not in line:
                    continue
                m = self.REQUEST_ID.search(line)
                if m and m.group(1).startswith(prefix) and ("status=" in line or '"status"' in line):
                    seen.setdefault(m.group(1), []).append(instance.name)
        return seen

    def verify_log(self):
        """(passed, its first line — or all it said when it failed)."""
        result = subprocess.run([self.binary, "verify-log", "--database-url", self.db_url], capture_output=True, text=True, timeout=600)
        passed = result.returncode == 0 and result.stdout.startswith("OK")
        return passed, result.stdout.strip().splitlines()[0] if passed else (result.stdout + result.stderr).strip()[-1500:]

    def haproxy_retried(self, path):
        """How many requests for `path` HAProxy sent again (its log's retries field, `+N` when redispatched)."""
        count = 0
        try:
            with open(self.haproxy_log, encoding="utf-8", errors="replace") as f:
                for line in f:
                    m = re.search(r" \d+/\d+/\d+/\d+/(\+?)(\d+) \d+/\d+ \"[A-Z]+ (\S+)", line)
                    if m and m.group(3) == path and int(m.group(2)) > 0:
                        count += 1
        except FileNotFoundError:
            pass
        return count


def request_once(port, method, path, body=None, headers=None, timeout=10):
    """One request on a new connection: (status, headers dict with lower-case names, body bytes)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        reply = connection.getresponse()
        return reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read()
    finally:
        connection.close()


class Client:
    """A keep-alive HTTP client for one port with a cookie jar, a bearer token or a session (cookie + CSRF token).
    A connection that breaks is opened again on the next request; the error goes to the caller."""

    def __init__(self, port, timeout=30):
        self.port, self.timeout = port, timeout
        self.connection = None
        self.cookies = {}
        self.token = None
        self.csrf = None

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(self, method, path, body=None, headers=None, request_id=None):
        """(status, headers with lower-case names, body bytes). `body` may be a dict (sent as JSON) or str/bytes."""
        h = dict(headers or {})
        if isinstance(body, dict):
            body = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        elif isinstance(body, str):
            body = body.encode()
        if self.token:
            h.setdefault("Authorization", "Bearer " + self.token)
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if request_id:
            h["X-Request-Id"] = request_id
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            self.connection.request(method, path, body=body, headers=h)
            reply = self.connection.getresponse()
            data = reply.read()
        except Exception:
            self.close()
            raise
        for name, value in reply.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                if val:
                    self.cookies[key.strip()] = val.strip()
                else:
                    self.cookies.pop(key.strip(), None)
        if reply.getheader("connection", "").lower() == "close":
            self.close()
        return reply.status, {k.lower(): v for k, v in reply.getheaders()}, data

    def json(self, method, path, body=None, expect=(200,), **kw):
        status, headers, data = self.request(method, path, body, **kw)
        if status not in expect:
            raise RuntimeError(f"{method} {path} answered {status}: {data[:300].decode(errors='replace')}")
        return json.loads(data) if data else None

    def login(self, username):
        """A bearer token (POST /api/v1/auth/login)."""
        self.token = None
        reply = self.json("POST", "/api/v1/auth/login", {"username": username, "password": PASSWORD})
        self.token = reply["token"]
        return self


def order_body(title, rng, content="小区旁工地夜间施工，噪音很大，影响休息，请相关部门处理。"):
    """An intake request like the agent's form sends (the same body as Tests/durability/kill_during_intake.py)."""
    phone = "139" + "".join(str(rng.randrange(10)) for _ in range(8))
    return {"channel": "phone", "kind": "complaint", "category_code": "01.01.02", "title": title, "content": content,
            "caller": {"name": "测试", "phone": phone}, "location": {"address": "幸福路1号", "district": "江城区"}}


def fail_exit(failures):
    if failures:
        say(f"scaleout: {len(failures)} failed: {', '.join(failures)}")
        sys.exit(1)
