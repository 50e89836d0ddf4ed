"""How the client names what went wrong: bad certificates and records that do not exist (real HTTP)."""

from __future__ import annotations

import datetime
import json
import shutil
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from app.api import DearClient, RateGovernor
from app.api.answers import record_noun
from app.errors import (
    EXIT_API,
    CertificateError,
    RecordNotFoundError,
    RequestRejectedError,
    exit_code_for,
)
from app.models import Connection, RateLimit
from app.sandbox import Sandbox

FAST = RateLimit(1000, 1.0)


def client_on(base_url: str, key: str = "key-for-answers-tests-123456", **kwargs: Any) -> DearClient:
    conn = Connection("Test company", "account", key, base_url=base_url, rate_limit=FAST)
    return DearClient(conn, governor=RateGovernor(FAST), **kwargs)


def sandbox_client(sb: Sandbox) -> DearClient:
    conn = Connection(
        "Test company", sb.account_id, sb.application_key, base_url=sb.base_url, rate_limit=FAST
    )
    return DearClient(conn, governor=RateGovernor(FAST))


# --------------------------------------------------------------------------- a tiny scripted server


class Scripted(ThreadingHTTPServer):
    """Answers every GET with one fixed status and body; counts connections and requests."""

    daemon_threads = True

    def __init__(self, status: int, body: str, content_type: str = "application/json") -> None:
        super().__init__(("127.0.0.1", 0), _ScriptedHandler)
        self.status, self.body, self.content_type = status, body, content_type
        self.connections = 0
        self.requests = 0

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a refused handshake is the point of one test, not news for stderr

    def get_request(self) -> tuple[Any, Any]:
        self.connections += 1
        return super().get_request()

    @property
    def base_url(self) -> str:
        scheme = "https" if isinstance(self.socket, ssl.SSLSocket) else "http"
        return f"{scheme}://localhost:{self.server_address[1]}/ExternalApi/v2/"


class _ScriptedHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Scripted

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.server.requests += 1
        payload = self.server.body.encode("utf-8")
        self.send_response(self.server.status)
        self.send_header("Content-Type", self.server.content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture
def serve() -> Iterator[Callable[..., Scripted]]:
    servers: list[Scripted] = []

    def start(status: int, body: Any, *, tls: ssl.SSLContext | None = None, **kw: Any) -> Scripted:
        text = body if isinstance(body, str) else json.dumps(body)
        server = Scripted(status, text, **kw)
        if tls is not None:
            server.socket = tls.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------- certificates


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A throw-away certificate for localhost: with `cryptography` if installed, else the openssl tool."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:
        tool = shutil.which("openssl")
        if tool is None:
            pytest.fail("Neither the cryptography package nor the openssl tool is available")
        subprocess.run(
            [
                tool,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-keyout",
                str(key),
                "-out",
                str(cert),
            ],
            check=True,
            capture_output=True,
        )
        return cert, key
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(private, hashes.SHA256())
    )
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert, key


def test_a_self_signed_certificate_is_named_at_once_and_never_retried(
    serve: Callable[..., Scripted], tmp_path: Path
) -> None:
    cert, key = self_signed(tmp_path)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    server = serve(200, {"Name": "Demo"}, tls=tls)
    with client_on(server.base_url, max_attempts=5) as client, pytest.raises(CertificateError) as info:
        client.me()
    error = info.value
    assert error.message.startswith("DEAR's certificate could not be checked: ")
    assert "self-signed" in error.message or "self signed" in error.message
    assert "internet connection" not in error.message
    assert client.stats.retries == 0
    assert server.connections == 1  # one handshake: no retry by us, none by urllib3
    assert exit_code_for(error) == EXIT_API == 4


# --------------------------------------------------------------------------- records that do not exist


