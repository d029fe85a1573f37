"""A real Odoo server process (HTTP and cron threads, as `make demo` runs it)
on a database of its own, and the clients an integrator uses against it:
XML-RPC and JSON-RPC."""

import json
import os
import socket
import subprocess
import time
import urllib.request
import xmlrpc.client

START_TIMEOUT = 120
# Odoo's XML-RPC fault codes (odoo/addons/base/controllers/rpc.py).
FAULT_CODES = {2: "UserError", 3: "AccessDenied", 4: "AccessError"}


class RpcError(Exception):
    """The server answered a call with an error (its class and message)."""

    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


class XmlRpc:
    """``execute_kw`` as a user, through ``/xmlrpc/2``."""

    def __init__(self, url, db, login, password):
        self.db, self.password = db, password
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
        self.uid = common.authenticate(db, login, password, {})
        assert self.uid, f"{login} cannot log in"
        self.object = xmlrpc.client.ServerProxy(
            f"{url}/xmlrpc/2/object", allow_none=True
        )

    def __call__(self, model, method, *args, **kwargs):
        try:
            return self.object.execute_kw(
                self.db, self.uid, self.password, model, method, list(args), kwargs
            )
        except xmlrpc.client.Fault as fault:
            name = FAULT_CODES.get(fault.faultCode)
            message = fault.faultString
            if not name:
                # Any other exception: its traceback, whose last line reads
                # "module.ExceptionClass: message".
                last = message.strip().splitlines()[-1]
                name, _sep, message = last.partition(": ")
            raise RpcError(name.rpartition(".")[2], message) from None


class JsonRpc:
    """``execute_kw`` as a user, through ``/jsonrpc``."""

    def __init__(self, url, db, login, password):
        self.url, self.db, self.password = url, db, password
        self.uid = self._call("common", "login", db, login, password)
        assert self.uid, f"{login} cannot log in"

    def _call(self, service, method, *args):
        request = urllib.request.Request(
            f"{self.url}/jsonrpc",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {"service": service, "method": method, "args": args},
                }
            ).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            answer = json.loads(response.read())
        if "error" in answer:
            data = answer["error"].get("data", {})
            raise RpcError(
                data.get("name", "").rpartition(".")[2], data.get("message", "")
            )
        return answer["result"]

    def __call__(self, model, method, *args, **kwargs):
        return self._call(
            "object",
            "execute_kw",
            self.db,
            self.uid,
            self.password,
            model,
            method,
            list(args),
            kwargs,
        )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(process, url, log, timeout=START_TIMEOUT, opener=None):
    """Wait until ``process`` answers ``url``; returns the page. Fails with
    the end of ``log()`` if it exits or does not answer in time."""
    open_url = (opener or urllib.request.build_opener()).open
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited: {log()[-3000:]}")
        try:
            with open_url(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            time.sleep(1)
    raise AssertionError(f"the server did not answer: {log()[-3000:]}")


class OdooServer:
    """``odoo -d DB`` serving HTTP on a free port, with its cron threads."""

    def __init__(self, config, db, log_path, cron_threads=2):
        self.config, self.db, self.log_path = config, db, log_path
        self.cron_threads = cron_threads
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                [
                    os.environ.get("ODOO_BIN", "odoo"),
                    "-c",
                    self.config,
                    "-d",
                    self.db,
                    f"--db-filter=^{self.db}$",
                    f"--http-port={self.port}",
                    "--http-interface=127.0.0.1",
                    f"--max-cron-threads={self.cron_threads}",
                    "--log-level=info",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until_serving(self.process, f"{self.url}/web/health", self.log)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self):
        with open(self.log_path, errors="replace") as log:
            return log.read()

    def log_tail(self, lines=40):
        """The server's last log lines but its HTTP requests (the polling
        of the wait itself): what a wait that failed quotes."""
        kept = [line for line in self.log().splitlines() if " werkzeug: " not in line]
        tail = "\n".join(kept[-lines:])
        return f"the server's last {lines} log lines but its requests:\n{tail}"

    def xmlrpc(self, login, password):
        return XmlRpc(self.url, self.db, login, password)

    def jsonrpc(self, login, password):
        return JsonRpc(self.url, self.db, login, password)

    def psql(self, query, db=None):
        return subprocess.run(
            ["psql", "-d", db or self.db, "-Atc", query],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    def trigger_cron(self, xmlid):
        """Schedule the action ``xmlid`` now, as ``ir.cron._trigger()`` does:
        a trigger row and a notification that wakes the server's cron
        threads."""
        module, name = xmlid.split(".")
        self.psql(
            "INSERT INTO ir_cron_trigger (cron_id, call_at) "
            "SELECT res_id, now() AT TIME ZONE 'UTC' FROM ir_model_data "
            f"WHERE module = '{module}' AND name = '{name}' AND model = 'ir.cron'"
        )
        # The cron threads listen on the server's 'postgres' database.
        self.psql(f"SELECT pg_notify('cron_trigger', '{self.db}')", db="postgres")

    def wait_until(self, condition, what, timeout=180):
        """Poll ``condition()`` until it returns something true."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(1)
        raise AssertionError(f"{what}: not after {timeout} s\n{self.log_tail()}")
