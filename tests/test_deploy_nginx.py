"""The shipped nginx site (deploy/nginx/) passes `nginx -t` and serves as it says.

nginx runs the files as shipped, with only the placeholders a deployment
replaces (certificate, folders, bucket) and the ports changed: a certificate
made for the test, loopback ports, and in place of Varnish a small server
that answers with the headers it was sent. Static files and uploads are
served from folders (or, for media-s3.conf, from a bucket on moto's
S3-compatible server) and their headers checked over HTTPS.
"""

import getpass
import gzip
import http.client
import json
import shutil
import ssl
import subprocess
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings

from tests.redis_server import free_port
from tests.services import missing_service
from tests.test_storage_s3 import new_bucket, s3_endpoint  # noqa: F401

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DEPLOY = Path(settings.BASE_DIR) / "deploy" / "nginx"
HOST = "www.example.ac.uk"
SANDBOX = "default-src 'none'; sandbox"
HASHED = "css/site.0123456789ab.css"


def replaced(text, replacements):
    """`text` with each placeholder replaced; each must be there to replace."""
    for old, new in replacements.items():
        assert old in text, f"{old!r} is no longer in the shipped file"
        text = text.replace(old, new)
    return text


class Echo(BaseHTTPRequestHandler):
    """In place of Varnish: answers with the request's headers, in JSON."""

    def do_GET(self):
        body = json.dumps(dict(self.headers.items())).encode()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def upstream():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


