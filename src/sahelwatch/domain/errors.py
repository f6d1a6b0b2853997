"""One exception root for sahelwatch.

Every error dual-inherits a builtin so callers can catch what they expect
(``ValueError``, ``LookupError``...). Exceptions carry data as attributes and
never log or do I/O; the CLI and HTTP layers turn them into one-line messages.
"""

from __future__ import annotations


class SahelwatchError(Exception):
    """Root of every error raised on purpose by sahelwatch."""


class UsageError(SahelwatchError, ValueError):
    """A bad argument: unknown choice, empty range, malformed value."""

    def __init__(self, message: str, *, choices: list[str] | None = None):
        if choices:
            message = f"{message} (valid: {', '.join(choices)})"
        super().__init__(message)
        self.choices = choices or []


class SourceFormatError(SahelwatchError, ValueError):
    """A file is not the format it was claimed to be (wrong header, not a CSV).

    Refused before anything is written: no snapshot is made.
    """

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path


class StoreError(SahelwatchError, RuntimeError):
    """The store is missing, damaged or in an unexpected state."""


class StoreBusyError(StoreError):
    """Another process holds the ingest lock."""

    def __init__(self, home: str, holder: str = ""):
        msg = f"another ingest is running on {home}"
        if holder:
            msg += f" ({holder})"
        super().__init__(msg + "; wait for it to finish and try again")
        self.home = home
        self.holder = holder


class SnapshotNotFound(SahelwatchError, LookupError):
    def __init__(self, snapshot: int, available: list[int]):
        rng = f"{min(available)}..{max(available)}" if available else "none yet"
        super().__init__(f"snapshot {snapshot} does not exist (snapshots: {rng})")
        self.snapshot = snapshot
        self.available = available


class MappingError(SahelwatchError, ValueError):
    """A column mapping file for generic CSV ingest is invalid."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path


class RegistryError(SahelwatchError, ValueError):
    """A bloc registry file is invalid; names the file, entry and field."""

    def __init__(self, path: str, entry: str, field: str, message: str):
        super().__init__(f"{path}: {entry}: {field}: {message}")
        self.path = path
        self.entry = entry
        self.field = field


class BoundaryError(SahelwatchError, ValueError):
    """A boundary file cannot be used (no CRS, non-WGS84, invalid geometry)."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path


class SyncError(SahelwatchError, RuntimeError):
    """A sync with a remote API could not finish. The store is unchanged; rerunning resumes.

    ``what`` says what happened and ``todo`` what to do; neither ever holds a credential.
    """

    def __init__(self, service: str, what: str, todo: str = ""):
        super().__init__(f"{service}: {what}" + (f" — {todo}" if todo else ""))
        self.service = service
        self.what = what
        self.todo = todo


class AuthError(SyncError):
    """The service refused the credentials (wrong, expired or missing)."""


class AccessDenied(SyncError):
    """The credentials work but the account may not read this data (HTTP 403)."""


class NetworkError(SyncError):
    """The service cannot be reached (no network, DNS, proxy, firewall, timeouts)."""


class ServiceError(SyncError):
    """The service kept failing (5xx, 429, dropped connections) after bounded retries."""


class QuotaExceeded(SyncError):
    """The run would exceed (or has exceeded) the service's request quota."""


__all__ = [
    "SahelwatchError",
    "UsageError",
    "SourceFormatError",
    "StoreError",
    "StoreBusyError",
    "SnapshotNotFound",
    "MappingError",
    "RegistryError",
    "BoundaryError",
    "SyncError",
    "AuthError",
    "AccessDenied",
    "NetworkError",
    "ServiceError",
    "QuotaExceeded",
]
