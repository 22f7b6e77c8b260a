"""identity's company events keep the entities' SIRENs: a deposit's declarant is checked against
what identity says now (an operator's change of SIREN included)."""
from __future__ import annotations

import io

from sqlalchemy import select, text

from declarations.models import Entity


def test_a_company_s_siren_follows_identity(database, handle):
    handle("CompanyRegistered", {"company_id": "c-1", "number": "C1", "name": "Old", "siren": None})
    handle("CompanyUpdated", {"company_id": "c-1", "number": "C1", "name": "New", "siren": "732829320"})
    handle("CompanyUpdated", {"company_id": "c-1", "number": "C1", "name": "New", "siren": "732829320"})  # again
    with database.sessions() as session:
        [entity] = session.scalars(select(Entity))
        assert (entity.name, entity.siren) == ("New", "732829320")


def test_a_deposit_follows_the_siren_s_change(client, handle, declarant, good):
    handle("CompanyUpdated", {"company_id": "c-blabla", "number": "C1", "name": "BLABLA", "siren": "443061841"})
    refused = client.post("/declarations/deposits", headers=declarant("c-blabla"), content_type="multipart/form-data",
                          data={"file": (io.BytesIO(good), "liasse.ped")})
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "not_your_entity"


def test_the_associates_tree_follows_identity(database, handle):
    from declarations import tree

    handle("CompanyRegistered", {"company_id": "head", "number": "H", "name": "Head", "siren": None})
    handle("CompanyRegistered", {"company_id": "sub", "number": "S", "name": "Sub", "siren": None,
                                 "parent_id": "head"})
    handle("AssociateLinked", {"company_id": "sub", "associate_id": "shop"})  # before the shop's registration
    handle("CompanyRegistered", {"company_id": "shop", "number": "P", "name": "Shop", "siren": None})
    handle("CompanyRegistered", {"company_id": "other", "number": "O", "name": "Other", "siren": None})
    with database.sessions() as session:
        assert tree.subtree(session, "head") == {"head", "sub", "shop"}
        assert tree.subtree(session, "sub") == {"sub", "shop"}
        assert tree.ancestors(session, "shop") == ["sub", "head"]
        assert session.get(Entity, "shop").name == "Shop"
    handle("AssociateUnlinked", {"company_id": "head", "associate_id": "sub"})
    with database.sessions() as session:
        assert tree.subtree(session, "head") == {"head"}
        assert tree.ancestors(session, "shop") == ["sub"]


def test_a_subtree_moved_elsewhere_takes_its_lineage_along(database, handle):
    from declarations import tree
    from declarations.models import EntityLineage

    for company_id, parent in (("a", None), ("b", "a"), ("c", "b"), ("d", "c"), ("x", None), ("y", "x")):
        handle("CompanyRegistered", {"company_id": company_id, "number": company_id, "name": company_id,
                                     "siren": None, **({"parent_id": parent} if parent else {})})
    handle("AssociateLinked", {"company_id": "y", "associate_id": "b"})  # b, c, d leave a for x → y
    handle("AssociateLinked", {"company_id": "b", "associate_id": "b"})  # a cycle: only cuts, ends
    handle("AssociateLinked", {"company_id": "y", "associate_id": "b"})
    with database.sessions() as session:
        assert tree.subtree(session, "a") == {"a"}
        assert tree.subtree(session, "x") == {"x", "y", "b", "c", "d"}
        assert tree.subtree(session, "c") == {"c", "d"}
        kept = set(session.execute(select(EntityLineage.ancestor_id, EntityLineage.entity_id)))
    with database.transaction() as session:
        session.execute(EntityLineage.__table__.delete())
        session.execute(text(tree.REBUILD))
        assert set(session.execute(select(EntityLineage.ancestor_id, EntityLineage.entity_id))) == kept
