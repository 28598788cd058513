"""The open-data page, the downloads at stable addresses and the DCAT-AP catalogue."""

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.views.generic import TemplateView

from directory.models import ContactPerson, Offer

from . import dcat, export
from .datasets import BY_SLUG, DATASETS, FORMATS, LICENCE_NAME, LICENCE_URL

DOWNLOAD_NAMES = {f"{d.slug}.{fmt}" for d in DATASETS for fmt in FORMATS}


class OpenDataPageView(TemplateView):
    template_name = "pages/open_data.html"

    def get_context_data(self, **kwargs):
        manifest = export.ensure_fresh()
        datasets = []
        for dataset in DATASETS:
            files = []
            for fmt, (_media_type, label) in FORMATS.items():
                name = f"{dataset.slug}.{fmt}"
                info = manifest["files"][name]
                files.append(
                    {
                        "label": label,
                        "url": reverse("opendata:download", args=[name]),
                        "size": info["size"],
                        "name": name,
                    }
                )
            first = manifest["files"][f"{dataset.slug}.csv"]
            datasets.append(
                {
                    "dataset": dataset,
                    "files": files,
                    "rows": first["rows"],
                    "modified": parse_datetime(first["modified"]),
                }
            )
        return super().get_context_data(
            datasets=datasets,
            licence_name=LICENCE_NAME,
            licence_url=LICENCE_URL,
            dcat_url=reverse("opendata:dcat"),
            generated_at=parse_datetime(manifest["generated_at"]),
            has_demo_data=Offer.objects.filter(is_demo=True).exists()
            or ContactPerson.objects.filter(is_demo=True).exists(),
            **kwargs,
        )


def download(request, name: str):
    if name not in DOWNLOAD_NAMES:
        raise Http404(name)
    manifest = export.ensure_fresh()
    info = manifest["files"][name]
    response = FileResponse(
        open(export.root() / name, "rb"),
        as_attachment=True,
        filename=name,
        content_type=FORMATS[info["format"]][0] + ("; charset=utf-8" if info["format"] != "xlsx" else ""),
    )
    response["ETag"] = f'"{info["sha256"][:32]}"'
    response["Last-Modified"] = http_date(parse_datetime(info["modified"]).timestamp())
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=300)
    return response


def dataset(request, slug: str):
    """A dataset's identifier resolves to its place on the open-data page."""
    if slug not in BY_SLUG:
        raise Http404(slug)
    return redirect(reverse("open-data") + f"#{slug}")


def catalogue(request):
    response = JsonResponse(
        dcat.catalogue(request, export.ensure_fresh()), json_dumps_params={"ensure_ascii": False, "indent": 1}
    )
    response["Content-Type"] = "application/ld+json; charset=utf-8"
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=300)
    return response
