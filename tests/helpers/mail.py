"""Helpers for the mail tests: a local SMTP server (aiosmtpd), keyrings, certificates,
a network to mail."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from keyring.backend import KeyringBackend

from app.db import Database
from app.models import (
    AgendaItem,
    ConsentMethod,
    ConsentRecord,
    ConsentTopic,
    Invitation,
    Meeting,
    Organisation,
    Person,
    PersonEmail,
    Salutation,
    Venue,
)
from app.services.mail_settings import SmtpSecurity, SmtpSettings, save_smtp_settings

BERLIN = ZoneInfo("Europe/Berlin")


SENDER = "quartier@impuls-ag.example"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes


@dataclass
class Recorder:
    """aiosmtpd handler that records every accepted message and can refuse addresses."""

    messages: list[Received] = field(default_factory=list)
    reject: dict[str, str] = field(default_factory=dict)  # address (casefold) → SMTP reply
    logins: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        answer = self.reject.get(address.casefold())
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
            )
        return "250 2.0.0 Message accepted"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            login = (auth_data.login.decode(), auth_data.password.decode())
            self.logins.append(login)
            ok = login == ("anna", "geheim-123")
            return AuthResult(success=ok, handled=False)
        return AuthResult(success=False, handled=False)

    def recipients(self) -> list[str]:
        return [r for message in self.messages for r in message.rcpt_tos]


class LocalController(Controller):
    """aiosmtpd Controller on a free port: with port=0 the stock one probes port 0 and fails."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@dataclass
class SmtpServer:
    controller: LocalController
    handler: Recorder

    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def port(self) -> int:
        return int(self.controller.port)

    def settings(self, **changes: Any) -> SmtpSettings:
        values: dict[str, Any] = {
            "host": self.host,
            "port": self.port,
            "security": SmtpSecurity.NONE,
            "sender_name": "Quartiersmanagement Impuls.Ag",
            "sender_address": SENDER,
            "timeout_seconds": 10.0,
            # A local test server: no provider to throttle (the limit has its own tests).
            "rate_per_minute": 600,
        }
        values.update(changes)
        return SmtpSettings(**values)


def start_server(**kwargs: Any) -> SmtpServer:
    handler = Recorder()
    if kwargs.pop("with_auth", False):
        kwargs["authenticator"] = handler.authenticate
    controller = LocalController(handler, hostname="127.0.0.1", port=0, **kwargs)
    controller.start()
    return SmtpServer(controller, handler)


@dataclass
class Certificates:
    ca_file: Path
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context

    def trusting_client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_file))


def make_certificates(folder: Path) -> Certificates:
    """A private test CA and a server certificate for 127.0.0.1 (and localhost), made with
    ``cryptography`` and written as PEM files into *folder*."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Treffpunkt Test CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    files = Certificates(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    files.ca_file.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    files.cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    files.key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return files


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.store:
            raise PasswordDeleteError("not found")
        del self.store[(service, username)]


class DroppingKeyring(MemoryKeyring):
    """Accepts every password and forgets it at once, like keyring's null backend."""

    def set_password(self, service: str, username: str, password: str) -> None:
        pass


class BrokenKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        from keyring.errors import NoKeyringError

        raise NoKeyringError("No recommended backend was available.")

    def set_password(self, service: str, username: str, password: str) -> None:
        from keyring.errors import NoKeyringError

        raise NoKeyringError("No recommended backend was available.")


@dataclass
class Network:
    meeting_id: int
    people: dict[str, int]  # short key → person id

    def id(self, key: str) -> int:
        return self.people[key]


