"""UserCreated names the company's first administrator: the catalog prepares their "User
Management - Administration" from it, so that nothing is left on the bus at their activation."""


def test_the_first_administrators_creation_says_so_and_another_users_does_not(portal):
    portal.register("C1", activate=False)
    first = portal.events("UserCreated")[-1]
    assert first["email"] == "admin@c1.test" and first["company_administrator"] is True
    portal.activate("admin@c1.test")
    assert portal.create_user(portal.admin_of("C1"), "bruno.petit@c1.test").status_code == 201
    other = portal.events("UserCreated")[-1]
    assert other["email"] == "bruno.petit@c1.test" and other["company_administrator"] is False
