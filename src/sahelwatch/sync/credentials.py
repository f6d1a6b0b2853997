"""Where API credentials (and ACLED's cached OAuth token) are kept: the OS keyring, else a 0600 file.

Order of lookup: environment variables (``SAHELWATCH_ACLED_EMAIL`` + ``SAHELWATCH_ACLED_PASSWORD``,
``SAHELWATCH_UCDP_TOKEN``: for cron and CI), then the keyring when the ``keyring`` package
and a usable backend are present, then ``credentials.json`` (mode 0600) in the config
directory: ``$SAHELWATCH_CONFIG_DIR``, else ``$XDG_CONFIG_HOME/sahelwatch``, else
``~/.config/sahelwatch``. ``SAHELWATCH_CREDENTIALS=file`` forces the file.

Nothing here prints or logs a value; :func:`describe` shows only where things are kept.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..domain.errors import AuthError, UsageError

SERVICES = {"acled": ("email", "password"), "ucdp": ("token",)}
KEYRING_SERVICE = "sahelwatch"
ENV = {("acled", "email"): "SAHELWATCH_ACLED_EMAIL", ("acled", "password"): "SAHELWATCH_ACLED_PASSWORD",
       ("ucdp", "token"): "SAHELWATCH_UCDP_TOKEN"}


def config_dir() -> Path:
    if os.environ.get("SAHELWATCH_CONFIG_DIR"):
        return Path(os.environ["SAHELWATCH_CONFIG_DIR"]).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base).expanduser() / "sahelwatch"


def _file() -> Path:
    return config_dir() / "credentials.json"


def _keyring():
    """The keyring module when it has a real backend, else None."""
    if os.environ.get("SAHELWATCH_CREDENTIALS", "auto") == "file":
        return None
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        if isinstance(keyring.get_keyring(), fail.Keyring):
            return None
    except Exception:  # a broken backend is the same as none
        return None
    return keyring


def backend() -> str:
    return "keyring" if _keyring() else f"file {_file()} (mode 0600)"


def _read_file() -> dict:
    p = _file()
    if not p.exists():
        return {}
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except ValueError:
        return {}


def _write_file(data: dict) -> None:
    p = _file()
    p.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = p.with_name(f".{p.name}.tmp-{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, p)


def _get(service: str, name: str) -> str | None:
    kr = _keyring()
    if kr:
        return kr.get_password(KEYRING_SERVICE, f"{service}.{name}")
    return _read_file().get(service, {}).get(name)


def _set(service: str, name: str, value: str | None) -> None:
    kr = _keyring()
    if kr:
        if value is None:
            try:
                kr.delete_password(KEYRING_SERVICE, f"{service}.{name}")
            except Exception:
                pass
        else:
            kr.set_password(KEYRING_SERVICE, f"{service}.{name}", value)
        return
    data = _read_file()
    entry = data.setdefault(service, {})
    if value is None:
        entry.pop(name, None)
    else:
        entry[name] = value
    _write_file(data)


def set_credentials(service: str, **values: str) -> str:
    """Store credentials; returns where (for the user, never the values)."""
    if service not in SERVICES:
        raise UsageError(f"unknown service {service!r}", choices=sorted(SERVICES))
    for name in SERVICES[service]:
        if not values.get(name):
            raise UsageError(f"credentials set {service}: {name} is empty")
    for name in SERVICES[service]:
        _set(service, name, values[name])
    if service == "acled":
        _set("acled", "token", None)  # a new login invalidates the cached token
    return backend()


def get_credentials(service: str) -> dict[str, str]:
    """The stored credentials; AuthError saying how to set them when any is missing."""
    out = {}
    for name in SERVICES[service]:
        v = os.environ.get(ENV[(service, name)]) or _get(service, name)
        if not v:
            raise AuthError(service.upper(), f"no {name} stored",
                            f"run `sahelwatch credentials set {service}` (or set {ENV[(service, name)]})")
        out[name] = v
    return out


def describe(service: str) -> str:
    """Which credentials are set and where, without any value."""
    have = [n for n in SERVICES[service] if os.environ.get(ENV[(service, n)]) or _get(service, n)]
    src = "environment" if any(os.environ.get(ENV[(service, n)]) for n in SERVICES[service]) else backend()
    return f"{service}: {', '.join(have) or 'nothing'} set ({src})"


def token_cache(service: str = "acled"):
    """(load, save) of the cached OAuth token, kept beside the credentials."""

    def load() -> dict | None:
        raw = _get(service, "token")
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            return None

    def save(tok: dict) -> None:
        _set(service, "token", json.dumps(tok))

    return load, save


def secret_values() -> list[str]:
    """Every stored secret (for tests that check nothing leaks)."""
    out = []
    for service, names in SERVICES.items():
        for n in names:
            v = os.environ.get(ENV[(service, n)]) or _get(service, n)
            if v and n != "email":
                out.append(v)
    return out
