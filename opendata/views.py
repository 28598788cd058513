"""The open-data page, the downloads at stable addresses and the DCAT-AP catalogue."""

import json

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.dateparse import parse_datetime
from django.utils.html import _json_script_escapes as JSON_SCRIPT_ESCAPES
from django.utils.http import http_date
from django.utils.safestring import mark_safe
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
            dcat_turtle_url=reverse("opendata:dcat-turtle"),
            dcat_rdfxml_url=reverse("opendata:dcat-rdfxml"),
            schema_org=schema_org_markup(self.request, datasets),
            generated_at=parse_datetime(manifest["generated_at"]),
            has_demo_data=Offer.objects.filter(is_demo=True).exists()
            or ContactPerson.objects.filter(is_demo=True).exists(),
            **kwargs,
        )


def schema_org_markup(request, datasets: list[dict]) -> str:
    """schema.org Dataset descriptions for dataset search engines, as a JSON-LD data block
    (escaped like Django's json_script, so no text can close the script element)."""
    absolute = request.build_absolute_uri
    graph = [
        {
            "@context": "https://schema.org",
            "@type": "Dataset",
            "@id": absolute(reverse("opendata:dataset", args=[entry["dataset"].slug])),
            "name": str(entry["dataset"].title),
            "description": str(entry["dataset"].description),
            "url": absolute(request.path + "#" + entry["dataset"].slug),
            "keywords": [str(keyword) for keyword in entry["dataset"].keywords],
            "license": LICENCE_URL,
            "isAccessibleForFree": True,
            "inLanguage": ["et", "ru", "en"],
            "spatialCoverage": {"@type": "Place", "name": "Eesti"},
            "dateModified": entry["modified"].isoformat(),
            "creator": {"@type": "Organization", "name": "Abiportaal", "url": absolute("/")},
            "distribution": [
                {
                    "@type": "DataDownload",
                    "encodingFormat": FORMATS[file["name"].rsplit(".", 1)[1]][0],
                    "contentUrl": absolute(file["url"]),
                }
                for file in entry["files"]
            ],
        }
        for entry in datasets
    ]
    text = json.dumps(graph, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308  (JSON with <, > and & escaped)


def download(request, name: str):
    if name not in DOWNLOAD_NAMES:
        raise Http404(name)
    manifest = export.ensure_fresh()
    info = manifest["files"][name]
    etag = f'"{info["sha256"][:32]}"'
    modified = parse_datetime(info["modified"]).timestamp()
    unchanged = get_conditional_response(request, etag=etag, last_modified=modified)
    if unchanged is not None:  # 304 Not Modified (or 412 for a failed If-Match)
        return file_headers(unchanged, etag, modified)
    response = FileResponse(
        open(export.root() / name, "rb"),
        as_attachment=True,
        filename=name,
        content_type=FORMATS[info["format"]][0] + ("; charset=utf-8" if info["format"] != "xlsx" else ""),
    )
    return file_headers(response, etag, modified)


def file_headers(response, etag: str, modified: float):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Link"
    patch_cache_control(response, public=True, max_age=300)
    return response


def dataset(request, slug: str):
    """A dataset's identifier resolves to its place on the open-data page."""
    if slug not in BY_SLUG:
        raise Http404(slug)
    return redirect(reverse("open-data") + f"#{slug}")


def catalogue(request, extension: str | None = None):
    """The DCAT-AP catalogue in JSON-LD, Turtle or RDF/XML: chosen by the address's extension
    (dcat.jsonld, dcat.ttl, dcat.rdf) or, at /open-data/dcat, by the Accept header."""
    if extension is None:
        syntax = dcat.negotiate(request.headers.get("Accept", ""))
        if syntax is None:
            response = HttpResponse(
                "Not acceptable. Available: " + ", ".join(dcat.SYNTAXES) + "\n",
                status=406,
                content_type="text/plain; charset=utf-8",
            )
            response["Vary"] = "Accept"
            return response
    else:
        syntax = dcat.BY_EXTENSION[extension]
    body = dcat.serialize(dcat.catalogue(request, export.ensure_fresh()), syntax)
    response = HttpResponse(body, content_type=f"{syntax}; charset=utf-8")
    if extension is None:
        response["Vary"] = "Accept"
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=300)
    return response
