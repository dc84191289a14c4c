"""Projects: editing with undo data, links (whole meetings and TOPs), the demo's projects."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.db import Database
from app.errors import ConflictError, NotFound, ValidationError
from app.models import AgendaItem, Meeting, Organisation
from app.services.projects import (
    MeetingLinks,
    ProjectInput,
    create_project,
    delete_project,
    link_meeting,
    link_organisation,
    list_projects,
    project_detail,
    restore_project,
    set_meeting_links,
    update_project,
)
from app.services.projects.queries import concerns
from tests.helpers.projects import AUFTAKT


def _ids(db: Database) -> tuple[int, dict[str, int]]:
    with db.read() as session:
        meeting = session.scalars(select(Meeting).where(Meeting.title == AUFTAKT)).one()
        items = {
            i.title: i.id
            for i in session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id))
        }
        return meeting.id, items


def test_demo_has_the_seed_projects_linked_to_meetings(demo: Database) -> None:
    rows = {row.name: row for row in list_projects(demo)}
    main = rows["Projekt 37F – Teilhabe und Integration in den Quartieren"]
    assert main.amount == Decimal("700000.00")
    assert (main.start, main.end) == (date(2020, 12, 1), date(2022, 11, 30))
    assert main.funder == "Land Nordrhein-Westfalen"
    assert main.programme == "Integrationspauschale"
    assert len(main.quarters) == 5
    for name in (
        "Quartiersbüros",
        "Sport im Park",
        "Sportpark Mobil",
        "VielFeld",
        "Ladenlokal Stahldorf",
    ):
        assert rows[name].meeting_ids, name
    assert rows["Sportpark Mobil"].lead_organisation == "Bayer SC05 e. V."
    assert rows["Ladenlokal Stahldorf"].lead_organisation == "Gemeinschaftsunterkunft Wehrhahnweg"


def test_create_update_with_version_and_undo_values(demo: Database) -> None:
    with demo.read() as session:
        bayer = (
            session.scalars(select(Organisation).where(Organisation.name == "Bayer SC05 e. V."))
            .one()
            .id
        )
    project_id = create_project(
        demo,
        ProjectInput(
            name="  Neues   Projekt ",
            amount=Decimal("1000.5"),
            lead_organisation_id=bayer,
            partner_ids=(bayer,),
        ),
    )
    detail = project_detail(demo, project_id)
    assert detail.row.name == "Neues Projekt"
    assert detail.row.amount == Decimal("1000.50")
    assert detail.partners == ()  # the lead is not its own partner
    change = update_project(
        demo,
        project_id,
        ProjectInput(name="Umbenannt", funder="Stiftung"),
        expected_version=detail.row.version,
    )
    assert change.previous.name == "Neues Projekt"
    assert project_detail(demo, project_id).row.funder == "Stiftung"
    with pytest.raises(ConflictError):
        update_project(
            demo, project_id, ProjectInput(name="Alt"), expected_version=detail.row.version
        )
    assert project_detail(demo, project_id).row.name == "Umbenannt"


@pytest.mark.parametrize(
    "values",
    [
        ProjectInput(name="  "),
        ProjectInput(name="X", start=date(2026, 2, 1), end=date(2026, 1, 1)),
        ProjectInput(name="X", amount=Decimal("-1")),
        ProjectInput(name="X", amount=Decimal("1.005")),
        ProjectInput(name="X", reference="R" * 121),
        ProjectInput(name="X", lead_organisation_id=99999),
    ],
)
def test_bad_input_saves_nothing(demo: Database, values: ProjectInput) -> None:
    before = len(list_projects(demo))
    with pytest.raises((ValidationError, NotFound)):
        create_project(demo, values)
    assert len(list_projects(demo)) == before


def test_links_whole_meeting_and_tops_and_undo(demo: Database) -> None:
    meeting_id, items = _ids(demo)
    project_id = create_project(demo, ProjectInput(name="Test"))
    assert link_meeting(demo, project_id, meeting_id, "2.3") is True
    assert link_meeting(demo, project_id, meeting_id, "2.3") is False
    detail = project_detail(demo, project_id)
    assert [(m.meeting_id, m.whole, [t.number for t in m.tops]) for m in detail.meetings] == [
        (meeting_id, False, ["2.3"])
    ]
    assert detail.row.meeting_ids == (meeting_id,)
    previous = set_meeting_links(
        demo, project_id, MeetingLinks(meeting_id, True, (items["VielFeld"],))
    )
    assert previous == MeetingLinks(meeting_id, False, (items["Sportpark Mobil"],))
    set_meeting_links(demo, project_id, previous)  # undo
    assert project_detail(demo, project_id).meetings[0].tops[0].title == "Sportpark Mobil"
    set_meeting_links(demo, project_id, MeetingLinks(meeting_id))
    assert project_detail(demo, project_id).meetings == ()


def test_a_top_of_another_meeting_cannot_be_linked(demo: Database) -> None:
    meeting_id, items = _ids(demo)
    project_id = create_project(demo, ProjectInput(name="Test"))
    with demo.read() as session:
        other = session.scalars(select(Meeting.id).where(Meeting.id != meeting_id)).first()
        assert other is not None
    with pytest.raises(NotFound):
        set_meeting_links(demo, project_id, MeetingLinks(other, False, (items["VielFeld"],)))
    with pytest.raises(NotFound):
        link_meeting(demo, project_id, meeting_id, "9")


def test_a_top_concerns_several_projects_and_sub_items_follow_their_parent(demo: Database) -> None:
    meeting_id, items = _ids(demo)
    a = create_project(demo, ProjectInput(name="A"))
    b = create_project(demo, ProjectInput(name="B"))
    link_meeting(demo, a, meeting_id, "2")
    link_meeting(demo, b, meeting_id, "2.4")
    with demo.read() as session:
        concern = concerns(session, [meeting_id], [a, b])[meeting_id]
    assert concern.projects_of_item(items["VielFeld"]) == {a, b}
    assert concern.projects_of_item(items["Sport im Park"]) == {a}
    assert concern.projects_of_item(items["Verschiedenes"]) == frozenset()
    assert concern.projects_of_item(None) == frozenset()


def test_organisations_by_name_and_delete_restore(demo: Database) -> None:
    meeting_id, _items = _ids(demo)
    project_id = create_project(demo, ProjectInput(name="Test"))
    assert link_organisation(demo, project_id, "bayer sc05 e. v.") is True
    assert link_organisation(demo, project_id, "Bayer SC05 e. V.") is False
    with pytest.raises(NotFound):
        link_organisation(demo, project_id, "Gibt es nicht")
    link_meeting(demo, project_id, meeting_id)
    removed = delete_project(demo, project_id)
    assert project_id not in {r.id for r in list_projects(demo)}
    assert restore_project(demo, removed) == project_id
    detail = project_detail(demo, project_id)
    assert [p.name for p in detail.partners] == ["Bayer SC05 e. V."]
    assert detail.meetings[0].whole is True