class Nginx:
    """nginx with the shipped site and one media file, in a folder of its own."""

    def __init__(self, root, media_conf, media_replacements, upstream_port):
        if not Path(NGINX).exists():
            missing_service("nginx is not installed (apt-get install nginx)")
        self.root = root
        self.https_port, self.http_port = free_port(), free_port()
        certificate, key = self.make_certificate()
        self.static, self.media = root / "static", root / "media"
        site = replaced(
            (DEPLOY / "heseltine.conf").read_text(),
            {
                "listen 80;": f"listen 127.0.0.1:{self.http_port};",
                "listen [::]:80;\n": "",
                "listen 443 ssl": f"listen 127.0.0.1:{self.https_port} ssl",
                "listen [::]:443 ssl http2;\n": "",
                "/etc/ssl/heseltine/fullchain.pem": str(certificate),
                "/etc/ssl/heseltine/privkey.pem": str(key),
                "/srv/heseltine/static/": f"{self.static}/",
                "server 127.0.0.1:6081;": f"server 127.0.0.1:{upstream_port};",
                "/etc/nginx/snippets/heseltine-media.conf": str(root / "media.conf"),
            },
        )
        (root / "site.conf").write_text(site)
        media = replaced((DEPLOY / media_conf).read_text(), media_replacements)
        (root / "media.conf").write_text(media)
        (root / "nginx.conf").write_text(
            f"user {getpass.getuser()};\n"
            "worker_processes 1;\n"
            f"pid {root}/nginx.pid;\n"
            f"error_log {root}/error.log;\n"
            "events { worker_connections 64; }\n"
            "http {\n"
            "    include /etc/nginx/mime.types;\n"
            f"    access_log {root}/access.log;\n"
            + "".join(
                f"    {kind}_temp_path {root}/{kind};\n"
                for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
            )
            + f"    include {root}/site.conf;\n"
            "}\n"
        )
        self.process = None

    def make_certificate(self):
        certificate, key = self.root / "cert.pem", self.root / "key.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
             "-keyout", key, "-out", certificate, "-days", "1",
             "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST}"],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        return certificate, key

    def command(self, *arguments):
        return [NGINX, "-p", str(self.root), "-c", str(self.root / "nginx.conf"),
                *arguments]  # fmt: skip

    def check(self):
        return subprocess.run(
            self.command("-t"), capture_output=True, text=True, timeout=30
        )

    def start(self):
        self.process = subprocess.Popen(
            self.command("-g", "daemon off;"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            assert self.process.poll() is None, (self.root / "error.log").read_text()
            try:
                self.get("/static/")
                return
            except OSError:
                assert time.monotonic() < deadline, "nginx did not answer"
                time.sleep(0.1)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def get(self, path, headers=None, tls=True, method="GET"):
        """(status, headers, body) of a request for the site's host name."""
        if tls:
            # The test's own certificate, checked; its name is the site's.
            context = ssl.create_default_context(cafile=str(self.root / "cert.pem"))
            context.check_hostname = False
            connection = http.client.HTTPSConnection(
                "127.0.0.1", self.https_port, context=context, timeout=10
            )
        else:
            connection = http.client.HTTPConnection(
                "127.0.0.1", self.http_port, timeout=10
            )
        try:
            connection.request(method, path, headers={"Host": HOST, **(headers or {})})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()


@pytest.fixture(scope="module")
def nginx(tmp_path_factory, upstream):
    """The site with media-local.conf, uploads from a MEDIA_ROOT folder."""
    root = tmp_path_factory.mktemp("nginx")
    server = Nginx(
        root, "media-local.conf", {"/srv/heseltine/media/": f"{root}/media/"}, upstream
    )
    (server.static / "css").mkdir(parents=True)
    stylesheet = b"body { color: #3b1f5b; }\n" * 40
    (server.static / HASHED).write_bytes(stylesheet)
    (server.static / (HASHED + ".gz")).write_bytes(gzip.compress(stylesheet))
    (server.static / "css/site.css").write_bytes(stylesheet)
    (server.media / "uploads").mkdir(parents=True)
    (server.media / "uploads/chart.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    server.start()
    yield server
    server.stop()


def test_the_shipped_site_passes_nginx_t(nginx):
    result = nginx.check()
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_plain_http_is_redirected_to_https(nginx):
    status, headers, _ = nginx.get("/about/?x=1", tls=False)
    assert status == HTTPStatus.MOVED_PERMANENTLY
    assert headers["Location"] == f"https://{HOST}/about/?x=1"


def test_a_hashed_static_file_is_cached_for_a_year_and_sent_compressed(nginx):
    status, headers, body = nginx.get(
        f"/static/{HASHED}", headers={"Accept-Encoding": "gzip"}
    )
    assert status == HTTPStatus.OK
    assert headers["Content-Type"] == "text/css"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body).startswith(b"body {")


def test_a_static_file_under_its_plain_name_is_cached_for_an_hour(nginx):
    status, headers, _ = nginx.get("/static/css/site.css")
    assert status == HTTPStatus.OK
    assert headers["Cache-Control"] == "public, max-age=3600"


def test_an_upload_is_served_with_nosniff_and_a_sandbox(nginx):
    status, headers, _ = nginx.get("/media/uploads/chart.png")
    assert status == HTTPStatus.OK
    assert headers["Content-Type"] == "image/png"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == SANDBOX


def test_a_missing_upload_still_carries_the_headers(nginx):
    status, headers, _ = nginx.get("/media/uploads/nothing.html")
    assert status == HTTPStatus.NOT_FOUND
    assert headers["Content-Security-Policy"] == SANDBOX


def test_pages_go_on_with_the_client_address_scheme_and_a_request_id(nginx):
    status, _, body = nginx.get("/about/", headers={"X-Forwarded-For": "198.51.100.7"})
    assert status == HTTPStatus.OK
    sent = json.loads(body)
    assert sent["Host"] == HOST
    assert sent["X-Forwarded-Proto"] == "https"
    # What the client claimed, then the address nginx saw.
    assert sent["X-Forwarded-For"] == "198.51.100.7, 127.0.0.1"
    assert len(sent["X-Request-ID"]) == 32


@pytest.fixture(scope="module")
def nginx_with_bucket(tmp_path_factory, upstream, s3_endpoint):  # noqa: F811
    """The site with media-s3.conf, uploads from a bucket on moto's server."""
    client, bucket = new_bucket(s3_endpoint)
    client.put_object(
        Bucket=bucket,
        Key="uploads/1/chart.png",
        Body=b"\x89PNG\r\n\x1a\n" + b"0" * 64,
        ContentType="image/png",
        CacheControl="public, max-age=86400",
    )
    root = tmp_path_factory.mktemp("nginx-s3")
    server = Nginx(
        root,
        "media-s3.conf",
        {
            "https://heseltine-media.s3.eu-west-2.amazonaws.com/": (
                f"{s3_endpoint}/{bucket}/"
            )
        },
        upstream,
    )
    server.static.mkdir()
    server.start()
    yield server
    server.stop()


def test_an_upload_from_the_bucket_is_served_with_nosniff_and_a_sandbox(
    nginx_with_bucket,
):
    status, headers, body = nginx_with_bucket.get(
        "/media/uploads/1/chart.png", headers={"Cookie": "sessionid=not-for-s3"}
    )
    assert status == HTTPStatus.OK
    assert body.startswith(b"\x89PNG")
    assert headers["Content-Type"] == "image/png"
    assert headers["Cache-Control"] == "public, max-age=86400"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == SANDBOX
    assert "x-amz-request-id" not in headers


def test_nothing_but_reading_reaches_the_bucket(nginx_with_bucket):
    status, _, _ = nginx_with_bucket.get("/media/uploads/1/chart.png", method="PUT")
    assert status == HTTPStatus.FORBIDDEN
    _, _, body = nginx_with_bucket.get("/media/uploads/1/chart.png")
    assert body.startswith(b"\x89PNG")
