"""The organisation screens: a unit edited on screen is stored as the service would."""


def test_moving_a_store_on_screen_moves_its_departments_too(client, network, admin):
    client.force_login(admin)
    store = network.store_a
    client.post(
        f"/org/units/{store.pk}/edit/",
        {
            "code": store.code,
            "name": store.name,
            "kind": store.kind,
            "parent": network.east.pk,
            "time_zone": store.time_zone,
            "is_active": "on",
        },
    )
    network.service_a.refresh_from_db()
    assert network.service_a.path.startswith(network.east.path)
