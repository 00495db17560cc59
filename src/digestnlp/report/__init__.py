"""Batch auditing and reports: rows per card and article, HTML, plots, resumable runs."""

from __future__ import annotations

from digestnlp.report.audit import Auditor, AuditReport, audit
from digestnlp.report.inputs import InputItem, iter_inputs

__all__ = ["AuditReport", "Auditor", "InputItem", "audit", "iter_inputs"]
