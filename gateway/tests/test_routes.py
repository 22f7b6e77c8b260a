from gateway.routes import ROUTES, has_unsafe_segment, match


def test_every_public_prefix_goes_to_its_service_path():
    expected = {
        "/api/auth/login": ("identity", "/auth/login"),
        "/api/auth/activation/abc": ("identity", "/auth/activation/abc"),
        "/api/identity/me": ("identity", "/identity/me"),
        "/api/operator/companies": ("identity", "/operator/companies"),
        "/api/operator/companies/42/associates": ("identity", "/operator/companies/42/associates"),
        "/api/operator/services": ("catalog", "/operator/services"),
        "/api/operator/services/s1/retire": ("catalog", "/operator/services/s1/retire"),
        "/api/operator/contracts/c1/end": ("assets", "/operator/contracts/c1/end"),
        "/api/operator/products": ("assets", "/operator/products"),
        "/api/operator/products/p1/retire": ("assets", "/operator/products/p1/retire"),
        "/api/operator/holdings/h1": ("assets", "/operator/holdings/h1"),
        "/api/catalog/services": ("catalog", "/catalog/services"),
        "/api/assets/releases": ("assets", "/assets/releases"),
        "/api/operator/identifier-changes/x/approve": ("assets", "/operator/identifier-changes/x/approve"),
        "/api/knowledge/articles": ("knowledge", "/knowledge/articles"),
        "/api/support/requests": ("support", "/support/requests"),
        "/api/support/summary": ("support", "/support/summary"),
        "/api/operator/support/requests/r1/answers": ("support", "/operator/support/requests/r1/answers"),
        "/api/notifications/preferences": ("notifications", "/notifications/preferences"),
        "/api/catalog/openapi.json": ("catalog", "/catalog/openapi.json"),
    }
    for path, (service, target) in expected.items():
        route = match(path)
        assert route is not None, path
        assert (route.service, route.upstream_path(path)) == (service, target)


def test_support_requests_and_the_operators_queue_take_attachments():
    assert match("/api/support/requests/r1/comments").uploads
    assert match("/api/operator/support/requests/r1/answers").uploads
    assert not match("/api/support/deflections").uploads


def test_paths_outside_the_allow_list_have_no_route():
    for path in ("/api/", "/api/unknown/x", "/api/operator/servicesX", "/api/operator/companiesX",
                 "/api/catalogue/x", "/api/auth", "/health", "/api/operator"):
        assert match(path) is None, path


def test_the_longest_prefix_wins():
    from gateway import routes
    extra = routes.Route("/api/catalog/operator/", "assets", "/x/")
    original = routes._LONGEST_FIRST
    try:
        routes._LONGEST_FIRST = tuple(sorted(ROUTES + (extra,), key=lambda r: len(r.prefix), reverse=True))
        assert match("/api/catalog/operator/y").service == "assets"
        assert match("/api/catalog/services").service == "catalog"
    finally:
        routes._LONGEST_FIRST = original


def test_dot_and_empty_segments_are_spotted():
    assert has_unsafe_segment("/api/auth//login")
    assert has_unsafe_segment("/api/catalog/../identity/users")
    assert has_unsafe_segment("/api/catalog/./x")
    assert has_unsafe_segment("/api/catalog/..")
    assert not has_unsafe_segment("/api/catalog/v1.2/.well")
    assert not has_unsafe_segment("/api/knowledge/articles/a.b")
