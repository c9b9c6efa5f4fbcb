"""Every exception unseen raises on purpose, in one documented tree.

Catch :class:`UnseenError` to catch them all. Messages name files, rows, fields,
record ids and what to do next; they never contain record contents, names,
keys or passphrases.

    UnseenError
    ├── MissingExtra          an optional dependency is not installed
    ├── ConfigError           a settings or mapping file is wrong
    ├── InputError            an input file cannot be used
    │   ├── ValidationFailed  ... and here is every problem in it
    │   └── ValueNotUnderstood one value (a date, a place, a code) could not be read
    ├── CryptoError
    │   ├── DecryptionFailed  wrong key or tampered ciphertext (never retried)
    │   └── SignatureInvalid  a signature does not verify
    └── WorkspaceError
        ├── WorkspaceNotFound
        ├── WorkspaceExists
        ├── WrongPassphrase   unknown user or wrong passphrase (one message for both)
        ├── IntegrityError    the workspace was altered or damaged
        ├── SchemaTooOld      the store needs a migration
        ├── PermissionDenied  the user's role may not do this
        ├── UnknownUser
        └── RecordNotFound
"""

from __future__ import annotations

from dataclasses import dataclass


class UnseenError(Exception):
    """Catch this to catch everything unseen raises."""


class MissingExtra(UnseenError):
    """An optional dependency is needed: the message says which extra to install."""


class ConfigError(UnseenError):
    """A configuration or column-mapping file is invalid."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, precise enough for a non-programmer to fix it.

    ``row`` counts as a spreadsheet user sees it: the header is row 1, the first record row 2.
    ``value`` is never set for identity fields, so a problem report can be logged safely.
    """

    file: str
    row: int | None
    column: str | None
    reason: str
    fix: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        text = f"{where}: {self.reason}"
        return f"{text} ({self.fix})" if self.fix else text


class InputError(UnseenError):
    """An input file cannot be read at all (missing, wrong type, undecodable)."""


class ValidationFailed(InputError):
    """An input file has problems; all of them are listed, and nothing was written."""

    def __init__(self, problems: tuple[Problem, ...] | list[Problem]) -> None:
        self.problems = tuple(problems)
        n = len(self.problems)
        head = "; ".join(str(p) for p in self.problems[:3])
        more = f" (and {n - 3} more)" if n > 3 else ""
        super().__init__(f"{n} problem{'s' if n != 1 else ''}: {head}{more}. Nothing was imported.")


class ValueNotUnderstood(InputError):
    """One value could not be understood; the message lists the accepted forms, not the value."""


class CryptoError(UnseenError):
    """A cryptographic operation failed."""


class DecryptionFailed(CryptoError):
    """Wrong key or tampered data. One message for every cause, by design."""


class SignatureInvalid(CryptoError):
    """A signature does not verify under the expected public key."""


class WorkspaceError(UnseenError):
    """A workspace cannot be opened or used as asked."""


class WorkspaceNotFound(WorkspaceError):
    """No workspace at the given path."""


class WorkspaceExists(WorkspaceError):
    """Refusing to overwrite an existing workspace."""


class WrongPassphrase(WorkspaceError):
    """Unknown user or wrong passphrase; the message does not say which."""


class IntegrityError(WorkspaceError):
    """The workspace was altered or damaged: tampering, truncation or a wrong key. Never retried."""


class SchemaTooOld(WorkspaceError):
    def __init__(self, found: str, need: str) -> None:
        super().__init__(f"store schema {found}, need {need}: run `unseen store migrate`")


class PermissionDenied(WorkspaceError):
    """The user's role does not allow this (e.g. reading identities without the identity key)."""


class UnknownUser(WorkspaceError):
    """No such user in this workspace."""


class RecordNotFound(WorkspaceError):
    """No record with that kind and id."""


class SchemaTooNew(WorkspaceError):
    """The workspace was written by a newer unseen whose store schema this version cannot read."""


class RecordConflict(WorkspaceError):
    """A replicated record version differs from the version already stored under the same id."""
