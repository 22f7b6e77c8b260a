"""The seed: the manual's services, in both languages, loaded once and announced once."""
import pytest
from sqlalchemy import func, select

from catalog.families import FAMILIES, service_code
from catalog.models import Service
from catalog.seed import CatalogFileError, read_catalog, seed

HEADER = "family;title;description;needs_validation;auto_subscribe;min_security_level;needs_contract\n"


def test_codes_are_slugs_of_the_english_title():
    assert service_code("User Management - Administration") == "user-management-administration"
    assert service_code("Functional preference: Office and System") == "functional-preference-office-and-system"
    assert service_code("  Request Service - Supervision ") == "request-service-supervision"


def test_the_catalog_file_has_every_service_in_both_languages():
    services = read_catalog()
    assert len(services) == 30
    assert {service["family"] for service in services} <= set(FAMILIES)
    assert all(service["title_fr"] and service["description_fr"] for service in services)
    by_code = {service["code"]: service for service in services}
    administration = by_code["user-management-administration"]
    assert administration["title_fr"] == "Gestion des utilisateurs - Administration"
    assert administration["needs_validation"] and not administration["auto_subscribe"]
    assert by_code["saas-administrator"]["min_security_level"] == 2
    assert by_code["download-updates"]["needs_contract"]


def test_seeding_adds_each_service_once_and_announces_it(database, events):
    with database.transaction() as session:
        added = seed(session, read_catalog())
    assert len(added) == 30
    published = events("ServicePublished")
    assert len(published) == 30
    first = next(event for event in published if event["code"] == "community-area")
    assert first["family"] == "Community" and first["title_fr"] == "Espace communautaire"

    with database.transaction() as session:
        assert seed(session, read_catalog()) == []
        assert session.scalar(select(func.count()).select_from(Service)) == 30
    assert len(events("ServicePublished")) == 30


def test_seeding_keeps_what_operators_changed(database):
    with database.transaction() as session:
        seed(session, read_catalog())
        session.scalar(select(Service).where(Service.code == "web-services")).title_fr = "Web"
    with database.transaction() as session:
        seed(session, read_catalog())
        assert session.scalar(select(Service.title_fr).where(Service.code == "web-services")) == "Web"


@pytest.mark.parametrize("line, message", [
    ("Hobbies;Chess;Play.;no;no;1;no", "line 2: unknown family 'Hobbies'"),
    ("Support;Chess;Play.;maybe;no;1;no", "line 2: needs_validation must be yes or no"),
    ("Support;Chess;Play.;no;no;4;no", "line 2: min_security_level must be 1, 2 or 3"),
    ("Support; - ;Play.;no;no;1;no", "line 2: a service needs a title"),
])
def test_a_bad_line_is_refused_with_its_number(tmp_path, line, message):
    path = tmp_path / "catalog.csv"
    path.write_text(HEADER + line + "\n", encoding="utf-8")
    with pytest.raises(CatalogFileError, match=message):
        read_catalog(path)


def test_the_command_refuses_an_unmigrated_database(tmp_path, monkeypatch):
    from catalog import seed as command
    monkeypatch.setenv("PORTAL_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PORTAL_CATALOG_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(SystemExit, match="portal-migrate catalog"):
        command.main()


def test_the_command_seeds_the_configured_database(database, capsys):
    from catalog import seed as command
    command.main()
    command.main()
    assert capsys.readouterr().out.splitlines() == [
        "catalog: 30 services added, 0 already there", "catalog: 0 services added, 30 already there"]


def test_the_command_adds_the_supervision_services_of_associates_linked_before(database, capsys):
    from catalog import seed as command
    from catalog.models import Company
    with database.transaction() as session:
        session.add_all([Company(id="p", name="Parent"), Company(id="s", name="Shop", parent_id="p")])
    command.main()
    command.main()
    assert capsys.readouterr().out.splitlines()[1] == "catalog: 1 supervision services added for associates linked before"
    with database.sessions() as session:
        service = session.scalar(select(Service).where(Service.supervised_company_id == "s"))
        assert (service.scope_company_id, service.title_en) == ("p", "User Management - Supervision Administration of Shop")


def test_every_entitlement_the_portal_names_is_a_service_of_the_seed():
    from catalog.seed import read_catalog
    from portalkit import entitlements
    seeded = {service["code"] for service in read_catalog()}
    assert entitlements.ALL <= seeded
