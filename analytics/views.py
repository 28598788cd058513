"""Public, read-only analytics pages. Each view validates its GET form, calls one function of
the domain modules, and renders the page or its CSV download. Invalid filters give the page
back with the errors (HTTP 400), never a server error."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from directory.models import Component, Offer, Service
from portal.errors import error_summary
from referrals.analytics import routes_per_municipality

from . import charts, exports, geo
from .budget import NOT_OFFERED, OTHER_UNIT, PRICED, UNPRICED, personal_budget, unit_choices
from .completeness import CHECK_LABELS, CHECKS, completeness
from .coverage import NONE, OFFERED, SINGLE, STATE_LABELS, catalogue_items, coverage
from .forms import BudgetForm, CompletenessForm, CoverageForm, PlacesForm, PriceForm
from .places import places_table, too_few_places
from .prices import compare_prices


def _render(request, template: str, context: dict, form) -> object:
    status = 400 if form.is_bound and form.errors else 200
    context.setdefault("nav_current", template.removesuffix(".html"))
    context["error_summary"] = error_summary(form, anchors=form.error_anchors)
    context.setdefault("has_demo", Offer.objects.filter(is_demo=True).exists())
    return render(request, f"pages/analytics/{template}", context, status=status)


def _query(request, **extra) -> str:
    params = request.GET.copy()
    for key, value in extra.items():
        params[key] = value
    return params.urlencode()


def index(request):
    return render(request, "pages/analytics/index.html", {})


# -- coverage -------------------------------------------------------------------------------


def share_class(share: float) -> str:
    """Map colour class for a share of items offered: q0 none … q4 all."""
    if share <= 0:
        return "q0"
    if share >= 1:
        return "q4"
    return "q1" if share < 0.5 else ("q2" if share < 0.75 else "q3")


def _maps(report, route_counts: dict[int, int]) -> dict:
    """Both map layers with a colour class and a label per shape; a municipality where no
    referral route is agreed gets a heavy dashed outline (class no-route) and says so."""
    single = report.single_item
    munis = {row.municipality.pk: row for row in report.rows}
    counties = {group.county.pk: group for group in report.groups}
    muni_layer, county_layer = geo.layer("municipalities"), geo.layer("counties")
    muni_match = geo.join(muni_layer.shapes, [r.municipality for r in munis.values()])
    county_match = geo.join(county_layer.shapes, [g.county for g in counties.values()])
    muni_shapes = []
    for shape in muni_layer.shapes:
        found = muni_match.get(shape.code)
        row = munis.get(found.pk) if found else None
        if row is None:
            muni_shapes.append({"d": shape.d, "css": "out", "label": shape.name})
            continue
        if single:
            cell = row.cells[0]
            css, text = f"s-{cell.state}", cell.label
        else:
            css = share_class(row.share)
            text = _("%(offered)s of %(total)s offered") % {"offered": row.offered, "total": len(row.cells)}
        if not route_counts.get(row.municipality.pk):
            css, text = f"{css} no-route", f"{text}; {_('no referral route agreed')}"
        muni_shapes.append({"d": shape.d, "css": css, "label": f"{row.municipality.name}: {text}"})
    county_shapes = []
    for shape in county_layer.shapes:
        found = county_match.get(shape.code)
        group = counties.get(found.pk) if found else None
        if group is None:
            county_shapes.append({"d": shape.d, "css": "out", "label": shape.name})
            continue
        county_shapes.append(
            {
                "d": shape.d,
                "css": share_class(group.share),
                "label": f"{group.county.name}: {round(100 * group.share)} %",
            }
        )
    return {
        "muni_map": {"layer": muni_layer, "shapes": muni_shapes},
        "county_map": {"layer": county_layer, "shapes": county_shapes},
        "attribution": geo.ATTRIBUTION,
    }


def _coverage_report(form):
    data = form.cleaned_data
    return coverage(
        kind=data.get("kind") or "",
        target_group=data.get("target_group"),
        domain=data.get("domain"),
        county=data.get("county"),
        municipality=data.get("municipality"),
        component=data.get("component"),
        service=data.get("service"),
    )


def coverage_page(request):
    form = CoverageForm(request.GET)
    context = {"form": form, "states": [(s, STATE_LABELS[s]) for s in (OFFERED, SINGLE, NONE)]}
    if form.is_valid():
        report = _coverage_report(form)
        route_counts = routes_per_municipality([row.municipality.pk for row in report.rows])
        context.update(
            report=report,
            without_routes=[r.municipality for r in report.rows if not route_counts.get(r.municipality.pk)],
            csv_query=_query(request),
            api_url=reverse("analytics_api:coverage") + "?" + _query(request, lang=request.LANGUAGE_CODE),
            **_maps(report, route_counts),
        )
    return _render(request, "coverage.html", context, form)


def coverage_csv(request):
    form = CoverageForm(request.GET)
    if not form.is_valid():
        return coverage_page(request)
    report = _coverage_report(form)
    route_counts = routes_per_municipality([row.municipality.pk for row in report.rows])
    return exports.csv_response("coverage.csv", *exports.coverage_table(report, route_counts))


# -- prices ---------------------------------------------------------------------------------


def _price_report(form):
    data = form.cleaned_data
    return compare_prices(
        form.item,
        county=data.get("county"),
        municipality=data.get("municipality"),
        target_group=data.get("target_group"),
    )


def _unit_charts(unit) -> dict:
    counties = charts.RangeChart.build(
        [
            charts.RangeRow(
                a.area.name, a.individual.min, a.individual.median, a.individual.max, count=a.individual.count
            )
            for a in unit.by_county
            if a.individual.count
        ]
    )
    municipalities = charts.RangeChart.build(
        [
            charts.RangeRow(
                a.area.name, a.individual.min, a.individual.median, a.individual.max, count=a.individual.count
            )
            for a in sorted(unit.by_municipality, key=lambda a: (a.individual.median or 0, a.area.name))
            if a.individual.count
        ],
        from_zero=True,
    )
    history = charts.LineChart.build(
        [
            charts.LinePoint(
                p.date, p.individual.min, p.individual.median, p.individual.max, p.individual.count
            )
            for p in unit.history
        ]
    )
    return {"unit": unit, "county_chart": counties, "muni_chart": municipalities, "history_chart": history}


def prices_page(request):
    form = PriceForm(request.GET)
    context = {"form": form}
    if form.is_valid() and form.item:
        report = _price_report(form)
        context.update(
            report=report,
            units=[_unit_charts(unit) for unit in report.units],
            csv_query=_query(request),
            api_url=reverse("analytics_api:prices") + "?" + _query(request, lang=request.LANGUAGE_CODE),
        )
    elif form.is_valid():
        context.update(
            components=Component.objects.select_related("domain").order_by("domain__position", "position"),
            services=Service.objects.order_by("position"),
        )
    return _render(request, "prices.html", context, form)


def prices_csv(request):
    form = PriceForm(request.GET)
    if not form.is_valid() or not form.item:
        if form.is_valid():
            form.add_error(None, _("Choose a component or a service to download its prices."))
        return _render(request, "prices.html", {"form": form}, form)
    return exports.csv_response(f"prices-{form.item.code}.csv", *exports.price_table(_price_report(form)))


# -- completeness ---------------------------------------------------------------------------


def _completeness_report(form):
    return completeness(county=form.cleaned_data.get("county"), sort=form.cleaned_data.get("sort") or "")


def completeness_page(request):
    form = CompletenessForm(request.GET)
    context = {"form": form, "checks": [(name, CHECK_LABELS[name]) for name in CHECKS]}
    if form.is_valid():
        report = _completeness_report(form)
        context.update(report=report, csv_query=_query(request))
    return _render(request, "completeness.html", context, form)


def completeness_csv(request):
    form = CompletenessForm(request.GET)
    if not form.is_valid():
        return completeness_page(request)
    return exports.csv_response("completeness.csv", *exports.completeness_table(_completeness_report(form)))


# -- personal budget ------------------------------------------------------------------------


def _budget_form(request):
    items = catalogue_items()
    units_by_item, default_unit = unit_choices(items)
    return BudgetForm(request.GET, items, units_by_item, default_unit)


def _budget_report(form):
    return personal_budget(form.cleaned_data["municipality"], form.cleaned_data["chosen"])


def budget_page(request):
    form = _budget_form(request)
    context = {
        "form": form,
        "statuses": {
            "priced": PRICED,
            "other_unit": OTHER_UNIT,
            "unpriced": UNPRICED,
            "not_offered": NOT_OFFERED,
        },
    }
    if form.is_valid() and form.cleaned_data["chosen"] and not form.cleaned_data.get("municipality"):
        form.add_error("municipality", _("Choose your municipality to see the cost."))
    elif form.is_valid() and form.cleaned_data.get("municipality") and form.cleaned_data["chosen"]:
        short = form.short_query()
        if request.GET.urlencode() != short and not form.cleaned_data.get("find"):
            # the form sends every field, empty ones too: the address keeps only the package
            return redirect(f"{request.path}?{short}")
        context.update(report=_budget_report(form), csv_query=short, short_query=short)
    return _render(request, "budget.html", context, form)


def budget_csv(request):
    form = _budget_form(request)
    if not form.is_valid():
        return budget_page(request)
    if not form.cleaned_data.get("municipality") or not form.cleaned_data["chosen"]:
        form.add_error(None, _("Choose your municipality and at least one item with a volume."))
        return _render(request, "budget.html", {"form": form}, form)
    return exports.csv_response("personal-budget.csv", *exports.budget_table(_budget_report(form)))


# -- too few places -------------------------------------------------------------------------


def _places_report(form):
    data = form.cleaned_data
    return too_few_places(county=data.get("county"), item=data.get("component") or data.get("service"))


def places_class(row) -> str:
    """Map colour of a municipality's places: q0 scarce, q2 few free, q4 free places; "out"
    when nothing current is known (only out-of-date statements count as unknown)."""
    if not row.known:
        return "out"
    if row.scarce:
        return "q0"
    return "q4" if row.capacity and row.free / row.capacity >= 0.1 else "q2"


def _places_map(report) -> dict:
    def describe(row):
        if row.known:
            text = _("%(free)s free of %(total)s places") % {"free": row.free, "total": row.capacity}
        else:
            text = _("unknown: the statements are out of date")
        return places_class(row), f"{row.municipality.name}: {text}"

    rows = {row.municipality: row for row in report.rows}
    return {"places_map": geo.municipality_map(rows, describe), "attribution": geo.ATTRIBUTION}


def places_page(request):
    form = PlacesForm(request.GET)
    context = {"form": form}
    if form.is_valid():
        report = _places_report(form)
        context.update(report=report, csv_query=_query(request), **_places_map(report))
    return _render(request, "places.html", context, form)


def places_csv(request):
    form = PlacesForm(request.GET)
    if not form.is_valid():
        return places_page(request)
    return exports.csv_response("places.csv", *places_table(_places_report(form)))
