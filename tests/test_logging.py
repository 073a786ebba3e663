"""One JSON line per request and per error, with a request id; Sentry when set.

The lines are read from the console of a process configured by the settings
alone, as gunicorn's workers are, so the test covers LOGGING as well as the
middleware; the fields a staff request adds are read in this process.
"""

import json
import logging
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings

from tests.test_settings import run_with_env

# A process of the site: requests through Django's test client, which runs
# every middleware, the page cache included.
REQUESTS = """
import django
django.setup()
from django.test import Client, override_settings
client = Client(raise_request_exception=False)
client.get("/robots.txt", headers={{"X-Request-ID": "from-nginx-42"}})
response = client.get("/robots.txt")
print("response id", response.headers["X-Request-ID"])
client.get("/robots.txt", headers={{"X-Request-ID": "not valid <script>"}})
with override_settings(ROOT_URLCONF="tests.urls_raising"):
    client.get("/boom/", headers={{"Cookie": "theme=cookie-secret-x"}})
{after}
"""


def run_requests(after="", **env):
    return run_with_env(
        REQUESTS.format(after=after),
        DJANGO_SECRET_KEY="x",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_DEBUG="false",
        DATABASE_URL="sqlite:///:memory:",
        DJANGO_LOG_LEVEL="INFO",
        DJANGO_STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        # Any folder that exists: whitenoise warns of a missing one on stderr.
        STATIC_ROOT=str(settings.BASE_DIR / "static"),
        **env,
    )


@pytest.fixture(scope="module")
def logged():
    """The console of a process that served four requests, as JSON lines."""
    result = run_requests()
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert lines
    return {"lines": lines, "stdout": result.stdout}


def request_lines(logged):
    return [line for line in logged["lines"] if line["logger"] == "heseltine.requests"]


def test_each_request_is_one_json_line_with_what_it_was_and_took(logged):
    lines = request_lines(logged)
    assert len(lines) == 4
    first = lines[0]
    assert first["method"] == "GET"
    assert first["path"] == "/robots.txt"
    assert first["status"] == HTTPStatus.OK
    assert first["duration_ms"] >= 0
    assert first["level"] == "INFO"
    assert "user_id" not in first


def test_a_request_id_from_the_proxy_is_kept(logged):
    assert request_lines(logged)[0]["request_id"] == "from-nginx-42"


def test_a_request_without_an_id_gets_a_new_one_returned_in_the_response(logged):
    given = request_lines(logged)[1]["request_id"]
    assert len(given) == 32
    assert f"response id {given}" in logged["stdout"]


def test_an_id_that_is_not_a_plain_token_is_replaced(logged):
    assert request_lines(logged)[2]["request_id"] != "not valid <script>"


def test_an_error_is_one_line_with_its_traceback_and_the_requests_id(logged):
    (error,) = [line for line in logged["lines"] if line["level"] == "ERROR"]
    failed = request_lines(logged)[3]
    assert failed["status"] == HTTPStatus.INTERNAL_SERVER_ERROR
    assert error["request_id"] == failed["request_id"]
    assert "RuntimeError: Deliberate failure" in error["traceback"]


@pytest.mark.django_db
def test_a_staff_request_is_logged_with_the_users_id(admin_client, admin_user, caplog):
    caplog.set_level(logging.INFO, logger="heseltine.requests")
    response = admin_client.get("/admin/")
    (record,) = [r for r in caplog.records if r.name == "heseltine.requests"]
    assert record.user_id == admin_user.pk
    assert response.headers["X-Request-ID"]


class Collector(BaseHTTPRequestHandler):
    """A stand-in for Sentry's ingestion endpoint: keeps what it is sent."""

    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.path, self.headers.get("Content-Encoding"), body))
        self.send_response(HTTPStatus.OK)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def collector():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    Collector.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def decoded(body, encoding):
    if encoding == "gzip":
        import gzip

        return gzip.decompress(body).decode()
    if encoding == "br":
        import brotli

        return brotli.decompress(body).decode()
    return body.decode()


def test_with_sentry_dsn_set_an_error_is_reported_without_personal_data(collector):
    port = collector.server_address[1]
    result = run_requests(
        after="import sentry_sdk; sentry_sdk.flush(timeout=5)",
        SENTRY_DSN=f"http://publickey@127.0.0.1:{port}/7",
    )
    assert result.returncode == 0, result.stderr
    events = [
        decoded(body, encoding)
        for path, encoding, body in Collector.received
        if path.startswith("/api/7/envelope/")
    ]
    reported = [event for event in events if "Deliberate failure" in event]
    assert reported, f"no error event among {len(events)} envelopes"
    event = json.loads(reported[0].splitlines()[2])
    assert "cookie-secret-x" not in reported[0]
    assert "Cookie" not in event["request"].get("headers", {})
    assert "ip_address" not in event.get("user", {})
    frames = event["exception"]["values"][-1]["stacktrace"]["frames"]
    assert not any("vars" in frame for frame in frames)


def test_without_sentry_dsn_sentry_is_not_initialised():
    result = run_with_env(
        "import django; django.setup(); import sentry_sdk; "
        "print(sentry_sdk.is_initialized())",
        DJANGO_SECRET_KEY="x",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_DEBUG="false",
    )
    assert result.stdout.strip() == "False", result.stderr
