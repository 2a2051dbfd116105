"""`renewcast serve --workers N`: N server processes on one socket, each opening the same store."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import stop_process


def test_workers_run_the_app_factory_on_the_given_store(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from renewcast.web import app as app_mod

    calls: list[tuple[tuple, dict]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: calls.append((a, k)))
    monkeypatch.delenv(app_mod.SERVE_DB_ENV, raising=False)
    before = sys.getswitchinterval()
    try:
        app_mod.serve("sqlite:////invented/store.db", port=8123, workers=2)
        ((args, kwargs),) = calls
        assert args == ("renewcast.web.app:worker_app",)
        assert kwargs["factory"] is True and kwargs["workers"] == 2 and kwargs["port"] == 8123
        assert os.environ[app_mod.SERVE_DB_ENV] == "sqlite:////invented/store.db"
        # each worker opens the store the parent was given, with the short switch interval
        opened: list[tuple[str | None, bool]] = []
        monkeypatch.setattr(
            app_mod, "create_app", lambda db, warm=False: opened.append((db, warm)) or "app"
        )
        sys.setswitchinterval(0.005)
        assert app_mod.worker_app() == "app"
        assert opened == [("sqlite:////invented/store.db", True)]
        assert sys.getswitchinterval() == app_mod.SWITCH_INTERVAL
    finally:
        sys.setswitchinterval(before)


def test_two_workers_answer_the_same_bytes(synced_db: str) -> None:
    """A real `serve --workers 2`: every request, whichever process takes it, gets the answer
    one process gives."""
    import httpx

    from renewcast.store.db import connect
    from renewcast.web.service import Service, encode_json

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    exe = Path(sys.executable).with_name("renewcast")
    cmd = [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--db", synced_db]
    proc = subprocess.Popen(
        [*cmd, "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, proc.stderr.read().decode()[-2000:] if proc.stderr else ""
            try:
                if httpx.get(base + "/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "serve --workers 2 did not answer within 90 s"
            time.sleep(0.3)
        svc = Service(connect(synced_db))
        sid = svc.resolve("Partner Track", None)
        expected = encode_json(svc.answer(sid, None, None))
        # new connections: the kernel hands them to either worker
        bodies = {
            httpx.get(f"{base}/api/ask", params={"series_id": sid}, timeout=60).content
            for _ in range(6)
        }
        assert bodies == {expected}
    finally:
        stop_process(proc, 15)
