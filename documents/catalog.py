"""The catalog of official documents: name -> title, template file and template version.

Definitions refer to documents by these names (``documents: [{name: ...}]``);
``cadreflow definitions check`` and ``create_app`` validate the names against
``document_names()``. Bump a template's version whenever its printed layout or
wording changes: the version is recorded with every issued PDF so a printed form
can be matched to the template that produced it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CatalogEntry:
    """One official form: its Chinese title, template file (under templates/) and version."""

    name: str
    title: str
    template: str
    version: str


_ENTRIES: tuple[CatalogEntry, ...] = (
    CatalogEntry("appointment_approval_form", "干部任免审批表", "appointment_approval_form.html", "1"),
    CatalogEntry("pre_appointment_notice", "任前公示", "pre_appointment_notice.html", "1"),
    CatalogEntry("decision_record", "讨论决定情况记录", "decision_record.html", "1"),
    CatalogEntry("appointment_notice", "任职通知", "appointment_notice.html", "1"),
    CatalogEntry("signed_recommendation_form", "领导干部署名推荐表", "signed_recommendation_form.html", "1"),
    CatalogEntry("registration_receipt", "受理登记回执", "registration_receipt.html", "1"),
    CatalogEntry("interview_record", "集体面谈记录表", "interview_record.html", "1"),
    CatalogEntry("daily_inspection_record", "日常考察记实表", "daily_inspection_record.html", "1"),
    CatalogEntry("special_inspection_report", "专项考察报告", "special_inspection_report.html", "1"),
    CatalogEntry("inspection_notice", "考察预告", "inspection_notice.html", "1"),
    CatalogEntry("inspection_material", "干部考察材料", "inspection_material.html", "1"),
    CatalogEntry(
        "democratic_evaluation_stats", "民主测评结果统计表", "democratic_evaluation_stats.html", "1"
    ),
    CatalogEntry(
        "comprehensive_evaluation_form", "干部综合评定表", "comprehensive_evaluation_form.html", "1"
    ),
    CatalogEntry("tolerance_application", "容错纠错申请表", "tolerance_application.html", "1"),
    CatalogEntry("tolerance_decision", "容错纠错认定书", "tolerance_decision.html", "1"),
    CatalogEntry("notification_letter", "告知书", "notification_letter.html", "1"),
)

CATALOG: dict[str, CatalogEntry] = {e.name: e for e in _ENTRIES}
HISTORY = CatalogEntry("case_history", "案件全程记录", "case_history.html", "1")


def document_names() -> list[str]:
    """Every official form name, in catalog order."""
    return [e.name for e in _ENTRIES]


def entry(name: str) -> CatalogEntry:
    """The catalog entry of ``name``; KeyError if unknown."""
    return CATALOG[name]