PEOPLE: list[dict[str, Any]] = [
    {
        "key": "yilmaz",
        "salutation": Salutation.FRAU,
        "first_name": "Ayşe",
        "last_name": "Yılmaz",
        "email": "a.yilmaz@quartier-lehmheide.example",
    },
    {
        "key": "mueller",
        "salutation": Salutation.HERR,
        "title": "Dr.",
        "first_name": "Jens",
        "last_name": "Müller",
        "email": "jens.mueller@sport-im-park.example",
    },
    {
        "key": "oeztuerk",
        "salutation": Salutation.NONE,
        "first_name": "Renée",
        "last_name": "Öztürk-Weiß",
        "email": "renee@vielfeld.example",
    },
    {
        "key": "connolly",
        "salutation": Salutation.FRAU,
        "first_name": "Sarah",
        "last_name": "Connolly",
        "email": "sarah.connolly@funder.example",
        "language": "en",
    },
    {
        "key": "nomail",
        "salutation": Salutation.HERR,
        "first_name": "Klaus",
        "last_name": "Ohnemail",
    },
    {
        "key": "withdrawn",
        "salutation": Salutation.FRAU,
        "first_name": "Petra",
        "last_name": "Widerruf",
        "email": "petra@widerruf.example",
        "withdrawn": True,
    },
    {
        "key": "invalid",
        "salutation": Salutation.HERR,
        "first_name": "Bernd",
        "last_name": "Kaputt",
        "email": "bernd@@kaputt",
    },
]


def add_person(
    session: Any, spec: dict[str, Any], organisation: Organisation | None = None
) -> Person:
    person = Person(
        salutation=spec.get("salutation", Salutation.NONE),
        title=spec.get("title", ""),
        first_name=spec.get("first_name", ""),
        last_name=spec["last_name"],
        preferred_language=spec.get("language", "de"),
        organisation=organisation,
    )
    if spec.get("email"):
        person.emails.append(PersonEmail(address=spec["email"], is_preferred=True))
    if spec.get("withdrawn"):
        person.consents.append(
            ConsentRecord(
                topic=ConsentTopic.EMAIL_INVITATIONS, given=False, method=ConsentMethod.EMAIL
            )
        )
    session.add(person)
    return person


def make_network(
    db: Database, *, extra_people: int = 0, start: dt.datetime | None = None
) -> Network:
    start = start or dt.datetime(2026, 12, 3, 15, 0, tzinfo=BERLIN)
    with db.write() as session:
        organisation = Organisation(name="Quartiersbüro Lehmheide")
        session.add(organisation)
        venue = Venue(
            name="Museumscafé K+",
            street="Am Museum 1",
            postcode="12345",
            city="Musterstadt",
            room="Saal",
            accessibility_notes="Stufenloser Zugang",
        )
        meeting = Meeting(
            title="Auftakt-Netzwerktreffen der Impuls.Ag",
            start=start,
            end=start + dt.timedelta(hours=2),
            venue=venue,
            rsvp_by=(start - dt.timedelta(days=7)).date(),
            description="Wir starten das Netzwerk.",
        )
        session.add(meeting)
        titles = [
            "Begrüßung",
            "Vorstellung der geförderten Projekte",
            "Zusammenarbeit",
            "Zukünftige Ausrichtung",
            "Verschiedenes",
        ]
        for position, title in enumerate(titles, start=1):
            meeting.agenda_items.append(
                AgendaItem(
                    position=position,
                    title=title,
                    planned_minutes=20,
                    presenter_text="Anna Schmidt" if position == 1 else "",
                )
            )
        people: dict[str, int] = {}
        created = []
        for spec in PEOPLE:
            created.append((spec["key"], add_person(session, spec, organisation)))
        for index in range(extra_people):
            spec = {
                "salutation": Salutation.FRAU if index % 2 else Salutation.HERR,
                "first_name": f"Partner{index:02d}",
                "last_name": f"Netzwerk{index:02d}",
                "email": f"partner{index:02d}@netzwerk.example",
            }
            created.append((f"p{index:02d}", add_person(session, spec, organisation)))
        session.flush()
        for key, person in created:
            people[key] = person.id
            session.add(Invitation(meeting_id=meeting.id, person_id=person.id))
        session.flush()
        meeting_id = meeting.id
    save_smtp_settings(
        db,
        SmtpSettings(sender_name="Quartiersmanagement Impuls.Ag", sender_address=SENDER),
    )
    return Network(meeting_id, people)