def test_a_detail_deleted_after_the_list_is_skipped_and_the_rest_arrive(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sb = make_sandbox(rate_limit=None)
    with sandbox_client(sb) as client:
        rows = [r for batch in client.list_pager("saleList", "SaleList", id_field="SaleID") for r in batch]
        ids = [str(r["SaleID"]) for r in rows[:6]]
        gone = "00000000-0000-0000-0000-0000000000ab"
        wanted = [*ids[:3], gone, *ids[3:]]
        got = list(client.fetch_details("sale", "ID", wanted))
    assert [record_id for record_id, _ in got] == wanted
    assert dict(got)[gone] is None
    assert all(doc is not None and str(doc["ID"]).lower() == i.lower() for i, doc in got if i != gone)


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (400, [{"ErrorCode": 400, "Exception": "Sale not found"}]),  # DEAR's wording as seen in production
        (400, {"ErrorCode": 400, "Exception": "Sale with ID 1234 was not found."}),
        (404, [{"ErrorCode": 404, "Exception": "Not found"}]),
    ],
)
def test_dear_wordings_of_a_missing_record_are_recognised(
    serve: Callable[..., Scripted], status: int, body: Any
) -> None:
    server = serve(status, body)
    with client_on(server.base_url) as client:
        got = list(client.fetch_details("sale", "ID", ["1234"]))
        assert got == [("1234", None)]
        with pytest.raises(RecordNotFoundError) as info:
            client.get("sale", {"ID": "1234"})
        assert client.stats.retries == 0
    assert info.value.message == "DEAR has no sale with ID 1234."
    assert info.value.record_id == "1234"
    assert "filter" not in info.value.user_text().lower()


def test_a_lookup_by_id_that_finds_nothing_says_so_not_blame_the_filters(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sb = make_sandbox(rate_limit=None)
    missing = "00000000-0000-0000-0000-0000000000cd"
    with sandbox_client(sb) as client, pytest.raises(RecordNotFoundError) as info:
        client.get("purchase", {"ID": missing})
    assert info.value.message == f"DEAR has no purchase with ID {missing}."
    assert "check the filters" not in info.value.user_text().lower()


def test_a_web_page_404_is_still_an_unknown_address_even_for_details(
    serve: Callable[..., Scripted],
) -> None:
    server = serve(404, "<html><body>Page not found</body></html>", content_type="text/html")
    with client_on(server.base_url) as client, pytest.raises(RequestRejectedError) as info:
        list(client.fetch_details("saleTypo", "ID", ["1234"]))
    assert info.value.message == "DEAR does not know the address saleTypo."


def test_other_refusals_still_name_the_filter(serve: Callable[..., Scripted]) -> None:
    server = serve(
        400, [{"ErrorCode": 400, "Exception": "'last week' is not a valid value for UpdatedSince"}]
    )
    with client_on(server.base_url) as client, pytest.raises(RequestRejectedError) as info:
        client.get("saleList", {"UpdatedSince": "last week"})
    assert "UpdatedSince" in info.value.message


def test_record_nouns_read_as_words() -> None:
    assert record_noun("sale") == "sale"
    assert record_noun("advanced-purchase") == "advanced purchase"
    assert record_noun("/production/productionOrder") == "production order"


def test_a_missing_record_named_by_another_id_is_named_as_that_record(serve: Callable[..., Scripted]) -> None:
    server = serve(400, [{"ErrorCode": 400, "Exception": "Location 77 was not found."}])
    with client_on(server.base_url) as client, pytest.raises(RecordNotFoundError) as info:
        client.get("saleList", {"OrderLocationID": "77", "Page": 1})
    assert info.value.message == "DEAR has no order location with ID 77."


def test_not_found_without_an_id_quotes_dear(serve: Callable[..., Scripted]) -> None:
    server = serve(404, {"ErrorCode": 404, "Exception": "Account not found"})
    with client_on(server.base_url) as client, pytest.raises(RecordNotFoundError) as info:
        client.me()
    assert info.value.message == 'DEAR found nothing to answer for me: "Account not found"'
