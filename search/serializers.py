"""The shape of GET /api/v1/search/'s answer, for its OpenAPI schema (the view builds plain
dicts; these serializers document them and let schemathesis check the live answers)."""

from rest_framework import serializers

from .backends.base import KINDS


class SearchPriceSerializer(serializers.Serializer):
    unit = serializers.CharField()
    price_individual = serializers.CharField(allow_null=True)
    price_group = serializers.CharField(allow_null=True)
    client_share = serializers.CharField(allow_null=True)
    currency = serializers.CharField()
    valid_from = serializers.DateField(allow_null=True)


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(KINDS))
    code = serializers.CharField(allow_null=True, allow_blank=True, help_text="catalogue code")
    title = serializers.CharField()
    url = serializers.URLField()
    snippet = serializers.CharField(allow_blank=True)
    score = serializers.FloatField()
    municipality = serializers.CharField(
        required=False, help_text="the KOV's code, for offers, contacts and municipalities"
    )
    provider = serializers.CharField(required=False, allow_blank=True, help_text="offers only")
    price = SearchPriceSerializer(required=False, allow_null=True, help_text="offers only: today's price")
    is_demo = serializers.BooleanField(required=False, help_text="offers only: illustrative demo data")
    name = serializers.CharField(required=False, allow_blank=True, help_text="contacts only")
    phone = serializers.CharField(required=False, allow_blank=True, help_text="contacts only")
    email = serializers.CharField(required=False, allow_blank=True, help_text="contacts only")


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    lang = serializers.ChoiceField(choices=["et", "ru", "en"])
    total = serializers.IntegerField(help_text="all results; `results` holds `limit` of them from `offset`")
    offset = serializers.IntegerField(help_text="the position of the first result given (0-based)")
    limit = serializers.IntegerField()
    suggestion = serializers.CharField(allow_null=True, help_text="did you mean")
    results = SearchHitSerializer(many=True)
    facets = serializers.DictField(help_text="per facet (kind, municipality, county, …): values with counts")
