"""The disclosure auditor: attack published outputs the way a careful reader would.

``jamkoll audit-disclosure DIR...`` and :func:`audit_paths` read report workbooks, ``analysis.json``
and ``published.json`` files, turn every published number into a constraint on the true counts
(:mod:`jamkoll.audit.model`), compute the integer feasibility interval of every hidden cell
(:mod:`jamkoll.audit.solver`) and flag cells whose interval is narrower than the protection range
(:class:`ProtectionRule`), plus direct leaks (:mod:`jamkoll.audit.leaks`). Method and limits:
``docs/disclosure-audit.md``.
"""

from jamkoll.audit.audit import audit, audit_paths, read_outputs
from jamkoll.audit.facts import ALL, SUM, CellId, Fact, Published, SumRelation, facts_to_json, read_published
from jamkoll.audit.leaks import Leak, find_leaks
from jamkoll.audit.result import ATTACKS, AuditResult, Exposure, ProtectionRule

__all__ = [
    "ALL",
    "ATTACKS",
    "SUM",
    "AuditResult",
    "CellId",
    "Exposure",
    "Fact",
    "Leak",
    "ProtectionRule",
    "Published",
    "SumRelation",
    "audit",
    "audit_paths",
    "facts_to_json",
    "find_leaks",
    "read_outputs",
    "read_published",
]
