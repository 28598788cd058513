"""DCAT-AP 2 metadata of the open datasets — JSON-LD, Turtle or RDF/XML — for the Estonian
open-data portal (avaandmed.eesti.ee) and the European data portal to harvest."""

import json

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rdflib import Graph

from .datasets import DATASETS, FORMATS, LICENCE_URL

EU = "http://publications.europa.eu/resource/authority/"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "adms": "http://www.w3.org/ns/adms#",
}
CATALOGUE_TITLE = _("Abiportaal open data")
CATALOGUE_DESCRIPTION = _("Social-care services, prices and contacts of Estonia's municipalities.")
LANGUAGE_URIS = {"et": EU + "language/EST", "ru": EU + "language/RUS", "en": EU + "language/ENG"}


def _texts(value) -> list[dict]:
    """A translatable text in each language, as language-tagged literals."""
    texts = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts.append({"@value": str(value), "@language": code})
    return texts


def _date(value: str) -> dict:
    return {"@value": value, "@type": "xsd:dateTime"}


def catalogue(request, manifest: dict) -> dict:
    absolute = request.build_absolute_uri
    publisher = {
        "@id": absolute("/"),
        "@type": "foaf:Agent",
        "foaf:name": "Abiportaal",
        "dct:type": {"@id": EU + "publisher-type/NationalAuthority"},
    }
    contact = {
        "@type": "vcard:Organization",
        "vcard:fn": "Abiportaal",
        "vcard:hasURL": {"@id": absolute("/et/open-data/")},
    }
    licence = {"@id": LICENCE_URL, "@type": "dct:LicenseDocument"}
    datasets = []
    for dataset in DATASETS:
        distributions = []
        for fmt, (media_type, eu_format) in FORMATS.items():
            name = f"{dataset.slug}.{fmt}"
            info = manifest["files"][name]
            url = absolute(reverse("opendata:download", args=[name]))
            distributions.append(
                {
                    "@id": url,
                    "@type": "dcat:Distribution",
                    "dct:title": _texts(dataset.title),
                    "dcat:accessURL": {"@id": url},
                    "dcat:downloadURL": {"@id": url},
                    "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{media_type}"},
                    "dct:format": {"@id": EU + "file-type/" + eu_format},
                    "dcat:byteSize": {"@value": str(info["size"]), "@type": "xsd:nonNegativeInteger"},
                    "dct:modified": _date(info["modified"]),
                    "dct:license": licence,
                    "spdx:checksum": {
                        "@type": "spdx:Checksum",
                        "spdx:algorithm": {"@id": "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"},
                        "spdx:checksumValue": {"@value": info["sha256"], "@type": "xsd:hexBinary"},
                    },
                }
            )
        datasets.append(
            {
                "@id": absolute(reverse("opendata:dataset", args=[dataset.slug])),
                "@type": "dcat:Dataset",
                "dct:identifier": dataset.slug,
                "dct:title": _texts(dataset.title),
                "dct:description": _texts(dataset.description),
                "dcat:keyword": [text for keyword in dataset.keywords for text in _texts(keyword)],
                "dcat:theme": [{"@id": EU + "data-theme/SOCI"}, {"@id": EU + "data-theme/REGI"}],
                "dct:spatial": {"@id": EU + "country/EST"},
                "dct:language": [{"@id": uri} for uri in LANGUAGE_URIS.values()],
                "dct:publisher": publisher,
                "dcat:contactPoint": contact,
                "dct:accrualPeriodicity": {"@id": EU + "frequency/DAILY"},
                "dct:modified": _date(manifest["generated_at"]),
                "dcat:landingPage": {"@id": absolute(f"/et/open-data/#{dataset.slug}")},
                "dct:accessRights": {"@id": EU + "access-right/PUBLIC"},
                "dct:license": licence,
                "dcat:distribution": distributions,
            }
        )
    return {
        "@context": {**CONTEXT, "spdx": "http://spdx.org/rdf/terms#"},
        "@id": absolute(reverse("opendata:dcat")),
        "@type": "dcat:Catalog",
        "dct:title": _texts(CATALOGUE_TITLE),
        "dct:description": _texts(CATALOGUE_DESCRIPTION),
        "dct:publisher": publisher,
        "dct:language": [{"@id": uri} for uri in LANGUAGE_URIS.values()],
        "dct:license": licence,
        "dct:modified": _date(manifest["generated_at"]),
        "foaf:homepage": {"@id": absolute("/et/open-data/")},
        "dcat:dataset": datasets,
    }


SYNTAXES = {"application/ld+json": "json-ld", "text/turtle": "turtle", "application/rdf+xml": "xml"}
BY_EXTENSION = {"jsonld": "application/ld+json", "ttl": "text/turtle", "rdf": "application/rdf+xml"}


def negotiate(accept: str) -> str | None:
    """The media type to answer with: the client's most preferred one we have (JSON-LD for
    */* or no Accept header), or None when it accepts none of them (406)."""
    if not accept.strip():
        return "application/ld+json"
    ranked = []
    for position, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, position, media.lower()))
    for quality, _position, media in sorted(ranked):
        if quality == 0:
            continue
        if media in SYNTAXES:
            return media
        if media in {"*/*", "application/*", "application/json"}:
            return "application/ld+json"
        if media == "text/*":
            return "text/turtle"
    return None


def serialize(document: dict, media_type: str) -> str:
    if media_type == "application/ld+json":
        return json.dumps(document, ensure_ascii=False, indent=1)
    graph = Graph().parse(data=json.dumps(document), format="json-ld")
    graph.bind("dcat", CONTEXT["dcat"])
    graph.bind("dct", CONTEXT["dct"])
    graph.bind("spdx", "http://spdx.org/rdf/terms#")
    return graph.serialize(format=SYNTAXES[media_type])
