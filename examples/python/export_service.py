#!/usr/bin/env python3
"""A data-export service that asks custos before it ships a file.

A contractor's staff ask the service to export an entrusted dataset for a purpose.  Before the
file leaves, the service asks custos: may this person export this data, for this purpose, now?
On permit it ships the file and carries out the obligations that come with the decision (log
the access, note the deletion date); on deny or not applicable it refuses, citing the articles.

    python3 examples/python/export_service.py            # the two sample exports below
    python3 examples/python/export_service.py --as-of 2026-11-22T10:00:00+08:00

The service is a class you could put behind any web framework: one Engine for the process,
shared by the request-handling threads.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import os
import sys
from dataclasses import dataclass
from typing import List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
try:
    import custos
except ImportError:  # a source checkout: the package beside us
    sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
    import custos


@dataclass
class ExportRequest:
    user: str
    org: str
    dataset: str
    owner: str
    contract: str
    category: str  # "personal", "commercial", ...
    purpose: str
    recipient: str
    signed_confidentiality: bool = True  # from the staff records


@dataclass
class ExportResult:
    shipped: bool
    decision: custos.Decision
    log: List[str]


class ExportService:
    """Ships datasets only when custos permits, and honours the obligations."""

    def __init__(self, engine: custos.Engine, lang: str = "en") -> None:
        self.engine = engine
        self.lang = lang

    def export(self, r: ExportRequest, as_of: custos.AsOf = "now") -> ExportResult:
        request = {
            "subject": {"id": r.user, "org": r.org,
                        "signed_confidentiality": r.signed_confidentiality},
            "action": "transfer",  # the file leaves the contractor for the recipient
            "resource": {"id": r.dataset, "owner": r.owner, "contract": r.contract,
                         "category": r.category, "classification": "confidential",
                         "entrusted": True, "protected_by_employer": True, "public": False},
            "purpose": r.purpose,
            "context": {"recipient": r.recipient, "recipient_org": r.recipient},
        }
        d = self.engine.decide(request, as_of=as_of)
        log = []
        if d.effect != custos.PERMIT:
            for reason in d.reasons:
                if reason.effect == custos.DENY:
                    log.append("refused: %s  %s" % (reason.citation, reason.message[self.lang]))
            if d.effect == custos.NOT_APPLICABLE:
                log.append("refused: no article applies; the service's default is to refuse")
            return ExportResult(False, d, log)
        done = {}  # each obligation once, with the articles that impose it
        for o in d.obligations:
            key = (o.id, tuple(sorted(o.params.items())))
            done.setdefault(key, []).append("%s art. %s" % (o.regime, o.article))
        for (oid, params), articles in done.items():
            p = dict(params)
            if oid == "log-access":
                log.append("audit log: %s sent %s to %s" % (r.user, r.dataset, r.recipient))
            elif oid == "delete-by":
                log.append("scheduled: delete our copy by %s" % p.get("date"))
            elif oid == "backup":
                log.append("backup: the export is in tonight's backup")
            else:
                log.append("obligation %s %s" % (oid, p))
            log[-1] += "  (%s)" % ", ".join(articles)
        log.append("shipped %s to %s" % (r.dataset, r.recipient))
        return ExportResult(True, d, log)


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--as-of", default="2026-11-22T10:00:00+08:00",
                    help="the time to decide at (RFC 3339, or now)")
    ap.add_argument("--lang", choices=["zh", "en"], default="en")
    a = ap.parse_args(argv)
    data = sorted(glob.glob(os.path.join(ROOT, "examples", "data", "*.yaml")))
    with custos.Engine(data=data) as engine:
        service = ExportService(engine, a.lang)
        samples = [
            # kate sends Soylent's audit papers to the auditor contract C-2026-104 names
            ExportRequest("kate", "acme-outsourcing", "soylent-audit-2026", "soylent",
                          "C-2026-104", "commercial", "audit-support", "kpmg-audit"),
            # leo sends the same papers to a data broker the contract does not name
            ExportRequest("leo", "acme-outsourcing", "soylent-audit-2026", "soylent",
                          "C-2026-104", "commercial", "audit-support", "data-broker-ltd"),
        ]
        shipped = 0
        for s in samples:
            result = service.export(s, as_of=a.as_of)
            print("%s asks to send %s to %s: %s" % (s.user, s.dataset, s.recipient,
                                                       result.decision.effect.upper()))
            for line in result.log:
                print("  " + line)
            shipped += result.shipped
    return 0 if shipped == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
