"""The one exception tree of Tongban. Every error a client can see has a stable ``code``.

The code travels to clients as ``extensions.code`` of a GraphQL error, or as ``error.code`` of a
JSON body on the plain HTTP routes. Codes are part of the public contract: never rename one.

    TongbanError                        INTERNAL
    ├── ConfigError                     CONFIG_INVALID
    │   └── PolicyError                 POLICY_INVALID
    ├── ManifestError                   MANIFEST_INVALID
    ├── StoreError                      STORE_UNAVAILABLE
    ├── AuditUnavailable                AUDIT_UNAVAILABLE
    ├── AuthError
    │   ├── Unauthenticated             UNAUTHENTICATED
    │   └── Forbidden                   FORBIDDEN
    ├── RequestError                    (the caller asked for something malformed)
    │   ├── MalformedRequest            BAD_REQUEST
    │   ├── InvalidId                   INVALID_ID
    │   ├── UnknownPurpose              PURPOSE_UNKNOWN
    │   ├── PurposeNotAllowed           PURPOSE_NOT_ALLOWED
    │   ├── BatchTooLarge               BATCH_TOO_LARGE
    │   ├── QueryTooDeep                QUERY_TOO_DEEP
    │   ├── QueryTooLarge               QUERY_TOO_LARGE
    │   ├── ClaimInvalid                CLAIM_INVALID
    │   ├── ConsentInvalid              CONSENT_INVALID
    │   ├── ArtefactInvalid             CONSENT_ARTEFACT_INVALID
    │   ├── ConsentRequired             CONSENT_REQUIRED
    │   ├── SeparateConsentRequired     SEPARATE_CONSENT_REQUIRED
    │   ├── CategoryNotAllowed          CATEGORY_NOT_ALLOWED
    │   ├── ConsentExpired              CONSENT_EXPIRED
    │   ├── ConsentRevoked              CONSENT_REVOKED
    │   └── PageInvalid                 PAGE_INVALID
    ├── NotFound                        NOT_FOUND
    │   └── AuditNotFound               AUDIT_NOT_FOUND
    ├── SourceError                     (a department failed us, not the caller)
    │   ├── SourceUnavailable           SOURCE_UNAVAILABLE
    │   │   └── SourceUnreachable       SOURCE_UNAVAILABLE
    │   ├── SourceTimeout               SOURCE_TIMEOUT
    │   ├── SourceBadResponse           SOURCE_BAD_RESPONSE
    │   ├── SourceSignatureInvalid      SOURCE_SIGNATURE_INVALID
    │   ├── SourceDisabled              SOURCE_DISABLED
    │   └── SourceCircuitOpen           SOURCE_CIRCUIT_OPEN
    └── AuditError                      (audit-log evidence does not hold up)
        ├── AuditMalformed              AUDIT_MALFORMED
        ├── AuditKeyUnknown             AUDIT_KEY_UNKNOWN
        ├── AuditSignatureInvalid       AUDIT_SIGNATURE_INVALID
        └── AuditProofInvalid           AUDIT_PROOF_INVALID

Policy denials (PurposeNotAllowed, ConsentRequired … ConsentRevoked) are also per-field errors: a
denied field fails alone, and the rest of the answer still comes back.

Foreign exceptions are mapped at the boundary where they arise (``raise X(...) from exc``), so
nothing above a transport or a store ever sees an HTTP client, asyncpg or sqlite3 exception.
"""

from __future__ import annotations

from typing import ClassVar


class TongbanError(Exception):
    """Base of every error Tongban raises on purpose."""

    code: ClassVar[str] = "INTERNAL"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def extensions(self) -> dict[str, str]:
        """What a GraphQL error carries for this exception (graphql-core copies it over)."""
        return {"code": self.code}


class ConfigError(TongbanError):
    """A setting is missing or malformed; the message names the variable."""

    code = "CONFIG_INVALID"


class PolicyError(ConfigError):
    """A policy file is malformed; ``place`` points into it (path and line), as ManifestError's
    ``path`` does into a manifest. The hub does not start on a half-read policy."""

    code = "POLICY_INVALID"

    def __init__(self, source: str, place: str, reason: str) -> None:
        super().__init__(f"{source}: {place or '<document>'}: {reason}")
        self.source = source
        self.place = place
        self.reason = reason


class ManifestError(TongbanError):
    """A connector manifest is malformed; ``path`` points into the document."""

    code = "MANIFEST_INVALID"

    def __init__(self, source: str, path: str, reason: str) -> None:
        super().__init__(f"{source}: {path or '<document>'}: {reason}")
        self.source = source
        self.path = path
        self.reason = reason


class StoreError(TongbanError):
    """The database could not be reached or refused the operation."""

    code = "STORE_UNAVAILABLE"


