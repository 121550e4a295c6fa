"""A real IMAP server for tests: Debian's Dovecot on 127.0.0.1 with a throw-away mail store.

The configuration is a file of our own in a throw-away folder (no system configuration
is read or written); the users are made before the start, in a passwd file there, and
each test takes a fresh one with an empty mail store.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USERS = 200  # Dovecot caches the passwd file: every user is there from the start
_CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
mail_max_userip_connections = 100
first_valid_uid = 1
auth_failure_delay = 0
{users}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
protocol imap {{
  imap_idle_notify_interval = 1 secs
}}
"""


@dataclass(frozen=True)
class MailUser:
    host: str
    port: int
    user: str
    password: str


class Dovecot:
    """A running Dovecot; `add_user` makes a fresh account.

    Its folder is made here, not in pytest's temporary folder: Dovecot's own processes
    run as the unprivileged `dovecot` and `mail` users, who may not enter the tester's
    private temporary folders. It is removed again by `stop`.
    """

    def __init__(self, tls: bool = False) -> None:
        """With `tls`, IMAPS on `tls_port` and STARTTLS on `port`, a certificate of its own (`ca_file`)."""
        self.root = Path(tempfile.mkdtemp(prefix="foa-dovecot-"))
        self.root.chmod(0o755)
        self.port = _free_port()
        self.tls = tls
        self.tls_port = _free_port() if tls else 0
        self.ca_file = self.root / "cert.pem"
        self._users = [(f"user{n}", secrets.token_hex(8)) for n in range(1, USERS + 1)]
        self._next = iter(self._users)
        self._process: subprocess.Popen | None = None

    def start(self) -> "Dovecot":
        # Modes set outright: an archive opened earlier in this test process may have set a private umask,
        # and Dovecot's unprivileged auth and login processes must still read these.
        for folder in ("run", "state", "mail"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
            (self.root / folder).chmod(0o755)
        (self.root / "passwd").write_text("".join(f"{name}:{{PLAIN}}{password}\n" for name, password in self._users))
        (self.root / "passwd").chmod(0o644)
        uid, gid, users = _mail_owner()
        if os.geteuid() == 0:
            os.chown(self.root / "mail", uid, gid)
        config = self.root / "dovecot.conf"
        ssl = "ssl = no"
        if self.tls:
            _write_certificate(self.ca_file, self.root / "key.pem")
            ssl = f"ssl = yes\nssl_cert = <{self.ca_file}\nssl_key = <{self.root / 'key.pem'}"
        config.write_text(
            _CONFIG.format(
                root=self.root, port=self.port, uid=uid, gid=gid, users=users, ssl=ssl, tls_port=self.tls_port
            )
        )
        config.chmod(0o644)
        self._process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        self._await_port()
        return self

    def add_user(self) -> MailUser:
        """A user nobody has used yet (its mailbox is made at the first login)."""
        name, password = next(self._next)
        return MailUser("127.0.0.1", self.port, name, password)

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def _await_port(self) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                output = self._process.stdout.read().decode(errors="replace")
                raise RuntimeError(f"dovecot did not start: {output}\n{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)  # the listener is not bound yet; there is no event to wait on
        raise RuntimeError(f"dovecot did not listen on {self.port}: {self.log()}")


def _mail_owner() -> tuple[int, int, str]:
    """Mail files owned by the Debian `mail` user when root; by ourselves otherwise."""
    if os.geteuid() == 0:
        entry = pwd.getpwnam("mail")
        return entry.pw_uid, entry.pw_gid, "default_internal_user = dovecot\ndefault_login_user = dovenull"
    me = pwd.getpwuid(os.geteuid()).pw_name
    return os.geteuid(), os.getegid(), f"default_internal_user = {me}\ndefault_login_user = {me}"


def _write_certificate(cert: Path, key: Path) -> None:
    """A self-signed certificate for 127.0.0.1 and localhost (the test's own CA)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(private, hashes.SHA256())
    )
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key.chmod(0o644)  # dovecot's login processes read it after dropping root


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
