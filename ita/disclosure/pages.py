"""What the OIT pages show: items grouped by sub-indicator, with links and their checks."""

from __future__ import annotations

from dataclasses import dataclass, field

from ita.assessments.models import UnitAssessment
from ita.disclosure.models import CheckFlag, EvidenceItem, EvidenceLink, ItemState
from ita.disclosure.services import LinkInput
from ita.frameworks.spec import OitItem


@dataclass(frozen=True)
class Typed:
    """What the coordinator typed into an item's form when it was refused, shown again as typed."""

    item_code: str
    present: bool | None
    links: list[LinkInput]
    note: str
    error: str


@dataclass
class ItemRow:
    spec: OitItem
    item: EvidenceItem
    links: list[EvidenceLink]
    typed: Typed | None = None

    @property
    def form_present(self) -> bool | None:
        return self.typed.present if self.typed else self.item.present

    @property
    def form_note(self) -> str:
        return self.typed.note if self.typed else self.item.note

    @property
    def form_links(self) -> list[LinkInput]:
        return self.typed.links if self.typed else [LinkInput(link.url, link.label) for link in self.links]

    @property
    def flagged(self) -> list[EvidenceLink]:
        return [link for link in self.links if link.latest and link.latest.flag != CheckFlag.OK]


@dataclass
class SubGroup:
    number: str
    name_th: str
    rows: list[ItemRow] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [r.spec.code for r in self.rows if r.item.state == ItemState.DRAFT]


def item_groups(ua: UnitAssessment, typed: Typed | None = None) -> list[SubGroup]:
    spec = ua.assessment.framework.spec
    items = {i.item_code: i for i in ua.evidence_items.all()}
    links: dict[int, list[EvidenceLink]] = {}
    for link in EvidenceLink.objects.filter(item__unit_assessment=ua).select_related("baseline", "latest"):
        links.setdefault(link.item_id, []).append(link)
    groups = []
    for indicator in spec.indicators_of("OIT"):
        for sub in indicator.sub_indicators:
            group = SubGroup(sub.number, sub.name_th)
            for oit in sub.items:
                item = items.get(oit.code)
                if item is not None:
                    group.rows.append(
                        ItemRow(
                            oit, item, links.get(item.pk, []), typed if typed and typed.item_code == oit.code else None
                        )
                    )
            groups.append(group)
    return groups
