"""The small directory the publishing benchmarks work on: one county, one municipality, a
tier, a domain, the unit "hour" and 50 components."""


def make_kov(m):
    """Returns (municipality, unit, components)."""
    county = m.County.objects.create(code="bench", ehak="9999", name_et="Maakond")
    kov = m.Municipality.objects.create(
        code="bench-vald", ehak="9998", name_et="Bench vald", kind="vald", county=county
    )
    tier = m.Tier.objects.create(code="additional", name_et="Lisatoetus")
    domain = m.Domain.objects.create(code="bench", tier=tier, name_et="Valdkond")
    unit = m.Unit.objects.create(code="hour", name_et="tund")
    components = m.Component.objects.bulk_create(
        m.Component(
            code=f"bench-component-{i}",
            tier=tier,
            domain=domain,
            name_et=f"Komponent {i}",
            work_forms=["individual"],
            position=i,
        )
        for i in range(50)
    )
    return kov, unit, components
