"""A small standards library and a checklist over it: Hana (headquarters) writes three
reception standards — protective covers (basic, yes or no), a clean lounge (performance,
scored 0–5) and drinks offered (motivation, yes or no) — and builds the checklist."""

import pytest

from manyi.improve.services.checklists import checklist_save
from manyi.improve.services.standards import service_step_save, standard_create


@pytest.fixture
def reception(hq_analyst):
    step = service_step_save(actor=hq_analyst, code="reception", name="接待",
                             name_en="Reception", order=2)  # fmt: skip

    def write(code: str, standard_class: str, title: str):
        return standard_create(actor=hq_analyst, step=step, code=code, kind="process",
                               standard_class=standard_class, title=title)  # fmt: skip

    return (
        write("covers", "basic", "Protective covers in front of the customer"),
        write("lounge", "performance", "A clean lounge with enough seats"),
        write("drinks", "motivation", "Drinks offered while the customer waits"),
    )


@pytest.fixture
def checklist(hq_analyst, reception):
    covers, lounge, drinks = reception
    return checklist_save(actor=hq_analyst, name="门店检查", name_en="Store check",
                          standards=[drinks, covers, lounge], scored=[lounge])  # fmt: skip
