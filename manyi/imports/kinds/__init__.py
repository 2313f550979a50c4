"""The kinds of record that can be imported, by code."""

from manyi.imports.engine import ImportKind
from manyi.imports.kinds.customers import AssetImport, CustomerImport
from manyi.imports.kinds.events import EventImport
from manyi.imports.kinds.mystery import MysteryShopImport
from manyi.imports.kinds.org import StaffImport, UnitImport
from manyi.imports.kinds.responses import ResponseImport

KINDS: dict[str, ImportKind] = {
    kind.code: kind
    for kind in (
        UnitImport(),
        StaffImport(),
        CustomerImport(),
        AssetImport(),
        EventImport(),
        ResponseImport(),
        MysteryShopImport(),
    )
}


def kind_choices() -> list[tuple[str, str]]:
    return [(code, kind.label) for code, kind in KINDS.items()]
