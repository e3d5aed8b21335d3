"""What an audit entry is about, written one way for each kind of row, so that a row's history
can be pulled by its target (an item's entries start with its unit's, which start with the
assessment's):

    assessment          esa-2566
    unit assessment     esa-2566/samutsakhon-pesa
    OIT evidence item   esa-2566/samutsakhon-pesa/O24

The audit app sits below the apps whose rows it names, so rows are told apart by their model
label, not imported."""

from __future__ import annotations

from typing import Any


def target_of(obj: Any) -> str:
    """The target text of a row; a text is taken as it is (a file name, a framework's key)."""
    if isinstance(obj, str):
        return obj
    label = obj._meta.label_lower
    if label == "assessments.assessment":
        return str(obj.slug)
    if label == "assessments.unitassessment":
        return f"{obj.assessment.slug}/{obj.unit.code}"
    if label == "disclosure.evidenceitem":
        return f"{target_of(obj.unit_assessment)}/{obj.item_code}"
    if hasattr(obj, "unit_assessment"):  # codes, links, checks: what they belong to
        return target_of(obj.unit_assessment)
    return str(obj)