class AuditUnavailable(TongbanError):
    """The audit record could not be made durable, so the data it covers must not leave."""

    code = "AUDIT_UNAVAILABLE"


class AuthError(TongbanError):
    """The caller is not who it must be."""


class Unauthenticated(AuthError):
    code = "UNAUTHENTICATED"


class Forbidden(AuthError):
    code = "FORBIDDEN"


class RequestError(TongbanError):
    """The caller asked for something malformed; asking again the same way fails again."""


class MalformedRequest(RequestError):
    """The HTTP request itself is not a GraphQL request (no JSON, no query, wrong types)."""

    code = "BAD_REQUEST"


class InvalidId(RequestError):
    code = "INVALID_ID"


class UnknownPurpose(RequestError):
    code = "PURPOSE_UNKNOWN"


class PurposeNotAllowed(RequestError):
    code = "PURPOSE_NOT_ALLOWED"


class BatchTooLarge(RequestError):
    code = "BATCH_TOO_LARGE"


class QueryTooDeep(RequestError):
    code = "QUERY_TOO_DEEP"


class QueryTooLarge(RequestError):
    code = "QUERY_TOO_LARGE"


class ClaimInvalid(RequestError):
    """A claim names an unknown field or operator, or an operand of the wrong type."""

    code = "CLAIM_INVALID"


class ConsentInvalid(RequestError):
    """A consent grant the policy cannot honour as asked (scope, validity, bundling)."""

    code = "CONSENT_INVALID"


class ArtefactInvalid(RequestError):
    """A consent artefact is malformed or its signature does not verify."""

    code = "CONSENT_ARTEFACT_INVALID"


class ConsentRequired(RequestError):
    code = "CONSENT_REQUIRED"


class SeparateConsentRequired(RequestError):
    """Sensitive data (PIPL Art. 28) needs the citizen's separate consent, whatever the purpose."""

    code = "SEPARATE_CONSENT_REQUIRED"


class CategoryNotAllowed(RequestError):
    code = "CATEGORY_NOT_ALLOWED"


class ConsentExpired(RequestError):
    code = "CONSENT_EXPIRED"


class ConsentRevoked(RequestError):
    code = "CONSENT_REVOKED"


class PageInvalid(RequestError):
    """A page's cursor is not one the field handed out, or its size is out of range."""

    code = "PAGE_INVALID"


class NotFound(TongbanError):
    code = "NOT_FOUND"


class AuditNotFound(NotFound):
    """The audit log has no entry at that index, or no checkpoint of that tree size."""

    code = "AUDIT_NOT_FOUND"


class SourceError(TongbanError):
    """A department failed to answer usefully; ``department`` names it."""

    def __init__(self, department: str, message: str) -> None:
        super().__init__(f"{department}: {message}")
        self.department = department

    @property
    def extensions(self) -> dict[str, str]:
        return {"code": self.code, "department": self.department}


class SourceUnavailable(SourceError):
    code = "SOURCE_UNAVAILABLE"


class SourceUnreachable(SourceUnavailable):
    """No answer came back at all (connection refused, reset or dropped): an idempotent read may
    be sent again. Clients see SOURCE_UNAVAILABLE; the class only tells the retry apart."""


class SourceTimeout(SourceError):
    code = "SOURCE_TIMEOUT"


class SourceBadResponse(SourceError):
    code = "SOURCE_BAD_RESPONSE"


class SourceSignatureInvalid(SourceError):
    code = "SOURCE_SIGNATURE_INVALID"


class SourceDisabled(SourceError):
    """The connector was disabled while the request was under way; new requests no longer
    see its domains at all."""

    code = "SOURCE_DISABLED"


class SourceCircuitOpen(SourceError):
    """The department failed repeatedly; the hub stops asking it until a probe succeeds."""

    code = "SOURCE_CIRCUIT_OPEN"


class AuditError(TongbanError):
    """Audit-log evidence (an entry, a note, a checkpoint, a proof) failed a check."""


class AuditMalformed(AuditError):
    """The bytes are not in the documented format: a leaf, a signed note, a key or a checkpoint."""

    code = "AUDIT_MALFORMED"


class AuditKeyUnknown(AuditError):
    """No signature on a note comes from a key the verifier trusts."""

    code = "AUDIT_KEY_UNKNOWN"


class AuditSignatureInvalid(AuditError):
    """A trusted key's signature does not verify: the note was altered or forged."""

    code = "AUDIT_SIGNATURE_INVALID"


class AuditProofInvalid(AuditError):
    """A Merkle proof does not verify, or two tree heads cannot both be true."""

    code = "AUDIT_PROOF_INVALID"
